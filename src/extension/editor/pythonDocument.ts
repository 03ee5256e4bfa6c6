/**
 * The Python file a command means (Train Model, Show Model Summary): the one it was run on, else
 * the Python file in view, else the one behind the panel in front.
 */
import * as vscode from "vscode";

export async function pythonDocument(target: unknown, purpose: string): Promise<vscode.TextDocument | undefined> {
  if (target instanceof vscode.Uri) return vscode.workspace.openTextDocument(target);
  // With a panel focused there is no active editor: the Python file beside it is the one meant.
  const editors = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
  const python = editors.find((editor) => editor?.document.languageId === "python")?.document;
  if (python) return python;
  // Else the Python file of the active editor group's most recent tab, though a panel covers it.
  const tab = vscode.window.tabGroups.activeTabGroup.tabs.find((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.endsWith(".py"));
  if (tab?.input instanceof vscode.TabInputText) return vscode.workspace.openTextDocument(tab.input.uri);
  void vscode.window.showInformationMessage(`${purpose}: open a challenge file (or another Python file with a Keras model) in the editor first.`);
  return undefined;
}
