/**
 * Errors from the training process, worded for a learner: what happened and what to try next,
 * never a stack trace (the details go to the log). No 'vscode' import: unit-tested.
 */
import { TrainingErrorCodes } from "../../protocol/training";
import { TrainingProcessExitedError } from "../../training/client";

export interface LearnerError {
  message: string;
  /** The original error text, for the log. */
  detail?: string;
  cancelled: boolean;
}

function errorCode(error: unknown): number | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "number" ? code : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function describeTrainingError(error: unknown): LearnerError {
  const detail = errorText(error);
  const known = (message: string, extra: Partial<LearnerError> = {}): LearnerError => ({ message, detail, cancelled: false, ...extra });
  switch (errorCode(error)) {
    case TrainingErrorCodes.cancelled:
      return known("Training was stopped.", { cancelled: true });
    case TrainingErrorCodes.datasetMissing:
    case TrainingErrorCodes.datasetCorrupt:
    case TrainingErrorCodes.unsupportedModel:
    case TrainingErrorCodes.diskFull:
    case TrainingErrorCodes.backendUnavailable:
    case TrainingErrorCodes.diverged:
    case TrainingErrorCodes.storageUnwritable:
    case TrainingErrorCodes.trainingSetTooSmall:
    case TrainingErrorCodes.modelTooBig:
    case TrainingErrorCodes.backendCrashed:
      // The engine words these for the learner already (they name the file, layer or folder).
      return known(detail);
    case TrainingErrorCodes.outOfMemory:
      return known(`${detail} Try a smaller batch_size, or fewer filters or units, and train again.`);
    case undefined:
      // Not an error the engine coded: worded below.
      break;
  }
  if (error instanceof TrainingProcessExitedError) {
    // The client words this one for the learner (signal or exit code, and what to try).
    return known(detail);
  }
  return known(`Training could not run: ${detail}`);
}
