/**
 * The part of a run folder that says how far the run got — its status and the file writes that
 * keep it true — with no TensorFlow.js import, so the extension host can read and settle a run
 * whose training process died. `runs.ts` writes the rest of the run.
 */
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import type { BackendName, EpochLogs, TrainResult } from "../protocol/training";
import { RunError, RunStorageError } from "./errors";

/**
 * `cancelled` with `stage: "testing"` is a run stopped during the final test evaluation: fully
 * trained, not tested. `interrupted` is a run whose process died; `diverged` one whose loss
 * became NaN or infinite.
 */
export type RunStatus = "running" | "completed" | "cancelled" | "failed" | "diverged" | "interrupted";

export interface RunStatusFile {
  status: RunStatus;
  updatedAt: string;
  message?: string | undefined;
  /** Epochs finished and saved so far, of `epochs`. */
  epochsDone?: number;
  epochs?: number;
  /** What the run was doing when this was written: fitting, or the final test evaluation. */
  stage?: "training" | "testing";
  /** The process and machine writing the run while it is running, to tell a dead run from a live one. */
  pid?: number;
  hostname?: string;
}

/**
 * Writes a file so that readers see the old content or the new, never part of it. A failed
 * write (a full disk) removes its temporary file and throws RunStorageError naming the folder.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(temporary, data);
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw asRunStorageError(error, path.dirname(file));
  }
}

/** A file-system failure while saving a run, worded for the learner; anything else unchanged. */
export function asRunStorageError(error: unknown, directory: string): unknown {
  if (error instanceof RunError) return error;
  switch (errnoCode(error)) {
    case "ENOSPC":
    case "EDQUOT":
      return new RunStorageError(
        "disk-full",
        `The disk holding ${directory} is full, so the run could not be saved there. Free some space (or save runs in another folder) and train again; epochs saved before are kept.`,
        directory,
      );
    case "EROFS":
      return new RunStorageError("read-only", `${directory} is on a read-only disk, so the run cannot be saved there. Save runs in a folder you can write to and train again.`, directory);
    case "EACCES":
    case "EPERM":
      return new RunStorageError("no-permission", `You do not have permission to write in ${directory}, so the run cannot be saved there. Save runs in a folder you can write to (or change the folder's permissions) and train again.`, directory);
    case undefined: // not a file-system error
    default:
      return error;
  }
}

function errnoCode(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/**
 * Node's recursive mkdir reports ENOENT when a folder cannot be created on a read-only disk;
 * creating the first missing folder alone gives the real reason (EROFS, EACCES).
 */
async function realMkdirError(folder: string, original: unknown): Promise<unknown> {
  let existing = path.dirname(folder);
  while (existing !== path.dirname(existing)) {
    try {
      await fs.stat(existing);
      break;
    } catch {
      existing = path.dirname(existing);
    }
  }
  const first = path.join(existing, path.relative(existing, folder).split(path.sep)[0]!);
  try {
    await fs.mkdir(first);
    await fs.rmdir(first);
  } catch (error) {
    return error;
  }
  return original;
}

/**
 * Creates the run's folder, never reusing one: when `directory` exists already (two runs started
 * in the same second), `-2`, `-3`, ... is appended. Returns the folder claimed.
 */
export async function claimRunDirectory(directory: string): Promise<string> {
  const parent = path.dirname(directory);
  try {
    await fs.mkdir(parent, { recursive: true }).catch(async (error: unknown) => {
      throw errnoCode(error) === "ENOENT" ? await realMkdirError(parent, error) : error;
    });
    for (let attempt = 1; ; attempt++) {
      const candidate = attempt === 1 ? directory : `${directory}-${attempt}`;
      try {
        // Not recursive: mkdir fails with EEXIST when another run got there first, atomically.
        await fs.mkdir(candidate);
        return candidate;
      } catch (error) {
        if (errnoCode(error) !== "EEXIST" || attempt >= 1000) throw error;
      }
    }
  } catch (error) {
    throw asRunStorageError(error, errnoCode(error) === "EEXIST" ? directory : parent);
  }
}

export interface StatusDetails {
  message?: string | undefined;
  epochsDone?: number;
  epochs?: number;
  stage?: "training" | "testing";
}

export async function writeStatus(directory: string, status: RunStatus, details: StatusDetails = {}): Promise<void> {
  const file: RunStatusFile = {
    status,
    updatedAt: new Date().toISOString(),
    ...(details.message ? { message: details.message } : {}),
    ...(details.epochsDone !== undefined ? { epochsDone: details.epochsDone } : {}),
    ...(details.epochs !== undefined ? { epochs: details.epochs } : {}),
    ...(details.stage ? { stage: details.stage } : {}),
    ...(status === "running" ? { pid: process.pid, hostname: os.hostname() } : {}),
  };
  const text = JSON.stringify(file, null, 2) + "\n";
  try {
    await writeFileAtomic(path.join(directory, "status.json"), text);
  } catch (error) {
    if (!(error instanceof RunStorageError && error.reason === "disk-full") || status === "running") throw error;
    // A full disk has no room for a second copy; the old status.json's own space still takes the
    // final word (it is rewritten in place), so a run that failed for want of space does not stay "running".
    await fs.writeFile(path.join(directory, "status.json"), text).catch(() => undefined);
    throw error;
  }
}

/** Whether the process that wrote a "running" status is still alive (on this machine). */
export function writerAlive(status: RunStatusFile): boolean {
  if (status.pid === undefined) return false;
  if (status.hostname !== undefined && status.hostname !== os.hostname()) return true; // Cannot tell: trust it.
  if (status.pid === process.pid) return true;
  try {
    process.kill(status.pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === "EPERM";
  }
}

/** "Interrupted after epoch 3 of 10" (or "before its first epoch ended"), with what is kept. */
export function interruptedMessage(epochsDone: number, epochs: number | undefined): string {
  const of = epochs === undefined ? "" : ` of ${epochs}`;
  return epochsDone === 0
    ? `Interrupted before its first epoch${of} ended: the training process stopped. Nothing was trained; train again.`
    : `Interrupted after epoch ${epochsDone}${of}: the training process stopped. The ${epochsDone} finished epoch(s) and the weights saved after epoch ${epochsDone} are kept.`;
}

/** A "running" status whose process has died, as an "interrupted" one (not written back). */
export function settledStatus(status: RunStatusFile, history: EpochLogs[]): RunStatusFile {
  if (status.status !== "running" || writerAlive(status)) return status;
  const epochsDone = Math.max(status.epochsDone ?? 0, history.length);
  return { status: "interrupted", updatedAt: status.updatedAt, message: interruptedMessage(epochsDone, status.epochs), epochsDone, ...(status.epochs !== undefined ? { epochs: status.epochs } : {}) };
}

/** Reads a JSON file; undefined when it is absent. Throws RunError when it is not valid JSON. */
export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as T;
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return undefined;
    throw new RunError(`${path.basename(file)} in ${path.dirname(file)} is not valid JSON.`, path.dirname(file));
  }
}

/**
 * After the training process died mid-run: marks the run interrupted on disk and returns it as a
 * stopped run with its finished epochs, or undefined when it finished no epoch (or is no run).
 */
export async function recoverInterruptedRun(directory: string): Promise<TrainResult | undefined> {
  try {
    const spec = await readJsonFile<{ backend: BackendName }>(path.join(directory, "spec.json"));
    const written = await readJsonFile<RunStatusFile>(path.join(directory, "status.json"));
    const history = (await readJsonFile<EpochLogs[]>(path.join(directory, "history.json"))) ?? [];
    if (!spec || !written) return undefined;
    const status = settledStatus(written, history);
    if (status !== written) await writeFileAtomic(path.join(directory, "status.json"), JSON.stringify(status, null, 2) + "\n").catch(() => undefined);
    if (history.length === 0) return undefined;
    return { runId: path.basename(directory), runDirectory: directory, status: "cancelled", history, backend: { active: spec.backend, attempts: [] } };
  } catch {
    return undefined;
  }
}
