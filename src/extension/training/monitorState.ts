/**
 * The training monitor's state machine: how each `TrainingEvent` and the end of a run move the
 * current run between idle, preparing-data, training, done, cancelled and failed. Pure, no
 * 'vscode' import, so the transitions are unit-tested.
 */
import type { MonitorRunState, PastRunView } from "../../protocol/panels";
import { findAccuracyMetric } from "../../protocol/panels";
import type { EpochLogs, TrainResult, TrainingEvent } from "../../protocol/training";

const datasetPhaseWords = { download: "Downloading", verify: "Checking", extract: "Unpacking", read: "Reading" } as const;

export function monitorStateAfterEvent(state: MonitorRunState, event: TrainingEvent): MonitorRunState {
  switch (event.kind) {
    case "dataset-progress":
      // Progress of a dataset that a running training reads is not a new state of that run.
      if (state.kind === "training") return state;
      return {
        kind: "preparing-data",
        label: state.kind === "preparing-data" ? state.label : "Preparing data",
        message: `${datasetPhaseWords[event.phase]} ${event.dataset}`,
        receivedBytes: event.receivedBytes,
        ...(event.totalBytes === undefined ? {} : { totalBytes: event.totalBytes }),
      };
    case "started":
      return {
        kind: "training",
        runId: event.runId,
        label: event.label ?? (state.kind === "preparing-data" ? state.label : "Training run"),
        backend: event.backend,
        epoch: 0,
        epochs: event.epochs,
        batch: 0,
        batchesPerEpoch: event.batchesPerEpoch,
        metrics: {},
        imagesPerSecond: 0,
        etaSeconds: Number.NaN,
      };
    case "batch":
      if (state.kind !== "training" || state.runId !== event.runId) return state;
      return {
        ...state,
        epoch: event.epoch,
        batch: event.batch,
        batchesPerEpoch: event.batchesPerEpoch,
        metrics: event.metrics,
        imagesPerSecond: event.imagesPerSecond,
        etaSeconds: event.etaSeconds,
      };
    case "epoch": {
      if (state.kind !== "training" || state.runId !== event.runId) return state;
      const lastEpoch: EpochLogs = { epoch: event.epoch, metrics: event.metrics, imagesPerSecond: event.imagesPerSecond, seconds: event.seconds };
      return { ...state, epoch: event.epoch, epochs: event.epochs, batch: state.batchesPerEpoch, lastEpoch, imagesPerSecond: event.imagesPerSecond, etaSeconds: event.etaSeconds };
    }
    case "log":
      return state;
  }
}

/** The run ended (its `train` request answered): done or cancelled, keeping the last numbers. */
export function monitorStateAfterResult(state: MonitorRunState, result: TrainResult): MonitorRunState {
  const lastEpoch = result.history.at(-1) ?? (state.kind === "training" ? state.lastEpoch : undefined);
  const label = state.kind === "training" || state.kind === "preparing-data" ? state.label : result.runId;
  const epochs = state.kind === "training" ? state.epochs : result.history.length;
  return {
    kind: result.status === "completed" ? "done" : "cancelled",
    runId: result.runId,
    label,
    backend: result.backend,
    epochs,
    ...(lastEpoch ? { lastEpoch } : {}),
  };
}

/** The run failed before or while training; `message` is already in the learner's terms. */
export function monitorStateAfterFailure(state: MonitorRunState, message: string): MonitorRunState {
  const label = state.kind === "idle" || state.kind === "failed" ? "Training run" : state.label;
  return { kind: "failed", label, message };
}

/** The row the monitor lists for a finished run. */
export function pastRunFromResult(result: TrainResult, label: string, startedAt: Date): PastRunView {
  const last = result.history.at(-1);
  const accuracyKey = last ? findAccuracyMetric(Object.keys(last.metrics), true) : undefined;
  const finalValAccuracy = last && accuracyKey ? last.metrics[accuracyKey] : undefined;
  return {
    runId: result.runId,
    label,
    startedAt: startedAt.toISOString(),
    epochs: result.history.length,
    status: result.status,
    ...(finalValAccuracy === undefined ? {} : { finalValAccuracy }),
  };
}
