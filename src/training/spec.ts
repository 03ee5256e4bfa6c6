/**
 * The one check of model, compile and fit specs that arrive as data (a JSON file the learner
 * wrote, a JSON-RPC request): where they enter, `unknown` becomes `ModelSpec`, `CompileSpec` and
 * `FitSpec`, and everything after takes those types without checking again. The rules are the
 * Keras 3 registry's (`src/keras/`), read in its JSON mode; on top of them, training refuses what
 * Keras 3 accepts but cannot train here (an argument left out, a learning rate of nan).
 * Omitted arguments get Keras's defaults so a hand-written spec can be as short as the Python
 * it describes.
 */
import { KERAS_DEFAULTS, type CompileSpec, type FitSpec, type LayerSpec, type MetricName, type ModelSpec, type OptimizerSpec, type SourceRange } from "../protocol/modelSpec";
import type { KerasProblem } from "../keras/arguments";
import { LAYER_CLASSES, layerFromConfig, readInputShape, type BuildableClassName } from "../keras/layers";
import { fromJson } from "../keras/python";
import { buildOptimizer, lookupLoss, lookupMetric, readFit, trainableOptimizer } from "../keras/training";
import { ModelSpecError, UnsupportedModelError } from "./errors";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The first problem that stops training: Keras 3 raises, or it runs but not as the spec says. */
function refuse(problems: readonly KerasProblem[], feature: (problem: KerasProblem) => string, layer?: string): void {
  const problem = problems.find((entry) => entry.severity === "error") ?? problems.find((entry) => entry.severity === "warning") ?? problems[0];
  if (!problem) return;
  const where = layer === undefined ? "" : ` (layer '${layer}')`;
  // Keras 3 raises: the spec is wrong. Otherwise it is something this engine does not run.
  if (problem.severity === "error") throw new ModelSpecError(`${problem.message}${where}`, layer);
  throw new UnsupportedModelError(feature(problem), `${problem.message}${where}`, layer);
}

function parseLayer(raw: unknown, index: number): LayerSpec {
  if (!isObject(raw)) throw new ModelSpecError(`Layer ${index + 1} of the model is not a layer description.`);
  const className = raw["class_name"];
  const name = typeof raw["name"] === "string" && raw["name"] !== "" ? raw["name"] : `layer_${index}`;
  const supported = ["InputLayer", ...LAYER_CLASSES];
  if (typeof className !== "string" || !supported.includes(className)) {
    throw new UnsupportedModelError(String(className), `The layer type ${JSON.stringify(className)} (layer '${name}') is not supported. Supported layers: ${supported.join(", ")}.`, name);
  }
  const config = isObject(raw["config"]) ? raw["config"] : {};
  const inbound = Array.isArray(raw["inbound"]) ? raw["inbound"].map(String) : [];
  const base: { name: string; inbound: string[]; source?: SourceRange } = { name, inbound };
  if (isObject(raw["source"])) base.source = raw["source"] as unknown as SourceRange;
  if (className === "InputLayer") {
    const extra = Object.keys(config).filter((key) => key !== "shape");
    if (extra.length > 0) throw new UnsupportedModelError(`InputLayer(${extra[0]}=...)`, `The argument '${extra[0]}' of the input layer '${name}' is not supported here; only shape.`, name);
    const read = readInputShape(Array.isArray(config["shape"]) ? { kind: "tuple", items: config["shape"].map(fromJson) } : fromJson(config["shape"]));
    if (!read.shape) throw new ModelSpecError(`The input layer '${name}' needs a shape of whole numbers such as (32, 32, 3).`, name);
    return { ...base, class_name: "InputLayer", config: { shape: read.shape } };
  }
  const built = layerFromConfig(className as BuildableClassName, config);
  refuse(built.problems, (problem) => `${className}(${problem.argument ?? "..."}=...)`, name);
  if (built.unknownArguments.length > 0) throw new ModelSpecError(`${className} (layer '${name}') needs the argument '${built.unknownArguments[0]}'.`, name);
  return { ...base, ...built.layer } as LayerSpec;
}

/**
 * Checks a model spec and fills in Keras defaults. A spec whose layers list omits `inbound` is
 * read as a Sequential model: each layer takes the previous one.
 */
export function parseModelSpec(raw: unknown): ModelSpec {
  if (!isObject(raw) || !Array.isArray(raw["layers"])) throw new ModelSpecError("A model needs a list of layers.");
  const rawLayers = raw["layers"];
  if (rawLayers.length === 0) throw new ModelSpecError("The model has no layers.");
  const sequential = rawLayers.every((layer) => !isObject(layer) || !Array.isArray(layer["inbound"]));
  const layers = rawLayers.map(parseLayer);
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
        throw new UnsupportedModelError("merge layers", `Layer '${layer.name}' takes ${layer.inbound.length} inputs; each layer must be applied to exactly one earlier layer.`, layer.name);
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

/** Checks a compile spec; an optimizer may be given by name alone (`"adam"`, any case, as Keras allows). */
export function parseCompileSpec(raw: unknown): CompileSpec {
  if (!isObject(raw)) throw new ModelSpecError("The compile settings are missing.");
  const rawOptimizer = typeof raw["optimizer"] === "string" ? { name: raw["optimizer"] } : raw["optimizer"];
  if (!isObject(rawOptimizer)) throw new ModelSpecError("compile() needs an optimizer.");
  const optimizerName = trainableOptimizer(String(rawOptimizer["name"]));
  if (!optimizerName) {
    throw new UnsupportedModelError(`optimizer=${String(rawOptimizer["name"]).toLowerCase()}`, `The optimizer '${String(rawOptimizer["name"])}' is not supported. Use adam, sgd or rmsprop.`);
  }
  const keywords = Object.entries(rawOptimizer)
    .filter(([key]) => key !== "name")
    .map(([key, value]) => [key, fromJson(value)] as const);
  const built = buildOptimizer(optimizerName, { positional: [], keywords }, "json");
  refuse(built.problems, (problem) => `${optimizerName}(${problem.argument ?? "..."}=...)`);
  const optimizer: OptimizerSpec | null = built.spec;
  if (!optimizer) throw new ModelSpecError("The optimizer's settings are not valid.");
  const loss = lookupLoss(fromJson(raw["loss"] ?? "categorical_crossentropy"));
  if (loss.kind !== "ok") {
    throw new UnsupportedModelError(`loss=${String(raw["loss"])}`, `The loss ${JSON.stringify(raw["loss"])} is not supported. Use categorical_crossentropy or sparse_categorical_crossentropy.`);
  }
  const rawMetrics = raw["metrics"] ?? [];
  // A spec may name one metric without a list: it is data, not Keras code.
  const metricList = Array.isArray(rawMetrics) ? rawMetrics : [rawMetrics];
  const metrics = metricList.map((metric): MetricName => {
    const lookup = lookupMetric(fromJson(metric));
    if (lookup.kind !== "ok") throw new UnsupportedModelError(`metrics=${String(metric)}`, `The metric ${JSON.stringify(metric)} is not supported. Use accuracy or categorical_accuracy.`);
    return lookup.name;
  });
  return { optimizer, loss: loss.name, metrics: [...new Set(metrics)] };
}

/** Checks a fit spec, with Keras's defaults for what is omitted. */
export function parseFitSpec(raw: unknown): FitSpec {
  const fit = isObject(raw) ? raw : {};
  const bound = new Map([
    ["batch_size", fromJson(fit["batch_size"] ?? KERAS_DEFAULTS.batchSize)],
    ["epochs", fromJson(fit["epochs"] ?? KERAS_DEFAULTS.epochs)],
    ["shuffle", fromJson(fit["shuffle"] ?? true)],
  ]);
  const validation = isObject(fit["validation"]) ? fit["validation"] : { kind: "none" };
  if (validation["kind"] === "split") bound.set("validation_split", fromJson(validation["fraction"]));
  const reading = readFit(bound, "json");
  // Training needs at least one whole epoch of whole batches: what Keras 3 would quietly accept is refused here.
  for (const key of ["batch_size", "epochs"] as const) {
    const value = fit[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value <= 0)) throw new ModelSpecError(`${key} must be a positive whole number.`);
  }
  refuse(reading.problems, (problem) => `fit(${problem.argument ?? "..."}=...)`);
  if (validation["kind"] === "split") {
    const value = validation["fraction"];
    if (typeof value !== "number" || !(value > 0 && value < 1)) throw new ModelSpecError("validation_split must be between 0 and 1.");
  }
  return { ...reading.fit, validation: validation["kind"] === "data" ? { kind: "data" } : reading.fit.validation, shuffle: fit["shuffle"] !== false };
}

/** The names the rest of the engine has always used for these checks. */
export const normalizeModelSpec = parseModelSpec;
export const normalizeCompileSpec = parseCompileSpec;
export const normalizeFitSpec = parseFitSpec;
