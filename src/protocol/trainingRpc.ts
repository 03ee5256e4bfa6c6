/**
 * Every request and notification between the extension host and the training process, as
 * vscode-jsonrpc descriptors: the method name and its parameter and result types, written once
 * and used by both ends (`src/training/client.ts` sends them, `src/training/process.ts` answers
 * them), so a wrong parameter or result is a compile error on either side. Kept apart from
 * `training.ts` because webviews read those shapes and have no use for vscode-jsonrpc.
 */
import { NotificationType, RequestType } from "vscode-jsonrpc";
import type { DatasetName } from "./modelSpec";
import type {
  BackendReport,
  BackendsParams,
  EvaluateParams,
  EvaluationResult,
  ModelSummary,
  PredictParams,
  PredictResult,
  SummaryParams,
  SweepParams,
  SweepResult,
  SweepRunFinished,
  TrainingEvent,
  TrainParams,
  TrainResult,
} from "./training";

/** A run folder whose writer (a training process) may have died: what its journal kept. */
export interface RecoverRunParams {
  runDirectory: string;
}

export interface DatasetsPresentParams {
  dataDirectory: string;
}

/** Fetch a dataset from its publisher into the data directory; progress arrives as `dataset-progress` events. */
export interface DownloadDatasetParams {
  dataset: DatasetName;
  dataDirectory: string;
}

/** Import a dataset from an archive or the folder it was unpacked into (a copy a workshop hands out). */
export interface ImportDatasetParams {
  dataset: DatasetName;
  /** The archive or folder to import. */
  source: string;
  dataDirectory: string;
}

/**
 * Images of a dataset for the panels that show pictures: by index into the test set as a run
 * evaluated it (its first `testLimit` images), or a random sample of the training set.
 */
export type DatasetImagesParams = { dataset: DatasetName; dataDirectory: string } & (
  | { split: "test"; indices: number[]; testLimit?: number }
  | { split: "train"; sample: number }
);

/** Images as HWC uint8 pixels, base64 (a quarter of a JSON number array's size), with their labels. */
export interface DatasetImagesResult {
  width: number;
  height: number;
  channels: number;
  images: { index: number; label: number; pixels: string }[];
}

/** The requests the host sends; every one may be cancelled through its token. */
export const TrainingRequests = {
  /** Trains one run, saving it under `runDirectory`; cancellable between batches. */
  train: new RequestType<TrainParams, TrainResult, void>("training/train"),
  /** Trains a sweep's variants (with `folds`: k-fold cross-validation, each fold a run). */
  sweep: new RequestType<SweepParams, SweepResult, void>("training/sweep"),
  evaluate: new RequestType<EvaluateParams, EvaluationResult, void>("training/evaluate"),
  predict: new RequestType<PredictParams, PredictResult, void>("training/predict"),
  summary: new RequestType<SummaryParams, ModelSummary, void>("training/summary"),
  backends: new RequestType<BackendsParams, BackendReport, void>("training/backends"),
  /** The epochs a run kept when its process died mid-run, as a cancelled result; null when it kept none. */
  recoverRun: new RequestType<RecoverRunParams, TrainResult | null, void>("training/recoverRun"),
  /** Which datasets are on this computer (Debian's copies or the data directory's). */
  datasetsPresent: new RequestType<DatasetsPresentParams, DatasetName[], void>("datasets/present"),
  downloadDataset: new RequestType<DownloadDatasetParams, void, void>("datasets/download"),
  importDataset: new RequestType<ImportDatasetParams, void, void>("datasets/import"),
  datasetImages: new RequestType<DatasetImagesParams, DatasetImagesResult, void>("datasets/images"),
} as const;

/** The notifications the training process sends. */
export const TrainingNotifications = {
  /** Progress of a run, an evaluation or a dataset fetch. */
  event: new NotificationType<TrainingEvent>("training/event"),
  /** One run of a sweep has ended and been saved. */
  sweepRunFinished: new NotificationType<SweepRunFinished>("training/sweepRunFinished"),
} as const;
