/**
 * The conversation between the extension host (client) and the training process (server), carried
 * by vscode-jsonrpc over the IPC channel of `child_process.fork`. The engine in `src/training`
 * implements the requests; `src/extension` calls them and fans the notifications out to the
 * sidebar monitor and the panels. Plain data only, so the same shapes reach webviews unchanged.
 */
import { KERAS_DEFAULTS, type CompileSpec, type DatasetName, type DatasetRef, type FitSpec, type ModelSpec } from "./modelSpec";

/**
 * The TensorFlow.js backends the training process can run on: the one list of them. The
 * `dlLessons.backend` enum of package.json, the CLI's `--backend` and the engine's order of trying
 * them all follow it (a test holds package.json to it). Adding a backend here makes every place
 * that words or handles backends a compile error until it knows the new one. `webgpu` and `webgl`
 * run in a webview of the editor, on the learner's GPU (src/protocol/gpu.ts).
 */
export const BACKEND_NAMES = ["tensorflow-gpu", "webgpu", "webgl", "tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** The `dlLessons.backend` setting (and `--backend` of the CLI): a backend, or `auto` to try them in order. */
export const BACKEND_PREFERENCES = ["auto", ...BACKEND_NAMES] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

/** True when `value` (a setting, a command-line word) names a backend preference. */
export function isBackendPreference(value: unknown): value is BackendPreference {
  return typeof value === "string" && (BACKEND_PREFERENCES as readonly string[]).includes(value);
}

/**
 * The environment variable that carries the `dlLessons.trainingThreads` setting into the training
 * process (read once, when its WebAssembly backend starts); unset or 0 means automatic.
 */
export const TRAINING_THREADS_ENV = "DL_LESSONS_TRAINING_THREADS";

/** Why each backend that was tried did or did not load, in the order they were tried. */
export interface BackendReport {
  active: BackendName;
  /** `detail` says how a loaded backend runs, e.g. "4 threads" for wasm. */
  attempts: { backend: BackendName; loaded: boolean; reason?: string; detail?: string }[];
}

/** One row of a Keras-format `model.summary()`. */
export interface SummaryRow {
  name: string;
  className: string;
  /** Without the batch dimension, e.g. [30, 30, 16]; shown as `(None, 30, 30, 16)`. */
  outputShape: number[];
  params: number;
}

export interface ModelSummary {
  modelName: string;
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** The whole table as Keras prints it. */
  text: string;
}

/** Everything one training run needs; `runDirectory` is where the run is saved. */
export interface TrainParams {
  model: ModelSpec;
  compile: CompileSpec;
  fit: FitSpec;
  dataset: DatasetRef;
  dataDirectory: string;
  runDirectory: string;
  backend: BackendPreference;
  /** Shown in the monitor and saved with the run, e.g. "Dropout rate 0.4". */
  label?: string;
}

/** One epoch's numbers, Keras's history names (`loss`, `val_loss`, `categorical_accuracy`, ...). */
export interface EpochLogs {
  /** 1-based, as Keras prints `Epoch 1/10` (the trainer counts this way). */
  epoch: number;
  metrics: Record<string, number>;
  imagesPerSecond: number;
  seconds: number;
}

export interface TrainResult {
  runId: string;
  runDirectory: string;
  status: "completed" | "cancelled";
  history: EpochLogs[];
  backend: BackendReport;
}

export interface Prediction {
  index: number;
  trueLabel: number;
  /** Class indices with probabilities, most likely first. */
  top: { label: number; probability: number }[];
}

/**
 * Per test image, in test-set order: the true class, the predicted (most likely) class and that
 * class's probability. Three parallel arrays rather than objects, so 10,000 images stay small.
 */
export interface TestImageOutcomes {
  trueLabels: number[];
  predictedLabels: number[];
  topProbabilities: number[];
}

export interface EvaluationResult {
  runDirectory: string;
  dataset: DatasetName;
  classNames: string[];
  loss: number;
  accuracy: number;
  /** rows: true class, columns: predicted class. */
  confusionMatrix: number[][];
  perClassAccuracy: number[];
  /** The first `predictionCount` test images. */
  predictions: Prediction[];
  /** Every test image's outcome; absent in results from before it was kept. */
  outcomes?: TestImageOutcomes;
}

export interface EvaluateParams {
  runDirectory: string;
  dataDirectory: string;
  backend: BackendPreference;
  testLimit?: number;
  predictionCount?: number;
}

/** Classify raw images (already resized to the model's input, HWC uint8). */
export interface PredictParams {
  runDirectory: string;
  backend: BackendPreference;
  images: { width: number; height: number; channels: number; data: number[] }[];
  topK?: number;
}

/** The answer to `predict`: per image, the most likely classes with their probabilities. */
export interface PredictResult {
  classNames: string[];
  predictions: { top: { label: number; probability: number }[] }[];
}

export interface SummaryParams {
  model: ModelSpec;
}

/** Which backend to start (or report on, when one is running already). */
export interface BackendsParams {
  backend: BackendPreference;
}

/** One variant of a sweep: a model with its compile and fit settings, named by what it varies. */
export interface SweepVariantParams {
  /** What sets this variant apart, e.g. "0.3" or "optimizer adam"; the comparison table's first column. */
  label: string;
  model: ModelSpec;
  compile: CompileSpec;
  fit: FitSpec;
}

/**
 * Several variants of a model trained one after another (the lesson's loops), or scored by k-fold
 * cross-validation when `folds` is given (GridSearchCV). Every run is saved under `runsDirectory`.
 */
export interface SweepParams {
  variants: SweepVariantParams[];
  /** What the variants differ in, the comparison table's heading, e.g. "dropout_rate". */
  parameter?: string;
  dataset: DatasetRef;
  dataDirectory: string;
  runsDirectory: string;
  backend: BackendPreference;
  /** Cross-validation folds (GridSearchCV's `cv`); without it each variant trains once with the validation split. */
  folds?: number;
}

/** One variant's score in a sweep's comparison. */
export interface SweepRow {
  parameter: string;
  value: string | number;
  /** Final epoch's validation loss and accuracy (for grid search: mean over the folds). */
  valLoss: number;
  valAccuracy: number;
  /** Every epoch of the variant's runs (for grid search: fold after fold). */
  history: EpochLogs[];
  /** The variant's saved run (one per fold for grid search), in training order. */
  runDirectories: string[];
}

/** The answer to `sweep`: the variants that finished, the best of them, and the table to print. */
export interface SweepResult {
  rows: SweepRow[];
  /** The row with the lowest validation loss; absent when no variant finished. */
  best?: SweepRow;
  table: string;
  status: "completed" | "cancelled";
}

/** Sent by the training process to the host each time one run of a sweep has ended and been saved. */
export interface SweepRunFinished {
  /** Index into `SweepParams.variants`. */
  variant: number;
  label: string;
  result: TrainResult;
}

/** Notifications from the training process, tagged so the host can switch on `kind`. */
export type TrainingEvent =
  | { kind: "started"; runId: string; label?: string; backend: BackendReport; epochs: number; batchesPerEpoch: number; trainCount: number; validationCount: number }
  | { kind: "batch"; runId: string; epoch: number; batch: number; batchesPerEpoch: number; metrics: Record<string, number>; imagesPerSecond: number; etaSeconds: number }
  | ({ kind: "epoch"; runId: string; epochs: number; etaSeconds: number } & EpochLogs)
  | { kind: "log"; runId?: string; level: "info" | "warning" | "error"; message: string }
  | { kind: "dataset-progress"; dataset: DatasetName; receivedBytes: number; totalBytes?: number; phase: "download" | "verify" | "extract" | "read" };

/** Error codes the process uses in JSON-RPC error responses, so the host can word them for a learner. */
export const TrainingErrorCodes = {
  datasetMissing: 1001,
  datasetCorrupt: 1002,
  unsupportedModel: 1003,
  outOfMemory: 1004,
  diskFull: 1005,
  cancelled: 1006,
  backendUnavailable: 1007,
  /** The run directory to evaluate or predict with is missing, unfinished or unreadable. */
  runUnavailable: 1008,
  /** The loss became NaN or infinite; the run stopped early and is saved as "diverged". */
  diverged: 1009,
  /** The run folder cannot be written: read-only disk or no permission (a full disk is `diskFull`). */
  storageUnwritable: 1010,
  /** Fewer training images than one batch. */
  trainingSetTooSmall: 1011,
  /** Refused before building: the model and batch would not fit in memory. `data.layer` names the layer that makes it big. */
  modelTooBig: 1012,
  /** The backend failed beyond repair (wasm out of bounds); the process exits after answering and the host starts a fresh one. */
  backendCrashed: 1013,
} as const;

/**
 * A loss or metric as a learner reads it: 4 decimals, "nan" when it is not a number. NaN and
 * infinity cannot be written in JSON, so after the IPC channel or a run file they arrive as
 * `null`: every formatter of training numbers goes through here.
 */
export function formatTrainingNumber(value: number | null | undefined, digits = 4): string {
  if (value === undefined) return "–";
  if (value === null || Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return value.toFixed(digits);
}

/** The lesson's compile call (Adam at Keras's default rate, categorical cross-entropy, accuracy), for a file that builds a model but never compiles it. */
export function lessonCompile(): CompileSpec {
  return { optimizer: { name: "adam", learning_rate: KERAS_DEFAULTS.adamLearningRate }, loss: "categorical_crossentropy", metrics: ["categorical_accuracy"] };
}

/** The lesson's fit call: batch 32, validation on the 20 % split. */
export function lessonFit(epochs: number): FitSpec {
  return { batch_size: 32, epochs, validation: { kind: "data" }, shuffle: true };
}
