/** Pure view-model of the predictions grid (no DOM), unit-tested. */
import type { OwnImagePrediction, PredictionFilter, PredictionView } from "../../src/protocol/panels";

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

/** Probability bars shown for the learner's own image. */
export const OWN_IMAGE_BARS = 5;

export interface OwnImageBar {
  name: string;
  probability: number;
  /** The model's answer, the most likely class. */
  best: boolean;
}

/** The most likely classes of the learner's image with their names, most likely first. */
export function ownImageBars(prediction: OwnImagePrediction, classNames: readonly string[], count = OWN_IMAGE_BARS): OwnImageBar[] {
  return [...prediction.top]
    .sort((a, b) => b.probability - a.probability)
    .slice(0, count)
    .map(({ label, probability }, rank) => ({ name: classNames[label] ?? String(label), probability, best: rank === 0 }));
}
