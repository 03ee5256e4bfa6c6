/**
 * What `keras.datasets.<name>.load_data()` returns in Keras 3: the number of training and test
 * images, the shape of one image and of one label (CIFAR-10's labels are `(n, 1)`, the MNISTs'
 * `(n,)`). From keras/src/datasets/cifar10.py, fashion_mnist.py and mnist.py (their docstrings
 * and asserts).
 */
export interface KerasDataset {
  train: number;
  test: number;
  image: number[];
  /** One label's shape: `[1]` for CIFAR-10's `(n, 1)`, `[]` for `(n,)`. */
  labels: number[];
}

export const KERAS_DATASETS: Readonly<Record<string, KerasDataset>> = {
  cifar10: { train: 50000, test: 10000, image: [32, 32, 3], labels: [1] },
  fashion_mnist: { train: 60000, test: 10000, image: [28, 28], labels: [] },
  mnist: { train: 60000, test: 10000, image: [28, 28], labels: [] },
};
