import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import {
  estimateIsReady,
  BATCHES_BEFORE_ESTIMATE,
  runProgress,
  sweepTimeLeft,
  confusionWebviewMessageSchema,
  DatasetChoiceCommandSchema,
  SummaryWebviewPersistedStateSchema,
} from "../../src/protocol/panels";
import { sweepComparisonRow, sweepLabels, sweepParameter } from "../../src/extension/training/trainingPlan";
import { bestComparisonRow } from "../../webview/curves/series";
import { dropoutModel } from "../../src/training/models";
import type { EvaluationResult } from "../../src/protocol/training";
import { cellPage } from "../../src/extension/panels/viewStates";
import { cellPageWords } from "../../webview/confusion/model";

/** Ten test images of three classes: true labels, what the model predicted and how sure it was. */
const outcomes = {
  trueLabels: [0, 1, 0, 2, 0, 1, 0, 0, 2, 0],
  predictedLabels: [1, 1, 1, 2, 0, 1, 1, 0, 2, 1],
  topProbabilities: [0.6, 0.9, 0.55, 0.8, 0.7, 0.95, 0.51, 0.99, 0.85, 0.4],
};

function evaluation(withOutcomes: boolean): Pick<EvaluationResult, "outcomes" | "predictions" | "confusionMatrix"> {
  const matrix = [0, 1, 2].map((t) => [0, 1, 2].map((p) => outcomes.trueLabels.filter((label, i) => label === t && outcomes.predictedLabels[i] === p).length));
  return {
    confusionMatrix: matrix,
    // Old evaluations kept only their first few predictions.
    predictions: outcomes.trueLabels.slice(0, 3).map((trueLabel, index) => ({ index, trueLabel, top: [{ label: outcomes.predictedLabels[index]!, probability: outcomes.topProbabilities[index]! }] })),
    ...(withOutcomes ? { outcomes } : {}),
  };
}

describe("confusion-matrix drill-down", () => {
  it("a cell lists every test image that fell into it, with its probability, as many as its count", () => {
    const result = evaluation(true);
    const page = cellPage(result, 0, 1, 0, 48);
    assert.deepEqual(page.indices, [0, 2, 6, 9]);
    assert.deepEqual(page.probabilities, [0.6, 0.55, 0.51, 0.4]);
    assert.equal(page.total, result.confusionMatrix[0]![1]);
    assert.equal(page.indices.length, page.total);
  });

  it("pages through a cell larger than a page, and clamps a page past the end to the last image", () => {
    const result = evaluation(true);
    assert.deepEqual(cellPage(result, 0, 1, 0, 3).indices, [0, 2, 6]);
    const second = cellPage(result, 0, 1, 3, 3);
    assert.deepEqual(second.indices, [9]);
    assert.equal(second.offset, 3);
    assert.deepEqual(cellPage(result, 0, 1, 50, 3).indices, [9]);
    assert.deepEqual(cellPage(result, 2, 0, 0, 3), { indices: [], probabilities: [], total: 0, offset: 0 });
  });

  it("an evaluation without per-image outcomes still shows what it has, and the cell's true count", () => {
    const page = cellPage(evaluation(false), 0, 1, 0, 48);
    assert.deepEqual(page.indices, [0, 2]);
    assert.equal(page.total, 4, "the count comes from the matrix");
  });

  it("says which images of the cell are shown and whether there are more pages", () => {
    assert.equal(cellPageWords(0, 0, 0).text, "No test image fell into this cell.");
    const all = cellPageWords(4, 0, 4);
    assert.match(all.text, /^4 test images\./);
    assert.equal(all.hasNext, false);
    const middle = cellPageWords(124, 48, 48);
    assert.match(middle.text, /^Test images 49–96 of 124\./);
    assert.deepEqual([middle.hasPrevious, middle.hasNext], [true, true]);
    const last = cellPageWords(124, 96, 28);
    assert.deepEqual([last.hasPrevious, last.hasNext], [true, false]);
  });

  it("the host accepts a page request only with a whole, non-negative offset", () => {
    const request = { type: "cellImages", requestId: 1, trueLabel: 0, predictedLabel: 1 };
    assert.ok(v.is(confusionWebviewMessageSchema(10), request));
    assert.ok(v.is(confusionWebviewMessageSchema(10), { ...request, offset: 48 }));
    assert.ok(!v.is(confusionWebviewMessageSchema(10), { ...request, offset: -1 }));
    assert.ok(!v.is(confusionWebviewMessageSchema(10), { ...request, offset: 1.5 }));
    assert.ok(!v.is(confusionWebviewMessageSchema(10), { ...request, offset: "48" }));
  });
});

describe("honest progress", () => {
  it("counts the finished batches of the whole run, the same for the monitor and the status bar", () => {
    assert.equal(runProgress(0, 4, 0, 10), 0);
    assert.equal(runProgress(2, 4, 5, 10), 15 / 40);
    assert.equal(runProgress(4, 4, 10, 10), 1);
    assert.equal(runProgress(1, 0, 0, 0), 0);
  });

  it("gives no time left until a few batches have run", () => {
    assert.equal(estimateIsReady(1, 1, 100, 3400), false, "the first batch compiles kernels: no estimate from it");
    assert.equal(estimateIsReady(1, BATCHES_BEFORE_ESTIMATE - 1, 100, 400), false);
    assert.equal(estimateIsReady(1, BATCHES_BEFORE_ESTIMATE, 100, 400), true);
    assert.equal(estimateIsReady(2, 0, 5, 40), true, "a short epoch that has ended is enough");
    assert.equal(estimateIsReady(3, 4, 100, Number.NaN), false);
  });
});

describe("messages of the dataset choice and the summary", () => {
  it("the monitor's dataset buttons name a known dataset and action", () => {
    assert.ok(v.is(DatasetChoiceCommandSchema, { type: "datasetChoice", action: "use", dataset: "fashion-mnist" }));
    assert.ok(v.is(DatasetChoiceCommandSchema, { type: "datasetChoice", action: "download", dataset: "cifar10" }));
    assert.ok(!v.is(DatasetChoiceCommandSchema, { type: "datasetChoice", action: "use", dataset: "imagenet" }));
    assert.ok(!v.is(DatasetChoiceCommandSchema, { type: "datasetChoice", action: "delete", dataset: "mnist" }));
  });

  it("a summary restored after a reload keeps its notes, and bad notes are refused", () => {
    const summary = { modelName: "m", rows: [], totalParams: 0, trainableParams: 0, nonTrainableParams: 0, text: "" };
    assert.ok(v.is(SummaryWebviewPersistedStateSchema, { source: "s", summary }));
    assert.ok(v.is(SummaryWebviewPersistedStateSchema, { source: "s", summary, notes: ["Trained on Fashion-MNIST."] }));
    assert.ok(!v.is(SummaryWebviewPersistedStateSchema, { source: "s", summary, notes: [3] }));
  });
});

describe("sweeps", () => {
  it("names the swept parameter and each run's value from the models themselves", () => {
    const rates = [0.15, 0.3, 0.45];
    const labels = sweepLabels(rates.map((rate) => dropoutModel([32, 32, 3], rate)));
    assert.deepEqual(sweepParameter(labels), { parameter: "Dropout rate", values: ["0.15", "0.3", "0.45"] });
    assert.deepEqual(sweepParameter(["Conv2D activation tanh, Dense activation tanh", "Conv2D activation relu, Dense activation relu"]).parameter, "variant");
  });

  it("a comparison row is the last epoch's validation loss and accuracy, whatever the accuracy is called", () => {
    const history = [
      { epoch: 1, metrics: { loss: 2, val_loss: 1.9, val_categorical_accuracy: 0.3 }, imagesPerSecond: 1, seconds: 1 },
      { epoch: 2, metrics: { loss: 1.5, val_loss: 1.4, val_categorical_accuracy: 0.5 }, imagesPerSecond: 1, seconds: 1 },
    ];
    assert.deepEqual(sweepComparisonRow("r1", "0.3", history), { runId: "r1", value: "0.3", valLoss: 1.4, valAccuracy: 0.5 });
    assert.deepEqual(sweepComparisonRow("r2", "0.6", []), { runId: "r2", value: "0.6" }, "a run stopped before its first epoch has no point");
    assert.equal(bestComparisonRow([{ runId: "a", valLoss: 1.2 }, { runId: "b" }, { runId: "c", valLoss: 0.9 }, { runId: "d", valLoss: 0.9 }])?.runId, "c");
  });

  it("time left covers the whole sweep: the runs after this one at the pace of those done", () => {
    assert.equal(sweepTimeLeft({ run: 2, runs: 5, secondsPerRun: 60 }, 30, 0.5), 30 + 3 * 60);
    // During the first run: 30 s left at halfway means a run takes 60 s.
    assert.equal(sweepTimeLeft({ run: 1, runs: 5 }, 30, 0.5), 30 + 4 * 60);
    assert.equal(sweepTimeLeft({ run: 5, runs: 5, secondsPerRun: 60 }, 10, 0.9), 10);
  });
});
