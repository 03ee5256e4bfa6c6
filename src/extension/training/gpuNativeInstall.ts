/**
 * Lessons: Install Native TensorFlow. The native packages are optional (they download
 * libtensorflow as they install, which fails offline), so they are not in the .vsix; this command
 * installs the one that fits this machine into the extension's storage folder with npm, showing
 * npm's progress, and says plainly what to do where npm or the internet is missing (npmInstall.ts). The training
 * process looks in that folder first (src/training/gpuNative.ts).
 */
import * as path from "node:path";
import * as vscode from "vscode";
import { findLibrary, NATIVE_CPU_PACKAGE, NATIVE_GPU_PACKAGE, NATIVE_VERSION } from "../../protocol/nativeTensorflow";
import { judgeNpmInstall, runNpmInstall } from "./npmInstall";

/** The node_modules folder the command installs into; the training process gets it in its environment. */
export function nativeModulesFolder(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, "native", "node_modules");
}

/** The GPU build where it can work (x86-64 Linux with the CUDA 11 runtime), else the CPU one. */
function packageForThisMachine(): string {
  return process.platform === "linux" && process.arch === "x64" && findLibrary("libcudart.so.11.0") ? NATIVE_GPU_PACKAGE : NATIVE_CPU_PACKAGE;
}

export async function installNativeTensorflow(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  const pkg = packageForThisMachine();
  const modules = nativeModulesFolder(context);
  const spec = `${pkg}@${NATIVE_VERSION}`;
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Installing ${spec}`, cancellable: true }, (progress, token) => {
    const cancel = new AbortController();
    token.onCancellationRequested(() => cancel.abort());
    return runNpmInstall(path.dirname(modules), spec, {
      signal: cancel.signal,
      onLine: (line) => {
        log.info(`npm: ${line}`);
        progress.report({ message: line.slice(0, 120) });
      },
    });
  });
  const verdict = judgeNpmInstall(outcome, spec, pkg, modules);
  log.info(verdict.message);
  if (!verdict.installed) {
    void vscode.window.showWarningMessage(verdict.message);
    return;
  }
  const reload = "Reload Window";
  if ((await vscode.window.showInformationMessage(verdict.message, reload)) === reload) await vscode.commands.executeCommand("workbench.action.reloadWindow");
}
