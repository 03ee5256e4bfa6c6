/**
 * The one error type the dataset code throws for anything a learner can run into: a dataset that
 * is not there yet, a damaged file, a failed download, a full disk or a cancelled download.
 * Messages are written for the learner: they name the file, say what is wrong and what to try.
 */
export type DatasetErrorCode = "missing" | "corrupt" | "download" | "disk-full" | "cancelled";

export class DatasetError extends Error {
  override readonly name = "DatasetError";
  readonly code: DatasetErrorCode;
  /** The file (or URL) the error is about, when there is one. */
  readonly file?: string;

  constructor(code: DatasetErrorCode, message: string, file?: string) {
    super(message);
    this.code = code;
    if (file !== undefined) this.file = file;
  }
}

/** `30730000` -> `30,730,000`: exact byte counts stay readable in error messages. */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

export { formatBytes } from "../../protocol/datasets";

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") return error.code;
  return undefined;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || errorCode(error) === "ABORT_ERR");
}

/**
 * Turns a file-system failure while writing into the cache into a learner-facing error; anything
 * already a DatasetError passes through unchanged.
 */
export function asStorageError(error: unknown, directory: string, what: string): Error {
  if (error instanceof DatasetError) return error;
  if (isAbortError(error)) return new DatasetError("cancelled", `Stopped ${what} because it was cancelled. Nothing was kept.`);
  const code = errorCode(error);
  if (code === "ENOSPC" || code === "EDQUOT") {
    return new DatasetError(
      "disk-full",
      `The disk holding ${directory} is full, so ${what} could not finish. Nothing half-written was kept. ` +
        "Free some space (or choose another data directory) and try again.",
      directory,
    );
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new DatasetError(
      "download",
      `Cannot write to ${directory} (${code === "EROFS" ? "read-only file system" : "permission denied"}), so ${what} could not finish. ` +
        "Choose a data directory you can write to.",
      directory,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
