/**
 * Errors the training engine raises on purpose. Each carries what a learner needs to fix the
 * problem (the layer or argument, the file) so the process and the CLI can word it without a
 * stack trace; anything else reaching the top is a bug.
 */

import type { EpochLogs } from "../protocol/training";

/** A model the engine cannot build: an unknown layer, argument or value, or shapes that do not fit. */
export class ModelSpecError extends Error {
  /** The layer the problem is in, by its Keras name, when there is one. */
  readonly layer: string | undefined;
  constructor(message: string, layer?: string) {
    super(message);
    this.name = "ModelSpecError";
    this.layer = layer;
  }
}

/** A layer, argument or value that Keras has but this engine does not support. */
export class UnsupportedModelError extends ModelSpecError {
  /** What is unsupported, e.g. `Conv2DTranspose` or `Conv2D(groups=...)`. */
  readonly feature: string;
  constructor(feature: string, message: string, layer?: string) {
    super(message, layer);
    this.name = "UnsupportedModelError";
    this.feature = feature;
  }
}

/** The run was cancelled by the caller; not a failure. */
export class TrainingCancelledError extends Error {
  constructor(message = "Training was cancelled.") {
    super(message);
    this.name = "TrainingCancelledError";
  }
}

/** The backend the learner asked for could not be loaded. */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackendUnavailableError";
  }
}

/** A run directory that is missing, unfinished or unreadable. */
export class RunError extends Error {
  readonly directory: string;
  constructor(message: string, directory: string) {
    super(message);
    this.name = "RunError";
    this.directory = directory;
  }
}

/** A run folder that cannot be written: a full disk, a read-only disk, no permission. */
export class RunStorageError extends RunError {
  readonly reason: "disk-full" | "read-only" | "no-permission";
  constructor(reason: RunStorageError["reason"], message: string, directory: string) {
    super(message, directory);
    this.name = "RunStorageError";
    this.reason = reason;
  }
}

/** Fewer training images than the run needs (none, or fewer than one batch). */
export class TrainingDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrainingDataError";
  }
}

/** The loss became NaN or infinite: training stopped early, the epochs before it are kept. */
export class TrainingDivergedError extends Error {
  readonly epoch: number;
  /** The run folder, saved as "diverged", and its history (the last epoch the one cut short). */
  readonly runDirectory: string;
  readonly history: EpochLogs[];
  constructor(message: string, epoch: number, runDirectory: string, history: EpochLogs[]) {
    super(message);
    this.name = "TrainingDivergedError";
    this.epoch = epoch;
    this.runDirectory = runDirectory;
    this.history = history;
  }
}

/** The model and batch would need more memory than the backend or the machine has; refused before building. */
export class ModelTooBigError extends ModelSpecError {
  readonly estimatedBytes: number;
  readonly limitBytes: number;
  constructor(message: string, layer: string | undefined, estimatedBytes: number, limitBytes: number) {
    super(message, layer);
    this.name = "ModelTooBigError";
    this.estimatedBytes = estimatedBytes;
    this.limitBytes = limitBytes;
  }
}
