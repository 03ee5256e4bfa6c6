/** Pure view-model of the curves: the chart series for each visible run (no DOM), unit-tested. */
import type { CurveRun } from "../../src/protocol/panels";
import { findAccuracyMetric } from "../../src/protocol/panels";

export type CurveChart = "loss" | "accuracy";

export interface CurveSeries {
  runId: string;
  /** "Dropout 0.4 · val_loss". */
  label: string;
  /** Position of the run among all runs, so a run keeps its colour when others are hidden. */
  colorIndex: number;
  validation: boolean;
  /** Running means inside epochs of a live run: drawn as a thin line without markers. */
  withinEpoch: boolean;
  /** x is the 1-based epoch, as Keras prints "Epoch 3/10" and `EpochLogs.epoch` counts. */
  points: { x: number; y: number }[];
}

function metricName(run: CurveRun, chart: CurveChart, validation: boolean): string | undefined {
  if (chart === "loss") return validation ? "val_loss" : "loss";
  const names = new Set(run.history.flatMap((h) => Object.keys(h.metrics)));
  return findAccuracyMetric([...names], validation);
}

export function buildSeries(runs: readonly CurveRun[], chart: CurveChart): CurveSeries[] {
  const series: CurveSeries[] = [];
  runs.forEach((run, colorIndex) => {
    if (run.hidden) return;
    for (const validation of [false, true]) {
      const metric = metricName(run, chart, validation);
      if (metric === undefined) continue;
      const points = [...run.history]
        .sort((a, b) => a.epoch - b.epoch)
        .flatMap((h) => {
          const y = h.metrics[metric];
          return y === undefined || !Number.isFinite(y) ? [] : [{ x: h.epoch, y }];
        });
      if (points.length > 0) series.push({ runId: run.runId, label: `${run.label} · ${metric}`, colorIndex, validation, withinEpoch: false, points });
    }
    // Validation runs once per epoch; only the training metrics move inside an epoch.
    const trainingMetric = metricName(run, chart, false) ?? (chart === "loss" ? "loss" : findAccuracyMetric(Object.keys(run.withinEpoch?.[0]?.metrics ?? {}), false));
    const live = trainingMetric === undefined ? [] : (run.withinEpoch ?? []).flatMap((p) => {
      const y = p.metrics[trainingMetric];
      return y === undefined || !Number.isFinite(y) ? [] : [{ x: p.x, y }];
    });
    if (live.length > 0) series.push({ runId: run.runId, label: `${run.label} · ${trainingMetric} (during the epoch)`, colorIndex, validation: false, withinEpoch: true, points: live });
  });
  return series;
}

/** The x axis spans the longest planned run, so a live run fills the chart left to right. */
export function epochAxisMax(runs: readonly CurveRun[]): number {
  return Math.max(1, ...runs.filter((r) => !r.hidden).map((r) => Math.max(r.epochs, ...r.history.map((h) => h.epoch))));
}

/** The best validation accuracy of a run and its epoch (1-based), for the legend. */
export function bestValidationAccuracy(run: CurveRun): { value: number; epoch: number } | undefined {
  const [series] = buildSeries([{ ...run, hidden: false }], "accuracy").filter((s) => s.validation);
  if (!series) return undefined;
  return series.points.reduce<{ value: number; epoch: number } | undefined>((best, p) => (best === undefined || p.y > best.value ? { value: p.y, epoch: p.x } : best), undefined);
}

/** The row of a sweep's comparison with the lowest final validation loss (ties: the first). */
export function bestComparisonRow<T extends { valLoss?: number }>(rows: readonly T[]): T | undefined {
  return rows.reduce<T | undefined>((best, row) => (row.valLoss !== undefined && Number.isFinite(row.valLoss) && (best?.valLoss === undefined || row.valLoss < best.valLoss) ? row : best), undefined);
}
