/**
 * Installing a package with the learner's own npm into a folder of the extension's, and saying how
 * it went in the learner's terms. No 'vscode' import: the real npm run is tested directly.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** How one `npm install` ended, with every line it printed. */
export interface NpmInstallOutcome {
  /** npm's exit code; null when it could not start or was stopped. */
  code: number | null;
  /** Why npm could not start (ENOENT: there is no npm). */
  spawnError?: NodeJS.ErrnoException;
  cancelled: boolean;
  lines: string[];
}

/** Runs `npm install spec` into `prefix` (its node_modules), passing each line npm prints to `onLine`. */
export function runNpmInstall(prefix: string, spec: string, options: { onLine?: (line: string) => void; signal?: AbortSignal; npm?: string } = {}): Promise<NpmInstallOutcome> {
  fs.mkdirSync(prefix, { recursive: true });
  const lines: string[] = [];
  return new Promise((resolve) => {
    // npm.cmd on Windows is a batch file, which only a shell runs.
    const npm = options.npm ?? (process.platform === "win32" ? "npm.cmd" : "npm");
    const child = spawn(npm, ["install", "--no-audit", "--no-fund", "--prefix", prefix, spec], { shell: process.platform === "win32" });
    let cancelled = false;
    const cancel = () => {
      cancelled = true;
      child.kill();
    };
    if (options.signal?.aborted) cancel();
    else options.signal?.addEventListener("abort", cancel, { once: true });
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split(/\r?\n/)) {
        if (line.trim() === "") continue;
        lines.push(line);
        options.onLine?.(line);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", (error: NodeJS.ErrnoException) => resolve({ code: null, spawnError: error, cancelled, lines }));
    child.once("close", (code) => {
      options.signal?.removeEventListener("abort", cancel);
      resolve({ code, cancelled, lines });
    });
  });
}

/** What npm says when it, or the package's own install script, cannot reach the internet. */
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|ENETUNREACH|network|getaddrinfo|proxy|socket hang up/i;

/** What the learner is told after an install, and whether it worked. */
export interface InstallVerdict {
  installed: boolean;
  message: string;
}

/**
 * The verdict on an install of `spec` that should have left `pkg` in `modules`: installed only
 * where npm succeeded and the package is there; otherwise why not, and that training still works.
 */
export function judgeNpmInstall(outcome: NpmInstallOutcome, spec: string, pkg: string, modules: string): InstallVerdict {
  const stillWorks = "Training still works without it: on the GPU through the webgl or webgpu backend, and on the CPU through WebAssembly.";
  if (outcome.spawnError?.code === "ENOENT") {
    return { installed: false, message: `npm is not installed on this computer, and native TensorFlow comes only through npm (with Node.js from nodejs.org). ${stillWorks}` };
  }
  if (outcome.cancelled) return { installed: false, message: `Installing ${spec} was cancelled. ${stillWorks}` };
  if (outcome.code !== 0) {
    if (OFFLINE.test(outcome.lines.join("\n"))) {
      return { installed: false, message: `${spec} could not be installed: npm could not reach the internet, which it needs for the package and for the TensorFlow library that package downloads as it installs. ${stillWorks}` };
    }
    return { installed: false, message: `${spec} could not be installed (npm exited with ${outcome.code ?? "an error"}; its output is in the Deep Learning Lessons log). ${stillWorks}` };
  }
  // npm can succeed and still leave nothing usable (an install script that skipped its work).
  if (!fs.existsSync(path.join(modules, ...pkg.split("/"), "package.json"))) {
    return { installed: false, message: `npm finished, but ${pkg} is not in ${modules}; its output is in the Deep Learning Lessons log. ${stillWorks}` };
  }
  return { installed: true, message: `${spec} is installed. Reload the window so that training can use it (Show Training Backend then says whether it loads).` };
}
