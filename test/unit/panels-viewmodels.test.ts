import { formatCount } from "../../webview/shared/format";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChallengeView, CurveRun, MonitorRunState, PredictionView } from "../../src/protocol/panels";
import { findAccuracyMetric } from "../../src/protocol/panels";
import { encodePanelImage } from "../../src/extension/panels/images";
import { ownImageViewState } from "../../src/extension/panels/viewStates";
import { cellIntensity, inkFor, moveCell, rowFractions, topConfusions } from "../../webview/confusion/model";
import { bestValidationAccuracy, buildSeries, epochAxisMax } from "../../webview/curves/series";
import { challengeButtons, focusTarget } from "../../webview/episode/model";
import { backendFallbacks, metricReadouts, overallProgress } from "../../webview/monitor/model";
import { filterPredictions, OWN_IMAGE_BARS, ownImageBars, topThree } from "../../webview/predictions/model";
import { decodePixels, toRgba } from "../../webview/shared/pixels";
import { kerasParamSize, summaryRows } from "../../webview/summary/model";

describe("confusion matrix view-model", () => {
  const matrix = [
    [8, 2, 0],
    [1, 9, 0],
    [0, 0, 0],
  ];

  it("colours each cell by its share of the true class, an empty row white", () => {
    assert.deepEqual(rowFractions(matrix), [[0.8, 0.2, 0], [0.1, 0.9, 0], [0, 0, 0]]);
    assert.equal(cellIntensity(0), 0);
    assert.equal(cellIntensity(1), 1);
    assert.ok(cellIntensity(0.04) >= 0.2, "a small confusion stays visible");
    assert.ok(cellIntensity(0.2) < cellIntensity(0.8));
    assert.equal(inkFor(cellIntensity(0.9)), "on-strong");
    assert.equal(inkFor(cellIntensity(0.1)), "on-weak");
  });

  it("lists the largest mistakes, never the diagonal", () => {
    assert.deepEqual(topConfusions(matrix, 5), [
      { trueLabel: 0, predictedLabel: 1, count: 2, fraction: 0.2 },
      { trueLabel: 1, predictedLabel: 0, count: 1, fraction: 0.1 },
    ]);
  });

  it("moves the focused cell with the arrow keys inside the grid", () => {
    assert.deepEqual(moveCell([0, 0], "ArrowUp", 3), [0, 0]);
    assert.deepEqual(moveCell([0, 0], "ArrowDown", 3), [1, 0]);
    assert.deepEqual(moveCell([1, 2], "ArrowRight", 3), [1, 2]);
    assert.deepEqual(moveCell([1, 1], "End", 3), [1, 2]);
    assert.equal(moveCell([1, 1], "a", 3), undefined);
  });
});

describe("training curves series", () => {
  const run = (runId: string, hidden: boolean, accuracyName: string): CurveRun => ({
    runId,
    label: runId,
    status: "completed",
    epochs: 5,
    hidden,
    history: [2, 1].map((epoch) => ({ epoch, metrics: { loss: 1 / epoch, val_loss: 1.2 / epoch, [accuracyName]: 0.3 * epoch, [`val_${accuracyName}`]: 0.25 * epoch }, imagesPerSecond: 1, seconds: 1 })),
  });

  it("builds a training and a validation series per visible run, in epoch order", () => {
    const series = buildSeries([run("a", false, "accuracy"), run("b", true, "accuracy"), run("c", false, "categorical_accuracy")], "accuracy");
    assert.deepEqual(series.map((s) => [s.runId, s.validation, s.colorIndex]), [["a", false, 0], ["a", true, 0], ["c", false, 2], ["c", true, 2]]);
    assert.deepEqual(series[1]!.points, [{ x: 1, y: 0.25 }, { x: 2, y: 0.5 }]);
    assert.equal(buildSeries([run("a", false, "accuracy")], "loss")[1]!.label, "a · val_loss");
  });

  it("adds a thin within-epoch series for the training metric of a live run", () => {
    const live: CurveRun = { ...run("a", false, "accuracy"), status: "running", history: [], withinEpoch: [{ x: 0.25, metrics: { loss: 2, accuracy: 0.2 } }, { x: 0.5, metrics: { loss: 1.5, accuracy: 0.4 } }] };
    const loss = buildSeries([live], "loss");
    assert.deepEqual(loss.map((s) => [s.validation, s.withinEpoch]), [[false, true]]);
    assert.deepEqual(loss[0]!.points, [{ x: 0.25, y: 2 }, { x: 0.5, y: 1.5 }]);
    assert.deepEqual(buildSeries([live], "accuracy")[0]!.points.map((p) => p.y), [0.2, 0.4]);
  });

  it("spans the planned epochs and finds the best validation accuracy", () => {
    assert.equal(epochAxisMax([run("a", false, "acc")]), 5);
    assert.equal(epochAxisMax([]), 1);
    assert.deepEqual(bestValidationAccuracy(run("a", false, "acc")), { value: 0.5, epoch: 2 });
    assert.equal(findAccuracyMetric(["loss", "val_loss"], true), undefined);
  });
});

describe("monitor view-model", () => {
  const training: Extract<MonitorRunState, { kind: "training" }> = {
    kind: "training", runId: "r", label: "r", backend: { active: "wasm", attempts: [{ backend: "tensorflow-gpu", loaded: false, reason: "no CUDA" }, { backend: "wasm", loaded: true }] },
    epoch: 2, epochs: 4, batch: 5, batchesPerEpoch: 10, metrics: { loss: 0.5, accuracy: 0.8 }, imagesPerSecond: 500, etaSeconds: 30,
  };

  it("counts overall progress over every epoch's batches", () => {
    assert.equal(overallProgress(training), 15 / 40);
    assert.equal(overallProgress({ ...training, epoch: 0, batch: 0 }), 0);
    assert.equal(overallProgress({ ...training, epoch: 4, batch: 10 }), 1);
  });

  it("says why the faster backends did not load", () => {
    assert.deepEqual(backendFallbacks(training.backend), ["TensorFlow GPU (CUDA): no CUDA"]);
  });

  it("shows live loss and accuracy and the last epoch's validation numbers", () => {
    const readouts = metricReadouts({ loss: 0.5, accuracy: 0.8 }, { loss: 0.6, accuracy: 0.7, val_loss: 0.9, val_accuracy: 0.65 });
    assert.deepEqual(readouts.map((r) => [r.name, r.value]), [["loss", 0.5], ["accuracy", 0.8], ["val_loss", 0.9], ["val_accuracy", 0.65]]);
    assert.equal(metricReadouts({}, undefined)[3]!.value, undefined);
  });
});

describe("summary, predictions and images", () => {
  it("highlights the layers that hold a large share of the parameters", () => {
    const rows = summaryRows({ modelName: "m", text: "", totalParams: 1000, trainableParams: 1000, nonTrainableParams: 0, rows: [{ name: "d", className: "Dense", outputShape: [64], params: 900 }, { name: "c", className: "Conv2D", outputShape: [30, 30, 16], params: 100 }] });
    assert.deepEqual(rows.map((r) => [r.label, r.shape, r.heavy]), [["d (Dense)", "(None, 64)", true], ["c (Conv2D)", "(None, 30, 30, 16)", false]]);
    assert.equal(kerasParamSize(79_530), "310.66 KB");
    assert.equal(kerasParamSize(0), "0.00 B");
  });

  it("filters wrong predictions and sorts the top three", () => {
    const item = (trueLabel: number, top: number[]): PredictionView => ({ index: 0, trueLabel, image: { width: 1, height: 1, channels: 1, pixelsBase64: "AA==" }, top: top.map((label, i) => ({ label, probability: (4 - i) / 10 })) });
    const items = [item(0, [0, 1]), item(1, [2, 1])];
    assert.deepEqual(filterPredictions(items, "wrong"), [items[1]]);
    assert.equal(filterPredictions(items, "all").length, 2);
    assert.deepEqual(topThree({ ...items[0]!, top: [{ label: 5, probability: 0.1 }, { label: 3, probability: 0.7 }, { label: 1, probability: 0.15 }, { label: 2, probability: 0.05 }] }).map((t) => t.label), [3, 1, 5]);
  });

  it("shows the learner's own image as the model sees it, most likely class first, five bars", () => {
    const probabilities = [0.02, 0.61, 0.05, 0.2, 0.01, 0.04, 0.03, 0.01, 0.02, 0.01];
    const state = ownImageViewState({
      fileName: "jabiru.jpg",
      runLabel: "Intro model",
      classNames: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
      width: 2,
      height: 1,
      channels: 3,
      pixels: new Uint8Array([255, 0, 0, 0, 0, 255]),
      originalWidth: 640,
      originalHeight: 320,
      top: probabilities.map((probability, label) => ({ label, probability })),
    });
    assert.deepEqual(state.items, [], "no test-set items beside the learner's image");
    const own = state.ownImage!;
    assert.equal(own.fileName, "jabiru.jpg");
    assert.deepEqual([own.image.width, own.image.height, own.image.channels, own.originalWidth], [2, 1, 3, 640]);
    assert.deepEqual([...decodePixels(own.image)], [255, 0, 0, 0, 0, 255]);
    assert.deepEqual(own.top.slice(0, 3).map((t) => t.label), [1, 3, 2]);
    const bars = ownImageBars(own, state.classNames);
    assert.equal(bars.length, OWN_IMAGE_BARS);
    assert.deepEqual(bars.map((b) => [b.name, b.best]), [["automobile", true], ["cat", false], ["bird", false], ["dog", false], ["frog", false]]);
    assert.equal(ownImageBars({ ...own, top: [{ label: 12, probability: 1 }] }, state.classNames)[0]?.name, "12", "a class the lesson does not name keeps its number");
  });

  it("round-trips grey and RGB pixels to RGBA", () => {
    const rgb = encodePanelImage(2, 1, 3, new Uint8Array([255, 0, 10, 1, 2, 3]));
    assert.deepEqual([...toRgba(decodePixels(rgb), 2, 1, 3)], [255, 0, 10, 255, 1, 2, 3, 255]);
    const grey = encodePanelImage(1, 2, 1, new Uint8Array([7, 200]));
    assert.deepEqual([...toRgba(decodePixels(grey), 1, 2, 1)], [7, 7, 7, 255, 200, 200, 200, 255]);
    assert.throws(() => encodePanelImage(2, 2, 3, new Uint8Array(5)), RangeError);
  });
});

describe("episode challenge buttons", () => {
  it("offers Start first, then Check, and Train once passed", () => {
    const base: ChallengeView = { id: "c", title: "t", html: "", kind: "code", status: "todo", hintsShown: [], hintCount: 1, started: false };
    const primary = (c: ChallengeView): string[] => challengeButtons(c).filter((b) => b.primary).map((b) => b.action);
    assert.deepEqual(primary(base), ["start"]);
    assert.deepEqual(challengeButtons(base).filter((b) => b.disabled).map((b) => b.action), ["check", "train"]);
    assert.deepEqual(primary({ ...base, started: true, status: "wrong" }), ["check"]);
    assert.deepEqual(primary({ ...base, started: true, status: "correct" }), ["train"]);
    const hint = challengeButtons({ ...base, hintsShown: ["h"] }).find((b) => b.action === "hint");
    assert.equal(hint?.disabled, true);
    assert.deepEqual(challengeButtons({ ...base, kind: "question", hintCount: 0 }).map((b) => b.action), ["reveal"]);
  });
});

describe("episode panel: what a focus request brings into view", () => {
  const base: ChallengeView = { id: "conv", title: "t", html: "", kind: "code", status: "wrong", hintsShown: [], hintCount: 2, started: true };
  const other: ChallengeView = { ...base, id: "fit" };
  const request = (challengeId: string, part: "hint" | "solution", id = "r1") => ({ id, challengeId, part });

  it("points at the newest hint of the challenge that asked for it", () => {
    assert.deepEqual(focusTarget(request("fit", "hint"), undefined, [base, { ...other, hintsShown: ["h1"] }]), { challengeId: "fit", kind: "hint", hintIndex: 0 });
    assert.deepEqual(focusTarget(request("conv", "hint"), "older", [{ ...base, hintsShown: ["h1", "h2"] }]), { challengeId: "conv", kind: "hint", hintIndex: 1 });
  });

  it("points at a revealed solution", () => {
    assert.deepEqual(focusTarget(request("conv", "solution"), undefined, [{ ...base, status: "revealed", solutionHtml: "<pre>x</pre>" }]), { challengeId: "conv", kind: "solution" });
  });

  it("acts once per request, and only on what the page shows", () => {
    const revealed = { ...base, status: "revealed" as const, solutionHtml: "s", hintsShown: ["h"] };
    assert.equal(focusTarget(request("conv", "solution"), "r1", [revealed]), undefined, "a rebuilt webview does not jump again");
    assert.equal(focusTarget(undefined, undefined, [revealed]), undefined, "a redraw without a request moves nothing");
    assert.equal(focusTarget(request("gone", "hint"), undefined, [revealed]), undefined, "a challenge of another episode");
    assert.equal(focusTarget(request("conv", "solution"), undefined, [base]), undefined, "no solution on the page yet");
    assert.equal(focusTarget(request("conv", "hint"), undefined, [base]), undefined, "no hint on the page yet");
  });
});

describe("shared formatting", () => {
  it("puts a counted noun in the right number", () => {
    assert.equal(formatCount(1, "epoch"), "1 epoch");
    assert.equal(formatCount(3, "epoch"), "3 epochs");
    assert.equal(formatCount(0, "run"), "0 runs");
    assert.equal(formatCount(2, "child", "children"), "2 children");
  });
});
