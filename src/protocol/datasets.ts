/**
 * The facts about each dataset that the host, the webviews and the training engine all show:
 * class names, image shape and the name a learner reads. Where the files come from and how they
 * are checked stays with the engine (`src/training/datasets/catalog.ts`), which re-exports these.
 */
import type { DatasetName } from "./modelSpec";

export const CLASS_NAMES: Record<DatasetName, string[]> = {
  cifar10: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
  "fashion-mnist": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
  mnist: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
};

export const IMAGE_SHAPES: Record<DatasetName, [number, number, number]> = {
  cifar10: [32, 32, 3],
  "fashion-mnist": [28, 28, 1],
  mnist: [28, 28, 1],
};

export const DISPLAY_NAMES: Record<DatasetName, string> = {
  cifar10: "CIFAR-10",
  "fashion-mnist": "Fashion-MNIST",
  mnist: "MNIST",
};

/** `170052171` -> `162.2 MiB`: sizes for listings and progress bars. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
