/**
 * Validation of model, compile and fit specs that arrive as data (from the checker, a JSON file
 * the learner wrote, or a JSON-RPC request). Everything stays in Keras's snake_case here; the one
 * conversion to TensorFlow.js names is in `kerasToTfjs.ts`. Omitted arguments get Keras's
 * defaults so a hand-written spec can be as short as the Python it describes.
 */
import {
  ACTIVATION_NAMES,
  KERAS_DEFAULTS,
  LAYER_CLASS_NAMES,
  type ActivationName,
  type CompileSpec,
  type FitSpec,
  type LayerSpec,
  type LossName,
  type MetricName,
  type ModelSpec,
  type OptimizerSpec,
  type SourceRange,
} from "../protocol/modelSpec";
import { ModelSpecError, UnsupportedModelError } from "./errors";

type Json = Record<string, unknown>;

/** The arguments each layer accepts, with Keras's default for those that may be omitted. */
const LAYER_ARGUMENTS: Record<string, Record<string, unknown>> = {
  InputLayer: { shape: undefined },
  Conv2D: {
    filters: undefined,
    kernel_size: undefined,
    strides: [1, 1],
    padding: "valid",
    dilation_rate: [1, 1],
    activation: "linear",
    use_bias: true,
  },
  MaxPooling2D: { pool_size: [2, 2], strides: null, padding: "valid" },
  AveragePooling2D: { pool_size: [2, 2], strides: null, padding: "valid" },
  Flatten: {},
  GlobalAveragePooling2D: {},
  Dense: { units: undefined, activation: "linear", use_bias: true },
  Dropout: { rate: undefined, seed: null },
  BatchNormalization: { momentum: KERAS_DEFAULTS.batchNormMomentum, epsilon: KERAS_DEFAULTS.batchNormEpsilon },
  Activation: { activation: undefined },
  LeakyReLU: { negative_slope: KERAS_DEFAULTS.leakyReluNegativeSlope },
};

const LOSSES: readonly LossName[] = ["categorical_crossentropy", "sparse_categorical_crossentropy"];
const METRICS: readonly MetricName[] = ["categorical_accuracy", "accuracy"];

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function positiveInt(value: unknown, what: string, layer: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new ModelSpecError(`${what} of layer '${layer}' must be a positive whole number, not ${JSON.stringify(value)}.`, layer);
  }
  return value;
}

/** Keras accepts `3` or `(3, 3)` for sizes; both become a pair. */
function pair(value: unknown, what: string, layer: string): [number, number] {
  const list = typeof value === "number" ? [value, value] : value;
  if (!Array.isArray(list) || list.length !== 2) {
    throw new ModelSpecError(`${what} of layer '${layer}' must be a number or a pair of numbers, not ${JSON.stringify(value)}.`, layer);
  }
  return [positiveInt(list[0], what, layer), positiveInt(list[1], what, layer)];
}

function activation(value: unknown, layer: string): ActivationName {
  const name = value === null || value === undefined ? "linear" : value;
  if (typeof name !== "string" || !(ACTIVATION_NAMES as readonly string[]).includes(name)) {
    throw new UnsupportedModelError(
      `activation=${JSON.stringify(value)}`,
      `Layer '${layer}' uses the activation ${JSON.stringify(value)}, which is not supported. Use one of: ${ACTIVATION_NAMES.join(", ")}.`,
      layer,
    );
  }
  return name as ActivationName;
}

function padding(value: unknown, layer: string): "valid" | "same" {
  if (value !== "valid" && value !== "same") {
    throw new UnsupportedModelError(`padding=${JSON.stringify(value)}`, `Layer '${layer}' has padding=${JSON.stringify(value)}; use 'valid' or 'same'.`, layer);
  }
  return value;
}

function fraction(value: unknown, what: string, layer: string, { allowZero }: { allowZero: boolean }): number {
  if (typeof value !== "number" || !(allowZero ? value >= 0 : value > 0) || value >= 1) {
    throw new ModelSpecError(`${what} of layer '${layer}' must be between 0 and 1, not ${JSON.stringify(value)}.`, layer);
  }
  return value;
}

function normalizeLayer(raw: unknown, index: number): LayerSpec {
  if (!isObject(raw)) throw new ModelSpecError(`Layer ${index + 1} of the model is not a layer description.`);
  const className = raw["class_name"];
  const name = typeof raw["name"] === "string" && raw["name"] !== "" ? raw["name"] : `layer_${index}`;
  if (typeof className !== "string" || !(LAYER_CLASS_NAMES as readonly string[]).includes(className)) {
    throw new UnsupportedModelError(
      String(className),
      `The layer type ${JSON.stringify(className)} (layer '${name}') is not supported. Supported layers: ${LAYER_CLASS_NAMES.join(", ")}.`,
      name,
    );
  }
  const accepted = LAYER_ARGUMENTS[className] ?? {};
  const config = isObject(raw["config"]) ? raw["config"] : {};
  for (const key of Object.keys(config)) {
    if (!(key in accepted)) {
      throw new UnsupportedModelError(
        `${className}(${key}=...)`,
        `The argument '${key}' of ${className} (layer '${name}') is not supported here. Supported arguments: ${Object.keys(accepted).join(", ") || "none"}.`,
        name,
      );
    }
  }
  const arg = (key: string): unknown => {
    const value = key in config ? config[key] : accepted[key];
    if (value === undefined) throw new ModelSpecError(`${className} (layer '${name}') needs the argument '${key}'.`, name);
    return value;
  };
  const inbound = Array.isArray(raw["inbound"]) ? raw["inbound"].map(String) : [];
  const base: { name: string; inbound: string[]; source?: SourceRange } = { name, inbound };
  if (isObject(raw["source"])) base.source = raw["source"] as unknown as SourceRange;

  switch (className) {
    case "InputLayer": {
      const shape = arg("shape");
      if (!Array.isArray(shape) || shape.length === 0) throw new ModelSpecError(`The input layer '${name}' needs a shape such as (32, 32, 3).`, name);
      return { ...base, class_name: "InputLayer", config: { shape: shape.map((d) => positiveInt(d, "The input shape", name)) } };
    }
    case "Conv2D":
      return {
        ...base,
        class_name: "Conv2D",
        config: {
          filters: positiveInt(arg("filters"), "filters", name),
          kernel_size: pair(arg("kernel_size"), "kernel_size", name),
          strides: pair(arg("strides"), "strides", name),
          padding: padding(arg("padding"), name),
          dilation_rate: pair(arg("dilation_rate"), "dilation_rate", name),
          activation: activation(arg("activation"), name),
          use_bias: Boolean(arg("use_bias")),
        },
      };
    case "MaxPooling2D":
    case "AveragePooling2D": {
      const poolSize = pair(arg("pool_size"), "pool_size", name);
      const strides = arg("strides");
      return {
        ...base,
        class_name: className,
        config: { pool_size: poolSize, strides: strides === null ? poolSize : pair(strides, "strides", name), padding: padding(arg("padding"), name) },
      };
    }
    case "Flatten":
    case "GlobalAveragePooling2D":
      return { ...base, class_name: className, config: {} };
    case "Dense":
      return {
        ...base,
        class_name: "Dense",
        config: { units: positiveInt(arg("units"), "units", name), activation: activation(arg("activation"), name), use_bias: Boolean(arg("use_bias")) },
      };
    case "Dropout": {
      const seed = arg("seed");
      return {
        ...base,
        class_name: "Dropout",
        config: { rate: fraction(arg("rate"), "The dropout rate", name, { allowZero: true }), ...(typeof seed === "number" ? { seed } : {}) },
      };
    }
    case "BatchNormalization":
      return {
        ...base,
        class_name: "BatchNormalization",
        config: { momentum: fraction(arg("momentum"), "momentum", name, { allowZero: true }), epsilon: Number(arg("epsilon")) },
      };
    case "Activation":
      return { ...base, class_name: "Activation", config: { activation: activation(arg("activation"), name) } };
    case "LeakyReLU": {
      const slope = arg("negative_slope");
      if (typeof slope !== "number" || slope < 0) throw new ModelSpecError(`negative_slope of layer '${name}' must be a number ≥ 0.`, name);
      return { ...base, class_name: "LeakyReLU", config: { negative_slope: slope } };
    }
    default:
      throw new UnsupportedModelError(className, `The layer type '${className}' is not supported.`, name);
  }
}

/**
 * Checks a model spec and fills in Keras defaults. A spec whose layers list omits `inbound` is
 * read as a Sequential model: each layer takes the previous one.
 */
export function normalizeModelSpec(raw: unknown): ModelSpec {
  if (!isObject(raw) || !Array.isArray(raw["layers"])) throw new ModelSpecError("A model needs a list of layers.");
  const rawLayers = raw["layers"];
  if (rawLayers.length === 0) throw new ModelSpecError("The model has no layers.");
  const sequential = rawLayers.every((layer) => !isObject(layer) || !Array.isArray(layer["inbound"]));
  const layers = rawLayers.map(normalizeLayer);
  const seen = new Set<string>();
  layers.forEach((layer, index) => {
    if (seen.has(layer.name)) throw new ModelSpecError(`Two layers are called '${layer.name}'; layer names must be unique.`, layer.name);
    if (sequential) layer.inbound = index === 0 ? [] : [layers[index - 1]!.name];
    if (index === 0) {
      if (layer.class_name !== "InputLayer") throw new ModelSpecError("The model must start with an Input layer (keras.Input(shape=...)).", layer.name);
    } else {
      if (layer.class_name === "InputLayer") {
        throw new UnsupportedModelError("multiple inputs", `The model has a second input '${layer.name}'; only models with one input are supported.`, layer.name);
      }
      if (layer.inbound.length !== 1) {
        throw new UnsupportedModelError(
          "merge layers",
          `Layer '${layer.name}' takes ${layer.inbound.length} inputs; each layer must be applied to exactly one earlier layer.`,
          layer.name,
        );
      }
      const source = layer.inbound[0]!;
      if (!seen.has(source)) throw new ModelSpecError(`Layer '${layer.name}' is applied to '${source}', which is not defined before it.`, layer.name);
    }
    seen.add(layer.name);
  });
  const name = typeof raw["name"] === "string" && raw["name"] !== "" ? raw["name"] : "model";
  const output = typeof raw["output"] === "string" ? raw["output"] : layers[layers.length - 1]!.name;
  if (!seen.has(output)) throw new ModelSpecError(`The model's output '${output}' is not one of its layers.`);
  return { name, layers, output };
}

function learningRate(raw: Json, fallback: number): number {
  const value = raw["learning_rate"] ?? fallback;
  if (typeof value !== "number" || !(value > 0)) throw new ModelSpecError(`learning_rate must be a positive number, not ${JSON.stringify(value)}.`);
  return value;
}

/** Checks a compile spec; an optimizer may be given by name alone (`"adam"`), as Keras allows. */
export function normalizeCompileSpec(raw: unknown): CompileSpec {
  if (!isObject(raw)) throw new ModelSpecError("The compile settings are missing.");
  const rawOptimizer = typeof raw["optimizer"] === "string" ? { name: raw["optimizer"] } : raw["optimizer"];
  if (!isObject(rawOptimizer)) throw new ModelSpecError("compile() needs an optimizer.");
  const optimizerName = String(rawOptimizer["name"]).toLowerCase();
  let optimizer: OptimizerSpec;
  switch (optimizerName) {
    case "adam":
      optimizer = { name: "adam", learning_rate: learningRate(rawOptimizer, KERAS_DEFAULTS.adamLearningRate) };
      break;
    case "sgd": {
      const momentum = rawOptimizer["momentum"] ?? 0;
      if (typeof momentum !== "number" || momentum < 0 || momentum >= 1) throw new ModelSpecError("The SGD momentum must be between 0 and 1.");
      optimizer = { name: "sgd", learning_rate: learningRate(rawOptimizer, KERAS_DEFAULTS.sgdLearningRate), momentum };
      break;
    }
    case "rmsprop":
      optimizer = { name: "rmsprop", learning_rate: learningRate(rawOptimizer, KERAS_DEFAULTS.rmspropLearningRate) };
      break;
    default:
      throw new UnsupportedModelError(`optimizer=${optimizerName}`, `The optimizer '${String(rawOptimizer["name"])}' is not supported. Use adam, sgd or rmsprop.`);
  }
  for (const key of Object.keys(rawOptimizer)) {
    if (!["name", "learning_rate", ...(optimizer.name === "sgd" ? ["momentum"] : [])].includes(key)) {
      throw new UnsupportedModelError(`${optimizer.name}(${key}=...)`, `The optimizer argument '${key}' is not supported; only learning_rate${optimizer.name === "sgd" ? " and momentum" : ""}.`);
    }
  }
  const loss = raw["loss"] ?? "categorical_crossentropy";
  if (typeof loss !== "string" || !(LOSSES as readonly string[]).includes(loss)) {
    throw new UnsupportedModelError(`loss=${String(loss)}`, `The loss ${JSON.stringify(loss)} is not supported. Use ${LOSSES.join(" or ")}.`);
  }
  const rawMetrics = raw["metrics"] ?? [];
  const metricList = Array.isArray(rawMetrics) ? rawMetrics : [rawMetrics];
  const metrics = metricList.map((metric) => {
    if (typeof metric !== "string" || !(METRICS as readonly string[]).includes(metric)) {
      throw new UnsupportedModelError(`metrics=${String(metric)}`, `The metric ${JSON.stringify(metric)} is not supported. Use ${METRICS.join(" or ")}.`);
    }
    return metric as MetricName;
  });
  return { optimizer, loss: loss as LossName, metrics: [...new Set(metrics)] };
}

/** Checks a fit spec, with Keras's defaults for what is omitted. */
export function normalizeFitSpec(raw: unknown): FitSpec {
  const fit = isObject(raw) ? raw : {};
  const batchSize = fit["batch_size"] ?? KERAS_DEFAULTS.batchSize;
  const epochs = fit["epochs"] ?? KERAS_DEFAULTS.epochs;
  if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize <= 0) throw new ModelSpecError("batch_size must be a positive whole number.");
  if (typeof epochs !== "number" || !Number.isInteger(epochs) || epochs <= 0) throw new ModelSpecError("epochs must be a positive whole number.");
  const validation = isObject(fit["validation"]) ? fit["validation"] : { kind: "none" };
  let normalized: FitSpec["validation"];
  if (validation["kind"] === "split") {
    const value = validation["fraction"];
    if (typeof value !== "number" || !(value > 0 && value < 1)) throw new ModelSpecError("validation_split must be between 0 and 1.");
    normalized = { kind: "split", fraction: value };
  } else if (validation["kind"] === "data") {
    normalized = { kind: "data" };
  } else {
    normalized = { kind: "none" };
  }
  return { batch_size: batchSize, epochs, validation: normalized, shuffle: fit["shuffle"] !== false };
}
