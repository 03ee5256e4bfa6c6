/**
 * Lessons: Install Native TensorFlow. The native packages are optional (they download
 * libtensorflow as they install, which fails offline), so they are not in the .vsix; this command
 * installs the one that fits this machine into the extension's storage folder with npm, showing
 * npm's progress, and says plainly what to do where npm or the internet is missing. The training
 * process looks in that folder first (src/training/gpuNative.ts).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import * as vscode from "vscode";
import { findLibrary, NATIVE_CPU_PACKAGE, NATIVE_GPU_PACKAGE, NATIVE_VERSION } from "../../protocol/nativeTensorflow";

/** The node_modules folder the command installs into; the training process gets it in its environment. */
export function nativeModulesFolder(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, "native", "node_modules");
}

/** The GPU build where it can work (x86-64 Linux with the CUDA 11 runtime), else the CPU one. */
function packageForThisMachine(): string {
  return process.platform === "linux" && process.arch === "x64" && findLibrary("libcudart.so.11.0") ? NATIVE_GPU_PACKAGE : NATIVE_CPU_PACKAGE;
}

const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|network|getaddrinfo|proxy/i;

export async function installNativeTensorflow(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  const pkg = packageForThisMachine();
  const prefix = path.dirname(nativeModulesFolder(context));
  await fs.mkdir(prefix, { recursive: true });
  const spec = `${pkg}@${NATIVE_VERSION}`;
  const output: string[] = [];
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Installing ${spec}`, cancellable: true },
    (progress, token) =>
      new Promise<{ code: number | null; spawnError?: NodeJS.ErrnoException }>((resolve) => {
        // npm.cmd on Windows is a batch file, which only a shell runs.
        const child = spawn(process.platform === "win32" ? "npm.cmd" : "npm", ["install", "--no-audit", "--no-fund", "--prefix", prefix, spec], { shell: process.platform === "win32" });
        const onData = (chunk: Buffer) => {
          const lines = chunk.toString().split(/\r?\n/).filter((line) => line.trim() !== "");
          for (const line of lines) log.info(`npm: ${line}`);
          output.push(...lines);
          const last = lines.at(-1);
          if (last) progress.report({ message: last.slice(0, 120) });
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        token.onCancellationRequested(() => child.kill());
        child.once("error", (error: NodeJS.ErrnoException) => resolve({ code: null, spawnError: error }));
        child.once("close", (code) => resolve({ code }));
      }),
  );
  if (outcome.spawnError?.code === "ENOENT") {
    void vscode.window.showWarningMessage(
      "npm is not installed on this computer, and native TensorFlow comes only through npm (with Node.js from nodejs.org). Training still works without it: on the GPU through the webgl or webgpu backend, and on the CPU through WebAssembly.",
    );
    return;
  }
  if (outcome.code !== 0) {
    const text = output.join("\n");
    const offline = OFFLINE.test(text);
    void vscode.window.showWarningMessage(
      offline
        ? `${spec} could not be installed: npm could not reach the internet, which it needs for the package and for the TensorFlow library it downloads. Training still works offline on the GPU (webgl, webgpu) and on the CPU (WebAssembly).`
        : `${spec} could not be installed (npm exited with ${outcome.code ?? "an error"}; its output is in the Deep Learning Lessons log). Training still works on the GPU (webgl, webgpu) and on the CPU (WebAssembly).`,
    );
    return;
  }
  const reload = "Reload Window";
  const choice = await vscode.window.showInformationMessage(`${spec} is installed. Reload the window so that training can use it (Show Training Backend then says whether it loads).`, reload);
  if (choice === reload) await vscode.commands.executeCommand("workbench.action.reloadWindow");
}
