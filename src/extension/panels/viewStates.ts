/** The panels' states built from results: pure, no 'vscode' import. */
import type { ConfusionViewState, PredictionsViewState } from "../../protocol/panels";
import type { EvaluationResult } from "../../protocol/training";
import { encodePanelImage } from "./images";

export function confusionViewState(evaluation: EvaluationResult, runLabel: string): ConfusionViewState {
  return {
    runLabel,
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
    },
  };
}
