/**
 * The runs the curves panel shows, kept by the host and updated from `TrainingEvent`s so a live
 * run grows one point per epoch. Pure, no 'vscode' import.
 */
import type { CurveRun } from "../../protocol/panels";
import type { TrainResult, TrainingEvent } from "../../protocol/training";

export function curvesAfterEvent(runs: readonly CurveRun[], event: TrainingEvent): CurveRun[] {
  switch (event.kind) {
    case "started": {
      const run: CurveRun = { runId: event.runId, label: event.label ?? event.runId, status: "running", epochs: event.epochs, history: [], hidden: false };
      return [...runs.filter((r) => r.runId !== event.runId), run];
    }
    case "epoch":
      return runs.map((run) =>
        run.runId === event.runId
          ? {
              ...run,
              epochs: event.epochs,
              // An epoch reported twice (a resent event) replaces the first report.
              history: [...run.history.filter((h) => h.epoch !== event.epoch), { epoch: event.epoch, metrics: event.metrics, imagesPerSecond: event.imagesPerSecond, seconds: event.seconds }],
            }
          : run,
      );
    case "batch":
    case "log":
    case "dataset-progress":
      return [...runs];
  }
}

export function curvesAfterResult(runs: readonly CurveRun[], result: TrainResult): CurveRun[] {
  return runs.map((run) => (run.runId === result.runId ? { ...run, status: result.status, history: result.history.length > 0 ? result.history : run.history } : run));
}

export function curvesAfterFailure(runs: readonly CurveRun[], runId: string): CurveRun[] {
  return runs.map((run) => (run.runId === runId && run.status === "running" ? { ...run, status: "failed" } : run));
}

/** Adds a saved run (or replaces the one with the same id), visible. */
export function curvesWithRun(runs: readonly CurveRun[], run: Omit<CurveRun, "hidden">): CurveRun[] {
  return [...runs.filter((r) => r.runId !== run.runId), { ...run, hidden: false }];
}
