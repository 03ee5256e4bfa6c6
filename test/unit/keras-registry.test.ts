/**
 * The Keras 3 registry, row by row. Every expected value here is what Keras 3.16 itself says or
 * computes for the same call (its exception text, its `model.summary()` shapes and counts), taken
 * from the Keras source and checked by running Keras 3; none is copied from this code's output.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzePython } from "../../src/checker/evaluate";
import { buildLayer, inferLayer, INPUT_SIGNATURE, type BuildableClassName, type Shape } from "../../src/keras/layers";
import { bindCall, pyFloat, pyInt, pyStr, pyTuple, PY_NONE, type PyValue } from "../../src/keras/python";
import { buildOptimizer, COMPILE_SIGNATURE, lookupLoss, lookupMetric, lookupOptimizer, metricsContainer, readFit } from "../../src/keras/training";
import { lookupActivation } from "../../src/keras/activations";
import type { LayerConfig } from "../../src/protocol/modelSpec";
import { parseCompileSpec, parseModelSpec } from "../../src/training/spec";

const int = pyInt;
const str = pyStr;
const call = (positional: PyValue[], keywords: [string, PyValue][] = []) => ({ positional, keywords });

/** What Keras 3 raises for a layer constructor call: its exception, word for word. */
const RAISES: { name: string; className: BuildableClassName; args: ReturnType<typeof call>; raises: string }[] = [
  {
    name: "too many positionals (CPython counts self)",
    className: "Dense",
    args: call([int(10), str("relu"), { kind: "bool", value: true }, str("glorot_uniform"), str("zeros"), PY_NONE, PY_NONE, PY_NONE, PY_NONE, PY_NONE, PY_NONE, PY_NONE, PY_NONE, PY_NONE, int(1)]),
    raises: "TypeError: Dense.__init__() takes from 2 to 14 positional arguments but 16 were given",
  },
  { name: "Dropout with four positionals", className: "Dropout", args: call([pyFloat(0.5), PY_NONE, int(1), int(2)]), raises: "TypeError: Dropout.__init__() takes from 2 to 4 positional arguments but 5 were given" },
  { name: "a value by position and by keyword", className: "Conv2D", args: call([int(16), int(3)], [["filters", int(16)]]), raises: "TypeError: Conv2D.__init__() got multiple values for argument 'filters'" },
  { name: "a required argument left out", className: "AveragePooling2D", args: call([]), raises: "TypeError: AveragePooling2D.__init__() missing 1 required positional argument: 'pool_size'" },
  { name: "an unknown keyword reaches Layer.__init__", className: "Conv2D", args: call([int(16), int(3)], [["foo", int(1)]]), raises: "ValueError: Unrecognized keyword arguments passed to Conv2D: {'foo': 1}" },
  { name: "units as a float", className: "Dense", args: call([pyFloat(10)]), raises: "ValueError: Received an invalid value for `units`, expected a positive integer. Received: units=10.0" },
  { name: "units of 0", className: "Dense", args: call([int(0)]), raises: "ValueError: Received an invalid value for `units`, expected a positive integer. Received: units=0" },
  { name: "filters of 0", className: "Conv2D", args: call([int(0), int(3)]), raises: "ValueError: Invalid value for argument `filters`. Expected a strictly positive value. Received filters=0." },
  {
    name: "kernel_size of 0",
    className: "Conv2D",
    args: call([int(16), int(0)]),
    raises: "ValueError: The `kernel_size` argument must be a tuple of 2 integers. Received kernel_size=0, including values {0} that do not satisfy `value > 0`",
  },
  { name: "kernel_size as a float", className: "Conv2D", args: call([int(16), pyFloat(3)]), raises: "ValueError: The `kernel_size` argument must be a tuple of 2 integers. Received kernel_size=3.0" },
  { name: "pool_size as a float", className: "MaxPooling2D", args: call([pyFloat(2)]), raises: "ValueError: The `pool_size` argument must be a tuple of 2 integers. Received pool_size=2.0" },
  {
    name: "strides and dilation above 1 together",
    className: "Conv2D",
    args: call([int(16), int(3)], [["strides", int(2)], ["dilation_rate", int(2)]]),
    raises: "ValueError: `strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=(2, 2) and dilation_rate=(2, 2)",
  },
  { name: "a dropout rate above 1", className: "Dropout", args: call([pyFloat(1.5)]), raises: "ValueError: Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate=1.5" },
  { name: "a dropout rate in quotes", className: "Dropout", args: call([str("0.5")]), raises: "TypeError: '<=' not supported between instances of 'int' and 'str'" },
  {
    name: "a negative LeakyReLU slope",
    className: "LeakyReLU",
    args: call([int(-1)]),
    raises: "ValueError: The negative_slope value of a Leaky ReLU layer cannot be None or negative value. Expected a float. Received: negative_slope=-1",
  },
  { name: "a momentum that is not a number", className: "BatchNormalization", args: call([], [["momentum", str("x")]]), raises: "ValueError: could not convert string to float: 'x'" },
  { name: "an activation name in another case", className: "Activation", args: call([str("ReLU")]), raises: "ValueError: Could not interpret activation function identifier: ReLU" },
  { name: "pooling keeps padding as written", className: "MaxPooling2D", args: call([], [["padding", str("SAME")]]), raises: "ValueError: Argument `padding` must be either 'valid' or 'same'. Received: padding=SAME" },
  { name: "average pooling keeps padding as written too", className: "AveragePooling2D", args: call([int(2)], [["padding", str("SAME")]]), raises: "ValueError: Argument `padding` must be either 'valid' or 'same'. Received: padding=SAME" },
  { name: "causal padding is for 1-D convolutions", className: "Conv2D", args: call([int(4), int(3)], [["padding", str("causal")]]), raises: "ValueError: The `padding` argument must be a list/tuple or one of {'valid', 'same'}. Received: causal" },
];

for (const row of RAISES) {
  test(`Keras 3 raises: ${row.name}`, () => {
    const built = buildLayer(row.className, row.args);
    const raised = built.problems.filter((problem) => problem.severity === "error").map((problem) => problem.raises);
    assert.deepEqual(raised, [row.raises]);
    // The learner's message never quotes Python's traceback wording as its only explanation.
    for (const problem of built.problems) assert.ok(problem.message.length > 20 && !problem.message.startsWith("TypeError"), problem.message);
  });
}

/** What Keras 3 accepts: the config it reads (Keras's defaults filled in). */
const ACCEPTS: { name: string; className: BuildableClassName; args: ReturnType<typeof call>; config: LayerConfig["config"] }[] = [
  {
    name: "positionals in Keras's order",
    className: "Conv2D",
    args: call([int(16), pyTuple(int(3), int(3)), int(1), str("same")]),
    config: { filters: 16, kernel_size: [3, 3], strides: [1, 1], padding: "same", dilation_rate: [1, 1], activation: "linear", use_bias: true },
  },
  {
    name: "keywords in any order",
    className: "Conv2D",
    args: call([], [["activation", str("relu")], ["kernel_size", int(5)], ["filters", int(8)]]),
    config: { filters: 8, kernel_size: [5, 5], strides: [1, 1], padding: "valid", dilation_rate: [1, 1], activation: "relu", use_bias: true },
  },
  {
    name: "Conv2D lower-cases padding",
    className: "Conv2D",
    args: call([int(8), int(3)], [["padding", str("SAME")]]),
    config: { filters: 8, kernel_size: [3, 3], strides: [1, 1], padding: "same", dilation_rate: [1, 1], activation: "linear", use_bias: true },
  },
  { name: "MaxPooling2D defaults to 2x2, strides = pool_size", className: "MaxPooling2D", args: call([]), config: { pool_size: [2, 2], strides: [2, 2], padding: "valid" } },
  { name: "a dropout rate of 1 is allowed", className: "Dropout", args: call([int(1)]), config: { rate: 1 } },
  { name: "the deprecated alpha of LeakyReLU", className: "LeakyReLU", args: call([], [["alpha", pyFloat(0.1)]]), config: { negative_slope: 0.1 } },
  { name: "swish is a Keras 3 activation", className: "Dense", args: call([int(4)], [["activation", str("swish")]]), config: { units: 4, activation: "swish", use_bias: true } },
  { name: "keras.activations.relu as an object", className: "Dense", args: call([int(4), { kind: "function", module: "activations", name: "relu" }]), config: { units: 4, activation: "relu", use_bias: true } },
  { name: "name= goes to Layer.__init__", className: "Flatten", args: call([], [["name", str("flat")]]), config: {} },
];

for (const row of ACCEPTS) {
  test(`Keras 3 accepts: ${row.name}`, () => {
    const built = buildLayer(row.className, row.args);
    assert.deepEqual(
      built.problems.filter((problem) => problem.severity === "error"),
      [],
    );
    assert.deepEqual(built.layer.config, row.config);
  });
}

test("binding tells which argument holds each parameter, whatever the form", () => {
  const positional = buildLayer("Conv2D", call([int(16), int(3)], [["activation", str("relu")]]));
  assert.deepEqual(positional.sources.get("kernel_size"), { kind: "positional", index: 1 });
  assert.deepEqual(positional.sources.get("activation"), { kind: "keyword", name: "activation" });
  const keywords = buildLayer("Conv2D", call([], [["kernel_size", int(3)], ["filters", int(16)]]));
  assert.deepEqual(keywords.sources.get("kernel_size"), { kind: "keyword", name: "kernel_size" });
  assert.equal(keywords.sources.has("strides"), false, "a default is not an argument of the call");
});

test("Python's own binding errors for a plain function (keras.Input has no **kwargs)", () => {
  assert.equal(bindCall(INPUT_SIGNATURE, call([], [["shape", int(3)], ["foo", int(1)]])).error?.raises, "TypeError: Input() got an unexpected keyword argument 'foo'");
  assert.equal(bindCall(INPUT_SIGNATURE, call([], [["name", str("a")], ["name", str("b")]])).error?.raises, "SyntaxError: keyword argument repeated: name");
});

/**
 * Output shapes and parameter counts as Keras 3's model.summary() prints them for
 * Input(17, 19, 3) → Conv2D(5, (3, 2), strides=(2, 3), padding='same') → BatchNormalization() →
 * Conv2D(4, 3, dilation_rate=2, use_bias=False) → AveragePooling2D(3, 2, 'same') → LeakyReLU() →
 * MaxPooling2D((2, 1)) → Dense(7) → GlobalAveragePooling2D() → BatchNormalization(center=False) →
 * Dense(3, activation='softmax'): 375 parameters in all.
 */
test("shapes and parameter counts equal Keras 3's summary, layer by layer", () => {
  const layers: [BuildableClassName, ReturnType<typeof call>, Shape, number][] = [
    ["Conv2D", call([int(5), pyTuple(int(3), int(2))], [["strides", pyTuple(int(2), int(3))], ["padding", str("same")]]), [null, 9, 7, 5], 95],
    ["BatchNormalization", call([]), [null, 9, 7, 5], 20],
    ["Conv2D", call([int(4), int(3)], [["dilation_rate", int(2)], ["use_bias", { kind: "bool", value: false }]]), [null, 5, 3, 4], 180],
    ["AveragePooling2D", call([int(3), int(2), str("same")]), [null, 3, 2, 4], 0],
    ["LeakyReLU", call([]), [null, 3, 2, 4], 0],
    ["MaxPooling2D", call([pyTuple(int(2), int(1))]), [null, 1, 2, 4], 0],
    ["Dense", call([int(7)]), [null, 1, 2, 7], 35],
    ["GlobalAveragePooling2D", call([]), [null, 7], 0],
    ["BatchNormalization", call([], [["center", { kind: "bool", value: false }]]), [null, 7], 21],
    ["Dense", call([int(3)], [["activation", str("softmax")]]), [null, 3], 24],
  ];
  let shape: Shape = [null, 17, 19, 3];
  let total = 0;
  for (const [className, args, expected, params] of layers) {
    const built = buildLayer(className, args);
    assert.deepEqual(built.problems.filter((problem) => problem.severity === "error"), [], className);
    const inference = inferLayer(built.layer, shape);
    assert.deepEqual(inference.outputShape, expected, className);
    assert.equal(inference.trainableParams + inference.nonTrainableParams, params, className);
    shape = inference.outputShape;
    total += params;
  }
  assert.equal(total, 375);
});

test("Reshape keeps the total size, as Keras 3's compute_reshape_output_shape does", () => {
  const flat = inferLayer(buildLayer("Reshape", call([pyTuple(int(-1))])).layer, [null, 6, 6, 16]);
  assert.deepEqual(flat.outputShape, [null, 576]);
  const wrong = inferLayer(buildLayer("Reshape", call([pyTuple(int(3600))])).layer, [null, 6, 6, 16]);
  assert.equal(wrong.problems[0]?.raises, "ValueError: The total size of the tensor must be unchanged. Received: input_shape=(6, 6, 16), target_shape=(3600,)");
});

test("a layer applied to a tensor of the wrong rank is Keras 3's ValueError", () => {
  const pooling = inferLayer(buildLayer("GlobalAveragePooling2D", call([])).layer, [null, 4]);
  assert.equal(pooling.problems[0]?.raises?.startsWith('ValueError: Input 0 of layer "GlobalAveragePooling2D" is incompatible with the layer: expected ndim=4, found ndim=2.'), true);
  // dense.py applies the kernel to the last axis: Keras 3 accepts a 4-D input.
  const dense = inferLayer(buildLayer("Dense", call([int(10)])).layer, [null, 30, 30, 16]);
  assert.deepEqual(dense.outputShape, [null, 30, 30, 10]);
  assert.deepEqual(dense.problems.map((problem) => problem.severity), ["warning"]);
});

test("activation names are looked up exactly, as activations.get does", () => {
  assert.equal(lookupActivation(str("relu")).kind, "ok");
  assert.equal(lookupActivation(str("ReLU")).kind, "raises");
  assert.equal(lookupActivation(str("hard_swish")).kind, "untrainable");
  assert.deepEqual(lookupActivation(PY_NONE), { kind: "ok", name: "linear" });
});

test("optimizers: names in any case, a float learning rate, SGD's float momentum", () => {
  assert.equal(lookupOptimizer(str("ADAM")).kind, "ok");
  assert.equal((lookupOptimizer(str("adamm")) as { raises: string }).raises, "ValueError: Could not interpret optimizer identifier: adamm");
  assert.equal(lookupOptimizer(str("nadam")).kind, "untrainable");
  const rateInt = buildOptimizer("adam", call([], [["learning_rate", int(1)]]));
  assert.equal(rateInt.spec, null);
  assert.match(rateInt.problems[0]?.raises ?? "", /^ValueError: Argument `learning_rate` should be float, .* Received instead: learning_rate=1$/);
  assert.match(buildOptimizer("adam", call([str("fast")])).problems[0]?.raises ?? "", /Received instead: learning_rate=fast$/);
  // Keras 3 accepts nan and negative rates; training here cannot learn with them.
  for (const rate of [NaN, -0.1, 0]) {
    const built = buildOptimizer("adam", call([pyFloat(rate)]));
    assert.deepEqual(built.problems.map((problem) => problem.severity), ["warning"]);
    assert.deepEqual(built.unknownArguments, ["learning_rate"]);
    assert.equal(built.spec, null, "training gets no optimizer to run with");
  }
  for (const momentum of [pyFloat(1.5), pyFloat(-0.5), int(0)]) {
    assert.equal(buildOptimizer("sgd", call([pyFloat(0.01), momentum])).problems[0]?.raises, "ValueError: `momentum` must be a float between [0, 1].");
  }
  assert.deepEqual(buildOptimizer("adam", call([pyFloat(0.01), pyFloat(0.8), pyFloat(0.9), pyFloat(1e-6)])).spec, { name: "adam", learning_rate: 0.01 });
  assert.equal(buildOptimizer("adam", call([], [["lr", pyFloat(0.1)]])).problems[0]?.raises, "ValueError: Argument(s) not recognized: {'lr': 0.1}");
});

test("losses and metrics: by every name Keras 3 accepts, and metrics only in a container", () => {
  for (const name of ["categorical_crossentropy", "CategoricalCrossentropy"]) assert.deepEqual(lookupLoss(str(name)), { kind: "ok", name: "categorical_crossentropy" });
  assert.deepEqual(lookupLoss({ kind: "object", module: "losses", className: "SparseCategoricalCrossentropy" }), { kind: "ok", name: "sparse_categorical_crossentropy" });
  assert.equal(lookupLoss(str("mse")).kind, "untrainable");
  assert.equal(lookupLoss(str("crossentropy")).kind, "untrainable");
  assert.equal((lookupLoss(str("categorical_crossentropyy")) as { raises: string }).raises, "ValueError: Could not interpret loss identifier: categorical_crossentropyy");
  for (const name of ["accuracy", "acc", "Accuracy", "ACC"]) assert.deepEqual(lookupMetric(str(name)), { kind: "ok", name: "accuracy" });
  assert.deepEqual(lookupMetric({ kind: "object", module: "metrics", className: "CategoricalAccuracy" }), { kind: "ok", name: "categorical_accuracy" });
  assert.equal(lookupMetric(str("auc")).kind, "untrainable");
  assert.equal(lookupMetric(str("accuracyy")).kind, "raises");
  assert.equal(metricsContainer(str("accuracy")).problem?.raises, "ValueError: Expected `metrics` argument to be a list, tuple, or dict. Received instead: metrics=accuracy");
  assert.equal(metricsContainer({ kind: "object", module: "metrics", className: "CategoricalAccuracy" }).problem?.severity, "error");
  assert.deepEqual(metricsContainer({ kind: "list", items: [str("accuracy")] }), { items: [str("accuracy")] });
  assert.deepEqual(metricsContainer({ kind: "tuple", items: [str("acc")] }), { items: [str("acc")] });
});

test("fit: a float epochs or batch_size is Keras 3's TypeError; 0 means 32 images per step", () => {
  const epochs = readFit(new Map([["epochs", pyFloat(10)]]));
  assert.equal(epochs.problems[0]?.raises, "TypeError: 'float' object cannot be interpreted as an integer");
  const batch = readFit(new Map([["batch_size", pyFloat(16)]]));
  assert.equal(batch.problems[0]?.raises, "TypeError: slice indices must be integers or None or have an __index__ method");
  const zero = readFit(new Map([["batch_size", int(0)]]));
  assert.equal(zero.fit.batch_size, 32);
  assert.equal(zero.problems[0]?.severity, "warning");
});

/** The checker, end to end, on the forms the issue lists; expectations are Keras 3's verdicts. */
const HEADER = `import keras
from keras import layers
inputs = keras.Input(shape=(32, 32, 3))
x = layers.Flatten()(inputs)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
`;

const VERDICTS: { name: string; code: string; errors: number }[] = [
  { name: "metrics='accuracy'", code: `model.compile(optimizer="adam", loss="categorical_crossentropy", metrics="accuracy")`, errors: 1 },
  { name: "metrics=keras.metrics.CategoricalAccuracy()", code: `model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=keras.metrics.CategoricalAccuracy())`, errors: 1 },
  { name: "metrics=['accuracy']", code: `model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])`, errors: 0 },
  { name: "metrics=('acc',)", code: `model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=("acc",))`, errors: 0 },
  { name: "optimizer='ADAM'", code: `model.compile(optimizer="ADAM", loss="categorical_crossentropy", metrics=["accuracy"])`, errors: 0 },
  { name: "loss='CategoricalCrossentropy'", code: `model.compile(optimizer="adam", loss="CategoricalCrossentropy", metrics=["accuracy"])`, errors: 0 },
  { name: "activation='ReLU'", code: `y = layers.Dense(10, activation="ReLU")(x)`, errors: 1 },
  { name: "Adam(learning_rate=1)", code: `opt = keras.optimizers.Adam(learning_rate=1)`, errors: 1 },
  { name: "Adam(learning_rate=1.0)", code: `opt = keras.optimizers.Adam(learning_rate=1.0)`, errors: 0 },
  { name: "Adam(learning_rate=float('nan')) is accepted by Keras 3", code: `opt = keras.optimizers.Adam(learning_rate=float("nan"))`, errors: 0 },
  { name: "Adam(learning_rate=1e-3)", code: `opt = keras.optimizers.Adam(learning_rate=1e-3)`, errors: 0 },
  { name: "Conv2D(16, 3, filters=16)", code: `y = layers.Conv2D(16, 3, filters=16)(inputs)`, errors: 1 },
  {
    name: "epochs=10.0",
    code: `model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
(train_images, train_labels), _ = keras.datasets.cifar10.load_data()
model.fit(train_images, keras.utils.to_categorical(train_labels, 10), epochs=10.0)`,
    errors: 1,
  },
  {
    name: "epochs=10 // 1 is an int",
    code: `model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
(train_images, train_labels), _ = keras.datasets.cifar10.load_data()
model.fit(train_images, keras.utils.to_categorical(train_labels, 10), epochs=10 // 1)`,
    errors: 0,
  },
];

for (const row of VERDICTS) {
  test(`checker agrees with Keras 3: ${row.name}`, () => {
    const analysis = analyzePython(`${HEADER}${row.code}\n`);
    const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
    assert.equal(errors.length, row.errors, JSON.stringify(analysis.diagnostics.map((diagnostic) => diagnostic.message)));
  });
}

test("a separate Activation layer after a layer without one is understood as its activation", () => {
  const analysis = analyzePython(`${HEADER}y = layers.Dense(64)(x)
z = layers.Activation("relu")(y)
`);
  const dense = analysis.layerCalls.find((call) => call.className === "Dense" && call.outputShape[1] === 64);
  assert.equal(dense?.activationAfter, "relu");
});

test("the checker's calls say which argument holds each parameter", () => {
  const analysis = analyzePython(`${HEADER}y = layers.Conv2D(kernel_size=(3, 3), filters=16)(inputs)
z = layers.Conv2D(8, 5)(inputs)
`);
  const [first, second] = analysis.layerCalls.filter((call) => call.className === "Conv2D");
  const text = (source: string, argument: { from: number; to: number } | undefined) => (argument ? source.slice(argument.from, argument.to) : undefined);
  const source = `${HEADER}y = layers.Conv2D(kernel_size=(3, 3), filters=16)(inputs)\nz = layers.Conv2D(8, 5)(inputs)\n`;
  assert.equal(text(source, first?.arguments.find((argument) => argument.param === "kernel_size")), "(3, 3)");
  assert.equal(text(source, second?.arguments.find((argument) => argument.param === "kernel_size")), "5");
  assert.equal(second?.arguments.find((argument) => argument.param === "filters")?.by, "positional");
  assert.ok(analysis.calls?.some((entry) => entry.callee === "keras.Model"));
});

test("keras.Sequential with .add builds the model Keras 3 builds (18,234 parameters)", () => {
  const analysis = analyzePython(`import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(8, 3), layers.MaxPooling2D(), layers.Flatten(), layers.Dense(10)])
model.add(layers.Activation("softmax"))
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
`);
  // Keras 3 builds a Sequential that starts with an Input at once, and again after each add().
  const model = analysis.models.find((candidate) => candidate.compile !== undefined);
  assert.equal(analysis.models.length, 2);
  assert.equal(model?.spec.name, "sequential");
  assert.equal(model?.totalParams, 18234);
  assert.deepEqual(model?.params, [0, 224, 0, 0, 18010, 0]);
  assert.deepEqual(model?.outputShapes.slice(1), [
    [null, 30, 30, 8],
    [null, 15, 15, 8],
    [null, 1800],
    [null, 10],
    [null, 10],
  ]);
  assert.ok(model?.compile);
});

const MORE_VERDICTS: { name: string; code: string; errors: number }[] = [
  { name: "keras.layers.Flaten (AttributeError)", code: "y = layers.Flaten()(x)", errors: 1 },
  { name: "keras.layers.Conv2d (AttributeError)", code: "y = layers.Conv2d(8, 3)(inputs)", errors: 1 },
  { name: "keras.layers.Reshape is real, only not followed", code: "y = layers.Reshape((3072,))(inputs)", errors: 0 },
  { name: "a model name with '/'", code: `m = keras.Model(inputs=inputs, outputs=outputs, name="cifar/model")`, errors: 1 },
  { name: "model.save without .keras", code: `model.save("model_dropout")`, errors: 1 },
  { name: "model.save with .keras", code: `model.save("model_dropout.keras")`, errors: 0 },
  { name: "load_model without .keras", code: `m = keras.models.load_model("model_dropout")`, errors: 1 },
  { name: "keras.optimizers.adam (AttributeError: the classes are capitalised)", code: "opt = keras.optimizers.adam(learning_rate=0.01)", errors: 1 },
  { name: "to_categorical with a float count", code: "y = keras.utils.to_categorical([1, 2], 10.0)", errors: 1 },
];

for (const row of MORE_VERDICTS) {
  test(`checker agrees with Keras 3: ${row.name}`, () => {
    const analysis = analyzePython(`${HEADER}${row.code}\n`);
    const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
    assert.equal(errors.length, row.errors, JSON.stringify(analysis.diagnostics.map((diagnostic) => diagnostic.message)));
  });
}

test("from_logits=True on a loss is not the loss training runs", () => {
  const analysis = analyzePython(`${HEADER}model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])\n`);
  assert.equal(analysis.models[0]?.compile, undefined);
  assert.ok(analysis.diagnostics.some((diagnostic) => /from_logits/.test(diagnostic.message)));
});

test("the spec check (JSON) refuses what training cannot run, and takes 1 for 1.0", () => {
  assert.throws(() => parseCompileSpec({ optimizer: { name: "adam", learning_rate: -0.1 }, loss: "categorical_crossentropy" }), /learning_rate|learning rate/);
  assert.throws(() => parseCompileSpec({ optimizer: { name: "adam", learning_rate: null }, loss: "categorical_crossentropy" }), /learning rate/);
  assert.deepEqual(parseCompileSpec({ optimizer: { name: "adam", learning_rate: 1 }, loss: "categorical_crossentropy" }).optimizer, { name: "adam", learning_rate: 1 });
  assert.deepEqual(parseCompileSpec({ optimizer: { name: "sgd", momentum: 0 } }).optimizer, { name: "sgd", learning_rate: 0.01, momentum: 0 });
  assert.throws(() => parseModelSpec({ layers: [{ class_name: "InputLayer", config: { shape: [8, 8, 1] } }, { class_name: "Dense", config: { units: 0 } }] }), /units/);
  assert.throws(() => parseModelSpec({ layers: [{ class_name: "InputLayer", config: { shape: [8, 8, 1] } }, { class_name: "Dense", config: { units: 3, activation: "ReLU" } }] }), /activation/);
});

const CALL_VERDICTS: { name: string; code: string; errors: number }[] = [
  { name: "Input with sizes left open (None)", code: "i = keras.Input(shape=(None, None, 3))", errors: 0 },
  { name: "Input with a float size", code: "i = keras.Input(shape=(32, 32, 3.0))", errors: 1 },
  { name: "compile(metric=...) (TypeError: unexpected keyword)", code: `model.compile(optimizer="adam", loss="categorical_crossentropy", metric=["accuracy"])`, errors: 1 },
  {
    name: "fit(epoch=2) (TypeError: unexpected keyword)",
    code: `model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
(a, b), _ = keras.datasets.cifar10.load_data()
model.fit(a, keras.utils.to_categorical(b, 10), epoch=2)`,
    errors: 1,
  },
  { name: "activation='leaky_relu' is a Keras 3 activation", code: `y = layers.Dense(4, activation="leaky_relu")(x)`, errors: 0 },
];

for (const row of CALL_VERDICTS) {
  test(`checker agrees with Keras 3: ${row.name}`, () => {
    const analysis = analyzePython(`${HEADER}${row.code}\n`);
    const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
    assert.equal(errors.length, row.errors, JSON.stringify(analysis.diagnostics.map((diagnostic) => diagnostic.message)));
  });
}

test("compile's TypeError names the method as CPython does", () => {
  assert.equal(bindCall(COMPILE_SIGNATURE, call([], [["metric", str("accuracy")]])).error?.raises, "TypeError: Trainer.compile() got an unexpected keyword argument 'metric'");
});
