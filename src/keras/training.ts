/**
 * Keras 3's optimizers, losses and metrics by every name it accepts, and the rules of
 * `model.compile(...)` and `model.fit(...)` the lessons reach: which values Keras 3 takes, which
 * it raises for, and which of them training here can run.
 */
import { KERAS_DEFAULTS, type FitSpec, type LossName, type MetricName, type OptimizerSpec } from "../protocol/modelSpec";
import { ArgumentReader, type KerasProblem } from "./arguments";
import { bindCall, floatRepr, pyRepr, pyFloat, pyStr, PY_NONE, signature, type ArgumentSource, type CallArguments, type PyValue, type ReadMode, type Signature } from "./python";

/** keras/src/trainers/trainer.py `Trainer.compile`. */
export const COMPILE_SIGNATURE: Signature = signature("Trainer.compile()", "model.compile", [
  "optimizer=",
  "loss=",
  "loss_weights=",
  "metrics=",
  "weighted_metrics=",
  "run_eagerly=",
  "steps_per_execution=",
  "jit_compile=",
  "auto_scale_loss=",
]);

/** keras/src/trainers/trainer.py `Trainer.fit`. */
export const FIT_SIGNATURE: Signature = signature("Model.fit()", "model.fit", [
  "x=",
  "y=",
  "batch_size=",
  "epochs=",
  "verbose=",
  "callbacks=",
  "validation_split=",
  "validation_data=",
  "shuffle=",
  "class_weight=",
  "sample_weight=",
  "initial_epoch=",
  "steps_per_epoch=",
  "validation_steps=",
  "validation_batch_size=",
  "validation_freq=",
]);

/** keras/src/trainers/trainer.py `Trainer.evaluate` (its **kwargs are for internal use). */
export const EVALUATE_SIGNATURE: Signature = {
  ...signature("Model.evaluate()", "model.evaluate", ["x=", "y=", "batch_size=", "verbose=", "sample_weight=", "steps=", "callbacks=", "return_dict="]),
  kwargs: true,
};

/** keras/src/trainers/trainer.py `Trainer.predict`. */
export const PREDICT_SIGNATURE: Signature = signature("Model.predict()", "model.predict", ["x", "batch_size=", "verbose=", "steps=", "callbacks="]);

/** keras/src/models/functional.py `Functional.__init__(self, inputs, outputs, name=None, **kwargs)`. */
export const MODEL_SIGNATURE: Signature = { ...signature("Functional.__init__()", "keras.Model", ["inputs", "outputs", "name="]), kwargs: true };

/** keras/src/models/sequential.py `Sequential.__init__(self, layers=None, trainable=True, name=None)`. */
export const SEQUENTIAL_SIGNATURE: Signature = signature("Sequential.__init__()", "keras.Sequential", ["layers=", "trainable=", "name="]);

/**
 * keras/src/saving/saving_api.py: `model.save(path)` wants a `.keras` or `.h5` path ("Invalid
 * filepath extension for saving"), and `load_model(path)` reads only those ("File format not
 * supported").
 */
export function savedModelPathProblem(value: PyValue, action: "save" | "load"): KerasProblem | undefined {
  if (value.kind !== "str") return undefined;
  if (/\.(keras|h5|hdf5)$/.test(value.value)) return undefined;
  return {
    severity: "error",
    raises: action === "save" ? `ValueError: Invalid filepath extension for saving. Please add either a \`.keras\` extension for the native Keras format (recommended) or a \`.h5\` extension.` : `ValueError: File format not supported: filepath=${value.value}.`,
    message: `Keras 3 ${action === "save" ? "saves" : "loads"} models only as files ending in .keras (or the older .h5), so ${pyRepr(value)} makes it raise a ValueError.`,
  };
}

/**
 * keras/src/ops/operation.py `Operation.__init__`: a layer's or model's name must be a string
 * without '/' ("Argument `name` must be a string and cannot contain character `/`").
 */
export function nameProblem(value: PyValue | undefined): KerasProblem | undefined {
  if (value === undefined || value.kind === "none" || value.kind === "unknown") return undefined;
  if (value.kind === "str" && !value.value.includes("/")) return undefined;
  return {
    severity: "error",
    argument: "name",
    raises: `ValueError: Argument \`name\` must be a string and cannot contain character \`/\`. Received: name=${value.kind === "str" ? value.value : pyRepr(value)}`,
    message: `A Keras name is a string without '/', so Keras 3 raises a ValueError for name=${pyRepr(value)}.`,
  };
}

// ---- optimizers ----------------------------------------------------------------------------

/**
 * keras/src/optimizers/__init__.py: `get("name")` looks the class up by its lower-cased name
 * (`ALL_OBJECTS_DICT = {cls.__name__.lower(): cls ...}`, and deserialize lower-cases the
 * identifier), so 'Adam', 'adam' and 'ADAM' are all Adam; anything else raises "Could not
 * interpret optimizer identifier".
 */
export const KERAS_OPTIMIZER_CLASSES: readonly string[] = ["Adam", "SGD", "RMSprop", "Adadelta", "AdamW", "Adagrad", "Adamax", "Adafactor", "Muon", "Nadam", "Ftrl", "Lion", "LossScaleOptimizer", "ScheduleFreeAdamW"];

const TRAINABLE_OPTIMIZERS: Readonly<Record<string, OptimizerSpec["name"]>> = { adam: "adam", sgd: "sgd", rmsprop: "rmsprop" };

/** keras/src/optimizers/base_optimizer.py `BaseOptimizer.__init__` keywords every optimizer takes. */
const BASE_OPTIMIZER_PARAMS = ["weight_decay=", "clipnorm=", "clipvalue=", "global_clipnorm=", "use_ema=", "ema_momentum=", "ema_overwrite_frequency=", "loss_scale_factor=", "gradient_accumulation_steps=", "name="];

/** keras/src/optimizers/adam.py, sgd.py, rmsprop.py: the constructors' own parameters first. */
const OPTIMIZER_PARAMS: Readonly<Record<OptimizerSpec["name"], { className: string; params: string[]; defaults: [string, PyValue][] }>> = {
  adam: {
    className: "Adam",
    params: ["learning_rate=", "beta_1=", "beta_2=", "epsilon=", "amsgrad=", ...BASE_OPTIMIZER_PARAMS],
    defaults: [["learning_rate", pyFloat(KERAS_DEFAULTS.adamLearningRate)], ["beta_1", pyFloat(0.9)], ["beta_2", pyFloat(0.999)], ["epsilon", pyFloat(1e-7)], ["amsgrad", { kind: "bool", value: false }]],
  },
  sgd: {
    className: "SGD",
    params: ["learning_rate=", "momentum=", "nesterov=", ...BASE_OPTIMIZER_PARAMS],
    defaults: [["learning_rate", pyFloat(KERAS_DEFAULTS.sgdLearningRate)], ["momentum", pyFloat(0)], ["nesterov", { kind: "bool", value: false }]],
  },
  rmsprop: {
    className: "RMSprop",
    params: ["learning_rate=", "rho=", "momentum=", "epsilon=", "centered=", ...BASE_OPTIMIZER_PARAMS],
    defaults: [["learning_rate", pyFloat(KERAS_DEFAULTS.rmspropLearningRate)], ["rho", pyFloat(0.9)], ["momentum", pyFloat(0)], ["epsilon", pyFloat(1e-7)], ["centered", { kind: "bool", value: false }]],
  },
};

export function optimizerSignature(name: OptimizerSpec["name"]): Signature {
  const entry = OPTIMIZER_PARAMS[name];
  // base_optimizer.py takes **kwargs and raises "Argument(s) not recognized" for what is left.
  return { ...signature(`${entry.className}.__init__()`, `keras.optimizers.${entry.className}`, entry.params), kwargs: true };
}

/** `keras.optimizers.<className>` → the optimizer training can run, if it is one. */
export function trainableOptimizer(className: string): OptimizerSpec["name"] | undefined {
  return TRAINABLE_OPTIMIZERS[className.toLowerCase()];
}

/**
 * The optimizer a name stands for, as Keras 3 looks it up: keras/src/optimizers/__init__.py
 * `deserialize` lower-cases a class name it knows ('RMSProp' is RMSprop), so two spellings that
 * differ only in case are one optimizer. Undefined for a name Keras 3 does not know.
 */
export function optimizerNameKey(name: string): string | undefined {
  const lower = name.toLowerCase();
  return KERAS_OPTIMIZER_CLASSES.some((known) => known.toLowerCase() === lower) ? lower : undefined;
}

export function isKerasOptimizer(className: string): boolean {
  return KERAS_OPTIMIZER_CLASSES.includes(className);
}

export interface BuiltOptimizer {
  /** Null when Keras 3 raises. */
  spec: OptimizerSpec | null;
  problems: KerasProblem[];
  unknownArguments: string[];
  sources: Map<string, ArgumentSource>;
}

/**
 * The learning rate, as keras/src/optimizers/base_optimizer.py takes it: a float (an int such
 * as 1 raises "Argument `learning_rate` should be float, ..."), a schedule or a callable. Keras
 * 3 accepts nan, inf and values of 0 or below without a word; training with them cannot learn,
 * so they are reported here and refused by the spec check.
 */
function learningRate(reader: ArgumentReader, fallback: number): number {
  const value = reader.value("learning_rate");
  if (value.kind === "unknown") return reader.placeholder("learning_rate", fallback);
  const isFloat = value.kind === "float" || (reader.mode === "json" && value.kind === "int");
  if (!isFloat) {
    reader.raise(
      "learning_rate",
      `ValueError: Argument \`learning_rate\` should be float, or an instance of LearningRateSchedule, or a callable (that takes in the current iteration value and returns the corresponding learning rate value). Received instead: learning_rate=${value.kind === "str" ? value.value : pyRepr(value)}`,
      value.kind === "int"
        ? `Keras 3 wants the learning rate as a float: ${value.value} is an int, so it raises a ValueError. Write it with a decimal point.`
        : `The learning rate is a number (a float); Keras 3 raises a ValueError for ${pyRepr(value)}.`,
    );
    return reader.placeholder("learning_rate", fallback);
  }
  const rate = value.value;
  if (!Number.isFinite(rate) || rate <= 0) {
    reader.warn(
      "learning_rate",
      `Keras 3 accepts learning_rate=${floatRepr(rate)}, but ${Number.isNaN(rate) ? "every weight becomes nan after the first step" : rate <= 0 ? "a step of this size does not go down the loss" : "an infinite step ruins every weight"}, so training here refuses it. Use a small positive number.`,
    );
    return reader.placeholder("learning_rate", fallback);
  }
  return rate;
}

/** `keras.optimizers.Adam(...)` (or SGD, RMSprop) with its arguments. */
export function buildOptimizer(name: OptimizerSpec["name"], call: CallArguments<PyValue>, mode: ReadMode = "python"): BuiltOptimizer {
  const entry = OPTIMIZER_PARAMS[name];
  const bound = bindCall(optimizerSignature(name), call);
  const problems: KerasProblem[] = [];
  const sources = new Map<string, ArgumentSource>();
  if (bound.error) problems.push({ severity: "error", message: bound.error.message, raises: bound.error.raises, ...(bound.error.at?.kind === "keyword" ? { argument: bound.error.at.name } : {}) });
  const given = new Map<string, PyValue>();
  for (const [key, argument] of bound.bound) {
    given.set(key, argument.value);
    sources.set(key, argument.from);
  }
  const extra = [...bound.extra].filter(([key]) => key !== "decay");
  if (extra.length > 0) {
    const [first] = extra[0]!;
    problems.push({
      severity: "error",
      argument: first,
      raises: `ValueError: Argument(s) not recognized: {${extra.map(([key, argument]) => `'${key}': ${pyRepr(argument.value)}`).join(", ")}}`,
      message: `${entry.className} has no argument called \`${first}\`; Keras 3 raises a ValueError. Check the spelling against the Keras documentation.`,
    });
  }
  const reader = new ArgumentReader(`keras.optimizers.${entry.className}`, entry.className, given, new Map(entry.defaults), mode);
  const rate = learningRate(reader, (entry.defaults[0]![1] as { value: number }).value);
  let spec: OptimizerSpec;
  if (name === "sgd") {
    // sgd.py: `if not isinstance(momentum, float) or momentum < 0 or momentum > 1: raise`.
    const momentum = reader.value("momentum");
    let value = 0;
    if (momentum.kind === "unknown") value = reader.placeholder("momentum", 0);
    else if ((momentum.kind === "float" || (mode === "json" && momentum.kind === "int")) && momentum.value >= 0 && momentum.value <= 1) value = momentum.value;
    else {
      reader.raise("momentum", "ValueError: `momentum` must be a float between [0, 1].", `The SGD momentum is a float from 0.0 to 1.0; Keras 3 raises a ValueError for ${pyRepr(momentum)}${momentum.kind === "int" ? " because it is an int" : ""}.`);
      value = reader.placeholder("momentum", 0);
    }
    if (value === 1) reader.warn("momentum", "A momentum of 1 never forgets a step, so the updates keep growing; Keras 3 accepts it, but training will not settle.");
    spec = { name, learning_rate: rate, momentum: value };
  } else {
    spec = { name, learning_rate: rate };
  }
  const modelled = new Set(["learning_rate", "momentum", "name"]);
  for (const key of entry.params.map((param) => param.replace("=", ""))) if (!modelled.has(key)) reader.notModelled(key);
  problems.push(...reader.problems);
  // Keras raises, or training refuses the learning rate (nan, inf, <= 0): there is no optimizer to train with.
  const refused = problems.some((problem) => problem.severity === "error" || (problem.severity === "warning" && problem.argument === "learning_rate"));
  return { spec: refused ? null : spec, problems, unknownArguments: reader.unknown, sources };
}

/** The optimizer a value names: `'adam'` (any case, optimizers/__init__.py get) or an optimizer object. */
export type OptimizerLookup = { kind: "ok"; spec: OptimizerSpec } | { kind: "untrainable"; name: string } | { kind: "raises"; raises: string; message: string } | { kind: "unknown" };

export function lookupOptimizer(value: PyValue, objectSpec?: OptimizerSpec): OptimizerLookup {
  if (objectSpec) return { kind: "ok", spec: objectSpec };
  if (value.kind === "unknown") return { kind: "unknown" };
  if (value.kind === "str") {
    const trainable = trainableOptimizer(value.value);
    if (trainable) return { kind: "ok", spec: defaultOptimizer(trainable) };
    if (KERAS_OPTIMIZER_CLASSES.some((name) => name.toLowerCase() === value.value.toLowerCase())) return { kind: "untrainable", name: value.value };
  }
  if (value.kind === "object" && value.module === "optimizers") return { kind: "untrainable", name: value.className };
  return {
    kind: "raises",
    raises: `ValueError: Could not interpret optimizer identifier: ${value.kind === "str" ? value.value : pyRepr(value)}`,
    message: `Keras 3 has no optimizer called ${pyRepr(value)}, so it raises a ValueError. Check the name against keras.optimizers.`,
  };
}

export function defaultOptimizer(name: OptimizerSpec["name"]): OptimizerSpec {
  switch (name) {
    case "adam":
      return { name, learning_rate: KERAS_DEFAULTS.adamLearningRate };
    case "sgd":
      return { name, learning_rate: KERAS_DEFAULTS.sgdLearningRate, momentum: 0 };
    case "rmsprop":
      return { name, learning_rate: KERAS_DEFAULTS.rmspropLearningRate };
  }
}

// ---- losses --------------------------------------------------------------------------------

/**
 * Every string `keras.losses.get` accepts (keras/src/losses/__init__.py ALL_OBJECTS_DICT: the
 * classes' and functions' `__name__`, plus the short aliases), looked up exactly as written.
 */
export const KERAS_LOSS_NAMES: readonly string[] = [
  "Loss",
  "LossFunctionWrapper",
  "KLDivergence",
  "Poisson",
  "BinaryCrossentropy",
  "BinaryFocalCrossentropy",
  "CategoricalCrossentropy",
  "CategoricalFocalCrossentropy",
  "SparseCategoricalCrossentropy",
  "MeanSquaredError",
  "MeanAbsoluteError",
  "MeanAbsolutePercentageError",
  "MeanSquaredLogarithmicError",
  "CosineSimilarity",
  "LogCosh",
  "Huber",
  "Hinge",
  "SquaredHinge",
  "CategoricalHinge",
  "Dice",
  "Tversky",
  "Circle",
  "CTC",
  "kl_divergence",
  "poisson",
  "binary_crossentropy",
  "binary_focal_crossentropy",
  "categorical_crossentropy",
  "categorical_focal_crossentropy",
  "sparse_categorical_crossentropy",
  "mean_squared_error",
  "mean_absolute_error",
  "mean_absolute_percentage_error",
  "mean_squared_logarithmic_error",
  "cosine_similarity",
  "log_cosh",
  "huber",
  "hinge",
  "squared_hinge",
  "categorical_hinge",
  "dice",
  "tversky",
  "circle",
  "ctc",
  "bce",
  "BCE",
  "kld",
  "KLD",
  "mae",
  "MAE",
  "mse",
  "MSE",
  "mape",
  "MAPE",
  "msle",
  "MSLE",
];

/** The losses training can run, by the Keras class and function names that mean them. */
const TRAINABLE_LOSSES: Readonly<Record<string, LossName>> = {
  categorical_crossentropy: "categorical_crossentropy",
  CategoricalCrossentropy: "categorical_crossentropy",
  sparse_categorical_crossentropy: "sparse_categorical_crossentropy",
  SparseCategoricalCrossentropy: "sparse_categorical_crossentropy",
};

export type LossLookup = { kind: "ok"; name: LossName } | { kind: "untrainable"; name: string; message: string } | { kind: "raises"; raises: string; message: string } | { kind: "unknown" };

/**
 * What compile's loss becomes (keras/src/trainers/compile_utils.py get_loss): 'crossentropy' or
 * 'ce' in any case picks binary, categorical or sparse cross-entropy from the labels' shape
 * when training starts; anything else goes through `losses.get`, which raises "Could not
 * interpret loss identifier" for an unknown name — when fit() builds the loss, not at compile().
 */
export function lookupLoss(value: PyValue | undefined): LossLookup {
  if (value === undefined || value.kind === "none") return { kind: "raises", raises: "ValueError: No loss to compute. Provide a `loss` argument in `compile()`.", message: "compile needs a loss= so that training knows what to minimise; without one Keras 3 raises a ValueError when training starts." };
  if (value.kind === "unknown") return { kind: "unknown" };
  // losses.py: from_logits=True applies softmax (or sigmoid) inside the loss, for outputs that are raw scores.
  if (value.kind === "object" && value.fromLogits) {
    return { kind: "untrainable", name: value.className, message: `from_logits=True tells Keras 3 that the model's outputs are raw scores and applies softmax inside the loss; a model whose last layer already has softmax then gets softmax twice. Training here computes the loss from probabilities, as from_logits=False does.` };
  }
  const name = value.kind === "str" ? value.value : (value.kind === "function" || value.kind === "object") && value.module === "losses" ? (value.kind === "function" ? value.name : value.className) : undefined;
  if (name !== undefined) {
    const trainable = TRAINABLE_LOSSES[name];
    if (trainable) return { kind: "ok", name: trainable };
    if (value.kind === "str" && ["crossentropy", "ce"].includes(name.toLowerCase())) {
      return { kind: "untrainable", name, message: `Keras 3 picks the kind of cross-entropy for '${name}' from the labels' shape when training starts; training here needs the loss named in full.` };
    }
    if (KERAS_LOSS_NAMES.includes(name)) return { kind: "untrainable", name, message: `Keras 3 knows the loss '${name}', but training in this extension runs only the categorical cross-entropies.` };
  }
  const other = KERAS_LOSS_NAMES.find((candidate) => name !== undefined && candidate.toLowerCase() === name.toLowerCase());
  return {
    kind: "raises",
    raises: `ValueError: Could not interpret loss identifier: ${value.kind === "str" ? value.value : pyRepr(value)}`,
    message:
      other !== undefined
        ? `Keras 3 looks loss names up exactly as written, and ${pyRepr(value)} is not one of them in this spelling, so fit() raises a ValueError.`
        : `Keras 3 has no loss called ${pyRepr(value)}, so fit() raises a ValueError. Check the name against keras.losses.`,
  };
}

// ---- metrics -------------------------------------------------------------------------------

/** keras/src/metrics/__init__.py ALL_OBJECTS: the metric classes; their snake_case names are accepted too. */
const KERAS_METRIC_CLASSES: readonly string[] = [
  "Metric", "Mean", "Sum", "MeanMetricWrapper", "MeanSquaredError", "RootMeanSquaredError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
  "MeanSquaredLogarithmicError", "CosineSimilarity", "LogCoshError", "R2Score", "AUC", "FalseNegatives", "FalsePositives", "Precision",
  "PrecisionAtRecall", "Recall", "RecallAtPrecision", "SensitivityAtSpecificity", "SpecificityAtSensitivity", "TrueNegatives", "TruePositives",
  "ConcordanceCorrelation", "PearsonCorrelation", "Hinge", "SquaredHinge", "CategoricalHinge", "KLDivergence", "Poisson", "BinaryCrossentropy",
  "CategoricalCrossentropy", "SparseCategoricalCrossentropy", "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy",
  "TopKCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "F1Score", "FBetaScore", "IoU", "BinaryIoU", "MeanIoU", "OneHotIoU", "OneHotMeanIoU",
];

/** keras/src/utils/naming.py to_snake_case: `CategoricalAccuracy` → `categorical_accuracy`, `AUC` → `auc`. */
export function toSnakeCase(name: string): string {
  const intermediate = name.replace(/(.)([A-Z][a-z0-9]+)/g, "$1_$2");
  return intermediate.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

/** Every string `keras.metrics.get` accepts, exactly as written (metrics/__init__.py ALL_OBJECTS_DICT). */
export const KERAS_METRIC_NAMES: readonly string[] = [
  ...KERAS_METRIC_CLASSES,
  ...KERAS_METRIC_CLASSES.map(toSnakeCase),
  ...["bce", "BCE", "mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE"],
];

export type MetricLookup = { kind: "ok"; name: MetricName } | { kind: "untrainable"; name: string; message: string } | { kind: "raises"; raises: string; message: string } | { kind: "unknown" };

/**
 * One metric (keras/src/trainers/compile_utils.py get_metric): 'accuracy' or 'acc' in any case
 * means the accuracy that fits the labels (categorical for one-hot labels); any other string
 * goes through `metrics.get`, exactly as written. `keras.metrics.Accuracy()` is a different
 * metric: the share of predictions exactly equal to the labels.
 */
export function lookupMetric(value: PyValue): MetricLookup {
  if (value.kind === "unknown") return { kind: "unknown" };
  if (value.kind === "none") return { kind: "raises", raises: "ValueError: Expected metric, received `None`", message: "None is not a metric; Keras 3 raises a ValueError when training starts." };
  if (value.kind === "str" && ["accuracy", "acc"].includes(value.value.toLowerCase())) return { kind: "ok", name: "accuracy" };
  const name = value.kind === "str" ? value.value : (value.kind === "object" || value.kind === "function") && value.module === "metrics" ? (value.kind === "object" ? value.className : value.name) : undefined;
  if (name === "categorical_accuracy" || name === "CategoricalAccuracy") return { kind: "ok", name: "categorical_accuracy" };
  if (name !== undefined && KERAS_METRIC_NAMES.includes(name)) {
    return { kind: "untrainable", name, message: `Keras 3 knows the metric '${name}', but training in this extension reports only accuracy and categorical accuracy, so it leaves this one out.` };
  }
  return {
    kind: "raises",
    raises: `ValueError: Could not interpret metric identifier: ${value.kind === "str" ? value.value : pyRepr(value)}`,
    message: `Keras 3 has no metric called ${pyRepr(value)}, so fit() raises a ValueError. Check the name against keras.metrics.`,
  };
}

/**
 * compile_utils.py CompileMetrics.__init__: `if metrics and not isinstance(metrics, (list,
 * tuple, dict))` raises "Expected `metrics` argument to be a list, tuple, or dict", at compile().
 * Keras 2 took a single metric; Keras 3 does not.
 */
export function metricsContainer(value: PyValue | undefined): { items: PyValue[]; problem?: KerasProblem } {
  if (value === undefined || value.kind === "none" || value.kind === "unknown") return { items: [] };
  if (value.kind === "list" || value.kind === "tuple") return { items: value.items };
  if (value.kind === "dict") return { items: value.entries.flatMap(([, item]) => (item.kind === "list" || item.kind === "tuple" ? item.items : [item])) };
  const falsy = (value.kind === "str" && value.value === "") || (value.kind === "bool" && !value.value) || ((value.kind === "int" || value.kind === "float") && value.value === 0);
  if (falsy) return { items: [] };
  return {
    items: [],
    problem: {
      severity: "error",
      argument: "metrics",
      raises: `ValueError: Expected \`metrics\` argument to be a list, tuple, or dict. Received instead: metrics=${value.kind === "str" ? value.value : pyRepr(value)}`,
      message: `Keras 3 wants the metrics in a list (or a tuple or dict), even when there is only one, so compile() raises a ValueError for metrics=${pyRepr(value)}. Put square brackets around it.`,
    },
  };
}

// ---- fit -----------------------------------------------------------------------------------

export interface FitReading {
  fit: FitSpec;
  problems: KerasProblem[];
}

/**
 * The fit arguments that training uses: `epochs` is passed to `range(initial_epoch, epochs)`
 * (keras/src/trainers/trainer.py via the backend's fit loop), so a float raises "'float'
 * object cannot be interpreted as an integer"; `batch_size` slices the data
 * (keras/src/trainers/data_adapters/array_data_adapter.py), so a float fails there, and 0 or
 * None falls back to 32 (`if not batch_size: batch_size = ... 32`).
 */
export function readFit(bound: ReadonlyMap<string, PyValue>, mode: ReadMode = "python"): FitReading {
  const problems: KerasProblem[] = [];
  const count = (key: "epochs" | "batch_size", fallback: number): number => {
    const value = bound.get(key);
    if (value === undefined || value.kind === "none" || value.kind === "unknown") return fallback;
    const isInt = value.kind === "int" || (mode === "json" && value.kind === "float" && Number.isInteger(value.value));
    if (value.kind === "float" && !isInt) {
      problems.push({
        severity: "error",
        argument: key,
        raises: key === "epochs" ? "TypeError: 'float' object cannot be interpreted as an integer" : "TypeError: slice indices must be integers or None or have an __index__ method",
        message: `\`${key}\` of fit() counts ${key === "epochs" ? "passes over the data" : "images per step"}, so it is a whole number written without a decimal point; Keras 3 raises a TypeError for ${pyRepr(value)}.`,
      });
      return fallback;
    }
    if (!isInt || (value.kind !== "int" && value.kind !== "float")) {
      problems.push({ severity: "error", argument: key, message: `\`${key}\` of fit() is a whole number, not ${pyRepr(value)}; Keras 3 fails with it.` });
      return fallback;
    }
    if (value.value > 0) return value.value;
    if (key === "batch_size" && value.value === 0) {
      problems.push({ severity: "warning", argument: key, message: "Keras 3 reads batch_size=0 as no batch size and uses 32 images per step." });
      return fallback;
    }
    problems.push({
      severity: key === "epochs" ? "warning" : "error",
      argument: key,
      message: key === "epochs" ? `With epochs=${value.value} fit() runs no pass over the data, so the model learns nothing; Keras 3 accepts it silently.` : `batch_size=${value.value} cannot split the data into steps; Keras 3 fails with it.`,
    });
    return fallback;
  };
  const split = bound.get("validation_split");
  const data = bound.get("validation_data");
  let validation: FitSpec["validation"] = { kind: "none" };
  if (data !== undefined && data.kind !== "none") {
    validation = { kind: "data" };
    if ((data.kind === "tuple" || data.kind === "list") && data.items.length < 2) problems.push({ severity: "error", argument: "validation_data", message: "validation_data is a pair (images, labels); Keras 3 fails to unpack anything shorter." });
  } else if (split !== undefined && (split.kind === "float" || split.kind === "int")) {
    if (split.value > 0 && split.value < 1) validation = { kind: "split", fraction: split.value };
    else if (split.value !== 0) problems.push({ severity: "warning", argument: "validation_split", message: `validation_split is the fraction of the training data kept aside, between 0 and 1; ${pyRepr(split)} leaves no sensible split, so training here ignores it.` });
  }
  const shuffle = bound.get("shuffle");
  return {
    fit: { batch_size: count("batch_size", KERAS_DEFAULTS.batchSize), epochs: count("epochs", KERAS_DEFAULTS.epochs), validation, shuffle: shuffle?.kind === "bool" ? shuffle.value : true },
    problems,
  };
}

/** Defaults Keras fills in, as Python values, for tests and for the spec check. */
export const FIT_DEFAULTS: ReadonlyMap<string, PyValue> = new Map([
  ["epochs", { kind: "int", value: 1 } as PyValue],
  ["batch_size", PY_NONE],
  ["validation_split", pyFloat(0)],
  ["shuffle", { kind: "bool", value: true } as PyValue],
  ["verbose", pyStr("auto")],
]);

// ---- training data -----------------------------------------------------------------------

/** Why Keras 3 refuses the labels `fit` gets for a model's output, or undefined when they fit. */
export type LabelsProblem = { kind: "class-numbers" } | { kind: "columns"; labelColumns: number; outputUnits: number };

/**
 * Labels against the model's output (both without the batch dimension): the loss compares them
 * element by element, and keras/src/backend/numpy/nn.py `categorical_crossentropy` (each backend alike) raises "Arguments
 * `target` and `output` must have the same shape" otherwise. Class numbers (one column) fit only
 * a sparse loss or a one-unit output; one-hot labels need one column per output unit.
 */
export function labelsProblem(loss: LossName | undefined, labels: readonly (number | null)[], output: readonly (number | null)[]): LabelsProblem | undefined {
  const outputUnits = output[output.length - 1];
  const labelColumns = labels.length === 0 ? 1 : labels[labels.length - 1];
  if (loss === "categorical_crossentropy" && labelColumns === 1 && outputUnits !== 1) return { kind: "class-numbers" };
  if (typeof labelColumns === "number" && typeof outputUnits === "number" && labelColumns !== 1 && labelColumns !== outputUnits) return { kind: "columns", labelColumns, outputUnits };
  return undefined;
}
