import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CurveRun, MonitorRunState } from "../../src/protocol/panels";
import type { BackendReport, TrainResult, TrainingEvent } from "../../src/protocol/training";
import { MAX_WITHIN_EPOCH_POINTS, curvesAfterEvent, curvesAfterFailure, curvesAfterReload, curvesAfterResult, curvesWithRun } from "../../src/extension/results/curvesState";
import { monitorStateAfterEvent, monitorStateAfterFailure, monitorStateAfterResult, pastRunFromResult } from "../../src/extension/training/monitorState";

const backend: BackendReport = { active: "wasm", attempts: [{ backend: "tensorflow", loaded: false, reason: "not installed" }, { backend: "wasm", loaded: true }] };
const unlabelled: TrainingEvent = { kind: "started", runId: "r1", backend, epochs: 2, batchesPerEpoch: 10, trainCount: 320, validationCount: 80 };
const started: TrainingEvent = { ...unlabelled, label: "Dropout 0.4" };
const batch = (epoch: number, n: number): TrainingEvent => ({ kind: "batch", runId: "r1", epoch, batch: n, batchesPerEpoch: 10, metrics: { loss: 2 - n / 10, categorical_accuracy: n / 20 }, imagesPerSecond: 400, etaSeconds: 12 });
const epochEnd = (epoch: number): TrainingEvent => ({ kind: "epoch", runId: "r1", epoch, epochs: 2, etaSeconds: 5, metrics: { loss: 1 / epoch, val_loss: 1.1 / epoch, categorical_accuracy: 0.5 + epoch / 10, val_categorical_accuracy: 0.45 + epoch / 10 }, imagesPerSecond: 410, seconds: 0.8 });
const result = (status: TrainResult["status"], epochs: number[]): TrainResult => ({ runId: "r1", runDirectory: "/runs/r1", status, backend, history: epochs.map((e) => ({ epoch: e, metrics: { loss: 1 / e, val_categorical_accuracy: 0.45 + e / 10 }, imagesPerSecond: 410, seconds: 0.8 })) });

function replay(events: TrainingEvent[], from: MonitorRunState = { kind: "idle" }): MonitorRunState {
  return events.reduce(monitorStateAfterEvent, from);
}

describe("training monitor state machine", () => {
  it("goes from preparing data to training, keeping the run's label", () => {
    const preparing = monitorStateAfterEvent({ kind: "idle" }, { kind: "dataset-progress", dataset: "cifar10", receivedBytes: 1000, totalBytes: 4000, phase: "download" });
    assert.deepEqual(preparing, { kind: "preparing-data", label: "Preparing data", message: "Downloading cifar10", receivedBytes: 1000, totalBytes: 4000 });
    const training = monitorStateAfterEvent(preparing, unlabelled);
    assert.equal(training.kind, "training");
    assert.equal(training.kind === "training" && training.label, "Preparing data");
  });

  it("follows batches and epochs of its own run", () => {
    const state = replay([started, batch(1, 4), batch(1, 10), epochEnd(1), batch(2, 3)]);
    assert.equal(state.kind, "training");
    if (state.kind !== "training") return;
    assert.equal(state.epoch, 2);
    assert.equal(state.batch, 3);
    assert.equal(state.metrics["loss"], 1.7);
    assert.equal(state.lastEpoch?.epoch, 1);
    assert.equal(state.lastEpoch?.metrics["val_loss"], 1.1);
  });

  it("ignores events of another run and dataset progress while training", () => {
    const training = replay([started, batch(1, 4)]);
    const other = monitorStateAfterEvent(training, { ...batch(1, 9), runId: "r2" } as TrainingEvent);
    assert.equal(other, training);
    assert.equal(monitorStateAfterEvent(training, { kind: "dataset-progress", dataset: "mnist", receivedBytes: 1, phase: "read" }), training);
    assert.equal(monitorStateAfterEvent({ kind: "idle" }, batch(1, 1)).kind, "idle");
  });

  it("ends done or cancelled with the last epoch, or failed with the message", () => {
    const training = replay([started, batch(1, 10), epochEnd(1)]);
    const done = monitorStateAfterResult(training, result("completed", [1, 2]));
    assert.equal(done.kind, "done");
    assert.equal(done.kind === "done" && done.lastEpoch?.epoch, 2);
    assert.equal(done.kind === "done" && done.label, "Dropout 0.4");
    const cancelled = monitorStateAfterResult(training, result("cancelled", []));
    assert.equal(cancelled.kind, "cancelled");
    assert.equal(cancelled.kind === "cancelled" && cancelled.lastEpoch?.epoch, 1, "a run stopped before its first result keeps the epoch it saw");
    assert.deepEqual(monitorStateAfterFailure(training, "Out of memory: try a smaller batch."), { kind: "failed", label: "Dropout 0.4", message: "Out of memory: try a smaller batch." });
  });

  it("lists a past run with its final validation accuracy", () => {
    const row = pastRunFromResult(result("completed", [1, 2, 3]), "Dropout 0.4", new Date("2026-01-02T03:04:05Z"));
    assert.deepEqual(row, { runId: "r1", label: "Dropout 0.4", startedAt: "2026-01-02T03:04:05.000Z", epochs: 3, status: "completed", finalValAccuracy: 0.75 });
    assert.equal("finalValAccuracy" in pastRunFromResult(result("cancelled", []), "x", new Date()), false);
  });
});

describe("training curves state", () => {
  it("adds a run when it starts and a point per epoch", () => {
    let runs: CurveRun[] = [];
    for (const event of [started, batch(1, 5), epochEnd(1), epochEnd(2)]) runs = curvesAfterEvent(runs, event);
    assert.equal(runs.length, 1);
    assert.deepEqual(runs[0]!.history.map((h) => h.epoch), [1, 2]);
    assert.equal(runs[0]!.status, "running");
    assert.equal(runs[0]!.label, "Dropout 0.4");
  });

  it("keeps the running means of a live run inside each epoch, thinned past the cap, until it ends", () => {
    let runs = curvesAfterEvent([], started);
    runs = curvesAfterEvent(runs, batch(1, 5));
    runs = curvesAfterEvent(runs, batch(2, 5));
    const points = runs[0]!.withinEpoch ?? [];
    assert.equal(points.length, 2);
    assert.ok(points[0]!.x > 0 && points[0]!.x <= 1, `batch of epoch 1 lies inside (0, 1]: ${points[0]!.x}`);
    assert.ok(points[1]!.x > 1 && points[1]!.x <= 2, `batch of epoch 2 lies inside (1, 2]: ${points[1]!.x}`);
    for (let i = 0; i < MAX_WITHIN_EPOCH_POINTS; i++) runs = curvesAfterEvent(runs, batch(1, 5));
    assert.ok((runs[0]!.withinEpoch ?? []).length <= MAX_WITHIN_EPOCH_POINTS);
    const ended = curvesAfterResult(runs, result("completed", [1]));
    assert.equal(ended[0]!.withinEpoch, undefined, "a finished run keeps its epoch points only");
    assert.equal(curvesAfterEvent(ended, batch(1, 5))[0]!.withinEpoch, undefined, "a finished run takes no more points");
  });

  it("replaces an epoch reported twice and a run started again", () => {
    let runs = curvesAfterEvent([], started);
    runs = curvesAfterEvent(curvesAfterEvent(runs, epochEnd(1)), epochEnd(1));
    assert.equal(runs[0]!.history.length, 1);
    runs = curvesAfterEvent(runs, started);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.history.length, 0);
  });

  it("marks the end of a run and keeps saved runs visible", () => {
    const running = curvesAfterEvent(curvesAfterEvent([], started), epochEnd(1));
    assert.equal(curvesAfterResult(running, result("cancelled", [1]))[0]!.status, "cancelled");
    assert.equal(curvesAfterFailure(running, "r1")[0]!.status, "failed");
    assert.equal(curvesAfterFailure(running, "other")[0]!.status, "running");
    const withSaved = curvesWithRun(running, { runId: "old", label: "Intro", status: "completed", epochs: 3, history: [] });
    assert.deepEqual(withSaved.map((r) => [r.runId, r.hidden]), [["r1", false], ["old", false]]);
  });

  it("after a window reload shows the runs the panel last showed, a live one as cancelled", () => {
    const live = curvesAfterEvent(curvesAfterEvent(curvesAfterEvent([], started), epochEnd(1)), batch(2, 3));
    const saved: CurveRun = { runId: "old", label: "Intro", status: "completed", epochs: 3, history: [], hidden: true };
    const restored = curvesAfterReload([], [...live, saved]);
    assert.deepEqual(restored.map((r) => [r.runId, r.status, r.hidden, r.history.length]), [["r1", "cancelled", false, 1], ["old", "completed", true, 0]]);
    assert.equal(restored[0]!.withinEpoch, undefined, "no running means of an epoch that never ended");
    const hostRun: CurveRun = { ...saved, label: "Intro (reloaded from disk)", hidden: false };
    assert.deepEqual(curvesAfterReload([hostRun], [saved]), [hostRun], "the host's own run wins over the remembered one");
  });
});
