/** Number formats shared by the panels, matching what Keras prints where Keras prints it. */
import { formatTrainingNumber } from "../../src/protocol/training";

const integerFormat = new Intl.NumberFormat("en-US");

export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** 0.8734 -> "87.3%". */
export function formatPercent(fraction: number, digits = 1): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)}%` : "–";
}

/** A loss or metric: "nan" when training diverged (NaN arrives as `null` through JSON), "–" when absent. */
export function formatMetric(value: number | null | undefined): string {
  return formatTrainingNumber(value);
}

/** 75 -> "1 min 15 s"; unknown -> "–". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${whole % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Keras's shape notation: [30, 30, 16] -> "(None, 30, 30, 16)". */
export function formatOutputShape(shape: readonly number[]): string {
  return `(None, ${shape.join(", ")})`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** "1 epoch", "3 epochs": a count with its noun in the right number. */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatInteger(count)} ${count === 1 ? singular : plural}`;
}
