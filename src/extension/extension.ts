/**
 * Extension entry point. Activation must stay cheap: nothing here loads TensorFlow.js (training
 * runs in a separate process started on the first Train) and lessons are read lazily.
 */
import * as vscode from "vscode";
import { LessonsTreeProvider } from "./lessonsTree";

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const lessonsTree = new LessonsTreeProvider(vscode.Uri.joinPath(context.extensionUri, "lessons"));
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider("dlLessons.lessons", lessonsTree),
    vscode.commands.registerCommand("dlLessons.openLesson", async () => {
      await vscode.commands.executeCommand("dlLessons.lessons.focus");
      await vscode.commands.executeCommand("setContext", "dlLessons.lessonOpen", true);
    }),
  );
  const output = vscode.window.createOutputChannel("Deep Learning Lessons", { log: true });
  context.subscriptions.push(output);
  output.info(`Activated in ${(performance.now() - started).toFixed(1)} ms.`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
