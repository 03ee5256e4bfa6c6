/**
 * Evaluation of a trained model on a test set: loss, accuracy, the confusion matrix (rows are the
 * true class, columns the predicted one), per-class accuracy, the top-k classes with their
 * probabilities for the first few images, and for every test image its true and predicted class
 * and top probability (what a confusion-matrix cell lists when the learner opens it).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { Prediction, TestImageOutcomes } from "../protocol/training";
import { batchTensors, type ImageSet } from "./datasets";
import { TrainingCancelledError } from "./errors";
import { EVALUATION_BATCH, yieldToEventLoop } from "./trainer";

export interface Evaluation {
  loss: number;
  accuracy: number;
  confusionMatrix: number[][];
  perClassAccuracy: number[];
  predictions: Prediction[];
  outcomes: TestImageOutcomes;
}

/** The `k` most likely classes of one probability row, most likely first. */
export function topK(probabilities: ArrayLike<number>, k: number): { label: number; probability: number }[] {
  return Array.from(probabilities, (probability, label) => ({ label, probability }))
    .sort((a, b) => b.probability - a.probability || a.label - b.label)
    .slice(0, k);
}

/** Probabilities for a batch of float32 images, as rows of a plain array. */
export async function predictProbabilities(model: LayersModel, x: tf.Tensor4D): Promise<Float32Array[]> {
  const output = model.predict(x) as tf.Tensor2D;
  const flat = (await output.data()) as Float32Array;
  const classes = output.shape[1];
  output.dispose();
  return Array.from({ length: output.shape[0] }, (_, row) => flat.subarray(row * classes, (row + 1) * classes));
}

/** Cross-entropy as Keras computes it, probabilities clipped to [1e-7, 1 − 1e-7]. */
function crossEntropy(probability: number): number {
  return -Math.log(Math.min(1 - 1e-7, Math.max(1e-7, probability)));
}

export async function evaluateModel(
  model: LayersModel,
  set: ImageSet,
  imageShape: [number, number, number],
  numClasses: number,
  options: { predictionCount?: number; topK?: number; signal?: AbortSignal | undefined } = {},
): Promise<Evaluation> {
  const predictionCount = options.predictionCount ?? 0;
  const k = Math.min(numClasses, options.topK ?? 3);
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  const predictions: Prediction[] = [];
  const outcomes: TestImageOutcomes = { trueLabels: [], predictedLabels: [], topProbabilities: [] };
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < set.count; start += EVALUATION_BATCH) {
    if (options.signal?.aborted) throw new TrainingCancelledError("Evaluation was cancelled.");
    const indices = Array.from({ length: Math.min(EVALUATION_BATCH, set.count - start) }, (_, i) => start + i);
    const { x, y } = batchTensors(set, imageShape, indices, numClasses);
    y.dispose();
    const rows = await predictProbabilities(model, x);
    x.dispose();
    rows.forEach((row, i) => {
      const index = start + i;
      const trueLabel = set.labels[index]!;
      const [best] = topK(row, 1);
      const predicted = best!.label;
      confusion[trueLabel]![predicted]! += 1;
      outcomes.trueLabels.push(trueLabel);
      outcomes.predictedLabels.push(predicted);
      // Rounded: four digits are all a percentage shown to one decimal needs, and the JSON stays small.
      outcomes.topProbabilities.push(Math.round(best!.probability * 10_000) / 10_000);
      if (predicted === trueLabel) correct += 1;
      lossSum += crossEntropy(row[trueLabel]!);
      if (index < predictionCount) predictions.push({ index, trueLabel, top: topK(row, k) });
    });
    await yieldToEventLoop();
  }
  const perClassAccuracy = confusion.map((row, label) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? 0 : row[label]! / total;
  });
  return {
    loss: lossSum / Math.max(1, set.count),
    accuracy: correct / Math.max(1, set.count),
    confusionMatrix: confusion,
    perClassAccuracy,
    predictions,
    outcomes,
  };
}
