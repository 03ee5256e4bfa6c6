import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as v from "valibot";
import {
  ConfusionProtocol,
  CurvesProtocol,
  DatasetPreviewProtocol,
  EpisodeProtocol,
  MonitorProtocol,
  PredictionsProtocol,
  SummaryProtocol,
  BackendReportSchema,
  EpochLogsSchema,
  ModelSummarySchema,
  confusionWebviewMessageSchema,
  type ChallengeView,
  type ConfusionViewState,
  type CurvesWebviewPersistedState,
  type DatasetChoiceCommand,
  type DatasetPreviewViewState,
  type DidChangeConfusionNotification,
  type DidChangeCurvesNotification,
  type DidChangeDatasetPreviewNotification,
  type DidChangePredictionsNotification,
  type DidChangeSummaryNotification,
  type PredictionsViewState,
  type SummaryWebviewPersistedState,
  type EpisodeBlockView,
  type MonitorRunState,
} from "../../src/protocol/panels";
import type { CalloutKind } from "../../src/protocol/lesson";
import type { ChallengeStatus } from "../../src/protocol/outcome";
import type { DatasetName } from "../../src/protocol/modelSpec";
import type { BackendReport, EpochLogs, ModelSummary, TrainingEvent } from "../../src/protocol/training";
import { parsePersistedState, parseWebviewMessage } from "../../src/extension/panels/messages";
import { encodePanelImage } from "../../src/extension/panels/images";
import { confusionViewState, ownImageViewState } from "../../src/extension/panels/viewStates";
import { curvesAfterEvent } from "../../src/extension/results/curvesState";
import { monitorStateAfterEvent } from "../../src/extension/training/monitorState";

// Compile-time: the schemas of the training protocol's types describe exactly those interfaces, so
// a field added to one and not the other fails the type check, an optional one too (mutual
// assignability would let it through, and the schema would strip it).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const mirrors: [
  Same<v.InferOutput<typeof BackendReportSchema>, BackendReport>,
  Same<v.InferOutput<typeof EpochLogsSchema>, EpochLogs>,
  Same<v.InferOutput<typeof ModelSummarySchema>, ModelSummary>,
  // Names listed again for a picklist: a status, callout kind or dataset added there must be added here.
  Same<ChallengeView["status"], ChallengeStatus>,
  Same<Extract<EpisodeBlockView, { kind: "callout" }>["calloutKind"], CalloutKind>,
  Same<DatasetChoiceCommand["dataset"], DatasetName>,
] = [true, true, true, true, true, true];

// Compile-time: a snapshot's type is exactly its tag and the state it carries, as precise as a
// hand-written `v.object`; what the summary and curves webviews keep is the snapshot without its tag.
const snapshots: [
  Same<DidChangeConfusionNotification, { type: "didChangeConfusion"; state: ConfusionViewState }>,
  Same<DidChangePredictionsNotification, { type: "didChangePredictions"; state: PredictionsViewState }>,
  Same<DidChangeDatasetPreviewNotification, { type: "didChangeDatasetPreview"; state: DatasetPreviewViewState }>,
  Same<Omit<DidChangeSummaryNotification, "type">, SummaryWebviewPersistedState>,
  Same<Omit<DidChangeCurvesNotification, "type">, CurvesWebviewPersistedState>,
] = [true, true, true, true, true];

const junk: unknown[] = [null, undefined, 42, "ready", [], [{ type: "ready" }], {}, { type: 1 }, { type: "READY" }];

const toHostSchemas = {
  episode: EpisodeProtocol.toHost,
  summary: SummaryProtocol.toHost,
  curves: CurvesProtocol.toHost,
  confusion: ConfusionProtocol.toHost,
  predictions: PredictionsProtocol.toHost,
  dataset: DatasetPreviewProtocol.toHost,
  monitor: MonitorProtocol.toHost,
};

/** A log that keeps its lines, to see what the host wrote. */
function recordingLog(): { lines: string[]; warn(message: string): void } {
  const lines: string[] = [];
  return { lines, warn: (message) => lines.push(message) };
}

/** What a webview receives: VS Code sends messages as JSON, so NaN and Infinity arrive as null. */
function overJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

const backend: BackendReport = { active: "wasm", attempts: [{ backend: "tensorflow", loaded: false, reason: "not installed" }, { backend: "wasm", loaded: true, detail: "1 thread" }] };

describe("messages from a webview", () => {
  it("the schemas mirror the training protocol's types", () => {
    assert.deepEqual(mirrors, [true, true, true, true, true, true]);
  });

  it("each snapshot's type is its tag and its state, and a kept state is the snapshot without its tag", () => {
    assert.deepEqual(snapshots, [true, true, true, true, true]);
  });

  it("every panel accepts `ready` and rejects what is not a message", () => {
    for (const [panel, schema] of Object.entries(toHostSchemas)) {
      assert.ok(v.is(schema, { type: "ready" }), panel);
      for (const value of junk) assert.ok(!v.is(schema, value), `${panel} accepted ${JSON.stringify(value)}`);
    }
  });

  it("a malformed message is dropped with one log line that says what was wrong; a valid one comes back without unknown keys", () => {
    const log = recordingLog();
    assert.equal(parseWebviewMessage(EpisodeProtocol.toHost, { type: "challenge", action: "delete", challengeId: "conv2d-layer" }, "episode", log), undefined);
    assert.equal(log.lines.length, 1);
    assert.match(log.lines[0] ?? "", /^Ignored an invalid message from the episode webview \(action: .*"delete".*\): \{"type":"challenge"/);

    const parsed = parseWebviewMessage(EpisodeProtocol.toHost, { type: "challenge", action: "check", challengeId: "conv2d-layer", extra: "<script>" }, "episode", log);
    assert.deepEqual(parsed, { type: "challenge", action: "check", challengeId: "conv2d-layer" });
    assert.equal(log.lines.length, 1, "a valid message logs nothing");
  });

  it("a message that cannot be written as JSON is still dropped with a line, not thrown", () => {
    const log = recordingLog();
    assert.equal(parseWebviewMessage(MonitorProtocol.toHost, { type: "stopTraining", big: 10n }, "monitor", log)?.type, "stopTraining");
    assert.equal(parseWebviewMessage(MonitorProtocol.toHost, { type: "pastRun", action: "compare", runIds: [1n] }, "monitor", log), undefined);
    assert.equal(log.lines.length, 1);
  });

  it("check the episode's challenge actions and ids", () => {
    const episode = EpisodeProtocol.toHost;
    assert.ok(v.is(episode, { type: "challenge", action: "check", challengeId: "conv2d-layer" }));
    assert.ok(!v.is(episode, { type: "challenge", action: "delete", challengeId: "conv2d-layer" }));
    assert.ok(!v.is(episode, { type: "challenge", action: "check", challengeId: "" }));
    assert.ok(!v.is(episode, { type: "challenge", action: "check", challengeId: "x".repeat(201) }));
    assert.ok(v.is(episode, { type: "navigateEpisode", episodeId: "04-compile-and-train" }));
    assert.ok(!v.is(episode, { type: "navigateEpisode" }));
    assert.ok(v.is(episode, { type: "lessonAction", action: "showRuns" }));
    assert.ok(!v.is(episode, { type: "lessonAction", action: "deleteEverything" }));
  });

  it("bound a confusion cell request by the number of classes", () => {
    // A fresh value per call: `assert.ok(v.is(…))` narrows the value it was given.
    const request = (change: object = {}): unknown => ({ type: "cellImages", requestId: 3, trueLabel: 9, predictedLabel: 0, ...change });
    assert.ok(v.is(confusionWebviewMessageSchema(10), request()));
    assert.ok(!v.is(confusionWebviewMessageSchema(9), request()));
    assert.ok(!v.is(confusionWebviewMessageSchema(10), request({ predictedLabel: -1 })));
    assert.ok(!v.is(confusionWebviewMessageSchema(10), request({ trueLabel: 1.5 })));
    assert.ok(!v.is(confusionWebviewMessageSchema(10), request({ requestId: "3" })));
  });

  it("check the curves, predictions and dataset commands", () => {
    assert.ok(v.is(CurvesProtocol.toHost, { type: "setRunVisibility", runId: "r1", visible: false }));
    assert.ok(!v.is(CurvesProtocol.toHost, { type: "setRunVisibility", runId: "r1", visible: "no" }));
    assert.ok(v.is(CurvesProtocol.toHost, { type: "removeRun", runId: "r1" }));
    assert.ok(v.is(PredictionsProtocol.toHost, { type: "setPredictionFilter", filter: "wrong" }));
    assert.ok(!v.is(PredictionsProtocol.toHost, { type: "setPredictionFilter", filter: "right" }));
    assert.ok(v.is(DatasetPreviewProtocol.toHost, { type: "shuffleDataset" }));
    assert.ok(!v.is(DatasetPreviewProtocol.toHost, { type: "stopTraining" }));
    assert.ok(!v.is(SummaryProtocol.toHost, { type: "shuffleDataset" }));
  });

  it("require one run to open or evaluate and at least two to compare", () => {
    const monitor = MonitorProtocol.toHost;
    assert.ok(v.is(monitor, { type: "stopTraining" }));
    assert.ok(v.is(monitor, { type: "pastRun", action: "openCurves", runIds: ["a"] }));
    assert.ok(!v.is(monitor, { type: "pastRun", action: "evaluate", runIds: ["a", "b"] }));
    assert.ok(!v.is(monitor, { type: "pastRun", action: "compare", runIds: ["a"] }));
    assert.ok(v.is(monitor, { type: "pastRun", action: "compare", runIds: ["a", "b"] }));
    assert.ok(!v.is(monitor, { type: "pastRun", action: "compare", runIds: ["a", 2] }));
    assert.ok(!v.is(monitor, { type: "pastRun", action: "compare", runIds: Array.from({ length: 21 }, (_, i) => `r${i}`) }));
    assert.ok(!v.is(monitor, { type: "pastRun", action: "train", runIds: ["a"] }));
    assert.ok(v.is(monitor, { type: "datasetChoice", action: "import", dataset: "cifar10" }));
    assert.ok(!v.is(monitor, { type: "datasetChoice", action: "use", dataset: "imagenet" }));
  });
});

describe("states kept for a reload", () => {
  it("accept a persisted episode state only when it is complete, and log only a state that is there and wrong", () => {
    const log = recordingLog();
    const state = EpisodeProtocol.state;
    assert.deepEqual(parsePersistedState(state, { episodeId: "03", scrollY: 120, openSolutions: ["a"] }, "dlLessons.episode", log), { episodeId: "03", scrollY: 120, openSolutions: ["a"] });
    assert.equal(parsePersistedState(state, undefined, "dlLessons.episode", log), undefined);
    assert.equal(log.lines.length, 0, "a webview that never drew kept nothing: not worth a line");
    assert.equal(parsePersistedState(state, { episodeId: "03", scrollY: Number.NaN, openSolutions: [] }, "dlLessons.episode", log), undefined);
    assert.equal(parsePersistedState(state, { episodeId: "03", scrollY: 0, openSolutions: [3] }, "dlLessons.episode", log), undefined);
    assert.equal(log.lines.length, 2);
    assert.match(log.lines[1] ?? "", /dlLessons\.episode .*openSolutions\.0/);
  });

  it("accept a persisted summary or set of curves only when it is complete", () => {
    const summary = { modelName: "intro", rows: [{ name: "conv2d", className: "Conv2D", outputShape: [30, 30, 16], params: 448 }], totalParams: 448, trainableParams: 448, nonTrainableParams: 0, text: "Model: intro" };
    assert.ok(v.is(SummaryProtocol.state, { source: "create_model() in intro.py", summary }));
    assert.ok(!v.is(SummaryProtocol.state, { summary }));
    assert.ok(!v.is(SummaryProtocol.state, { source: "s", summary: { ...summary, rows: [{ ...summary.rows[0], params: -1 }] } }));
    assert.ok(!v.is(SummaryProtocol.state, { source: "s", summary: { ...summary, rows: [{ ...summary.rows[0], outputShape: ["30"] }] } }));
    for (const value of junk) assert.ok(!v.is(SummaryProtocol.state, value));

    const run = { runId: "r1", label: "Intro", status: "running", epochs: 2, history: [{ epoch: 1, metrics: { loss: 0.9 }, imagesPerSecond: 900, seconds: 3 }], withinEpoch: [{ x: 1.5, metrics: { loss: 0.8 } }], hidden: false };
    assert.ok(v.is(CurvesProtocol.state, { runs: [run] }));
    assert.ok(v.is(CurvesProtocol.state, { runs: [] }));
    assert.ok(!v.is(CurvesProtocol.state, { runs: [{ ...run, status: "paused" }] }));
    assert.ok(!v.is(CurvesProtocol.state, { runs: [{ ...run, history: [{ epoch: 1, metrics: { loss: "0.9" }, imagesPerSecond: 900, seconds: 3 }] }] }));
    assert.ok(!v.is(CurvesProtocol.state, { runs: [{ ...run, withinEpoch: [{ x: Number.NaN, metrics: {} }] }] }));
    assert.ok(!v.is(CurvesProtocol.state, { runs: [{ ...run, hidden: undefined }] }));
    for (const value of junk) assert.ok(!v.is(CurvesProtocol.state, value));
  });

  it("a diverged run's curves come back after a reload with their NaN loss", () => {
    const diverged = { runId: "r2", label: "lr=10", status: "completed", epochs: 1, history: [{ epoch: 1, metrics: { loss: Number.NaN }, imagesPerSecond: 900, seconds: 3 }], hidden: false };
    const parsed = v.parse(CurvesProtocol.state, overJson({ runs: [diverged] }));
    assert.ok(Number.isNaN(parsed.runs[0]?.history[0]?.metrics["loss"]));
    // Kept as it is (a structured clone, not JSON), NaN and Infinity pass unchanged.
    const cloned = v.parse(CurvesProtocol.state, structuredClone({ runs: [{ ...diverged, history: [{ epoch: 1, metrics: { loss: Number.NaN, val_loss: Number.POSITIVE_INFINITY }, imagesPerSecond: 900, seconds: 3 }] }] }));
    assert.ok(Number.isNaN(cloned.runs[0]?.history[0]?.metrics["loss"]));
    assert.equal(cloned.runs[0]?.history[0]?.metrics["val_loss"], Number.POSITIVE_INFINITY);
  });
});

describe("messages from the host, as the webview reads them", () => {
  it("what the host sends for a live run reads back the same after crossing as JSON, an infinite time left as NaN", () => {
    const started: TrainingEvent = { kind: "started", runId: "r1", label: "Intro", backend, epochs: 2, batchesPerEpoch: 10, trainCount: 320, validationCount: 64 };
    const batch: TrainingEvent = { kind: "batch", runId: "r1", epoch: 1, batch: 4, batchesPerEpoch: 10, metrics: { loss: 2.1, accuracy: 0.2 }, imagesPerSecond: 800, etaSeconds: Number.POSITIVE_INFINITY };
    let current: MonitorRunState = { kind: "idle" };
    current = monitorStateAfterEvent(monitorStateAfterEvent(current, started), batch);
    const monitor = v.parse(MonitorProtocol.toWebview, overJson({ type: "didChangeMonitor", current, pastRuns: [] }));
    assert.equal(monitor.current.kind, "training");
    if (monitor.current.kind === "training") {
      assert.deepEqual(monitor.current.backend, backend);
      assert.ok(Number.isNaN(monitor.current.etaSeconds));
      assert.equal(monitor.current.metrics["loss"], 2.1);
    }

    const runs = curvesAfterEvent(curvesAfterEvent([], started), batch);
    const curves = v.parse(CurvesProtocol.toWebview, overJson({ type: "didChangeCurves", runs }));
    assert.deepEqual(curves.runs, runs);
  });

  it("the confusion matrix and an image of the learner's pass as the host builds them", () => {
    const evaluation = { runDirectory: "runs/intro", dataset: "cifar10" as const, accuracy: 0.5, loss: 1.2, classNames: ["cat", "dog"], confusionMatrix: [[3, 1], [2, 4]], perClassAccuracy: [0.75, 0.66], predictions: [] };
    const state = confusionViewState(evaluation, "Intro", "CIFAR-10");
    assert.deepEqual(v.parse(ConfusionProtocol.toWebview, overJson({ type: "didChangeConfusion", state })), { type: "didChangeConfusion", state });

    const pixels = new Uint8Array(4 * 4 * 3).map((_, i) => i);
    const own = ownImageViewState({ fileName: "cat.png", runLabel: "Intro", classNames: ["cat", "dog"], width: 4, height: 4, channels: 3, pixels, originalWidth: 640, originalHeight: 480, top: [{ label: 1, probability: 0.3 }, { label: 0, probability: 0.7 }] });
    const predictions = v.parse(PredictionsProtocol.toWebview, overJson({ type: "didChangePredictions", state: { ...own, filter: "all" } }));
    assert.equal(predictions.state.ownImage?.top[0]?.label, 0);
  });

  it("reject a malformed snapshot and say where it is wrong", () => {
    const image = encodePanelImage(2, 2, 1, new Uint8Array(4));
    const sample = { type: "didChangeDatasetPreview", state: { title: "CIFAR-10 training images", classNames: ["cat"], samples: [{ image, label: 0 }], loading: false } };
    assert.ok(v.is(DatasetPreviewProtocol.toWebview, sample));
    const torn = v.safeParse(DatasetPreviewProtocol.toWebview, { ...sample, state: { ...sample.state, samples: [{ image: { ...image, height: 3 }, label: 0 }] } });
    assert.equal(torn.success, false);
    assert.equal(torn.issues && v.getDotPath(torn.issues[0]), "state.samples.0.image");
    assert.ok(!v.is(DatasetPreviewProtocol.toWebview, { ...sample, state: { ...sample.state, samples: [{ image: { ...image, channels: 4 }, label: 0 }] } }));
    assert.ok(!v.is(ConfusionProtocol.toWebview, { type: "didChangeConfusion", state: { runLabel: "r", classNames: [], matrix: [["3"]], perClassAccuracy: [], accuracy: 0, loss: 0 } }));
    assert.ok(!v.is(SummaryProtocol.toWebview, { type: "didChangeCurves", runs: [] }), "another panel's snapshot");
    assert.ok(!v.is(MonitorProtocol.toWebview, { type: "didChangeMonitor", current: { kind: "paused" }, pastRuns: [] }));
    assert.ok(!v.is(MonitorProtocol.toWebview, { type: "didChangeMonitor", current: { kind: "training", runId: "r", label: "l", backend: { active: "quantum", attempts: [] }, epoch: 0, epochs: 1, batch: 0, batchesPerEpoch: 1, metrics: {}, imagesPerSecond: 0, etaSeconds: 0 }, pastRuns: [] }));
  });
});
