/** Pure view-model of the confusion matrix (no DOM), unit-tested. */

/** Cell counts divided by their row's total: the share of each true class predicted as each class. */
export function rowFractions(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count) => (total > 0 ? count / total : 0));
  });
}

/**
 * Colour strength of a cell, 0..1, from its share of the row. A square root lifts small shares so
 * that a 3% confusion is still visible next to a 90% diagonal.
 */
export function cellIntensity(fraction: number): number {
  if (!Number.isFinite(fraction) || fraction <= 0) return 0;
  return Math.min(1, Math.sqrt(fraction));
}

/** Text drawn on a strongly coloured cell switches to the light ink to stay readable. */
export function inkFor(intensity: number): "on-strong" | "on-weak" {
  return intensity >= 0.6 ? "on-strong" : "on-weak";
}

export interface Confusion {
  trueLabel: number;
  predictedLabel: number;
  count: number;
  /** Share of the true class's images that went to this wrong class. */
  fraction: number;
}

/** The largest off-diagonal cells, most images first: the mistakes worth looking at. */
export function topConfusions(matrix: readonly (readonly number[])[], limit: number): Confusion[] {
  const fractions = rowFractions(matrix);
  const cells: Confusion[] = [];
  matrix.forEach((row, trueLabel) =>
    row.forEach((count, predictedLabel) => {
      if (trueLabel !== predictedLabel && count > 0) cells.push({ trueLabel, predictedLabel, count, fraction: fractions[trueLabel]?.[predictedLabel] ?? 0 });
    }),
  );
  return cells.sort((a, b) => b.count - a.count || a.trueLabel - b.trueLabel).slice(0, limit);
}

/** Arrow-key movement of the focused cell inside an n×n grid, clamped at the edges. */
export function moveCell(cell: readonly [number, number], key: string, size: number): [number, number] | undefined {
  const [row, column] = cell;
  const clamp = (v: number): number => Math.max(0, Math.min(size - 1, v));
  switch (key) {
    case "ArrowUp":
      return [clamp(row - 1), column];
    case "ArrowDown":
      return [clamp(row + 1), column];
    case "ArrowLeft":
      return [row, clamp(column - 1)];
    case "ArrowRight":
      return [row, clamp(column + 1)];
    case "Home":
      return [row, 0];
    case "End":
      return [row, size - 1];
    default:
      return undefined;
  }
}

/** What the drill-down says about the page of a cell it shows, and whether there are more pages. */
export function cellPageWords(total: number, offset: number, shown: number): { text: string; first: number; last: number; hasPrevious: boolean; hasNext: boolean } {
  const first = offset + 1;
  const last = offset + shown;
  if (total === 0 || shown === 0) return { text: "No test image fell into this cell.", first, last, hasPrevious: false, hasNext: false };
  const probability = "The number under each image is the probability the model gave its prediction.";
  const text = shown >= total ? `${total.toLocaleString("en-US")} test image${total === 1 ? "" : "s"}. ${probability}` : `Test images ${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}. ${probability}`;
  return { text, first, last, hasPrevious: offset > 0, hasNext: last < total };
}
