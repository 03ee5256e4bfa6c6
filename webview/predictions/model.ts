/** Pure view-model of the predictions grid (no DOM), unit-tested. */
import type { PredictionFilter, PredictionView } from "../../src/protocol/panels";

export function isCorrect(item: PredictionView): boolean {
  return item.top[0]?.label === item.trueLabel;
}

export function filterPredictions(items: readonly PredictionView[], filter: PredictionFilter): PredictionView[] {
  return filter === "wrong" ? items.filter((item) => !isCorrect(item)) : [...items];
}

/** The three most likely classes, most likely first, whatever order the host sent them in. */
export function topThree(item: PredictionView): { label: number; probability: number }[] {
  return [...item.top].sort((a, b) => b.probability - a.probability).slice(0, 3);
}
