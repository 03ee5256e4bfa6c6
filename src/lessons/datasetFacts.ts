/**
 * The dataset facts the lesson's text quotes that the training catalog does not hold: how many
 * images each dataset publishes, and the sizes of the lesson's 80/20 train/validation split.
 * Shapes and class names come from `src/training/datasets/catalog.ts`.
 */
import type { DatasetName } from "../protocol/modelSpec";
import { CIFAR10_RECORDS_PER_BATCH, CIFAR10_TRAIN_FILES } from "../training/datasets/catalog";

/** Training and test images as published (CIFAR-10: five batch files of 10,000; the IDX sets: 60,000 and 10,000). */
export const PUBLISHED_COUNTS: Record<DatasetName, { train: number; test: number }> = {
  cifar10: { train: CIFAR10_TRAIN_FILES.length * CIFAR10_RECORDS_PER_BATCH, test: CIFAR10_RECORDS_PER_BATCH },
  "fashion-mnist": { train: 60_000, test: 10_000 },
  mnist: { train: 60_000, test: 10_000 },
};

/** The lesson's `train_test_split(test_size=0.2)`. */
export const VALIDATION_FRACTION = 0.2;

export interface SplitCounts {
  train: number;
  validation: number;
}

/**
 * The sizes `splitTrainValidation` (and scikit-learn's `train_test_split`) give `images` training
 * images: ceil(0.2 × n) for validation, the rest to train on.
 */
export function splitCounts(images: number, fraction = VALIDATION_FRACTION): SplitCounts {
  const validation = Math.ceil(fraction * images);
  return { train: images - validation, validation };
}
