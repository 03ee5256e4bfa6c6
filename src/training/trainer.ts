/**
 * The fit loop: our own batching over uint8 image sets (each batch normalised on its own, never
 * the whole set as float32), Keras's history names, throttled progress, and cancellation between
 * batches. One step is `model.trainOnBatch`, so the compiled loss, metrics and optimizer are the
 * ones `compile()` set up.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { FitSpec } from "../protocol/modelSpec";
import type { EpochLogs } from "../protocol/training";
import { batchTensors, seededPermutation, type ImageSet } from "./datasets";
import type { CompiledModel } from "./kerasToTfjs";

export interface BatchProgress {
  epoch: number;
  /** 1-based number of the batch just finished. */
  batch: number;
  batchesPerEpoch: number;
  /** Running means over the epoch so far, Keras's names. */
  metrics: Record<string, number>;
  imagesPerSecond: number;
  etaSeconds: number;
}

export interface EpochProgress extends EpochLogs {
  epochs: number;
  etaSeconds: number;
}

export interface FitOptions {
  compiled: CompiledModel;
  train: ImageSet;
  validation?: ImageSet | undefined;
  imageShape: [number, number, number];
  numClasses: number;
  fit: FitSpec;
  /** Seed of the per-epoch shuffles. */
  seed?: number;
  signal?: AbortSignal | undefined;
  onBatch?: (progress: BatchProgress) => void;
  onEpoch?: (progress: EpochProgress) => void;
  /** Awaited after each epoch (the run journal saves it here) before the next one starts. */
  afterEpoch?: (history: EpochLogs[]) => Promise<void>;
  /** Least time between two `onBatch` calls (the last batch of an epoch is always reported). */
  batchIntervalMs?: number;
  /** Steps taken elsewhere (the GPU trainer's webview) instead of on `compiled.model`. */
  remote?: RemoteStepper | undefined;
}

/**
 * A model trained outside this process (src/training/gpuRelay.ts): each batch goes there as
 * bytes and its loss and metrics come back; `pullWeights` copies its weights into
 * `compiled.model` before that is validated, saved or stopped.
 */
export interface RemoteStepper {
  trainBatch(set: ImageSet, indices: ArrayLike<number>): Promise<{ values: number[]; finite: boolean }>;
  pullWeights(): Promise<void>;
}

export interface FitResult {
  /** Finished epochs; when the run diverged, the last entry is the epoch it diverged in, cut short. */
  history: EpochLogs[];
  cancelled: boolean;
  /** Where the loss first became NaN or infinite; training stopped there. */
  diverged?: { epoch: number; batch: number };
}

/** Images per forward pass when only predicting (validation, evaluation). */
export const EVALUATION_BATCH = 256;

/** Lets queued I/O (a JSON-RPC cancel, a progress write) run: wasm steps never yield on their own. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `x` in [0, 1] and labels in the form the compiled loss wants (one-hot, or class indices). */
export function batchFor(compiled: CompiledModel, set: ImageSet, imageShape: [number, number, number], indices: ArrayLike<number>, numClasses: number): { x: tf.Tensor4D; y: tf.Tensor } {
  const batch = batchTensors(set, imageShape, indices, numClasses);
  if (!compiled.sparseLabels) return batch;
  const y = tf.tidy(() => tf.cast(tf.argMax(batch.y, 1), "float32"));
  batch.y.dispose();
  return { x: batch.x, y };
}

function range(start: number, end: number): Uint32Array {
  const out = new Uint32Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

/** Mean loss and metrics over a whole set, in batches, with the compiled loss and metrics. */
export async function evaluateLoss(compiled: CompiledModel, set: ImageSet, imageShape: [number, number, number], numClasses: number): Promise<number[]> {
  const sums = new Array<number>(1 + compiled.metricNames.length).fill(0);
  for (let start = 0; start < set.count; start += EVALUATION_BATCH) {
    const indices = range(start, Math.min(set.count, start + EVALUATION_BATCH));
    const { x, y } = batchFor(compiled, set, imageShape, indices, numClasses);
    const result = compiled.model.evaluate(x, y, { batchSize: indices.length });
    const scalars = Array.isArray(result) ? result : [result];
    const values = await Promise.all(scalars.map(async (s) => (await s.data())[0]!));
    values.forEach((value, i) => (sums[i]! += value * indices.length));
    tf.dispose([x, y, ...scalars]);
    await yieldToEventLoop();
  }
  return sums.map((sum) => sum / Math.max(1, set.count));
}

/**
 * Whether the model's weights are finite numbers (one sum per weight, read back as one scalar).
 * `"output"` checks only the last layer's, which is cheap enough for every step: weights that
 * overflowed anywhere make the output layer's gradient, and so its weights, NaN one step later.
 */
export function weightsFinite(model: CompiledModel["model"], which: "all" | "output" = "all"): boolean {
  const weights = which === "all" ? model.trainableWeights : (model.layers.filter((layer) => layer.trainableWeights.length > 0).at(-1)?.trainableWeights ?? []);
  const total = tf.tidy(() => {
    const sums = weights.map((weight) => tf.sum(weight.read()));
    return sums.length === 0 ? tf.scalar(0) : tf.addN(sums);
  });
  const finite = Number.isFinite(total.dataSync()[0]!);
  total.dispose();
  return finite;
}

/** Trains `fit.epochs` epochs. Resolves with `cancelled: true` (history of finished epochs) when aborted. */
export async function fitModel(options: FitOptions): Promise<FitResult> {
  const { compiled, train, validation, imageShape, numClasses, fit, signal } = options;
  const batchSize = fit.batch_size;
  const batchesPerEpoch = Math.ceil(train.count / batchSize);
  const names = ["loss", ...compiled.metricNames];
  const history: EpochLogs[] = [];
  const interval = options.batchIntervalMs ?? 200;
  const runStart = performance.now();
  let imagesDone = 0;

  for (let epoch = 1; epoch <= fit.epochs; epoch++) {
    const order = fit.shuffle ? seededPermutation(train.count, (options.seed ?? 42) + epoch) : range(0, train.count);
    const sums = new Array<number>(names.length).fill(0);
    let seen = 0;
    const epochStart = performance.now();
    let lastReport = -Infinity;
    for (let batch = 0; batch < batchesPerEpoch; batch++) {
      if (signal?.aborted) {
        await options.remote?.pullWeights();
        return { history, cancelled: true };
      }
      const indices = order.subarray(batch * batchSize, Math.min(train.count, (batch + 1) * batchSize));
      const lastOfEpoch = batch === batchesPerEpoch - 1;
      // tfjs clips a NaN probability to its bound, so the loss can stay finite after the weights
      // overflowed; Keras would print nan then, and so do we.
      // Every step looks at the output layer; the last step of an epoch, before it is saved, at all.
      let values: number[];
      if (options.remote) {
        const step = await options.remote.trainBatch(train, indices);
        values = step.values;
        if (lastOfEpoch && step.finite) await options.remote.pullWeights();
        if (Number.isFinite(values[0]!) && (!step.finite || (lastOfEpoch && !weightsFinite(compiled.model, "all")))) values[0] = Number.NaN;
      } else {
        const { x, y } = batchFor(compiled, train, imageShape, indices, numClasses);
        try {
          const result = await compiled.model.trainOnBatch(x, y);
          values = Array.isArray(result) ? result : [result];
        } finally {
          tf.dispose([x, y]);
        }
        if (Number.isFinite(values[0]!) && !weightsFinite(compiled.model, lastOfEpoch ? "all" : "output")) values[0] = Number.NaN;
      }
      values.forEach((value, i) => (sums[i]! += value * indices.length));
      seen += indices.length;
      imagesDone += indices.length;
      const now = performance.now();
      // A NaN or infinite loss never comes back: stop, and report the epoch so far as it stands.
      const diverged = !Number.isFinite(values[0]!);
      const last = batch === batchesPerEpoch - 1 || diverged;
      if (options.onBatch && (now - lastReport >= interval || last)) {
        lastReport = now;
        const imagesPerSecond = seen / ((now - epochStart) / 1000);
        const remaining = (fit.epochs - epoch) * train.count + (train.count - seen);
        options.onBatch({
          epoch,
          batch: batch + 1,
          batchesPerEpoch,
          metrics: Object.fromEntries(names.map((name, i) => [name, sums[i]! / seen])),
          imagesPerSecond,
          etaSeconds: remaining / (imagesDone / ((now - runStart) / 1000)),
        });
      }
      if (diverged) {
        const seconds = (now - epochStart) / 1000;
        const logs: EpochLogs = { epoch, metrics: Object.fromEntries(names.map((name, i) => [name, sums[i]! / seen])), imagesPerSecond: seen / seconds, seconds };
        history.push(logs);
        options.onEpoch?.({ ...logs, epochs: fit.epochs, etaSeconds: 0 });
        return { history, cancelled: false, diverged: { epoch, batch: batch + 1 } };
      }
      await yieldToEventLoop();
    }
    const trainSeconds = (performance.now() - epochStart) / 1000;
    const metrics: Record<string, number> = Object.fromEntries(names.map((name, i) => [name, sums[i]! / seen]));
    if (validation && validation.count > 0) {
      if (signal?.aborted) return { history, cancelled: true };
      const validationValues = await evaluateLoss(compiled, validation, imageShape, numClasses);
      names.forEach((name, i) => (metrics[`val_${name}`] = validationValues[i]!));
    }
    const seconds = (performance.now() - epochStart) / 1000;
    const logs: EpochLogs = { epoch, metrics, imagesPerSecond: seen / trainSeconds, seconds };
    history.push(logs);
    const elapsed = (performance.now() - runStart) / 1000;
    options.onEpoch?.({ ...logs, epochs: fit.epochs, etaSeconds: (elapsed / epoch) * (fit.epochs - epoch) });
    await options.afterEpoch?.(history);
  }
  return { history, cancelled: false };
}
