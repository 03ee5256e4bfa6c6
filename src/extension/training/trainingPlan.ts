/**
 * What one Train press runs: the learner's model, compile and fit specs (from their file, or the
 * lesson's defaults for what the file does not say), on the lesson's dataset or the one the
 * workspace settings name, with the input layer adapted to that dataset's images. No 'vscode'
 * import: unit-tested.
 */
import type { GridSearchInfo } from "../../checker";
import type { CompileSpec, DatasetName, DatasetRef, FitSpec, LayerSpec, ModelSpec } from "../../protocol/modelSpec";
import { findAccuracyMetric, type SweepComparisonRow } from "../../protocol/panels";
import type { EpochLogs } from "../../protocol/training";
import { DISPLAY_NAMES, IMAGE_SHAPES } from "../../protocol/datasets";

export interface TrainingOverrides {
  /** `dlLessons.trainDataset`: "lesson" or a dataset to use instead of the lesson's. */
  dataset: "lesson" | DatasetName;
  /** `dlLessons.trainLimit`: training images to use, 0 for all. */
  trainLimit: number;
  /** `dlLessons.maxEpochs`: at most this many epochs, 0 for what the code says. */
  maxEpochs: number;
  /** Why `dataset` is used instead of the lesson's, e.g. "you chose Fashion-MNIST for this workspace"; said in the adjustments. */
  datasetWhy?: string;
}

export interface TrainingPlan {
  label: string;
  model: ModelSpec;
  compile: CompileSpec;
  fit: FitSpec;
  dataset: DatasetRef;
  /** What the plan changed from the learner's code, one sentence each, for the log and the notification. */
  adjustments: string[];
}

/** The lesson's train/validation split seed (`train_test_split(..., random_state=42)`). */
const SPLIT_SEED = 42;

export function planTraining(
  label: string,
  model: ModelSpec,
  compile: CompileSpec,
  fit: FitSpec,
  lessonDataset: DatasetName,
  overrides: TrainingOverrides,
): TrainingPlan {
  const adjustments: string[] = [];
  const datasetName = overrides.dataset === "lesson" ? lessonDataset : overrides.dataset;
  const imageShape = IMAGE_SHAPES[datasetName];
  const input = model.layers[0];
  let adaptedModel = model;
  if (input?.class_name === "InputLayer" && input.config.shape.join("x") !== imageShape.join("x")) {
    const adapted: LayerSpec = { ...input, config: { shape: [...imageShape] } };
    adaptedModel = { ...model, layers: [adapted, ...model.layers.slice(1)] };
    adjustments.push(
      `The model's input is ${input.config.shape.join("×")}; ${DISPLAY_NAMES[datasetName]} images are ${imageShape.join("×")}, so the input layer takes that shape (${overrides.datasetWhy || `the settings chose ${DISPLAY_NAMES[datasetName]}`}).`,
    );
  }
  let epochs = fit.epochs;
  if (overrides.maxEpochs > 0 && fit.epochs > overrides.maxEpochs) {
    epochs = overrides.maxEpochs;
    adjustments.push(`Training ${epochs} epoch${epochs === 1 ? "" : "s"} instead of ${fit.epochs} (setting dlLessons.maxEpochs).`);
  }
  const dataset: DatasetRef = { name: datasetName, splitSeed: SPLIT_SEED };
  if (overrides.trainLimit > 0) {
    dataset.trainLimit = overrides.trainLimit;
    // The test set shrinks in proportion, so evaluating a quick run is quick too.
    dataset.testLimit = Math.max(100, Math.round(overrides.trainLimit / 5));
    adjustments.push(`Using the first ${overrides.trainLimit.toLocaleString("en-US")} training images (setting dlLessons.trainLimit).`);
  }
  return { label, model: adaptedModel, compile, fit: { ...fit, epochs }, dataset, adjustments };
}

/**
 * What tells the models of a sweep apart, one short label each (`Dropout rate 0.3`,
 * `Conv2D activation tanh`): the layer arguments whose values differ between the runs, as the
 * lesson's loops vary them. Empty labels when the models are all alike.
 */
export function sweepLabels(models: readonly ModelSpec[]): string[] {
  const differences: { layer: number; key: string }[] = [];
  const first = models[0];
  first?.layers.forEach((layer, index) => {
    for (const key of Object.keys(layer.config)) {
      const values = models.map((model) => JSON.stringify((model.layers[index]?.config as Record<string, unknown> | undefined)?.[key]));
      if (new Set(values).size > 1) differences.push({ layer: index, key });
    }
  });
  // A value changed in several layers at once (an activation used throughout) is named once.
  const seenKeys = new Set<string>();
  const named = differences.filter(({ layer, key }) => {
    const id = `${first?.layers[layer]?.class_name}.${key}`;
    if (seenKeys.has(id)) return false;
    seenKeys.add(id);
    return true;
  });
  return models.map((model) =>
    named
      .map(({ layer, key }) => {
        const spec = model.layers[layer];
        const value = (spec?.config as Record<string, unknown> | undefined)?.[key];
        return `${spec?.class_name ?? "layer"} ${key} ${Array.isArray(value) ? value.join("×") : String(value)}`;
      })
      .join(", "),
  );
}

/** A GridSearchCV of the learner's file, ready to run: one plan per combination, scored over `folds` folds. */
export interface GridSearchPlan {
  /** The grid's parameter names, the comparison table's heading, e.g. "optimizer". */
  parameter: string;
  folds: number;
  /** Each labelled by its values in the grid, e.g. "Adam". */
  plans: TrainingPlan[];
}

export function planGridSearch(grid: Pick<GridSearchInfo, "cv" | "runs">, lessonDataset: DatasetName, overrides: TrainingOverrides): GridSearchPlan {
  const keys = [...new Set(grid.runs.flatMap((run) => Object.keys(run.params)))];
  const plans = grid.runs.map((run) => planTraining(keys.map((key) => String(run.params[key])).join(", "), run.model, run.compile, run.fit, lessonDataset, overrides));
  return { parameter: keys.join(", ") || "variant", folds: grid.cv, plans };
}

/**
 * The parameter a sweep varies and each run's value, from its labels (`Dropout rate 0.3` →
 * "Dropout rate", "0.3"). When the runs differ in more than one thing, each run's whole label is
 * its value and the parameter is "variant".
 */
export function sweepParameter(labels: readonly string[]): { parameter: string; values: string[] } {
  const split = labels.map((label) => {
    const space = label.lastIndexOf(" ");
    return space > 0 && !label.includes(",") ? { parameter: label.slice(0, space), value: label.slice(space + 1) } : undefined;
  });
  const first = split[0]?.parameter;
  if (first !== undefined && split.every((part) => part?.parameter === first)) return { parameter: first, values: split.map((part) => part?.value ?? "") };
  return { parameter: "variant", values: labels.map((label, index) => label || `run ${index + 1}`) };
}

/** One row of the sweep's comparison chart: the last epoch's validation loss and accuracy of a finished run. */
export function sweepComparisonRow(runId: string, value: string, history: readonly EpochLogs[]): SweepComparisonRow {
  const last = history.at(-1)?.metrics ?? {};
  const accuracyKey = findAccuracyMetric(Object.keys(last), true);
  const valLoss = last["val_loss"];
  const valAccuracy = accuracyKey === undefined ? undefined : last[accuracyKey];
  return { runId, value, ...(valLoss === undefined ? {} : { valLoss }), ...(valAccuracy === undefined ? {} : { valAccuracy }) };
}
