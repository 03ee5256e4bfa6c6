/**
 * Keras layers as data: building a LayerConfig from the arguments of a layer constructor, and
 * the output shape and parameter count of applying it, following Keras's own formulas so the
 * numbers equal what `model.summary()` prints.
 */
import { ACTIVATION_NAMES, KERAS_DEFAULTS, type ActivationName, type LayerClassName, type LayerConfig } from "../protocol/modelSpec";
import { describeShape, type Shape, type Value } from "./values";

export interface CallArguments {
  positional: Value[];
  keyword: Map<string, Value>;
}

export interface LayerProblem {
  severity: "error" | "warning" | "info";
  message: string;
  /** The keyword argument the problem is about, so the message can point at it. */
  argument?: string;
}

/** Keras class names (and their aliases) the checker understands, mapped to the spec's class. */
export const LAYER_CLASSES: ReadonlyMap<string, LayerClassName> = new Map<string, LayerClassName>([
  ["Conv2D", "Conv2D"],
  ["Convolution2D", "Conv2D"],
  ["MaxPooling2D", "MaxPooling2D"],
  ["MaxPool2D", "MaxPooling2D"],
  ["AveragePooling2D", "AveragePooling2D"],
  ["AvgPool2D", "AveragePooling2D"],
  ["Flatten", "Flatten"],
  ["GlobalAveragePooling2D", "GlobalAveragePooling2D"],
  ["GlobalAvgPool2D", "GlobalAveragePooling2D"],
  ["Dense", "Dense"],
  ["Dropout", "Dropout"],
  ["BatchNormalization", "BatchNormalization"],
  ["Activation", "Activation"],
  ["LeakyReLU", "LeakyReLU"],
]);

/** Positional parameter order of each constructor, as in the Keras signatures. */
const POSITIONAL: Record<Exclude<LayerClassName, "InputLayer">, string[]> = {
  Conv2D: ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups", "activation", "use_bias"],
  MaxPooling2D: ["pool_size", "strides", "padding"],
  AveragePooling2D: ["pool_size", "strides", "padding"],
  Flatten: [],
  GlobalAveragePooling2D: [],
  Dense: ["units", "activation", "use_bias"],
  Dropout: ["rate", "noise_shape", "seed"],
  BatchNormalization: ["axis", "momentum", "epsilon"],
  Activation: ["activation"],
  LeakyReLU: ["negative_slope"],
};

/** Binds positional arguments to their keyword names; reports arguments given twice or unknown. */
export function bindArguments(names: string[], args: CallArguments, problems: LayerProblem[], callee: string): Map<string, Value> {
  const bound = new Map(args.keyword);
  args.positional.forEach((value, index) => {
    const name = names[index];
    if (name === undefined) {
      problems.push({ severity: "error", message: `${callee} takes at most ${names.length} positional argument${names.length === 1 ? "" : "s"}; name the extra ones with keyword=value.` });
    } else if (bound.has(name)) {
      problems.push({ severity: "error", message: `${callee} gets \`${name}\` twice: once by position and once as \`${name}=\`.`, argument: name });
    } else {
      bound.set(name, value);
    }
  });
  return bound;
}

interface Reader {
  bound: Map<string, Value>;
  problems: LayerProblem[];
  unknown: string[];
  callee: string;
}

function readInt(reader: Reader, name: string, fallback: number | undefined, positive = true): number {
  const value = reader.bound.get(name);
  if (value === undefined) {
    if (fallback === undefined) {
      reader.problems.push({ severity: "error", message: `${reader.callee} needs \`${name}\`; it has no default.` });
      reader.unknown.push(name);
      return 1;
    }
    return fallback;
  }
  if (value.kind === "number" && Number.isInteger(value.value) && (!positive || value.value > 0)) return value.value;
  if (value.kind === "unknown") {
    reader.unknown.push(name);
    return fallback ?? 1;
  }
  reader.problems.push({ severity: "error", message: `\`${name}\` of ${reader.callee} must be a whole number${positive ? " above 0" : ""}.`, argument: name });
  reader.unknown.push(name);
  return fallback ?? 1;
}

/** `3`, `(3, 3)` and `[3, 3]` all mean a 3x3 window. */
function readPair(reader: Reader, name: string, fallback: [number, number] | undefined): [number, number] {
  const value = reader.bound.get(name);
  if (value === undefined || value.kind === "none") {
    if (fallback) return fallback;
    reader.problems.push({ severity: "error", message: `${reader.callee} needs \`${name}\`.` });
    reader.unknown.push(name);
    return [1, 1];
  }
  if (value.kind === "number" && Number.isInteger(value.value) && value.value > 0) return [value.value, value.value];
  if ((value.kind === "tuple" || value.kind === "list") && value.items.length === 2) {
    const [first, second] = value.items;
    if (first?.kind === "number" && second?.kind === "number" && Number.isInteger(first.value) && Number.isInteger(second.value) && first.value > 0 && second.value > 0) {
      return [first.value, second.value];
    }
  }
  if (value.kind === "unknown") {
    reader.unknown.push(name);
    return fallback ?? [1, 1];
  }
  reader.problems.push({ severity: "error", message: `\`${name}\` of ${reader.callee} must be a whole number or a pair of them, like (2, 2).`, argument: name });
  reader.unknown.push(name);
  return fallback ?? [1, 1];
}

function readFloat(reader: Reader, name: string, fallback: number | undefined, min: number, max: number): number {
  const value = reader.bound.get(name);
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    reader.problems.push({ severity: "error", message: `${reader.callee} needs \`${name}\`; it has no default.` });
    reader.unknown.push(name);
    return min;
  }
  if (value.kind === "number" && value.value >= min && value.value <= max) return value.value;
  if (value.kind === "unknown") {
    reader.unknown.push(name);
    return fallback ?? min;
  }
  reader.problems.push({ severity: "error", message: `\`${name}\` of ${reader.callee} must be a number from ${min} to ${max}.`, argument: name });
  reader.unknown.push(name);
  return fallback ?? min;
}

function readPadding(reader: Reader): "valid" | "same" {
  const value = reader.bound.get("padding");
  if (value === undefined) return "valid";
  if (value.kind === "string" && (value.value.toLowerCase() === "valid" || value.value.toLowerCase() === "same")) return value.value.toLowerCase() as "valid" | "same";
  if (value.kind === "unknown") {
    reader.unknown.push("padding");
    return "valid";
  }
  reader.problems.push({ severity: "error", message: `\`padding\` of ${reader.callee} is either 'valid' or 'same'.`, argument: "padding" });
  return "valid";
}

/** 'relu', "relu", keras.activations.relu and None (= linear) are accepted. */
export function toActivation(value: Value | undefined): ActivationName | "unknown" | "invalid" {
  if (value === undefined || value.kind === "none") return "linear";
  if (value.kind === "activation") return value.name;
  if (value.kind === "string") {
    const name = value.value.toLowerCase();
    return (ACTIVATION_NAMES as readonly string[]).includes(name) ? (name as ActivationName) : "invalid";
  }
  return value.kind === "unknown" ? "unknown" : "invalid";
}

function readActivation(reader: Reader): ActivationName {
  const value = reader.bound.get("activation");
  const activation = toActivation(value);
  if (activation === "unknown") {
    reader.unknown.push("activation");
    return "linear";
  }
  if (activation === "invalid") {
    reader.unknown.push("activation");
    reader.problems.push({
      severity: value?.kind === "layer" ? "info" : "error",
      message:
        value?.kind === "layer"
          ? "Passing a layer as an activation is outside what the lessons check; the checker treats this layer as linear."
          : `The activation of ${reader.callee} is not one the lessons know: use one of ${ACTIVATION_NAMES.map((name) => `'${name}'`).join(", ")}.`,
      argument: "activation",
    });
    return "linear";
  }
  return activation;
}

function readBool(reader: Reader, name: string, fallback: boolean): boolean {
  const value = reader.bound.get(name);
  if (value === undefined) return fallback;
  if (value.kind === "bool") return value.value;
  if (value.kind !== "unknown") reader.problems.push({ severity: "error", message: `\`${name}\` of ${reader.callee} is True or False.`, argument: name });
  reader.unknown.push(name);
  return fallback;
}

export interface BuiltLayer {
  layer: LayerConfig;
  name?: string;
  unknownArguments: string[];
  problems: LayerProblem[];
}

/** Builds the config of `keras.layers.<className>(...)` from its arguments. */
export function buildLayer(className: Exclude<LayerClassName, "InputLayer">, args: CallArguments): BuiltLayer {
  const problems: LayerProblem[] = [];
  const callee = `keras.layers.${className}`;
  const bound = bindArguments([...POSITIONAL[className]], args, problems, callee);
  const reader: Reader = { bound, problems, unknown: [], callee };
  const nameValue = bound.get("name");
  const name = nameValue?.kind === "string" ? nameValue.value : undefined;
  let layer: LayerConfig;
  switch (className) {
    case "Conv2D":
      layer = {
        class_name: "Conv2D",
        config: {
          filters: readInt(reader, "filters", undefined),
          kernel_size: readPair(reader, "kernel_size", undefined),
          strides: readPair(reader, "strides", [1, 1]),
          padding: readPadding(reader),
          dilation_rate: readPair(reader, "dilation_rate", [1, 1]),
          activation: readActivation(reader),
          use_bias: readBool(reader, "use_bias", true),
        },
      };
      break;
    case "MaxPooling2D":
    case "AveragePooling2D": {
      const poolSize = readPair(reader, "pool_size", [2, 2]);
      layer = { class_name: className, config: { pool_size: poolSize, strides: readPair(reader, "strides", poolSize), padding: readPadding(reader) } };
      break;
    }
    case "Flatten":
    case "GlobalAveragePooling2D":
      layer = { class_name: className, config: {} };
      break;
    case "Dense":
      layer = { class_name: "Dense", config: { units: readInt(reader, "units", undefined), activation: readActivation(reader), use_bias: readBool(reader, "use_bias", true) } };
      break;
    case "Dropout": {
      const seedValue = bound.get("seed");
      const rate = readFloat(reader, "rate", undefined, 0, 1);
      if (rate === 1) problems.push({ severity: "error", message: "A dropout rate of 1 drops every unit; use a fraction below 1, such as 0.2 or 0.5.", argument: "rate" });
      layer = { class_name: "Dropout", config: seedValue?.kind === "number" ? { rate, seed: seedValue.value } : { rate } };
      break;
    }
    case "BatchNormalization":
      layer = { class_name: "BatchNormalization", config: { momentum: readFloat(reader, "momentum", KERAS_DEFAULTS.batchNormMomentum, 0, 1), epsilon: readFloat(reader, "epsilon", KERAS_DEFAULTS.batchNormEpsilon, 0, 1) } };
      break;
    case "Activation":
      layer = { class_name: "Activation", config: { activation: readActivation(reader) } };
      break;
    case "LeakyReLU":
      if (bound.has("alpha") && !bound.has("negative_slope")) bound.set("negative_slope", bound.get("alpha") ?? { kind: "unknown" });
      layer = { class_name: "LeakyReLU", config: { negative_slope: readFloat(reader, "negative_slope", KERAS_DEFAULTS.leakyReluNegativeSlope, 0, Number.POSITIVE_INFINITY) } };
      break;
  }
  return name === undefined ? { layer, unknownArguments: reader.unknown, problems } : { layer, name, unknownArguments: reader.unknown, problems };
}

function windowOutput(size: number | null, window: number, stride: number, dilation: number, padding: "valid" | "same"): number | null {
  if (size === null) return null;
  if (padding === "same") return Math.ceil(size / stride);
  return Math.floor((size - dilation * (window - 1) - 1) / stride) + 1;
}

export interface Application {
  outputShape: Shape;
  params: number;
  problems: LayerProblem[];
}

/** Applies a layer to a tensor of `input` shape (batch dimension first). */
export function applyLayer(layer: LayerConfig, input: Shape): Application {
  const problems: LayerProblem[] = [];
  const rank = input.length;
  const last = input[rank - 1] ?? null;
  switch (layer.class_name) {
    case "InputLayer":
      return { outputShape: input, params: 0, problems };
    case "Conv2D":
    case "MaxPooling2D":
    case "AveragePooling2D": {
      if (rank !== 4) {
        problems.push({
          severity: "error",
          message: `${layer.class_name} works on images of shape (batch, height, width, channels), but it is applied to a tensor of shape ${describeShape(input)}. Apply it before the Flatten layer, to the output of the Input or of another 2-D layer.`,
        });
        return { outputShape: input, params: 0, problems };
      }
      const isConv = layer.class_name === "Conv2D";
      const window = isConv ? layer.config.kernel_size : layer.config.pool_size;
      const dilation = isConv ? layer.config.dilation_rate : [1, 1];
      const height = windowOutput(input[1] ?? null, window[0], layer.config.strides[0], dilation[0] ?? 1, layer.config.padding);
      const width = windowOutput(input[2] ?? null, window[1], layer.config.strides[1], dilation[1] ?? 1, layer.config.padding);
      const channels = isConv ? layer.config.filters : last;
      if ((height !== null && height < 1) || (width !== null && width < 1)) {
        problems.push({
          severity: "error",
          message: `The input ${describeShape(input)} is smaller than this ${window[0]}x${window[1]} window, so nothing is left. Use a smaller window, padding='same', or fewer pooling layers before this one.`,
        });
        return { outputShape: [null, 1, 1, channels], params: 0, problems };
      }
      const params = isConv && last !== null ? window[0] * window[1] * last * layer.config.filters + (layer.config.use_bias ? layer.config.filters : 0) : 0;
      return { outputShape: [input[0] ?? null, height, width, channels], params, problems };
    }
    case "Flatten": {
      const rest = input.slice(1);
      const size = rest.every((dim) => dim !== null) ? rest.reduce<number>((product, dim) => product * (dim ?? 1), 1) : null;
      return { outputShape: [input[0] ?? null, size], params: 0, problems };
    }
    case "GlobalAveragePooling2D":
      if (rank !== 4) problems.push({ severity: "error", message: `GlobalAveragePooling2D works on images of shape (batch, height, width, channels), but it is applied to a tensor of shape ${describeShape(input)}.` });
      return { outputShape: [input[0] ?? null, last], params: 0, problems };
    case "Dense": {
      if (rank > 2) {
        problems.push({
          severity: "error",
          message: `Dense is applied to the image tensor ${describeShape(input)}, so it works on each pixel separately and the model's output keeps the image's height and width. Flatten the feature maps first (keras.layers.Flatten) so that Dense sees one vector per image.`,
        });
      }
      const params = last === null ? 0 : last * layer.config.units + (layer.config.use_bias ? layer.config.units : 0);
      return { outputShape: [...input.slice(0, -1), layer.config.units], params, problems };
    }
    case "BatchNormalization":
      return { outputShape: input, params: last === null ? 0 : 4 * last, problems };
    case "Dropout":
    case "Activation":
    case "LeakyReLU":
      return { outputShape: input, params: 0, problems };
  }
}

/** Keras's default layer name stem: `Conv2D` -> `conv2d`, `MaxPooling2D` -> `max_pooling2d`. */
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
