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
      return runs.map((run) =>
        run.runId === event.runId && run.status === "running"
          ? { ...run, withinEpoch: withPoint(run.withinEpoch ?? [], { x: event.epoch - 1 + event.batch / event.batchesPerEpoch, metrics: event.metrics }) }
          : run,
      );
    case "log":
    case "dataset-progress":
      return [...runs];
  }
}

/** Most within-epoch points kept per run; past it every other one is dropped, so a long run stays cheap to redraw. */
export const MAX_WITHIN_EPOCH_POINTS = 400;

function withPoint(points: NonNullable<CurveRun["withinEpoch"]>, point: NonNullable<CurveRun["withinEpoch"]>[number]): NonNullable<CurveRun["withinEpoch"]> {
  const next = [...points, point];
  return next.length > MAX_WITHIN_EPOCH_POINTS ? next.filter((_, index) => index % 2 === 1) : next;
}

export function curvesAfterResult(runs: readonly CurveRun[], result: TrainResult): CurveRun[] {
  // A finished run keeps its epoch points only: running means of several runs, each resetting at
  // every epoch, would crowd the chart.
  return runs.map((run) => {
    if (run.runId !== result.runId) return run;
    const { withinEpoch: _dropped, ...finished } = run;
    return { ...finished, status: result.status, history: result.history.length > 0 ? result.history : run.history };
  });
}

export function curvesAfterFailure(runs: readonly CurveRun[], runId: string): CurveRun[] {
  return runs.map((run) => (run.runId === runId && run.status === "running" ? { ...run, status: "failed" } : run));
}

/** Adds a saved run (or replaces the one with the same id), visible. */
export function curvesWithRun(runs: readonly CurveRun[], run: Omit<CurveRun, "hidden">): CurveRun[] {
  return [...runs.filter((r) => r.runId !== run.runId), { ...run, hidden: false }];
}

/**
 * The runs to show in a curves panel restored after a window reload: the host's own runs, then those
 * the webview last showed that the host no longer has. A run still live then was stopped by the
 * reload (its training process ended with the window), so it is shown as cancelled.
 */
export function curvesAfterReload(runs: readonly CurveRun[], persisted: readonly CurveRun[]): CurveRun[] {
  const restored = persisted
    .filter((run) => !runs.some((r) => r.runId === run.runId))
    .map(({ withinEpoch: _dropped, ...run }): CurveRun => (run.status === "running" ? { ...run, status: "cancelled" } : run));
  return [...runs, ...restored];
}
