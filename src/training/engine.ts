/**
 * One training run from start to finish — backend, dataset, split, model, fit, test evaluation,
 * everything saved to the run directory — and the evaluate / predict requests on a saved run.
 * The training process, the CLI, the sweeps and the tests all go through here.
 */
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import type {
  BackendPreference,
  BackendReport,
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
import { ModelSpecError, ModelTooBigError, TrainingCancelledError, TrainingDataError, TrainingDivergedError } from "./errors";
import { memoryRefusal } from "./memoryEstimate";
import { evaluateModel, predictProbabilities, topK } from "./evaluate";
import { compileModel } from "./kerasToTfjs";
import { normalizeCompileSpec, normalizeFitSpec, normalizeModelSpec } from "./spec";
import { loadRun, loadRunModel, saveEpoch, saveEvaluation, saveHistory, saveModel, startRun, writeStatus } from "./runs";
import { fitModel } from "./trainer";
import { RemoteGpuTrainer } from "./gpuRelay";
import { calibrateAuto } from "./gpuCalibration";
import { isGpuBackend } from "./backends";

export interface EngineOptions {
  onEvent?: (event: TrainingEvent) => void;
  signal?: AbortSignal | undefined;
  /** Least time between batch events; 200 ms keeps them at about 5 a second. */
  batchIntervalMs?: number;
  /** An already loaded dataset (sweeps reuse one across runs). */
  dataset?: LoadedDataset;
}

let backendQueue: Promise<unknown> = Promise.resolve();

/**
 * `selectBackend`, one call at a time: two requests reaching a fresh process together would
 * otherwise both initialise the backend at once, and the second would see it half-loaded and
 * report it unavailable. Every request that needs the backend goes through here.
 */
export function activateBackend(preference: BackendPreference, use: "training" | "inference" = "training"): Promise<BackendReport> {
  // Evaluating and predicting run on this process's copy of a model: the GPU webview is for training.
  const wanted = use === "inference" && (preference === "webgl" || preference === "webgpu") ? "auto" : preference;
  const next = backendQueue.then(() => selectBackend(wanted, { probeGpu: use === "training" }));
  backendQueue = next.catch(() => undefined);
  return next;
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
  const firstChoice = await activateBackend(params.backend);
  const dataset = await loadDatasetFor(params, options);
  const inputShape = params.model.layers[0]!.config as { shape: number[] };
  if (inputShape.shape.join("x") !== dataset.imageShape.join("x")) {
    throw new ModelSpecError(
      `The model's input takes ${inputShape.shape.join("×")} images, but ${dataset.name} images are ${dataset.imageShape.join("×")}: ` +
        `change keras.Input(shape=...) to (${dataset.imageShape.join(", ")}) or train on another dataset.`,
      params.model.layers[0]!.name,
    );
  }
  // `auto` measures the GPU against this process's backend the first time (gpuCalibration.ts).
  const backend =
    params.backend === "auto"
      ? await calibrateAuto(
          firstChoice,
          { model: params.model, compile: params.compile, imageShape: dataset.imageShape, numClasses: dataset.classNames.length, batchSize: params.fit.batch_size },
          (message) => emit({ kind: "log", level: "info", message }),
          params.dataDirectory,
        )
      : firstChoice;
  const { train, validation } = splitFor(params, dataset.train);
  const result = await fitAndSaveRun(
    { runDirectory, label: params.label, model: params.model, compile: params.compile, fit: params.fit, datasetRef: params.dataset, dataset, train, validation, backend },
    { emit, signal: options.signal, batchIntervalMs: options.batchIntervalMs ?? 200 },
    async (model, savedIn) => {
      const evaluation = await evaluateModel(model, dataset.test, dataset.imageShape, dataset.classNames.length, { signal: options.signal });
      await saveEvaluation(
        savedIn,
        { dataset: dataset.name, classNames: dataset.classNames, loss: evaluation.loss, accuracy: evaluation.accuracy, perClassAccuracy: evaluation.perClassAccuracy },
        evaluation.confusionMatrix,
      );
      emit({ kind: "log", runId: path.basename(savedIn), level: "info", message: `Test accuracy ${evaluation.accuracy.toFixed(4)} on ${dataset.test.count} images.` });
    },
  );
  if (result.status === "cancelled") {
    emit({ kind: "log", runId: result.runId, level: "info", message: `Training cancelled after ${result.history.length} complete epoch(s).` });
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
 * Fits a model and saves the run as a journal: spec and "running" first, then after every epoch
 * its history, model and epoch count, then its final status — "cancelled" when stopped (during
 * the test evaluation: trained, not tested), "completed" after `afterFit` (e.g. the test
 * evaluation), "diverged" when the loss became NaN, "failed" with the error. The one place a run
 * directory is written, for single runs and sweep folds alike. The folder actually used (never
 * one another run holds) is the result's `runDirectory`.
 */
export async function fitAndSaveRun(
  run: RunToFit,
  options: { emit: (event: TrainingEvent) => void; signal?: AbortSignal | undefined; batchIntervalMs: number },
  afterFit?: (model: ReturnType<typeof compileModel>["model"], runDirectory: string) => Promise<void>,
): Promise<TrainResult> {
  const { label, model, compile, fit, dataset, train, validation, backend } = run;
  const { emit } = options;
  checkTrainingSet(train.count, validation?.count ?? 0, fit.batch_size);
  const tooBig = memoryRefusal(model, fit.batch_size, backend.active, compile.optimizer.name);
  if (tooBig) throw new ModelTooBigError(tooBig.message, tooBig.layer, tooBig.estimate.totalBytes, tooBig.limitBytes);
  const runDirectory = await startRun(run.runDirectory, { model, compile, fit, dataset: run.datasetRef, label, backend: backend.active, createdAt: new Date().toISOString() }, fit.epochs);
  const runId = path.basename(runDirectory);
  let epochsDone = 0;
  const compiled = compileModel(model, compile);
  let remote: RemoteGpuTrainer | undefined;
  try {
    // webgl/webgpu: the steps run in the host's GPU webview, from this copy's initial weights.
    if (isGpuBackend(backend.active)) {
      remote = await RemoteGpuTrainer.open({ backend: backend.active, model, compile, local: compiled.model, imageShape: dataset.imageShape, numClasses: dataset.classNames.length });
    }
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
      remote,
      onBatch: (progress) => emit({ kind: "batch", runId, ...progress }),
      onEpoch: (progress) => emit({ kind: "epoch", runId, ...progress }),
      afterEpoch: async (history) => {
        await saveEpoch(runDirectory, history, compiled.model, fit.epochs);
        epochsDone = history.length;
      },
    });
    if (fitted.diverged) {
      // The weights are NaN now: keep those saved after the last good epoch, and the history with the bad one.
      await saveHistory(runDirectory, fitted.history);
      const message = divergenceMessage(fitted.diverged, epochsDone);
      await writeStatus(runDirectory, "diverged", { message, epochsDone, epochs: fit.epochs });
      throw new TrainingDivergedError(message, fitted.diverged.epoch, runDirectory, fitted.history);
    }
    if (fitted.cancelled) {
      // The weights as they were when Stop came (part of an epoch further), as the run's model.
      await saveHistory(runDirectory, fitted.history);
      await saveModel(runDirectory, compiled.model);
      await writeStatus(runDirectory, "cancelled", { message: `Cancelled after ${epochsDone} of ${fit.epochs} epochs.`, epochsDone, epochs: fit.epochs });
      return { runId, runDirectory, status: "cancelled", history: fitted.history, backend };
    }
    if (afterFit) {
      await writeStatus(runDirectory, "running", { epochsDone, epochs: fit.epochs, stage: "testing" });
      try {
        await afterFit(compiled.model, runDirectory);
      } catch (error) {
        if (!(error instanceof TrainingCancelledError)) throw error;
        const message = `Stopped during the test evaluation: all ${epochsDone} epochs are trained and saved, but the model was not tested. Evaluate it on the test set later.`;
        await writeStatus(runDirectory, "cancelled", { message, epochsDone, epochs: fit.epochs, stage: "testing" });
        emit({ kind: "log", runId, level: "info", message });
        return { runId, runDirectory, status: "cancelled", history: fitted.history, backend };
      }
    }
    await writeStatus(runDirectory, "completed", { epochsDone, epochs: fit.epochs });
    return { runId, runDirectory, status: "completed", history: fitted.history, backend };
  } catch (error) {
    if (!(error instanceof TrainingDivergedError)) {
      const message = error instanceof Error ? error.message : String(error);
      await writeStatus(runDirectory, "failed", { message, epochsDone, epochs: fit.epochs }).catch(() => undefined);
    }
    throw error;
  } finally {
    await remote?.close();
    compiled.model.dispose();
    compiled.optimizer.dispose();
  }
}

/** Refuses a training set too small to train on: empty, or smaller than one batch. */
export function checkTrainingSet(trainCount: number, validationCount: number, batchSize: number): void {
  if (trainCount >= batchSize && trainCount > 0) return;
  const heldOut = validationCount > 0 ? ` after holding out ${validationCount} for validation` : "";
  throw new TrainingDataError(
    `Only ${trainCount} training image${trainCount === 1 ? " is" : "s are"} left${heldOut}, fewer than one batch of ${batchSize}: nothing would be learned. ` +
      `Train on more images (at least ${Math.ceil(batchSize / (1 - LESSON_VALIDATION_FRACTION))} with the lesson's validation split: raise --train-limit or the Train Limit setting), or use a smaller batch_size.`,
  );
}

function divergenceMessage(where: { epoch: number; batch: number }, epochsDone: number): string {
  const kept = epochsDone > 0 ? ` The ${epochsDone} epoch(s) before it and their weights are kept.` : "";
  return (
    `Training diverged: the loss became nan (not a number) in epoch ${where.epoch}, batch ${where.batch}, so training stopped. ` +
    "The usual causes are a learning rate that is too high (try the default 0.001, or 10 times smaller) and inputs that are not scaled to [0, 1]." +
    kept
  );
}

/** Evaluates a saved run on its dataset's test set. */
export async function evaluateRun(params: EvaluateParams, options: EngineOptions = {}): Promise<EvaluationResult> {
  const run = await loadRun(params.runDirectory);
  await activateBackend(params.backend, "inference");
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
  await activateBackend(params.backend, "inference");
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
