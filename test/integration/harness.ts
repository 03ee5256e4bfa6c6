/**
 * What the fault-injection tests share: the training process started from source, the CLI run as
 * a learner runs it, small real training jobs on Fashion-MNIST, and what a run folder holds.
 */
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { CompileSpec, ModelSpec } from "../../src/protocol/modelSpec";
import type { TrainingEvent, TrainParams } from "../../src/protocol/training";
import { TrainingClient } from "../../src/training/client";
import { introModel, lessonCompile } from "../../src/training/models";

export const REPO = path.join(__dirname, "..", "..");
export const PROCESS_ENTRY = path.join(REPO, "src", "training", "process.ts");
const CLI_ENTRY = path.join(REPO, "src", "cli", "main.ts");
/** Debian's Fashion-MNIST: real data, on every machine these tests run on. */
export const DATA_DIRECTORY = "/usr/share/datasets";

export function startClient(): TrainingClient {
  return TrainingClient.start(PROCESS_ENTRY, { execArgv: ["--import", "tsx"] });
}

export async function scratchFolder(name: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `dl-lessons-${name}-`));
}

/** A small real training job: the lesson's intro model on the first `trainLimit` Fashion-MNIST images. */
export function trainParams(runDirectory: string, options: { epochs?: number; trainLimit?: number; testLimit?: number; model?: ModelSpec; compile?: CompileSpec; label?: string } = {}): TrainParams {
  return {
    model: options.model ?? introModel([28, 28, 1]),
    compile: options.compile ?? lessonCompile(),
    fit: { batch_size: 32, epochs: options.epochs ?? 1, validation: { kind: "data" }, shuffle: true },
    dataset: { name: "fashion-mnist", trainLimit: options.trainLimit ?? 500, testLimit: options.testLimit ?? 200 },
    dataDirectory: DATA_DIRECTORY,
    runDirectory,
    backend: "wasm",
    ...(options.label ? { label: options.label } : {}),
  };
}

/** Resolves at the first event that `matches`. */
export function nextEvent(client: TrainingClient, matches: (event: TrainingEvent) => boolean): Promise<TrainingEvent> {
  return new Promise((resolve) => {
    const off = client.onEvent((event) => {
      if (!matches(event)) return;
      off();
      resolve(event);
    });
  });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// The TypeScript loader by file URL, so that the CLI also starts from folders outside the repository.
const TSX_LOADER = pathToFileURL(path.join(REPO, "node_modules", "tsx", "dist", "loader.mjs")).href;

/** `dl-lessons ARGS` in its own process, as a learner runs it (from the repository, or from `cwd`). */
export async function cli(args: string[], options: { cwd?: string } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", TSX_LOADER, CLI_ENTRY, ...args], { cwd: options.cwd ?? REPO });
    return { code: 0, signal: null, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; signal?: NodeJS.Signals; stdout?: string; stderr?: string };
    return { code: e.code ?? null, signal: e.signal ?? null, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Starts `dl-lessons ARGS`, calls `onLine` for each line it prints; resolves when it exits. */
export function cliStreaming(args: string[], onLine: (line: string, child: ReturnType<typeof spawn>) => void): Promise<CliResult> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI_ENTRY, ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    pending += chunk.toString();
    const lines = pending.split(/\r|\n/);
    pending = lines.pop() ?? "";
    for (const line of lines) onLine(line, child);
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Every file under `folder`, relative, sorted. */
export async function filesUnder(folder: string): Promise<string[]> {
  return (await fs.readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)))
    .sort();
}

export async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(file, "utf8")) as T;
}

/** Runs `command` and says whether it worked (mount, umount). */
export async function tryCommand(command: string, args: string[]): Promise<boolean> {
  try {
    await promisify(execFile)(command, args);
    return true;
  } catch {
    return false;
  }
}
