import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isCellImagesRequest,
  isConfusionWebviewMessage,
  isCurvesPersistedState,
  isCurvesWebviewMessage,
  isDatasetPreviewWebviewMessage,
  isEpisodePersistedState,
  isEpisodeWebviewMessage,
  isMonitorWebviewMessage,
  isPredictionsWebviewMessage,
  isSummaryPersistedState,
  isSummaryWebviewMessage,
} from "../../src/extension/panels/guards";

const junk: unknown[] = [null, undefined, 42, "ready", [], [{ type: "ready" }], {}, { type: 1 }, { type: "READY" }];

describe("webview message guards", () => {
  it("accept `ready` from every panel and reject what is not a message", () => {
    const guards = [isEpisodeWebviewMessage, isSummaryWebviewMessage, isCurvesWebviewMessage, isPredictionsWebviewMessage, isDatasetPreviewWebviewMessage, isMonitorWebviewMessage, (v: unknown) => isConfusionWebviewMessage(v, 10)];
    for (const guard of guards) {
      assert.equal(guard({ type: "ready" }), true);
      for (const value of junk) assert.equal(guard(value), false, `${guard.name} accepted ${JSON.stringify(value)}`);
    }
  });

  it("check the episode's challenge actions and ids", () => {
    assert.equal(isEpisodeWebviewMessage({ type: "challenge", action: "check", challengeId: "conv2d-layer" }), true);
    assert.equal(isEpisodeWebviewMessage({ type: "challenge", action: "delete", challengeId: "conv2d-layer" }), false);
    assert.equal(isEpisodeWebviewMessage({ type: "challenge", action: "check", challengeId: "" }), false);
    assert.equal(isEpisodeWebviewMessage({ type: "challenge", action: "check", challengeId: "x".repeat(201) }), false);
    assert.equal(isEpisodeWebviewMessage({ type: "navigateEpisode", episodeId: "04-compile-and-train" }), true);
    assert.equal(isEpisodeWebviewMessage({ type: "navigateEpisode" }), false);
  });

  it("accept a persisted episode state only when it is complete", () => {
    assert.equal(isEpisodePersistedState({ episodeId: "03", scrollY: 120, openSolutions: ["a"] }), true);
    assert.equal(isEpisodePersistedState({ episodeId: "03", scrollY: Number.NaN, openSolutions: [] }), false);
    assert.equal(isEpisodePersistedState({ episodeId: "03", scrollY: 0, openSolutions: [3] }), false);
    assert.equal(isEpisodePersistedState(undefined), false);
  });

  it("accept a persisted summary or set of curves only when it is complete", () => {
    const summary = { modelName: "intro", rows: [{ name: "conv2d", className: "Conv2D", outputShape: [30, 30, 16], params: 448 }], totalParams: 448, trainableParams: 448, nonTrainableParams: 0, text: "Model: intro" };
    assert.equal(isSummaryPersistedState({ source: "create_model() in intro.py", summary }), true);
    assert.equal(isSummaryPersistedState({ summary }), false);
    assert.equal(isSummaryPersistedState({ source: "s", summary: { ...summary, rows: [{ ...summary.rows[0], params: -1 }] } }), false);
    assert.equal(isSummaryPersistedState({ source: "s", summary: { ...summary, rows: [{ ...summary.rows[0], outputShape: ["30"] }] } }), false);
    for (const value of junk) assert.equal(isSummaryPersistedState(value), false);

    const run = { runId: "r1", label: "Intro", status: "running", epochs: 2, history: [{ epoch: 1, metrics: { loss: 0.9 }, imagesPerSecond: 900, seconds: 3 }], withinEpoch: [{ x: 1.5, metrics: { loss: 0.8 } }], hidden: false };
    assert.equal(isCurvesPersistedState({ runs: [run] }), true);
    assert.equal(isCurvesPersistedState({ runs: [] }), true);
    assert.equal(isCurvesPersistedState({ runs: [{ ...run, status: "paused" }] }), false);
    assert.equal(isCurvesPersistedState({ runs: [{ ...run, history: [{ epoch: 1, metrics: { loss: "0.9" }, imagesPerSecond: 900, seconds: 3 }] }] }), false);
    assert.equal(isCurvesPersistedState({ runs: [{ ...run, withinEpoch: [{ x: Number.NaN, metrics: {} }] }] }), false);
    assert.equal(isCurvesPersistedState({ runs: [{ ...run, hidden: undefined }] }), false);
    for (const value of junk) assert.equal(isCurvesPersistedState(value), false);
  });

  it("bound a confusion cell request by the number of classes", () => {
    const request = { type: "cellImages", requestId: 3, trueLabel: 9, predictedLabel: 0 };
    assert.equal(isCellImagesRequest(request, 10), true);
    assert.equal(isCellImagesRequest(request, 9), false);
    assert.equal(isCellImagesRequest({ ...request, predictedLabel: -1 }, 10), false);
    assert.equal(isCellImagesRequest({ ...request, trueLabel: 1.5 }, 10), false);
    assert.equal(isCellImagesRequest({ ...request, requestId: "3" }, 10), false);
  });

  it("check the curves, predictions and dataset commands", () => {
    assert.equal(isCurvesWebviewMessage({ type: "setRunVisibility", runId: "r1", visible: false }), true);
    assert.equal(isCurvesWebviewMessage({ type: "setRunVisibility", runId: "r1", visible: "no" }), false);
    assert.equal(isCurvesWebviewMessage({ type: "removeRun", runId: "r1" }), true);
    assert.equal(isPredictionsWebviewMessage({ type: "setPredictionFilter", filter: "wrong" }), true);
    assert.equal(isPredictionsWebviewMessage({ type: "setPredictionFilter", filter: "right" }), false);
    assert.equal(isDatasetPreviewWebviewMessage({ type: "shuffleDataset" }), true);
    assert.equal(isDatasetPreviewWebviewMessage({ type: "stopTraining" }), false);
  });

  it("require one run to open or evaluate and at least two to compare", () => {
    assert.equal(isMonitorWebviewMessage({ type: "stopTraining" }), true);
    assert.equal(isMonitorWebviewMessage({ type: "pastRun", action: "openCurves", runIds: ["a"] }), true);
    assert.equal(isMonitorWebviewMessage({ type: "pastRun", action: "evaluate", runIds: ["a", "b"] }), false);
    assert.equal(isMonitorWebviewMessage({ type: "pastRun", action: "compare", runIds: ["a"] }), false);
    assert.equal(isMonitorWebviewMessage({ type: "pastRun", action: "compare", runIds: ["a", "b"] }), true);
    assert.equal(isMonitorWebviewMessage({ type: "pastRun", action: "compare", runIds: ["a", 2] }), false);
    assert.equal(isMonitorWebviewMessage({ type: "pastRun", action: "train", runIds: ["a"] }), false);
  });
});
