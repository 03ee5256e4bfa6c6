/** The confusion panel's state from an evaluation. Pure, no 'vscode' import. */
import type { ConfusionViewState } from "../../protocol/panels";
import type { EvaluationResult } from "../../protocol/training";

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
