/**
 * Hyperparameter sweeps as the lesson's episode 6 runs them: a list of variants of one model
 * trained in sequence (the dropout-rate loop, the activation-function loop), and a grid search
 * scored by k-fold cross-validation (GridSearchCV over optimizers, cv=3). Each sweep returns
 * every run's history and a comparison table: parameter value → val_loss, val_accuracy.
 */
import * as path from "node:path";
import type { ActivationName, CompileSpec, DatasetRef, FitSpec, ModelSpec, OptimizerSpec } from "../protocol/modelSpec";
import { formatTrainingNumber, type BackendPreference, type EpochLogs, type SweepResult, type SweepRow, type TrainingEvent, type TrainResult } from "../protocol/training";
import { seededPermutation, subset, type ImageSet, type LoadedDataset } from "./datasets";
import { activateBackend, fitAndSaveRun, loadDatasetFor, trainRun } from "./engine";
import { conv2d, dense, dropoutModel, flatten, input, introModel, maxPooling2d, sequentialSpec } from "./models";
import { TrainingDivergedError } from "./errors";
import { newRunId } from "./runs";
import { normalizeCompileSpec, normalizeFitSpec, normalizeModelSpec } from "./spec";

export type { SweepResult, SweepRow } from "../protocol/training";

export interface SweepVariant {
  /** What is varied and its value, e.g. `dropout_rate` = 0.3. */
  parameter: string;
  value: string | number;
  /** The runs' label; `<parameter> <value>` when absent. */
  label?: string;
  model: ModelSpec;
  compile: CompileSpec;
  fit: FitSpec;
}

export interface SweepSetup {
  dataset: DatasetRef;
  dataDirectory: string;
  /** Each run is saved in its own folder here. */
  runsDirectory: string;
  backend: BackendPreference;
  /** Every run's `started`, `batch` and `epoch` events, each run with its own runId and label. */
  onEvent?: (event: TrainingEvent) => void;
  /** Called when a run has ended and is saved, with the index of its variant. */
  onRunFinished?: (variant: number, label: string, result: TrainResult) => void;
  signal?: AbortSignal;
}

function accuracyOf(metrics: Record<string, number>, prefix: string): number {
  return metrics[`${prefix}categorical_accuracy`] ?? metrics[`${prefix}accuracy`] ?? Number.NaN;
}

function labelOf(variant: SweepVariant): string {
  return variant.label ?? `${variant.parameter} ${variant.value}`;
}

export function comparisonTable(rows: SweepRow[], best?: SweepRow): string {
  const parameter = rows[0]?.parameter ?? "value";
  const width = Math.max(parameter.length, ...rows.map((r) => String(r.value).length));
  const lines = [`${parameter.padEnd(width)}  val_loss  val_accuracy`];
  for (const row of rows) {
    const mark = row === best && rows.length > 1 ? "  <- best (lowest val_loss)" : "";
    lines.push(`${String(row.value).padEnd(width)}  ${formatTrainingNumber(row.valLoss).padStart(8)}  ${formatTrainingNumber(row.valAccuracy).padStart(12)}${mark}`);
  }
  return lines.join("\n");
}

/**
 * A variant whose loss became NaN (a learning rate too high, say) is one row of the comparison
 * with a NaN val_loss, never the best, not the end of the sweep; its run is saved as "diverged".
 */
async function divergedAsNaN(run: Promise<TrainResult>, setup: SweepSetup): Promise<TrainResult | { status: "diverged"; runDirectory: string; history: EpochLogs[] }> {
  try {
    return await run;
  } catch (error) {
    if (!(error instanceof TrainingDivergedError)) throw error;
    setup.onEvent?.({ kind: "log", runId: path.basename(error.runDirectory), level: "warning", message: error.message });
    const nan = (logs: EpochLogs): EpochLogs => ({ ...logs, metrics: { ...logs.metrics, val_loss: Number.NaN } });
    return { status: "diverged", runDirectory: error.runDirectory, history: error.history.map((logs, i) => (i === error.history.length - 1 ? nan(logs) : logs)) };
  }
}

function result(rows: SweepRow[], cancelled: boolean): SweepResult {
  // A NaN loss (a diverged run) never counts as the best.
  const scored = rows.filter((row) => Number.isFinite(row.valLoss));
  const best = scored.length > 0 ? scored.reduce((a, b) => (b.valLoss < a.valLoss ? b : a)) : undefined;
  return { rows, ...(best ? { best } : {}), table: comparisonTable(rows, best), status: cancelled ? "cancelled" : "completed" };
}

/** Trains each variant in turn with the lesson's validation split, one saved run each. Stops early when cancelled. */
export async function runSweep(variants: SweepVariant[], setup: SweepSetup): Promise<SweepResult> {
  const dataset = await loadDatasetFor(setup, { signal: setup.signal, ...(setup.onEvent ? { onEvent: setup.onEvent } : {}) });
  const rows: SweepRow[] = [];
  for (const [index, variant] of variants.entries()) {
    const label = labelOf(variant);
    const run = await divergedAsNaN(trainRun(
      {
        model: variant.model,
        compile: variant.compile,
        fit: variant.fit,
        dataset: setup.dataset,
        dataDirectory: setup.dataDirectory,
        // The number first keeps the folders in training order when several start within a second.
        runDirectory: path.join(setup.runsDirectory, newRunId(`${String(index + 1).padStart(2, "0")} ${label}`)),
        backend: setup.backend,
        label,
      },
      { dataset, ...(setup.onEvent ? { onEvent: setup.onEvent } : {}), signal: setup.signal },
    ), setup);
    if (run.status !== "diverged") setup.onRunFinished?.(index, label, run);
    if (run.status === "cancelled") return result(rows, true);
    const last = run.history[run.history.length - 1]?.metrics ?? {};
    rows.push({ parameter: variant.parameter, value: variant.value, valLoss: last["val_loss"] ?? Number.NaN, valAccuracy: accuracyOf(last, "val_"), history: run.history, runDirectories: [run.runDirectory] });
  }
  return result(rows, false);
}

/**
 * Scores each variant by k-fold cross-validation on the training set, as GridSearchCV does: the
 * set is shuffled once and cut into `folds` parts; each part is held out once while the model
 * trains on the others, and is its validation data. The score is the mean over the folds of the
 * last epoch's validation numbers. Each fold is saved as a run (without a test-set evaluation:
 * the search never looks at the test set).
 */
export async function gridSearchCV(variants: SweepVariant[], setup: SweepSetup & { folds: number; seed?: number }, loaded?: LoadedDataset): Promise<SweepResult> {
  if (!Number.isInteger(setup.folds) || setup.folds < 2) throw new RangeError("Cross-validation needs at least 2 folds.");
  const backend = await activateBackend(setup.backend);
  const dataset = loaded ?? (await loadDatasetFor(setup, { signal: setup.signal, ...(setup.onEvent ? { onEvent: setup.onEvent } : {}) }));
  const order = seededPermutation(dataset.train.count, setup.seed ?? 42);
  const foldSize = Math.ceil(order.length / setup.folds);
  const emit = (event: TrainingEvent) => setup.onEvent?.(event);
  const rows: SweepRow[] = [];
  for (const [index, variant] of variants.entries()) {
    const losses: number[] = [];
    const accuracies: number[] = [];
    const history: EpochLogs[] = [];
    const runDirectories: string[] = [];
    for (let fold = 0; fold < setup.folds; fold++) {
      const label = `${labelOf(variant)} · fold ${fold + 1}/${setup.folds}`;
      const heldOut = subset(dataset.train, order.subarray(fold * foldSize, Math.min(order.length, (fold + 1) * foldSize)));
      const train = subset(dataset.train, Uint32Array.from([...order.subarray(0, fold * foldSize), ...order.subarray((fold + 1) * foldSize)]));
      const run = await divergedAsNaN(trainFold(variant, label, train, heldOut, dataset, setup, backend, emit), setup);
      if (run.status !== "diverged") setup.onRunFinished?.(index, label, run);
      if (run.status === "cancelled") return result(rows, true);
      history.push(...run.history);
      runDirectories.push(run.runDirectory);
      const last = run.history[run.history.length - 1]?.metrics ?? {};
      losses.push(last["val_loss"] ?? Number.NaN);
      accuracies.push(accuracyOf(last, "val_"));
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    rows.push({ parameter: variant.parameter, value: variant.value, valLoss: mean(losses), valAccuracy: mean(accuracies), history, runDirectories });
  }
  return result(rows, false);
}

/** One fold of a grid search: trains on `train`, validates on the held-out fold each epoch, saves the run. */
async function trainFold(
  variant: SweepVariant,
  label: string,
  train: ImageSet,
  heldOut: ImageSet,
  dataset: LoadedDataset,
  setup: SweepSetup,
  backend: TrainResult["backend"],
  emit: (event: TrainingEvent) => void,
): Promise<TrainResult> {
  return fitAndSaveRun(
    {
      runDirectory: path.resolve(setup.runsDirectory, newRunId(label)),
      label,
      model: normalizeModelSpec(variant.model),
      compile: normalizeCompileSpec(variant.compile),
      // The held-out fold is the validation data; there is no further split.
      fit: { ...normalizeFitSpec(variant.fit), validation: { kind: "none" as const } },
      datasetRef: setup.dataset,
      dataset,
      train,
      validation: heldOut,
      backend,
    },
    { emit, signal: setup.signal, batchIntervalMs: 200 },
  );
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
