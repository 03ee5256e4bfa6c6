/** Pure view-model of the summary table (no DOM), unit-tested. */
import type { ModelSummary } from "../../src/protocol/training";

/** A layer holding at least this share of all parameters is highlighted. */
export const HEAVY_LAYER_SHARE = 0.25;

export interface SummaryRowView {
  label: string;
  shape: string;
  params: number;
  /** Share of the model's parameters, 0..1. */
  share: number;
  heavy: boolean;
}

export function summaryRows(summary: ModelSummary): SummaryRowView[] {
  return summary.rows.map((row) => {
    const share = summary.totalParams > 0 ? row.params / summary.totalParams : 0;
    return { label: `${row.name} (${row.className})`, shape: `(None, ${row.outputShape.join(", ")})`, params: row.params, share, heavy: share >= HEAVY_LAYER_SHARE };
  });
}

/** Keras's size in brackets after a parameter count: float32 weights, e.g. 79,530 -> "310.66 KB". */
export function kerasParamSize(params: number): string {
  const bytes = params * 4;
  if (bytes < 1024) return `${bytes.toFixed(2)} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(2)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(2)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
