/**
 * The lesson's models as ModelSpec factories, written layer for layer after the lesson's
 * `create_model_intro()` and `create_model_dropout()`, with the input adapted to the dataset
 * (32×32×3 for CIFAR-10, 28×28×1 for Fashion-MNIST and MNIST). Layer names are the ones Keras
 * gives by default, so the summary reads like the lesson's.
 */
import type { ActivationName, LayerConfig, LayerSpec, ModelSpec } from "../protocol/modelSpec";
import { defaultLayerName } from "../keras/layers";

/** Builds a Sequential-style chain with Keras's default names (`conv2d`, `conv2d_1`, ...). */
export function sequentialSpec(name: string, layers: LayerConfig[]): ModelSpec {
  const counts = new Map<string, number>();
  const specs: LayerSpec[] = [];
  for (const layer of layers) {
    // Keras's own stems (the registry's), except the input, which the lesson's summaries call input_1.
    const base = layer.class_name === "InputLayer" ? "input_1" : defaultLayerName(layer.class_name);
    const count = counts.get(base) ?? 0;
    counts.set(base, count + 1);
    const name = count === 0 ? base : `${base}_${count}`;
    specs.push({ ...layer, name, inbound: specs.length === 0 ? [] : [specs[specs.length - 1]!.name] } as LayerSpec);
  }
  return { name, layers: specs, output: specs[specs.length - 1]!.name };
}

export function input(shape: number[]): LayerConfig {
  return { class_name: "InputLayer", config: { shape } };
}

export function conv2d(filters: number, activation: ActivationName, kernel: [number, number] = [3, 3]): LayerConfig {
  return {
    class_name: "Conv2D",
    config: { filters, kernel_size: kernel, strides: [1, 1], padding: "valid", dilation_rate: [1, 1], activation, use_bias: true },
  };
}

export function maxPooling2d(size: [number, number] = [2, 2]): LayerConfig {
  return { class_name: "MaxPooling2D", config: { pool_size: size, strides: size, padding: "valid" } };
}

export function dense(units: number, activation: ActivationName): LayerConfig {
  return { class_name: "Dense", config: { units, activation, use_bias: true } };
}

export const flatten: LayerConfig = { class_name: "Flatten", config: {} };

/**
 * The lesson's `create_model_intro()`: two Conv2D + MaxPooling2D blocks (16 and 32 filters),
 * Flatten, Dense 64 relu, Dense 10 softmax. 79,530 parameters on 32×32×3. `activation` is the
 * hidden layers' activation, varied by the lesson's activation-function loop.
 */
export function introModel(inputShape: number[], activation: ActivationName = "relu", classes = 10): ModelSpec {
  return sequentialSpec("cifar_model_intro", [
    input(inputShape),
    conv2d(16, activation),
    maxPooling2d(),
    conv2d(32, activation),
    maxPooling2d(),
    flatten,
    dense(64, activation),
    dense(classes, "softmax"),
  ]);
}

/**
 * The lesson's `create_model_dropout()` (episode 4): the intro model's two blocks, a third Conv2D
 * with 64 filters, Dropout, Flatten and the Dense 10 softmax output. The lesson's challenge drops
 * 50 % of the units, so that is the default; the dropout-rate loop varies it.
 */
export function dropoutModel(inputShape: number[], rate = 0.5, classes = 10): ModelSpec {
  return sequentialSpec("cifar_model_dropout", [
    input(inputShape),
    conv2d(16, "relu"),
    maxPooling2d(),
    conv2d(32, "relu"),
    maxPooling2d(),
    conv2d(64, "relu"),
    { class_name: "Dropout", config: { rate } },
    flatten,
    dense(classes, "softmax"),
  ]);
}

/** The lesson's compile and fit calls are protocol: the host fills them in for a file that has none. */
export { lessonCompile, lessonFit } from "../protocol/training";
