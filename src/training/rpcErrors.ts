/**
 * Engine errors as JSON-RPC errors: a code from TrainingErrorCodes the host can switch on, and a
 * message written for the learner (never a stack trace).
 */
import { ResponseError } from "vscode-jsonrpc/node";
import { TrainingErrorCodes } from "../protocol/training";
// Not "./datasets": its index loads TensorFlow.js, which the process loads only for the requests that need it.
import { DatasetError } from "./datasets/errors";
import { BackendUnavailableError, ModelSpecError, ModelTooBigError, RunError, RunStorageError, TrainingCancelledError, TrainingDataError, TrainingDivergedError } from "./errors";

/**
 * A failure that leaves the backend unusable for every later request in this process: the wasm
 * heap overran (or grew past what it can), or the wasm module aborted.
 */
export function isFatalBackendError(error: unknown): boolean {
  if (typeof WebAssembly !== "undefined" && error instanceof WebAssembly.RuntimeError) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /memory access out of bounds|Aborted\(|Cannot enlarge memory|Out of memory/i.test(message);
}

/** Maps an engine error to a JSON-RPC error whose code the host can switch on and whose message a learner can read. */
export function toResponseError(error: unknown): ResponseError<{ layer?: string; file?: string }> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DatasetError) {
    const code =
      error.code === "corrupt" ? TrainingErrorCodes.datasetCorrupt : error.code === "disk-full" ? TrainingErrorCodes.diskFull : error.code === "cancelled" ? TrainingErrorCodes.cancelled : TrainingErrorCodes.datasetMissing;
    return new ResponseError(code, message, error.file ? { file: error.file } : {});
  }
  if (error instanceof ModelTooBigError) return new ResponseError(TrainingErrorCodes.modelTooBig, message, error.layer ? { layer: error.layer } : {});
  if (error instanceof TrainingDivergedError) return new ResponseError(TrainingErrorCodes.diverged, message);
  if (error instanceof TrainingDataError) return new ResponseError(TrainingErrorCodes.trainingSetTooSmall, message);
  if (error instanceof RunStorageError) {
    return new ResponseError(error.reason === "disk-full" ? TrainingErrorCodes.diskFull : TrainingErrorCodes.storageUnwritable, message, { file: error.directory });
  }
  if (isFatalBackendError(error)) {
    return new ResponseError(
      TrainingErrorCodes.backendCrashed,
      "Training ran out of memory and the training backend broke down; it is being restarted. Try a smaller batch size or a smaller model.",
    );
  }
  if (error instanceof ModelSpecError) return new ResponseError(TrainingErrorCodes.unsupportedModel, message, error.layer ? { layer: error.layer } : {});
  if (error instanceof BackendUnavailableError) return new ResponseError(TrainingErrorCodes.backendUnavailable, message);
  if (error instanceof RunError) return new ResponseError(TrainingErrorCodes.runUnavailable, message);
  if (error instanceof TrainingCancelledError) return new ResponseError(TrainingErrorCodes.cancelled, message);
  if ((error as NodeJS.ErrnoException).code === "ENOSPC") {
    return new ResponseError(TrainingErrorCodes.diskFull, "The disk is full: free some space and train again.");
  }
  if (error instanceof RangeError && /allocat|memory/i.test(message)) {
    return new ResponseError(TrainingErrorCodes.outOfMemory, "Training ran out of memory. Try a smaller batch size or a smaller model.");
  }
  return new ResponseError(-32603, `The training process failed: ${message}`);
}

