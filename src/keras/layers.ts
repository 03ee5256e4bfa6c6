/**
 * The Keras 3 layers the lessons use and their neighbours, each described once: its names under
 * `keras.layers`, its constructor's signature (positional order, keyword names, defaults), what
 * Keras 3 accepts and raises, its output shape and parameter count, and its TensorFlow.js
 * counterpart. The checker, spec validation, the summary and the tfjs builder all read this.
 *
 * Configs keep Keras's snake_case; `tfjsLayer` is the one place that turns them into tfjs's
 * camelCase arguments.
 */
import type * as tfl from "@tensorflow/tfjs-layers";
import { KERAS_DEFAULTS, type LayerClassName, type LayerConfig } from "../protocol/modelSpec";
import { TFJS_ACTIVATIONS } from "./activations";
import { ArgumentReader, type KerasProblem } from "./arguments";
import { nameProblem } from "./training";
import { bindCall, fromJson, pyRepr, pyFloat, pyInt, pyStr, pyTuple, PY_NONE, type ArgumentSource, type BindResult, type CallArguments, type PyValue, type ReadMode, type Signature } from "./python";

/** A shape with `null` for the batch dimension (or any dimension that is not known). */
export type Shape = (number | null)[];

export type ConfigOf<K extends LayerClassName> = Extract<LayerConfig, { class_name: K }>["config"];

/** The tfjs layer factory and its (camelCase) arguments. */
export type TfjsFactory = "conv2d" | "maxPooling2d" | "averagePooling2d" | "flatten" | "reshape" | "globalAveragePooling2d" | "dense" | "dropout" | "batchNormalization" | "activation" | "leakyReLU";
export type TfjsLayer = { [F in TfjsFactory]: { factory: F; args: NonNullable<Parameters<(typeof tfl.layers)[F]>[0]> } }[TfjsFactory];

export interface Inference {
  outputShape: Shape;
  trainableParams: number;
  nonTrainableParams: number;
  /** Keras 3 raises (error) or runs but not as meant (warning) when the layer is applied. */
  problems: KerasProblem[];
}

/** A parameter of a constructor: its name and Keras's default (`REQUIRED`: none). */
type ParamSpec = readonly [name: string, fallback: PyValue | typeof REQUIRED];
const REQUIRED = Symbol("required");

interface LayerDefinition<K extends LayerClassName> {
  className: K;
  /** Names under `keras.layers`: the class and its aliases. */
  names: readonly string[];
  /** The Keras 3 file that defines it, for the rules' citations. */
  kerasSource: string;
  params: readonly ParamSpec[];
  /** False for pooling layers, which take `name` as an ordinary parameter. */
  keywordName: boolean;
  read(args: ArgumentReader): ConfigOf<K>;
  infer(config: ConfigOf<K>, input: Shape): Inference;
  /** `input`: the shape the layer is applied to, for counterparts that need it resolved (Reshape's -1). */
  tfjs(config: ConfigOf<K>, name: string, input: Shape): TfjsLayer;
}

/**
 * keras/src/layers/layer.py `Layer.__init__(*, activity_regularizer, trainable, dtype, autocast,
 * name, **kwargs)`: these keywords reach every layer through `**kwargs`; it pops `input_dim` and
 * `input_shape` (with a warning) and raises "Unrecognized keyword arguments passed to ..." for
 * any other keyword left.
 */
const LAYER_KEYWORDS = ["activity_regularizer", "trainable", "dtype", "autocast", "name", "input_dim", "input_shape"];

const NONE = PY_NONE;
const ZERO_PROBLEMS: KerasProblem[] = [];

function conv2dShape(size: number | null, window: number, stride: number, dilation: number, padding: "valid" | "same"): number | null {
  // keras/src/ops/operation_utils.py compute_conv_output_shape / compute_pooling_output_shape.
  if (size === null) return null;
  if (padding === "same") return Math.floor((size - 1) / stride) + 1;
  return Math.floor((size - dilation * (window - 1) - 1) / stride) + 1;
}

/** keras/src/layers/input_spec.py assert_input_compatibility, for `ndim` and `min_ndim`. */
function rankProblem(className: string, input: Shape, want: { ndim?: number; minNdim?: number }): KerasProblem | undefined {
  const rank = input.length;
  const ok = want.ndim !== undefined ? rank === want.ndim : rank >= (want.minNdim ?? 0);
  if (ok) return undefined;
  const expected = want.ndim !== undefined ? `ndim=${want.ndim}` : `min_ndim=${want.minNdim}`;
  const shape = describeShape(input);
  const image = (want.ndim ?? want.minNdim) === 4;
  return {
    severity: "error",
    raises: `ValueError: Input 0 of layer "${className}" is incompatible with the layer: expected ${expected}, found ndim=${rank}. Full shape received: ${shape}`,
    message: image
      ? `${className} works on images of shape (batch, height, width, channels), but it is applied to a tensor of shape ${shape}; Keras 3 raises a ValueError. Apply it before the Flatten layer, to the output of the Input or of another 2-D layer.`
      : `${className} is applied to a tensor of shape ${shape}, which has too few dimensions for it; Keras 3 raises a ValueError.`,
  };
}

export function describeShape(shape: Shape): string {
  const dims = shape.map((dim) => (dim === null ? "None" : String(dim)));
  return `(${dims.join(", ")}${dims.length === 1 ? "," : ""})`;
}

function windowed(input: Shape, window: [number, number], strides: [number, number], dilation: [number, number], padding: "valid" | "same", channels: number | null): { shape: Shape; problem?: KerasProblem } {
  const height = conv2dShape(input[1] ?? null, window[0], strides[0], dilation[0], padding);
  const width = conv2dShape(input[2] ?? null, window[1], strides[1], dilation[1], padding);
  if ((height !== null && height < 1) || (width !== null && width < 1)) {
    return {
      shape: [input[0] ?? null, 1, 1, channels],
      problem: {
        severity: "error",
        raises: `ValueError: Computed output size would be negative. Received inputs shape=${describeShape(input)}, kernel shape=${describeShape(window)}.`,
        message: `The input ${describeShape(input)} is smaller than this ${window[0]}x${window[1]} window, so nothing is left and Keras 3 raises a ValueError. Use a smaller window, padding='same', or fewer pooling layers before this one.`,
      },
    };
  }
  return { shape: [input[0] ?? null, height, width, channels] };
}

function noWeights(outputShape: Shape, problems: KerasProblem[] = ZERO_PROBLEMS): Inference {
  return { outputShape, trainableParams: 0, nonTrainableParams: 0, problems };
}

const pair = (value: number): PyValue => pyTuple(pyInt(value), pyInt(value));

const conv2d: LayerDefinition<"Conv2D"> = {
  className: "Conv2D",
  names: ["Conv2D", "Convolution2D"],
  kerasSource: "keras/src/layers/convolutional/conv2d.py, base_conv.py",
  params: [
    ["filters", REQUIRED],
    ["kernel_size", REQUIRED],
    ["strides", pair(1)],
    ["padding", pyStr("valid")],
    ["data_format", NONE],
    ["dilation_rate", pair(1)],
    ["groups", pyInt(1)],
    ["activation", NONE],
    ["use_bias", { kind: "bool", value: true }],
    ["kernel_initializer", pyStr("glorot_uniform")],
    ["bias_initializer", pyStr("zeros")],
    ["kernel_regularizer", NONE],
    ["bias_regularizer", NONE],
    ["activity_regularizer", NONE],
    ["kernel_constraint", NONE],
    ["bias_constraint", NONE],
  ],
  keywordName: true,
  read(args) {
    const filters = args.positiveInt("filters", (shown) => `ValueError: Invalid value for argument \`filters\`. Expected a strictly positive value. Received filters=${shown}.`, 16);
    const kernel_size = args.pair("kernel_size", { fallback: [3, 3] });
    const strides = args.pair("strides");
    const padding = args.padding();
    args.dataFormat();
    const dilation_rate = args.pair("dilation_rate");
    // base_conv.py: groups must be positive and divide filters; only groups=1 is modelled.
    const groups = args.value("groups");
    if (groups.kind === "int" && groups.value !== 1) {
      if (groups.value <= 0) args.raise("groups", `ValueError: The number of groups must be a positive integer. Received: groups=${groups.value}.`, `\`groups\` of ${args.display} must be a whole number above 0; Keras 3 raises a ValueError.`);
      else args.warn("groups", `Grouped convolutions (groups=${groups.value}) are outside what the checker and training here follow; the shapes shown assume groups=1.`);
    }
    if (Math.max(...strides) > 1 && Math.max(...dilation_rate) > 1) {
      args.raise(
        "dilation_rate",
        `ValueError: \`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. Received: strides=${pyRepr(pyTuple(...strides.map(pyInt)))} and dilation_rate=${pyRepr(pyTuple(...dilation_rate.map(pyInt)))}`,
        `Keras 3 does not allow strides above 1 together with a dilation_rate above 1 in one Conv2D layer; it raises a ValueError. Use one or the other.`,
      );
    }
    const activation = args.activation();
    const use_bias = args.bool("use_bias");
    for (const name of ["kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"]) args.notModelled(name);
    return { filters, kernel_size, strides, padding, dilation_rate, activation, use_bias };
  },
  infer(config, input) {
    const rank = rankProblem("Conv2D", input, { minNdim: 4 });
    if (rank) return noWeights(input, [rank]);
    const channels = input[3] ?? null;
    const { shape, problem } = windowed(input, config.kernel_size, config.strides, config.dilation_rate, config.padding, config.filters);
    // base_conv.py build: kernel (kh, kw, in_channels, filters) and a bias of `filters`.
    const params = channels === null ? 0 : config.kernel_size[0] * config.kernel_size[1] * channels * config.filters + (config.use_bias ? config.filters : 0);
    return { outputShape: shape, trainableParams: problem ? 0 : params, nonTrainableParams: 0, problems: problem ? [problem] : ZERO_PROBLEMS };
  },
  tfjs(config, name) {
    return {
      factory: "conv2d",
      args: {
        name,
        filters: config.filters,
        kernelSize: config.kernel_size,
        strides: config.strides,
        padding: config.padding,
        dilationRate: config.dilation_rate,
        activation: TFJS_ACTIVATIONS[config.activation] as "relu",
        useBias: config.use_bias,
      },
    };
  },
};

function pooling<K extends "MaxPooling2D" | "AveragePooling2D">(className: K, names: string[], kerasSource: string, poolSizeDefault: PyValue | typeof REQUIRED): LayerDefinition<K> {
  return {
    className,
    names,
    kerasSource: `${kerasSource}, keras/src/layers/pooling/base_pooling.py`,
    params: [
      ["pool_size", poolSizeDefault],
      ["strides", NONE],
      ["padding", pyStr("valid")],
      ["data_format", NONE],
      ["name", NONE],
    ],
    keywordName: false,
    read(args) {
      const pool_size = args.pair("pool_size", { fallback: [2, 2] });
      // base_pooling.py: `strides = pool_size if strides is None else strides`, zero allowed.
      const strides = args.value("strides").kind === "none" ? pool_size : args.pair("strides", { allowZero: true, fallback: pool_size });
      const padding = args.padding({ exact: true });
      args.dataFormat();
      return { pool_size, strides, padding } as ConfigOf<K>;
    },
    infer(config, input) {
      const rank = rankProblem(className, input, { ndim: 4 });
      if (rank) return noWeights(input, [rank]);
      if (config.strides.includes(0)) {
        return noWeights(input, [{ severity: "error", raises: `ZeroDivisionError: Exception encountered when calling ${className}.call().`, message: `A stride of 0 does not move the ${className} window; Keras 3 fails with a ZeroDivisionError when the layer is applied.`, argument: "strides" }]);
      }
      const { shape, problem } = windowed(input, config.pool_size, config.strides, [1, 1], config.padding, input[3] ?? null);
      return noWeights(shape, problem ? [problem] : ZERO_PROBLEMS);
    },
    tfjs(config, name) {
      const args = { name, poolSize: config.pool_size, strides: config.strides, padding: config.padding };
      return className === "MaxPooling2D" ? { factory: "maxPooling2d", args } : { factory: "averagePooling2d", args };
    },
  };
}

const flatten: LayerDefinition<"Flatten"> = {
  className: "Flatten",
  names: ["Flatten"],
  kerasSource: "keras/src/layers/reshaping/flatten.py",
  params: [["data_format", NONE]],
  keywordName: true,
  read(args) {
    args.dataFormat();
    return {};
  },
  infer(_config, input) {
    const rank = rankProblem("Flatten", input, { minNdim: 1 });
    if (rank) return noWeights(input, [rank]);
    const rest = input.slice(1);
    const size = rest.every((dim) => dim !== null) ? rest.reduce<number>((product, dim) => product * (dim ?? 1), 1) : null;
    return noWeights([input[0] ?? null, size]);
  },
  tfjs(_config, name) {
    return { factory: "flatten", args: { name } };
  },
};

/** keras/src/ops/operation_utils.py compute_reshape_output_shape: the sizes must multiply to the same total; one -1 takes what is left. */
function reshapeOutput(input: Shape, target: number[]): { shape: Shape; problem?: KerasProblem } {
  const rest = input.slice(1);
  const shown = `input_shape=${describeShape(rest)}, target_shape=${describeShape(target)}`;
  if (rest.some((dim) => dim === null)) return { shape: [input[0] ?? null, ...target.map((dim) => (dim === -1 ? null : dim))] };
  const total = rest.reduce<number>((product, dim) => product * (dim ?? 1), 1);
  const known = target.filter((dim) => dim !== -1).reduce((product, dim) => product * dim, 1);
  const free = target.indexOf(-1);
  const fits = free === -1 ? known === total : known !== 0 && total % known === 0;
  if (!fits) {
    return {
      shape: [input[0] ?? null, ...target.map((dim) => (dim === -1 ? null : dim))],
      problem: {
        severity: "error",
        raises: free === -1 ? `ValueError: The total size of the tensor must be unchanged. Received: ${shown}` : `ValueError: The total size of the tensor must be unchanged, however, the input size cannot by divided by the specified dimensions in target_shape. Received: ${shown}`,
        message: `Reshape keeps every number of its input: ${describeShape(rest)} holds ${total} numbers per image, which ${describeShape(target)} cannot hold, so Keras 3 raises a ValueError.`,
      },
    };
  }
  return { shape: [input[0] ?? null, ...target.map((dim) => (dim === -1 ? total / known : dim))] };
}

const reshape: LayerDefinition<"Reshape"> = {
  className: "Reshape",
  names: ["Reshape"],
  kerasSource: "keras/src/layers/reshaping/reshape.py",
  params: [["target_shape", REQUIRED]],
  keywordName: true,
  read(args) {
    const value = args.value("target_shape");
    if (value.kind === "unknown") return { target_shape: args.placeholder("target_shape", [-1]) };
    const items = value.kind === "tuple" || value.kind === "list" ? value.items : undefined;
    if (items?.some((item) => item.kind === "unknown")) return { target_shape: args.placeholder("target_shape", [-1]) };
    const dims = items?.map((item) => (item.kind === "int" && (item.value > 0 || item.value === -1) ? item.value : null));
    // reshape.py: `tuple(target_shape)` (an int is not iterable), then validate_reshape_shape: sizes > 0 and at most one -1.
    if (!dims || dims.some((dim) => dim === null) || dims.filter((dim) => dim === -1).length > 1) {
      args.raise(
        "target_shape",
        items ? `ValueError: Invalid value for argument target_shape: ${pyRepr(value)}` : `TypeError: '${value.kind}' object is not iterable`,
        `target_shape of keras.layers.Reshape is a tuple of sizes, one of which may be -1 for whatever is left; Keras 3 raises for ${pyRepr(value)}.`,
      );
      return { target_shape: args.placeholder("target_shape", [-1]) };
    }
    return { target_shape: dims as number[] };
  },
  infer(config, input) {
    const { shape, problem } = reshapeOutput(input, config.target_shape);
    return noWeights(shape, problem ? [problem] : ZERO_PROBLEMS);
  },
  tfjs(config, name, input) {
    // tfjs leaves a -1 unknown in the static shape (the next Dense cannot build), so it gets the sizes Keras computes.
    const resolved = reshapeOutput(input, config.target_shape).shape.slice(1);
    const targetShape = resolved.every((dim): dim is number => dim !== null) ? resolved : config.target_shape;
    return { factory: "reshape", args: { name, targetShape } };
  },
};

const globalAveragePooling2d: LayerDefinition<"GlobalAveragePooling2D"> = {
  className: "GlobalAveragePooling2D",
  names: ["GlobalAveragePooling2D", "GlobalAvgPool2D"],
  kerasSource: "keras/src/layers/pooling/global_average_pooling2d.py, base_global_pooling.py",
  params: [
    ["data_format", NONE],
    ["keepdims", { kind: "bool", value: false }],
  ],
  keywordName: true,
  read(args) {
    args.dataFormat();
    const keepdims = args.value("keepdims");
    if (keepdims.kind === "bool" && keepdims.value) args.warn("keepdims", "keepdims=True keeps a 1x1 image per channel; the checker and training here follow only keepdims=False.");
    return {};
  },
  infer(_config, input) {
    const rank = rankProblem("GlobalAveragePooling2D", input, { ndim: 4 });
    if (rank) return noWeights(input, [rank]);
    return noWeights([input[0] ?? null, input[3] ?? null]);
  },
  tfjs(_config, name) {
    return { factory: "globalAveragePooling2d", args: { name } };
  },
};

const dense: LayerDefinition<"Dense"> = {
  className: "Dense",
  names: ["Dense"],
  kerasSource: "keras/src/layers/core/dense.py",
  params: [
    ["units", REQUIRED],
    ["activation", NONE],
    ["use_bias", { kind: "bool", value: true }],
    ["kernel_initializer", pyStr("glorot_uniform")],
    ["bias_initializer", pyStr("zeros")],
    ["kernel_regularizer", NONE],
    ["bias_regularizer", NONE],
    ["activity_regularizer", NONE],
    ["kernel_constraint", NONE],
    ["bias_constraint", NONE],
    ["lora_rank", NONE],
    ["lora_alpha", NONE],
    ["quantization_config", NONE],
  ],
  keywordName: true,
  read(args) {
    const units = args.positiveInt("units", (shown) => `ValueError: Received an invalid value for \`units\`, expected a positive integer. Received: units=${shown}`, 10);
    const activation = args.activation();
    const use_bias = args.bool("use_bias");
    for (const name of ["kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint", "lora_rank", "lora_alpha", "quantization_config"]) args.notModelled(name);
    return { units, activation, use_bias };
  },
  infer(config, input) {
    const rank = rankProblem("Dense", input, { minNdim: 2 });
    if (rank) return noWeights(input, [rank]);
    const last = input[input.length - 1] ?? null;
    const problems: KerasProblem[] = [];
    if (input.length > 2) {
      // Keras 3 accepts this (dense.py applies the kernel to the last axis), so it is a warning.
      problems.push({
        severity: "warning",
        message: `Dense is applied to the image tensor ${describeShape(input)}, so it works on each pixel separately and the output keeps the image's height and width. Flatten the feature maps first (keras.layers.Flatten) so that Dense sees one vector per image.`,
      });
    }
    const params = last === null ? 0 : last * config.units + (config.use_bias ? config.units : 0);
    return { outputShape: [...input.slice(0, -1), config.units], trainableParams: params, nonTrainableParams: 0, problems };
  },
  tfjs(config, name) {
    return { factory: "dense", args: { name, units: config.units, activation: TFJS_ACTIVATIONS[config.activation] as "relu", useBias: config.use_bias } };
  },
};

const dropout: LayerDefinition<"Dropout"> = {
  className: "Dropout",
  names: ["Dropout"],
  kerasSource: "keras/src/layers/regularization/dropout.py",
  params: [
    ["rate", REQUIRED],
    ["noise_shape", NONE],
    ["seed", NONE],
  ],
  keywordName: true,
  read(args) {
    const rate = args.comparable("rate", 0.5);
    let checked = rate ?? 0.5;
    // dropout.py: `if not 0 <= rate <= 1: raise ValueError(...)`.
    if (rate !== undefined && !(rate >= 0 && rate <= 1)) {
      args.raise("rate", `ValueError: Invalid value received for argument \`rate\`. Expected a float value between 0 and 1. Received: rate=${pyRepr(args.value("rate"))}`, `The dropout rate is the fraction of units dropped, from 0 to 1; Keras 3 raises a ValueError for ${pyRepr(args.value("rate"))}.`);
      checked = args.placeholder("rate", 0.5);
    } else if (rate === 1) {
      args.warn("rate", "A dropout rate of 1 drops every unit during training, so nothing reaches the next layer. Keras 3 accepts it, but the model cannot learn.");
    }
    args.notModelled("noise_shape");
    const seed = args.value("seed");
    return seed.kind === "int" ? { rate: checked, seed: seed.value } : { rate: checked };
  },
  infer(_config, input) {
    return noWeights(input);
  },
  tfjs(config, name) {
    // Keras's `seed` advances between batches; tfjs's would draw the same mask every batch
    // and stop dropout from regularising, so it is not passed on.
    return { factory: "dropout", args: { name, rate: config.rate } };
  },
};

const batchNormalization: LayerDefinition<"BatchNormalization"> = {
  className: "BatchNormalization",
  names: ["BatchNormalization"],
  kerasSource: "keras/src/layers/normalization/batch_normalization.py",
  params: [
    ["axis", pyInt(-1)],
    ["momentum", pyFloat(KERAS_DEFAULTS.batchNormMomentum)],
    ["epsilon", pyFloat(KERAS_DEFAULTS.batchNormEpsilon)],
    ["center", { kind: "bool", value: true }],
    ["scale", { kind: "bool", value: true }],
    ["beta_initializer", pyStr("zeros")],
    ["gamma_initializer", pyStr("ones")],
    ["moving_mean_initializer", pyStr("zeros")],
    ["moving_variance_initializer", pyStr("ones")],
    ["beta_regularizer", NONE],
    ["gamma_regularizer", NONE],
    ["beta_constraint", NONE],
    ["gamma_constraint", NONE],
    ["renorm", { kind: "bool", value: false }],
    ["renorm_clipping", NONE],
    ["renorm_momentum", pyFloat(0.99)],
    ["synchronized", { kind: "bool", value: false }],
  ],
  keywordName: true,
  read(args) {
    const axis = args.value("axis");
    if (axis.kind !== "unknown" && !(axis.kind === "int" && axis.value === -1)) args.warn("axis", `The checker and training here follow BatchNormalization only over the last axis (axis=-1), not axis=${pyRepr(axis)}.`);
    const momentum = args.float("momentum", KERAS_DEFAULTS.batchNormMomentum);
    const epsilon = args.float("epsilon", KERAS_DEFAULTS.batchNormEpsilon);
    const center = args.bool("center");
    const scale = args.bool("scale");
    for (const name of ["beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint", "renorm", "renorm_clipping", "renorm_momentum", "synchronized"]) {
      args.notModelled(name);
    }
    return { momentum, epsilon, center, scale };
  },
  infer(config, input) {
    const channels = input[input.length - 1] ?? null;
    if (channels === null) return noWeights(input);
    // batch_normalization.py build: gamma (scale) and beta (center) train; the moving mean and
    // variance do not.
    return { outputShape: input, trainableParams: channels * ((config.center ? 1 : 0) + (config.scale ? 1 : 0)), nonTrainableParams: 2 * channels, problems: ZERO_PROBLEMS };
  },
  tfjs(config, name) {
    return { factory: "batchNormalization", args: { name, momentum: config.momentum, epsilon: config.epsilon, center: config.center, scale: config.scale } };
  },
};

const activation: LayerDefinition<"Activation"> = {
  className: "Activation",
  names: ["Activation"],
  kerasSource: "keras/src/layers/activations/activation.py",
  params: [["activation", REQUIRED]],
  keywordName: true,
  read(args) {
    return { activation: args.activation() };
  },
  infer(_config, input) {
    return noWeights(input);
  },
  tfjs(config, name) {
    return { factory: "activation", args: { name, activation: TFJS_ACTIVATIONS[config.activation] as "relu" } };
  },
};

const leakyRelu: LayerDefinition<"LeakyReLU"> = {
  className: "LeakyReLU",
  names: ["LeakyReLU"],
  kerasSource: "keras/src/layers/activations/leaky_relu.py",
  params: [["negative_slope", pyFloat(KERAS_DEFAULTS.leakyReluNegativeSlope)]],
  keywordName: true,
  read(args) {
    const slope = args.comparable("negative_slope", KERAS_DEFAULTS.leakyReluNegativeSlope);
    // leaky_relu.py: None or a negative slope raises.
    if (slope !== undefined && slope < 0) {
      args.raise(
        "negative_slope",
        `ValueError: The negative_slope value of a Leaky ReLU layer cannot be None or negative value. Expected a float. Received: negative_slope=${pyRepr(args.value("negative_slope"))}`,
        `negative_slope of LeakyReLU is the slope below zero, a number of 0 or more; Keras 3 raises a ValueError for ${pyRepr(args.value("negative_slope"))}.`,
      );
      return { negative_slope: args.placeholder("negative_slope", KERAS_DEFAULTS.leakyReluNegativeSlope) };
    }
    return { negative_slope: slope ?? KERAS_DEFAULTS.leakyReluNegativeSlope };
  },
  infer(_config, input) {
    return noWeights(input);
  },
  tfjs(config, name) {
    return { factory: "leakyReLU", args: { name, alpha: config.negative_slope } };
  },
};

type Definitions = { [K in Exclude<LayerClassName, "InputLayer">]: LayerDefinition<K> };

const DEFINITIONS: Definitions = {
  Conv2D: conv2d,
  MaxPooling2D: pooling("MaxPooling2D", ["MaxPooling2D", "MaxPool2D"], "keras/src/layers/pooling/max_pooling2d.py", pair(2)),
  AveragePooling2D: pooling("AveragePooling2D", ["AveragePooling2D", "AvgPool2D"], "keras/src/layers/pooling/average_pooling2d.py", REQUIRED),
  Flatten: flatten,
  Reshape: reshape,
  GlobalAveragePooling2D: globalAveragePooling2d,
  Dense: dense,
  Dropout: dropout,
  BatchNormalization: batchNormalization,
  Activation: activation,
  LeakyReLU: leakyRelu,
};

export type BuildableClassName = keyof Definitions;

/** What the rest of the code sees of a definition; one cast hides the per-class config types. */
interface AnyDefinition {
  className: BuildableClassName;
  names: readonly string[];
  kerasSource: string;
  params: readonly ParamSpec[];
  keywordName: boolean;
  read(args: ArgumentReader): LayerConfig["config"];
  infer(config: LayerConfig["config"], input: Shape): Inference;
  tfjs(config: LayerConfig["config"], name: string, input: Shape): TfjsLayer;
}

function definition(className: BuildableClassName): AnyDefinition {
  // TypeScript cannot correlate `DEFINITIONS[K]` with `ConfigOf<K>` across the union.
  return DEFINITIONS[className] as unknown as AnyDefinition;
}

/** `keras.layers.<name>` → its class, for the class names and their aliases. */
export const LAYER_NAMES: ReadonlyMap<string, BuildableClassName> = new Map(
  Object.values(DEFINITIONS).flatMap((entry: AnyDefinition) => entry.names.map((name) => [name, entry.className] as const)),
);

/**
 * Every name `keras.layers` has in Keras 3 (keras/api/layers/__init__.py). A name outside this
 * list is Python's AttributeError; one inside it but not in the registry is a real layer the
 * checker does not follow.
 */
export const KERAS_LAYERS_MODULE: readonly string[] = (
  "Activation ActivityRegularization AdaptiveAveragePooling1D AdaptiveAveragePooling2D AdaptiveAveragePooling3D AdaptiveMaxPooling1D AdaptiveMaxPooling2D " +
  "AdaptiveMaxPooling3D Add AdditiveAttention AlphaDropout Attention AugMix AutoContrast Average AveragePooling1D AveragePooling2D AveragePooling3D AvgPool1D " +
  "AvgPool2D AvgPool3D BatchNormalization Bidirectional CategoryEncoding CenterCrop Concatenate ContrastLimitedAdaptiveHistogramEqualization Conv1D " +
  "Conv1DTranspose Conv2D Conv2DTranspose Conv3D Conv3DTranspose ConvLSTM1D ConvLSTM2D ConvLSTM3D Convolution1D Convolution1DTranspose Convolution2D " +
  "Convolution2DTranspose Convolution3D Convolution3DTranspose Cropping1D Cropping2D Cropping3D CutMix Dense DepthwiseConv1D DepthwiseConv2D Discretization " +
  "Dot Dropout ELU EinsumDense Embedding Equalization Flatten FlaxLayer GRU GRUCell GaussianDropout GaussianNoise GlobalAveragePooling1D GlobalAveragePooling2D " +
  "GlobalAveragePooling3D GlobalAvgPool1D GlobalAvgPool2D GlobalAvgPool3D GlobalMaxPool1D GlobalMaxPool2D GlobalMaxPool3D GlobalMaxPooling1D GlobalMaxPooling2D " +
  "GlobalMaxPooling3D GroupNormalization GroupQueryAttention GroupedQueryAttention HashedCrossing Hashing Identity Input InputLayer InputSpec IntegerLookup " +
  "JaxLayer LSTM LSTMCell Lambda Layer LayerNormalization LeakyReLU Masking MaxNumBoundingBoxes MaxPool1D MaxPool2D MaxPool3D MaxPooling1D MaxPooling2D " +
  "MaxPooling3D Maximum MelSpectrogram Minimum MixUp MultiHeadAttention Multiply Normalization PReLU Permute Pipeline RMSNormalization RNN RandAugment " +
  "RandomBrightness RandomColorDegeneration RandomColorJitter RandomContrast RandomCrop RandomElasticTransform RandomErasing RandomFlip RandomGaussianBlur " +
  "RandomGrayscale RandomHue RandomInvert RandomPerspective RandomPosterization RandomRotation RandomSaturation RandomSharpness RandomShear RandomTranslation " +
  "RandomZoom ReLU RepeatVector Rescaling Reshape Resizing ReversibleEmbedding STFTSpectrogram SeparableConv1D SeparableConv2D SeparableConvolution1D " +
  "SeparableConvolution2D SimpleRNN SimpleRNNCell Softmax Solarization SpatialDropout1D SpatialDropout2D SpatialDropout3D SpectralNormalization " +
  "StackedRNNCells StringLookup Subtract TFSMLayer TernaryDense TextVectorization TimeDistributed TorchModuleWrapper UnitNormalization UpSampling1D " +
  "UpSampling2D UpSampling3D Wrapper ZeroPadding1D ZeroPadding2D ZeroPadding3D add average concatenate deserialize dot maximum minimum multiply serialize subtract"
).split(" ");

export const LAYER_CLASSES: readonly BuildableClassName[] = Object.keys(DEFINITIONS) as BuildableClassName[];

/** Whether the layer takes an `activation=` of its own (Conv2D, Dense), read from its signature. */
export function takesActivation(className: BuildableClassName): boolean {
  return className !== "Activation" && definition(className).params.some(([name]) => name === "activation");
}

/** The Keras source file of each layer, for documentation and tests. */
export function kerasSourceOf(className: BuildableClassName): string {
  return definition(className).kerasSource;
}

const signatures = new Map<BuildableClassName, Signature>();

/** The constructor's Python signature. */
export function layerSignature(className: BuildableClassName): Signature {
  let found = signatures.get(className);
  if (!found) {
    const entry = definition(className);
    found = {
      callee: `${className}.__init__()`,
      display: `keras.layers.${className}`,
      params: entry.params.map(([name, fallback]) => ({ name, optional: fallback !== REQUIRED })),
      method: true,
      kwargs: true,
    };
    signatures.set(className, found);
  }
  return found;
}

export interface BuiltLayer {
  layer: LayerConfig;
  /** The learner's `name=`, when given as a string. */
  name?: string;
  /** Parameters whose value is not known: the config holds placeholders for them. */
  unknownArguments: string[];
  problems: KerasProblem[];
  /** Which argument of the call holds each parameter's value. */
  sources: Map<string, ArgumentSource>;
}

/**
 * `keras.layers.<className>(...)`: binds the call the way Python does, then reads each
 * parameter with Keras 3's checks. Never throws; problems say what Keras 3 would do.
 */
export function buildLayer(className: BuildableClassName, call: CallArguments<PyValue>, mode: ReadMode = "python"): BuiltLayer {
  const entry = definition(className);
  const bound = bindCall(layerSignature(className), call);
  return readLayer(entry, bound, mode);
}

function readLayer(entry: AnyDefinition, bound: BindResult<PyValue>, mode: ReadMode): BuiltLayer {
  const problems: KerasProblem[] = [];
  if (bound.error) {
    const problem: KerasProblem = { severity: "error", message: bound.error.message, raises: bound.error.raises };
    if (bound.error.at?.kind === "keyword") problem.argument = bound.error.at.name;
    problems.push(problem);
  }
  const given = new Map<string, PyValue>();
  const sources = new Map<string, ArgumentSource>();
  for (const [name, argument] of bound.bound) {
    given.set(name, argument.value);
    sources.set(name, argument.from);
  }
  const unrecognized: [string, PyValue][] = [];
  for (const [name, argument] of bound.extra) {
    sources.set(name, argument.from);
    if (LAYER_KEYWORDS.includes(name) && (entry.keywordName || name !== "name")) given.set(name, argument.value);
    else unrecognized.push([name, argument.value]);
  }
  // leaky_relu.py pops the deprecated `alpha` before Layer.__init__ sees it.
  if (entry.className === "LeakyReLU") {
    const alphaIndex = unrecognized.findIndex(([name]) => name === "alpha");
    const alpha = unrecognized[alphaIndex];
    if (alpha) {
      unrecognized.splice(alphaIndex, 1);
      given.set("negative_slope", alpha[1]);
      problems.push({ severity: "info", message: "Keras 3 calls this argument negative_slope; alpha still works but is deprecated.", argument: "alpha" });
    }
  }
  if (unrecognized.length > 0) {
    const [first] = unrecognized[0]!;
    problems.push({
      severity: "error",
      argument: first,
      raises: `ValueError: Unrecognized keyword arguments passed to ${entry.className}: {${unrecognized.map(([name, value]) => `'${name}': ${pyRepr(value)}`).join(", ")}}`,
      message: `${entry.className} has no argument called \`${first}\`; Keras 3 raises a ValueError. Check the spelling against the Keras documentation.`,
    });
  }
  const defaults = new Map<string, PyValue>();
  for (const [name, fallback] of entry.params) if (fallback !== REQUIRED) defaults.set(name, fallback);
  const reader = new ArgumentReader(`keras.layers.${entry.className}`, entry.className, given, defaults, mode);
  for (const [name, fallback] of entry.params) {
    // A required parameter left out was reported by the binding; read a placeholder.
    if (fallback === REQUIRED && !given.has(name)) reader.placeholder(name, undefined);
  }
  const config = entry.read(reader);
  problems.push(...reader.problems);
  // Keras 3 raises before the layer exists: what the call meant by the offending argument is not known.
  if (bound.error) reader.placeholder(bound.error.at?.kind === "keyword" ? bound.error.at.name : "(arguments)", undefined);
  for (const [name] of unrecognized) reader.placeholder(name, undefined);
  const nameValue = given.get("name");
  const badName = nameProblem(nameValue);
  if (badName) problems.push(badName);
  const built: BuiltLayer = { layer: { class_name: entry.className, config } as LayerConfig, unknownArguments: reader.unknown, problems, sources };
  if (nameValue?.kind === "str") built.name = nameValue.value;
  return built;
}

/**
 * A layer config from a spec (JSON, snake_case, Keras's own keys): the same reading and checks as
 * a Python call given only keywords. Keys that are not parameters are problems.
 */
export function layerFromConfig(className: BuildableClassName, config: Record<string, unknown>): BuiltLayer {
  const keywords = Object.entries(config).map(([key, value]) => [key, fromJson(value)] as const);
  return buildLayer(className, { positional: [], keywords }, "json");
}

/** Output shape, parameters and Keras 3's problems of applying `layer` to a tensor of `input` shape (batch first). */
export function inferLayer(layer: LayerConfig, input: Shape): Inference {
  if (layer.class_name === "InputLayer") return noWeights([null, ...layer.config.shape]);
  return definition(layer.class_name).infer(layer.config, input);
}

/** The tfjs layer factory and arguments for a layer of a model (not the InputLayer), applied to a tensor of `input` shape. */
export function tfjsLayer(layer: Exclude<LayerConfig, { class_name: "InputLayer" }>, name: string, input: Shape): TfjsLayer {
  return definition(layer.class_name).tfjs(layer.config, name, input);
}

/** Keras's default layer name stem (keras/src/utils/naming.py to_snake_case): `MaxPooling2D` → `max_pooling2d`. */
export function defaultLayerName(className: LayerClassName): string {
  if (className === "InputLayer") return "input_layer";
  let name = "";
  for (let index = 0; index < className.length; index++) {
    const char = className.charAt(index);
    const isUpper = char >= "A" && char <= "Z";
    const previous = className.charAt(index - 1);
    if (isUpper && index > 0 && previous >= "a" && previous <= "z") name += "_";
    name += char.toLowerCase();
  }
  return name;
}

/**
 * keras/src/layers/core/input_layer.py `Input(shape=None, batch_size=None, dtype=None,
 * sparse=None, ragged=None, batch_shape=None, name=None, tensor=None, optional=False)`: a plain
 * function (no `self`, no `**kwargs`). `shape` must be a tuple; an int raises "Cannot convert
 * '32' to a shape."
 */
export const INPUT_SIGNATURE: Signature = {
  callee: "Input()",
  display: "keras.Input",
  params: ["shape", "batch_size", "dtype", "sparse", "ragged", "batch_shape", "name", "tensor", "optional"].map((name) => ({ name, optional: true })),
  method: false,
  kwargs: false,
};

/** The image shape `keras.Input(shape=...)` describes, or a problem. `null`: not known yet. */
export function readInputShape(value: PyValue | undefined): { shape: number[] | null; problem?: KerasProblem } {
  if (value === undefined || value.kind === "none") {
    return { shape: null, problem: { severity: "error", message: "keras.Input needs shape=, the shape of one image (height, width, channels); without it Keras 3 cannot build the model." } };
  }
  if (value.kind === "unknown") return { shape: null };
  if (value.kind === "tuple" || value.kind === "list") {
    if (value.items.some((item) => item.kind === "unknown")) return { shape: null };
    // keras/src/backend/common/variables.py standardize_shape: None is a size left open (any image size).
    if (value.items.some((item) => item.kind === "none") && value.items.every((item) => item.kind === "none" || (item.kind === "int" && item.value > 0))) {
      return { shape: null, problem: { severity: "info", argument: "shape", message: "Keras 3 accepts None for a size left open; the checker and training here need every size of the image, so the shapes shown assume the dataset's." } };
    }
    const dims = value.items.map((item) => (item.kind === "int" && item.value > 0 ? item.value : null));
    if (dims.every((dim): dim is number => dim !== null)) return { shape: dims };
  }
  return {
    shape: null,
    problem: {
      severity: "error",
      argument: "shape",
      raises: `ValueError: Cannot convert '${pyRepr(value)}' to a shape.`,
      // (Keras adds which dimension it could not read, for a float: "Found invalid dimension '3.0' ...".)
      message: `The shape of keras.Input is a tuple of whole numbers, (height, width, channels) for images, not ${pyRepr(value)}; Keras 3 raises a ValueError.`,
    },
  };
}
