/**
 * Hyperparameter sweeps as the lesson's episode 6 runs them: a list of variants of one model
 * trained in sequence (the dropout-rate loop, the activation-function loop), and a grid search
 * scored by k-fold cross-validation (GridSearchCV over optimizers, cv=3). Each sweep returns
 * every run's history and a comparison table: parameter value → val_loss, val_accuracy.
 */
import * as path from "node:path";
import type { ActivationName, CompileSpec, DatasetRef, FitSpec, ModelSpec, OptimizerSpec } from "../protocol/modelSpec";
import type { BackendPreference, EpochLogs, TrainingEvent } from "../protocol/training";
import { selectBackend } from "./backends";
import { seededPermutation, subset, type LoadedDataset } from "./datasets";
import { loadDatasetFor, trainRun } from "./engine";
import { compileModel } from "./kerasToTfjs";
import { conv2d, dense, dropoutModel, flatten, input, introModel, maxPooling2d, sequentialSpec } from "./models";
import { normalizeCompileSpec, normalizeFitSpec } from "./spec";
import { evaluateLoss, fitModel } from "./trainer";

export interface SweepVariant {
  /** What is varied and its value, e.g. `dropout_rate` = 0.3. */
  parameter: string;
  value: string | number;
  model: ModelSpec;
  compile: CompileSpec;
  fit: FitSpec;
}

export interface SweepRow {
  parameter: string;
  value: string | number;
  /** Final epoch's validation loss and accuracy (for grid search: mean over the folds). */
  valLoss: number;
  valAccuracy: number;
  history: EpochLogs[];
  runDirectory?: string;
}

export interface SweepResult {
  rows: SweepRow[];
  /** The row with the lowest validation loss. */
  best: SweepRow;
  table: string;
}

export interface SweepSetup {
  dataset: DatasetRef;
  dataDirectory: string;
  backend: BackendPreference;
  onEvent?: (event: TrainingEvent) => void;
  signal?: AbortSignal;
}

function accuracyOf(metrics: Record<string, number>, prefix: string): number {
  return metrics[`${prefix}categorical_accuracy`] ?? metrics[`${prefix}accuracy`] ?? Number.NaN;
}

export function comparisonTable(rows: SweepRow[]): string {
  const parameter = rows[0]?.parameter ?? "value";
  const width = Math.max(parameter.length, ...rows.map((r) => String(r.value).length));
  const lines = [`${parameter.padEnd(width)}  val_loss  val_accuracy`];
  for (const row of rows) lines.push(`${String(row.value).padEnd(width)}  ${row.valLoss.toFixed(4).padStart(8)}  ${row.valAccuracy.toFixed(4).padStart(12)}`);
  return lines.join("\n");
}

function result(rows: SweepRow[]): SweepResult {
  const best = rows.reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
  return { rows, best, table: comparisonTable(rows) };
}

/** Trains each variant in turn (one saved run each, under `runsDirectory`). Stops early when cancelled. */
export async function runSweep(variants: SweepVariant[], setup: SweepSetup & { runsDirectory: string }): Promise<SweepResult> {
  const dataset = await loadDatasetFor(setup, { signal: setup.signal, ...(setup.onEvent ? { onEvent: setup.onEvent } : {}) });
  const rows: SweepRow[] = [];
  for (const [index, variant] of variants.entries()) {
    const label = `${variant.parameter} ${variant.value}`;
    const run = await trainRun(
      {
        model: variant.model,
        compile: variant.compile,
        fit: variant.fit,
        dataset: setup.dataset,
        dataDirectory: setup.dataDirectory,
        runDirectory: path.join(setup.runsDirectory, `${String(index + 1).padStart(2, "0")}-${variant.parameter}-${variant.value}`.replace(/[^\w.-]+/g, "_")),
        backend: setup.backend,
        label,
      },
      { dataset, ...(setup.onEvent ? { onEvent: setup.onEvent } : {}), signal: setup.signal },
    );
    const last = run.history[run.history.length - 1]?.metrics ?? {};
    rows.push({ parameter: variant.parameter, value: variant.value, valLoss: last["val_loss"] ?? Number.NaN, valAccuracy: accuracyOf(last, "val_"), history: run.history, runDirectory: run.runDirectory });
    if (run.status === "cancelled") break;
  }
  return result(rows);
}

/**
 * Scores each variant by k-fold cross-validation on the training set, as GridSearchCV does: the
 * set is shuffled once and cut into `folds` parts; each part is held out once while the model
 * trains on the others. Nothing is saved; the score is the mean over the folds.
 */
export async function gridSearchCV(variants: SweepVariant[], setup: SweepSetup & { folds: number; seed?: number }, loaded?: LoadedDataset): Promise<SweepResult> {
  if (!Number.isInteger(setup.folds) || setup.folds < 2) throw new RangeError("Cross-validation needs at least 2 folds.");
  await selectBackend(setup.backend);
  const dataset = loaded ?? (await loadDatasetFor(setup, { signal: setup.signal }));
  const order = seededPermutation(dataset.train.count, setup.seed ?? 42);
  const foldSize = Math.ceil(order.length / setup.folds);
  const rows: SweepRow[] = [];
  for (const variant of variants) {
    const losses: number[] = [];
    const accuracies: number[] = [];
    const history: EpochLogs[] = [];
    for (let fold = 0; fold < setup.folds; fold++) {
      const heldOut = order.subarray(fold * foldSize, Math.min(order.length, (fold + 1) * foldSize));
      const rest = Uint32Array.from([...order.subarray(0, fold * foldSize), ...order.subarray((fold + 1) * foldSize)]);
      const compiled = compileModel(variant.model, normalizeCompileSpec(variant.compile));
      try {
        const fit = await fitModel({
          compiled,
          train: subset(dataset.train, rest),
          imageShape: dataset.imageShape,
          numClasses: dataset.classNames.length,
          fit: { ...normalizeFitSpec(variant.fit), validation: { kind: "none" } },
          signal: setup.signal,
        });
        history.push(...fit.history);
        if (fit.cancelled) return result(rows.length > 0 ? rows : [{ parameter: variant.parameter, value: variant.value, valLoss: Number.NaN, valAccuracy: Number.NaN, history }]);
        const [loss, ...metrics] = await evaluateLoss(compiled, subset(dataset.train, heldOut), dataset.imageShape, dataset.classNames.length);
        losses.push(loss!);
        accuracies.push(metrics[0] ?? Number.NaN);
      } finally {
        compiled.model.dispose();
        compiled.optimizer.dispose();
      }
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    rows.push({ parameter: variant.parameter, value: variant.value, valLoss: mean(losses), valAccuracy: mean(accuracies), history });
  }
  return result(rows);
}

const ADAM: CompileSpec = { optimizer: { name: "adam", learning_rate: 0.001 }, loss: "categorical_crossentropy", metrics: ["categorical_accuracy"] };

/** The lesson's dropout-rate loop: the dropout model at each rate. */
export function dropoutRateVariants(inputShape: number[], fit: FitSpec, rates: number[] = [0.15, 0.3, 0.45, 0.6, 0.75]): SweepVariant[] {
  return rates.map((rate) => ({ parameter: "dropout_rate", value: rate, model: { ...dropoutModel(inputShape, rate), name: "cifar_model_dropout_vary" }, compile: ADAM, fit }));
}

/** The intro model with LeakyReLU layers after its hidden layers, as `activation=keras.layers.LeakyReLU()` gives. */
function leakyIntroModel(inputShape: number[]): ModelSpec {
  return sequentialSpec("cifar_model_activation", [
    input(inputShape),
    conv2d(16, "linear"),
    { class_name: "LeakyReLU", config: { negative_slope: 0.3 } },
    maxPooling2d(),
    conv2d(32, "linear"),
    { class_name: "LeakyReLU", config: { negative_slope: 0.3 } },
    maxPooling2d(),
    flatten,
    dense(64, "linear"),
    { class_name: "LeakyReLU", config: { negative_slope: 0.3 } },
    dense(10, "softmax"),
  ]);
}

/** The lesson's activation-function loop over the intro model's hidden layers. */
export function activationVariants(inputShape: number[], fit: FitSpec, activations: (ActivationName | "leaky_relu")[] = ["relu", "sigmoid", "tanh", "selu", "leaky_relu"]): SweepVariant[] {
  return activations.map((activation) => ({
    parameter: "activation",
    value: activation,
    model: activation === "leaky_relu" ? leakyIntroModel(inputShape) : { ...introModel(inputShape, activation), name: "cifar_model_activation" },
    compile: ADAM,
    fit,
  }));
}

/** The lesson's grid search over optimizers with their Keras defaults. */
export function optimizerVariants(inputShape: number[], fit: FitSpec, optimizers: OptimizerSpec[] = [
  { name: "sgd", learning_rate: 0.01, momentum: 0 },
  { name: "rmsprop", learning_rate: 0.001 },
  { name: "adam", learning_rate: 0.001 },
]): SweepVariant[] {
  return optimizers.map((optimizer) => ({ parameter: "optimizer", value: optimizer.name, model: introModel(inputShape), compile: { ...ADAM, optimizer }, fit }));
}
