/** The panels' states built from results: pure, no 'vscode' import. */
import type { ConfusionViewState, PredictionsViewState } from "../../protocol/panels";
import type { EvaluationResult, TestImageOutcomes } from "../../protocol/training";
import { encodePanelImage } from "./images";

export function confusionViewState(evaluation: EvaluationResult, runLabel: string, dataset?: string): ConfusionViewState {
  return {
    runLabel,
    ...(dataset === undefined ? {} : { dataset }),
    classNames: evaluation.classNames,
    matrix: evaluation.confusionMatrix,
    perClassAccuracy: evaluation.perClassAccuracy,
    accuracy: evaluation.accuracy,
    loss: evaluation.loss,
  };
}

/** What Classify Image… knows once the model answered: the file, the resized pixels, the answer. */
export interface ClassifiedImage {
  fileName: string;
  runLabel: string;
  classNames: string[];
  /** The model's input size and the pixels resized to it, HWC uint8. */
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
  originalWidth: number;
  originalHeight: number;
  top: readonly { label: number; probability: number }[];
  /** The file scaled down, in colour (HWC RGB), shown beside what the model sees. */
  original?: { width: number; height: number; pixels: Uint8Array };
  expects?: string;
  note?: string;
}

/** The predictions panel's state for one image of the learner's: no test-set items, most likely class first. */
export function ownImageViewState(classified: ClassifiedImage): Omit<PredictionsViewState, "filter"> {
  const { fileName, runLabel, classNames, width, height, channels, pixels, originalWidth, originalHeight } = classified;
  return {
    runLabel,
    classNames,
    items: [],
    ownImage: {
      fileName,
      image: encodePanelImage(width, height, channels, pixels),
      originalWidth,
      originalHeight,
      top: [...classified.top].sort((a, b) => b.probability - a.probability),
      ...(classified.original ? { original: encodePanelImage(classified.original.width, classified.original.height, 3, classified.original.pixels) } : {}),
      ...(classified.expects ? { expects: classified.expects } : {}),
      ...(classified.note ? { note: classified.note } : {}),
    },
  };
}

/** One page of the test images behind a confusion-matrix cell: test-set indices and their top probability. */
export interface CellPage {
  /** Indices into the evaluated test set, in test-set order. */
  indices: number[];
  probabilities: number[];
  /** How many images the whole cell holds. */
  total: number;
  offset: number;
}

/**
 * The images of cell (trueLabel, predictedLabel) from `offset` on, at most `pageSize` of them.
 * Reads every image's outcome when the evaluation kept them; an evaluation from before that kept
 * only its first predictions, so the cell's total then still comes from the matrix.
 */
export function cellPage(evaluation: Pick<EvaluationResult, "outcomes" | "predictions" | "confusionMatrix">, trueLabel: number, predictedLabel: number, offset: number, pageSize: number): CellPage {
  const matching = evaluation.outcomes ? cellIndices(evaluation.outcomes, trueLabel, predictedLabel) : undefined;
  const fallback = matching ? [] : evaluation.predictions.filter((p) => p.trueLabel === trueLabel && p.top[0]?.label === predictedLabel);
  const total = matching ? matching.length : (evaluation.confusionMatrix[trueLabel]?.[predictedLabel] ?? fallback.length);
  const start = Math.max(0, Math.min(offset, Math.max(0, total - 1)));
  if (matching) {
    const indices = matching.slice(start, start + pageSize);
    return { indices, probabilities: indices.map((index) => evaluation.outcomes?.topProbabilities[index] ?? 0), total, offset: start };
  }
  const page = fallback.slice(start, start + pageSize);
  return { indices: page.map((p) => p.index), probabilities: page.map((p) => p.top[0]?.probability ?? 0), total, offset: start };
}

function cellIndices(outcomes: TestImageOutcomes, trueLabel: number, predictedLabel: number): number[] {
  const indices: number[] = [];
  outcomes.trueLabels.forEach((label, index) => {
    if (label === trueLabel && outcomes.predictedLabels[index] === predictedLabel) indices.push(index);
  });
  return indices;
}
