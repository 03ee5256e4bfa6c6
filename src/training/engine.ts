/**
 * One training run from start to finish — backend, dataset, split, model, fit, test evaluation,
 * everything saved to the run directory — and the evaluate / predict requests on a saved run.
 * The training process, the CLI, the sweeps and the tests all go through here.
 */
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import type {
  EvaluateParams,
  EvaluationResult,
  PredictParams,
  PredictResult,
  TrainingEvent,
  TrainParams,
  TrainResult,
} from "../protocol/training";
import { CLASS_NAMES, loadDataset, splitTrainValidation, type ImageSet, type LoadedDataset } from "./datasets";
import { selectBackend } from "./backends";
import { ModelSpecError } from "./errors";
import { evaluateModel, predictProbabilities, topK } from "./evaluate";
import { compileModel } from "./kerasToTfjs";
import { normalizeCompileSpec, normalizeFitSpec, normalizeModelSpec } from "./spec";
import { loadRun, loadRunModel, saveEvaluation, saveHistory, saveModel, startRun, writeStatus } from "./runs";
import { fitModel } from "./trainer";

export interface EngineOptions {
  onEvent?: (event: TrainingEvent) => void;
  signal?: AbortSignal | undefined;
  /** Least time between batch events; 200 ms keeps them at about 5 a second. */
  batchIntervalMs?: number;
  /** An already loaded dataset (sweeps reuse one across runs). */
  dataset?: LoadedDataset;
}

/** The lesson's split: 20 % of the training images held out for validation, seed 42. */
export const LESSON_VALIDATION_FRACTION = 0.2;
export const LESSON_SPLIT_SEED = 42;

export async function loadDatasetFor(params: Pick<TrainParams, "dataset" | "dataDirectory">, options: EngineOptions): Promise<LoadedDataset> {
  return (
    options.dataset ??
    loadDataset(params.dataset, {
      dataDirectory: params.dataDirectory,
      signal: options.signal,
      onProgress: (progress) => options.onEvent?.({ kind: "dataset-progress", ...progress }),
    })
  );
}

function splitFor(params: TrainParams, train: ImageSet): { train: ImageSet; validation?: ImageSet } {
  const validation = params.fit.validation;
  if (validation.kind === "none") return { train };
  const fraction = validation.kind === "split" ? validation.fraction : LESSON_VALIDATION_FRACTION;
  return splitTrainValidation(train, { validationFraction: fraction, seed: params.dataset.splitSeed ?? LESSON_SPLIT_SEED });
}

/** Trains, evaluates on the test set and saves the run. A cancelled run resolves with status "cancelled". */
export async function trainRun(rawParams: TrainParams, options: EngineOptions = {}): Promise<TrainResult> {
  const params: TrainParams = {
    ...rawParams,
    model: normalizeModelSpec(rawParams.model),
    compile: normalizeCompileSpec(rawParams.compile),
    fit: normalizeFitSpec(rawParams.fit),
  };
  const emit = (event: TrainingEvent) => options.onEvent?.(event);
  const runDirectory = path.resolve(params.runDirectory);
  const runId = path.basename(runDirectory);
  const backend = await selectBackend(params.backend);
  const dataset = await loadDatasetFor(params, options);
  const inputShape = params.model.layers[0]!.config as { shape: number[] };
  if (inputShape.shape.join("x") !== dataset.imageShape.join("x")) {
    throw new ModelSpecError(
      `The model's input takes ${inputShape.shape.join("×")} images, but ${dataset.name} images are ${dataset.imageShape.join("×")}: ` +
        `change keras.Input(shape=...) to (${dataset.imageShape.join(", ")}) or train on another dataset.`,
      params.model.layers[0]!.name,
    );
  }
  const { train, validation } = splitFor(params, dataset.train);
  const result = await fitAndSaveRun(
    { runDirectory, label: params.label, model: params.model, compile: params.compile, fit: params.fit, datasetRef: params.dataset, dataset, train, validation, backend },
    { emit, signal: options.signal, batchIntervalMs: options.batchIntervalMs ?? 200 },
    async (model) => {
      const evaluation = await evaluateModel(model, dataset.test, dataset.imageShape, dataset.classNames.length, { signal: options.signal });
      await saveEvaluation(
        runDirectory,
        { dataset: dataset.name, classNames: dataset.classNames, loss: evaluation.loss, accuracy: evaluation.accuracy, perClassAccuracy: evaluation.perClassAccuracy },
        evaluation.confusionMatrix,
      );
      emit({ kind: "log", runId, level: "info", message: `Test accuracy ${evaluation.accuracy.toFixed(4)} on ${dataset.test.count} images.` });
    },
  );
  if (result.status === "cancelled") {
    emit({ kind: "log", runId, level: "info", message: `Training cancelled after ${result.history.length} complete epoch(s).` });
  }
  return result;
}

/** One model to fit on data already split, and where its run is saved. Specs are normalised. */
export interface RunToFit {
  runDirectory: string;
  label?: string | undefined;
  model: TrainParams["model"];
  compile: TrainParams["compile"];
  fit: TrainParams["fit"];
  datasetRef: TrainParams["dataset"];
  dataset: LoadedDataset;
  train: ImageSet;
  validation?: ImageSet | undefined;
  backend: TrainResult["backend"];
}

/**
 * Fits a model and saves the run: spec, history and model, then its status — "cancelled" when
 * stopped, "completed" after `afterFit` (e.g. the test evaluation), "failed" with the error. The
 * one place a run directory is written, for single runs and sweep folds alike.
 */
export async function fitAndSaveRun(
  run: RunToFit,
  options: { emit: (event: TrainingEvent) => void; signal?: AbortSignal | undefined; batchIntervalMs: number },
  afterFit?: (model: ReturnType<typeof compileModel>["model"]) => Promise<void>,
): Promise<TrainResult> {
  const { runDirectory, label, model, compile, fit, dataset, train, validation, backend } = run;
  const runId = path.basename(runDirectory);
  const { emit } = options;
  const compiled = compileModel(model, compile);
  try {
    await startRun(runDirectory, { model, compile, fit, dataset: run.datasetRef, label, backend: backend.active, createdAt: new Date().toISOString() });
    emit({
      kind: "started",
      runId,
      ...(label ? { label } : {}),
      backend,
      epochs: fit.epochs,
      batchesPerEpoch: Math.ceil(train.count / fit.batch_size),
      trainCount: train.count,
      validationCount: validation?.count ?? 0,
    });
    const fitted = await fitModel({
      compiled,
      train,
      validation,
      imageShape: dataset.imageShape,
      numClasses: dataset.classNames.length,
      fit,
      signal: options.signal,
      batchIntervalMs: options.batchIntervalMs,
      onBatch: (progress) => emit({ kind: "batch", runId, ...progress }),
      onEpoch: (progress) => emit({ kind: "epoch", runId, ...progress }),
    });
    await saveHistory(runDirectory, fitted.history);
    await saveModel(runDirectory, compiled.model);
    if (fitted.cancelled) {
      await writeStatus(runDirectory, "cancelled", `Cancelled after ${fitted.history.length} of ${fit.epochs} epochs.`);
      return { runId, runDirectory, status: "cancelled", history: fitted.history, backend };
    }
    await afterFit?.(compiled.model);
    await writeStatus(runDirectory, "completed");
    return { runId, runDirectory, status: "completed", history: fitted.history, backend };
  } catch (error) {
    await writeStatus(runDirectory, "failed", error instanceof Error ? error.message : String(error)).catch(() => undefined);
    throw error;
  } finally {
    compiled.model.dispose();
    compiled.optimizer.dispose();
  }
}

/** Evaluates a saved run on its dataset's test set. */
export async function evaluateRun(params: EvaluateParams, options: EngineOptions = {}): Promise<EvaluationResult> {
  const run = await loadRun(params.runDirectory);
  await selectBackend(params.backend);
  const dataset = await loadDatasetFor(
    { dataset: { ...run.spec.dataset, ...(params.testLimit !== undefined ? { testLimit: params.testLimit } : {}) }, dataDirectory: params.dataDirectory },
    options,
  );
  const model = await loadRunModel(params.runDirectory);
  try {
    const evaluation = await evaluateModel(model, dataset.test, dataset.imageShape, dataset.classNames.length, {
      predictionCount: params.predictionCount ?? 16,
      signal: options.signal,
    });
    return { runDirectory: params.runDirectory, dataset: dataset.name, classNames: dataset.classNames, ...evaluation };
  } finally {
    model.dispose();
  }
}

/** Classifies raw HWC uint8 images with a saved run's model. */
export async function predictRun(params: PredictParams): Promise<PredictResult> {
  const run = await loadRun(params.runDirectory);
  await selectBackend(params.backend);
  const model = await loadRunModel(params.runDirectory);
  try {
    const [, height, width, channels] = model.inputs[0]!.shape as [null, number, number, number];
    for (const image of params.images) {
      if (image.width !== width || image.height !== height || image.channels !== channels || image.data.length !== width * height * channels) {
        throw new RangeError(`The model takes ${width}×${height} images with ${channels} channel(s); got ${image.width}×${image.height}×${image.channels}.`);
      }
    }
    const pixels = Float32Array.from(params.images.flatMap((image) => image.data.map((v) => v / 255)));
    const x = tf.tensor4d(pixels, [params.images.length, height, width, channels]);
    const rows = await predictProbabilities(model, x);
    x.dispose();
    return { classNames: run.metrics?.classNames ?? CLASS_NAMES[run.spec.dataset.name], predictions: rows.map((row) => ({ top: topK(row, params.topK ?? 3) })) };
  } finally {
    model.dispose();
  }
}
