/**
 * The data that describes a learner's Keras model, its compile call and its fit call.
 *
 * Produced by the checker (from Python source, never executed) or by the built-in model
 * factories, consumed by the training engine and shown by the panels. Field names are Keras's own
 * snake_case names on purpose: the checker can copy keyword arguments across unchanged, and the
 * one place that converts to TensorFlow.js camelCase is the Keras registry (`src/keras/layers.ts`,
 * each layer's `tfjs`), which `src/training/kerasToTfjs.ts` calls.
 */

/** A source position (0-based line and character, like VS Code's `Position`). */
export interface SourcePosition {
  line: number;
  character: number;
}

/** A half-open range in the learner's file, used to point feedback at the exact text. */
export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/** The Keras 3 activations training can run (their tfjs counterparts are in `src/keras/activations.ts`). */
export type ActivationName = "relu" | "sigmoid" | "tanh" | "selu" | "elu" | "softmax" | "linear" | "relu6" | "softplus" | "softsign" | "silu" | "swish" | "mish" | "gelu";

export const ACTIVATION_NAMES: readonly ActivationName[] = ["relu", "sigmoid", "tanh", "selu", "elu", "softmax", "linear", "relu6", "softplus", "softsign", "silu", "swish", "mish", "gelu"];

/** A layer as Keras would serialise it, reduced to the arguments the lessons use. */
export type LayerConfig =
  | { class_name: "InputLayer"; config: { shape: number[] } }
  | {
      class_name: "Conv2D";
      config: {
        filters: number;
        kernel_size: [number, number];
        strides: [number, number];
        padding: "valid" | "same";
        dilation_rate: [number, number];
        activation: ActivationName;
        use_bias: boolean;
      };
    }
  | {
      class_name: "MaxPooling2D" | "AveragePooling2D";
      config: { pool_size: [number, number]; strides: [number, number]; padding: "valid" | "same" };
    }
  | { class_name: "Flatten"; config: Record<string, never> }
  /** One `-1` in `target_shape` stands for whatever size is left, as in Keras. */
  | { class_name: "Reshape"; config: { target_shape: number[] } }
  | { class_name: "GlobalAveragePooling2D"; config: Record<string, never> }
  | { class_name: "Dense"; config: { units: number; activation: ActivationName; use_bias: boolean } }
  | { class_name: "Dropout"; config: { rate: number; seed?: number } }
  | { class_name: "BatchNormalization"; config: { momentum: number; epsilon: number; center: boolean; scale: boolean } }
  | { class_name: "Activation"; config: { activation: ActivationName } }
  | { class_name: "LeakyReLU"; config: { negative_slope: number } };

export type LayerClassName = LayerConfig["class_name"];

export const LAYER_CLASS_NAMES: readonly LayerClassName[] = [
  "InputLayer",
  "Conv2D",
  "MaxPooling2D",
  "AveragePooling2D",
  "Flatten",
  "Reshape",
  "GlobalAveragePooling2D",
  "Dense",
  "Dropout",
  "BatchNormalization",
  "Activation",
  "LeakyReLU",
];

/** One node of a functional model: a layer, its unique name and the layers it is applied to. */
export type LayerSpec = LayerConfig & {
  /** Unique within the model, Keras style (`conv2d`, `conv2d_1`, or the learner's `name=`). */
  name: string;
  /** Names of the layers whose outputs feed this one; empty for the InputLayer. */
  inbound: string[];
  /** Where the learner wrote this layer, when it came from a Python file. */
  source?: SourceRange;
};

/**
 * A Keras functional model. `layers` is in topological order and starts with one InputLayer;
 * `output` names the layer whose output is the model's output.
 */
export interface ModelSpec {
  name: string;
  layers: LayerSpec[];
  output: string;
}

export type OptimizerSpec =
  | { name: "adam"; learning_rate: number }
  | { name: "sgd"; learning_rate: number; momentum: number }
  | { name: "rmsprop"; learning_rate: number };

export type LossName = "categorical_crossentropy" | "sparse_categorical_crossentropy";
export type MetricName = "categorical_accuracy" | "accuracy";

export interface CompileSpec {
  optimizer: OptimizerSpec;
  loss: LossName;
  metrics: MetricName[];
}

export type ValidationSpec =
  | { kind: "none" }
  /** `validation_data=(val_images, val_labels)`: the 20 % split the lesson's prepare step makes. */
  | { kind: "data" }
  | { kind: "split"; fraction: number };

export interface FitSpec {
  batch_size: number;
  epochs: number;
  validation: ValidationSpec;
  shuffle: boolean;
}

export type DatasetName = "cifar10" | "fashion-mnist" | "mnist";

export const DATASET_NAMES: readonly DatasetName[] = ["cifar10", "fashion-mnist", "mnist"];

/** Which data a run trains on; `limit` caps the number of training/test images (tests, quick demos). */
export interface DatasetRef {
  name: DatasetName;
  trainLimit?: number;
  testLimit?: number;
  /** Seed for the train/validation split; the lesson uses 42. */
  splitSeed?: number;
}

/** The Keras defaults the checker and the factories fill in when an argument is omitted. */
export const KERAS_DEFAULTS = {
  adamLearningRate: 0.001,
  sgdLearningRate: 0.01,
  rmspropLearningRate: 0.001,
  batchSize: 32,
  epochs: 1,
  leakyReluNegativeSlope: 0.3,
  batchNormMomentum: 0.99,
  batchNormEpsilon: 0.001,
} as const;
