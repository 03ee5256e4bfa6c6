/**
 * The evaluator against numbers Keras prints for the lesson's models, and the equivalences and
 * built-in mistakes of the blank checker on seed-like code written here.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzePython, checkChallenge, formatLayerHint, revealBlank, type CheckSpec } from "../../src/checker";
import { memoryRefusal } from "../../src/training/memoryEstimate";

const PRELUDE = `from tensorflow import keras
from sklearn.model_selection import train_test_split
(train_images, train_labels), (test_images, test_labels) = keras.datasets.cifar10.load_data()
class_names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']
def prepare_dataset(train_images, train_labels):
    train_images = train_images / 255.0
    train_labels = keras.utils.to_categorical(train_labels, len(class_names))
    train_images, val_images, train_labels, val_labels = train_test_split(
        train_images, train_labels, test_size=0.2, random_state=42)
    return train_images, val_images, train_labels, val_labels
train_images, val_images, train_labels, val_labels = prepare_dataset(train_images, train_labels)
`;

const INTRO = `${PRELUDE}
def create_model_intro():
    inputs_intro = keras.Input(shape=train_images.shape[1:])
    x_intro = keras.layers.Conv2D(filters=16, kernel_size=(3,3), activation='relu')(inputs_intro)
    x_intro = keras.layers.MaxPooling2D(pool_size=(2,2))(x_intro)
    x_intro = keras.layers.Conv2D(filters=32, kernel_size=(3,3), activation='relu')(x_intro)
    x_intro = keras.layers.MaxPooling2D(pool_size=(2,2))(x_intro)
    x_intro = keras.layers.Flatten()(x_intro)
    x_intro = keras.layers.Dense(units=64, activation='relu')(x_intro)
    outputs_intro = keras.layers.Dense(units=10, activation='softmax')(x_intro)
    model_intro = keras.Model(inputs=inputs_intro, outputs=outputs_intro, name="cifar_model_intro")
    return model_intro

model_intro = create_model_intro()
model_intro.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.CategoricalCrossentropy(), metrics=[keras.metrics.CategoricalAccuracy()])
history_intro = model_intro.fit(x=train_images, y=train_labels, batch_size=32, epochs=10, validation_data=(val_images, val_labels))
`;

test("the intro model has Keras's shapes and 79,530 parameters (448, 4640, 73792, 650)", () => {
  const analysis = analyzePython(INTRO);
  assert.deepEqual(analysis.diagnostics, []);
  const [model] = analysis.models;
  assert.ok(model);
  assert.equal(model.totalParams, 79530);
  assert.deepEqual(model.params, [0, 448, 0, 4640, 0, 0, 73792, 650]);
  assert.deepEqual(model.outputShapes, [[null, 32, 32, 3], [null, 30, 30, 16], [null, 15, 15, 16], [null, 13, 13, 32], [null, 6, 6, 32], [null, 1152], [null, 64], [null, 10]]);
  assert.deepEqual(model.spec.layers.map((layer) => layer.name), ["input_layer", "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten", "dense", "dense_1"]);
  assert.equal(model.variable, "model_intro");
  assert.equal(model.builtBy, "create_model_intro");
  assert.equal(formatLayerHint(analysis.layerCalls[0]!), "→ (None, 30, 30, 16) · 448 params");
  assert.deepEqual(analysis.runs.map((run) => [run.fit, run.compile]), [
    [{ batch_size: 32, epochs: 10, validation: { kind: "data" }, shuffle: true }, { optimizer: { name: "adam", learning_rate: 0.001 }, loss: "categorical_crossentropy", metrics: ["categorical_accuracy"] }],
  ]);
});

test("the dropout model of episode 4 has 33,834 parameters", () => {
  const analysis = analyzePython(`${PRELUDE}
def create_model_dropout():
    inputs = keras.Input(shape=train_images.shape[1:])
    x = keras.layers.Conv2D(16, (3, 3), activation='relu')(inputs)
    x = keras.layers.MaxPooling2D((2, 2))(x)
    x = keras.layers.Conv2D(32, 3, activation='relu')(x)
    x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Conv2D(filters=64, kernel_size=[3, 3], activation='relu')(x)
    x = keras.layers.Dropout(rate=0.5)(x)
    x = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(units=10, activation='softmax')(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="cifar_model_dropout")
`);
  const [model] = analysis.models;
  assert.equal(model?.totalParams, 33834);
  assert.deepEqual(model?.params, [0, 448, 0, 4640, 0, 18496, 0, 0, 10250]);
  assert.deepEqual(model?.outputShapes[6], [null, 4, 4, 64]);
});

test("a loop over dropout rates builds one model per rate and a grid search expands every combination", () => {
  const analysis = analyzePython(`${PRELUDE}
from scikeras.wrappers import KerasClassifier
from sklearn.model_selection import GridSearchCV
def create_model_vary(dropout_rate):
    inputs = keras.Input(shape=(32, 32, 3))
    x = keras.layers.Dropout(rate=dropout_rate)(keras.layers.Flatten()(inputs))
    outputs = keras.layers.Dense(10, activation='softmax')(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
    return model
for rate in [0.15, 0.3, 0.45]:
    model_vary = create_model_vary(rate)
    model_vary.fit(train_images, train_labels, batch_size=64, epochs=2)
classifier = KerasClassifier(build_fn=create_model_vary, epochs=2, batch_size=32, verbose=0)
grid = GridSearchCV(estimator=classifier, param_grid=dict(optimizer=['SGD', 'RMSprop'], dropout_rate=[0.1, 0.2]), n_jobs=1, cv=3)
grid_result = grid.fit(train_images, train_labels)
`);
  assert.deepEqual(
    analysis.runs.map((run) => run.model.layers.find((layer) => layer.class_name === "Dropout")?.config),
    [{ rate: 0.15 }, { rate: 0.3 }, { rate: 0.45 }],
  );
  assert.equal(analysis.runs[0]?.fit.batch_size, 64);
  const [grid] = analysis.grids;
  assert.equal(grid?.cv, 3);
  assert.deepEqual(grid?.runs.map((run) => [run.params, run.compile.optimizer.name, run.fit.epochs]), [
    [{ optimizer: "SGD", dropout_rate: 0.1 }, "sgd", 2],
    [{ optimizer: "SGD", dropout_rate: 0.2 }, "sgd", 2],
    [{ optimizer: "RMSprop", dropout_rate: 0.1 }, "rmsprop", 2],
    [{ optimizer: "RMSprop", dropout_rate: 0.2 }, "rmsprop", 2],
  ]);
});

test("shape errors are reported on the line that causes them, with the shapes", () => {
  const analysis = analyzePython(`from tensorflow import keras
inputs = keras.Input(shape=(32, 32, 3))
x = keras.layers.Conv2D(16, 3)(inputs)
x = keras.layers.Dense(10, activation='softmax')(x)
y = keras.layers.Flatten()(x)
z = keras.layers.Conv2D(8, 3)(y)
w = keras.layers.MaxPooling2D(pool_size=64)(inputs)
`);
  const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.code === "shape");
  assert.deepEqual(errors.map((error) => error.range.start.line), [3, 5, 6]);
  assert.match(errors[0]!.message, /\(None, 30, 30, 16\).*Flatten/);
  assert.match(errors[1]!.message, /\(None, 9000\)/);
  assert.match(errors[2]!.message, /smaller than this 64x64 window/);
});

test("unfinished code, other libraries and Python outside the subset never throw", () => {
  const analysis = analyzePython(`import matplotlib.pyplot as plt
from tensorflow import keras
plt.plot([1, 2]); plt.show()
while True:
    pass
f = lambda x: x
inputs = keras.Input(shape=(32, 32, 3)
x = keras.layers.Dense(units=
`);
  const codes = analysis.diagnostics.map((diagnostic) => diagnostic.code);
  assert.ok(codes.includes("syntax"));
  assert.equal(codes.filter((code) => code === "outside-subset").length, 2);
  assert.ok(analysis.diagnostics.every((diagnostic) => diagnostic.range.start.line < 9));
});

test("the step budget stops a runaway file and says so", () => {
  const analysis = analyzePython(`def f(n):\n    return f(n) + f(n)\nf(1)\n`, { maxSteps: 5000 });
  assert.ok(analysis.diagnostics.some((diagnostic) => diagnostic.code === "budget" || diagnostic.code === "outside-subset"));
});

// A challenge written here, modelled on the seed's "create the intro model" challenge.
const STARTER = `from tensorflow import keras
import tensorflow as tf
from tensorflow.keras import layers
inputs_intro = keras.Input(shape=(32, 32, 3))
# first convolution
x_intro = keras.layers.Conv2D(filters=16, kernel_size=_____, activation=_____)(inputs_intro)
# pooling
x_intro = keras.layers.MaxPooling2D(pool_size=_____)(x_intro)
x_intro = _____(x_intro)
x_intro = keras.layers.Dense(units=64, activation='relu')(_____)
outputs_intro = keras.layers.Dense(units=_____, activation=_____)(x_intro)
model_intro = keras.Model(inputs=inputs_intro, outputs=outputs_intro, name="cifar_model_intro")
`;
const SPEC: CheckSpec = {
  blanks: [
    { id: "kernel", expect: "(3, 3)" },
    { id: "hidden-activation", expect: "'relu'", hint: "The same activation as the lesson's other hidden layers." },
    { id: "pool", expect: "(2, 2)", mistakes: [{ answer: "(4, 4)", message: "A window that large throws away too much." }] },
    { id: "flatten", expect: "keras.layers.Flatten()" },
    { id: "dense-input", expect: "x_intro" },
    { id: "units", expect: "10" },
    { id: "output-activation", expect: "'softmax'" },
  ],
  model: { variable: "model_intro", inputShape: [32, 32, 3], layers: ["InputLayer", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"], totalParams: 231562 },
};
const EXPECTED = SPEC.blanks.map((blank) => blank.expect);

function learner(answers: string[]): string {
  const parts = STARTER.split("_____");
  return parts.map((part, index) => part + (index < answers.length ? answers[index] : "")).join("");
}
function verdictWith(index: number, answer: string) {
  const answers = [...EXPECTED];
  answers[index] = answer;
  return checkChallenge(learner(answers), STARTER, SPEC);
}

const EQUIVALENT: [number, string][] = [
  [0, "3"],
  [0, "[3, 3]"],
  [0, "(3,3)"],
  [1, '"relu"'],
  [1, "keras.activations.relu"],
  [1, "tf.keras.activations.relu"],
  [2, "2"],
  [3, "layers.Flatten()"],
  [3, "tf.keras.layers.Flatten()"],
  [5, "len(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'])"],
  [6, "keras.activations.softmax"],
];
for (const [index, answer] of EQUIVALENT) {
  test(`equivalent answer for ${SPEC.blanks[index]!.id}: ${answer}`, () => {
    const verdict = verdictWith(index, answer);
    assert.equal(verdict.blanks[index]?.status, "correct", verdict.blanks[index]?.message);
    assert.equal(verdict.status, "correct", JSON.stringify(verdict.modelChecks));
  });
}

const MISTAKES: [number, string, string][] = [
  [1, "'softmax'", "hidden-softmax"],
  [6, "'relu'", "output-activation"],
  [5, "100", "output-units"],
  [3, "keras.layers.Dropout(0.5)", "layer-argument"],
  [4, "x_intro.shape", "shape"],
  [4, "inputs_intro", "wrong-input"],
  [2, "3", "pool-size"],
  [2, "(4, 4)", "anticipated"],
  [0, "'3'", "layer-argument"],
];
for (const [index, answer, kind] of MISTAKES) {
  test(`built-in mistake for ${SPEC.blanks[index]!.id}: ${answer} -> ${kind}`, () => {
    const verdict = verdictWith(index, answer);
    const blank = verdict.blanks[index];
    assert.equal(blank?.status, "wrong", blank?.message);
    assert.equal(blank?.mistake, kind, blank?.message);
    assert.match(blank?.message ?? "", /^Line \d+: /);
    assert.equal(verdict.status, "wrong");
  });
}

test("a blank still _____ is todo; the hint travels with the verdict; model checks wait", () => {
  const answers = [...EXPECTED];
  answers[1] = "_____";
  const verdict = checkChallenge(learner(answers), STARTER, SPEC);
  assert.equal(verdict.blanks[1]?.status, "todo");
  assert.equal(verdict.blanks[1]?.hint, SPEC.blanks[1]?.hint);
  assert.equal(verdict.status, "todo");
  assert.deepEqual(verdict.modelChecks, []);
});

test("keyword or positional, extra lines and comments: the blank is still found", () => {
  const text = learner(EXPECTED)
    .replace("keras.layers.Conv2D(filters=16, kernel_size=(3, 3), activation='relu')", "keras.layers.Conv2D(16, (3, 3), activation='relu')")
    .replace("# pooling", "# pooling\nprint('shapes so far')  # a line the learner added");
  const verdict = checkChallenge(text, STARTER, SPEC);
  assert.deepEqual(verdict.blanks.map((blank) => blank.status), EXPECTED.map(() => "correct"));
});

test("reveal returns the expected answer as an edit at the blank", () => {
  const text = learner(["3", "_____", "2", "_____", "x_intro", "10", "'softmax'"]);
  const edit = revealBlank(text, STARTER, SPEC, 1);
  assert.equal(edit?.newText, "'relu'");
  const line = text.split("\n").findIndex((candidate) => candidate.includes("activation=_____"));
  assert.deepEqual(edit?.range.start, { line, character: (text.split("\n")[line] ?? "").indexOf("activation=_____") + "activation=".length });
});

test("inlay hints never show placeholder shapes for layers whose arguments are still blanks", () => {
  const unfinished = `${PRELUDE}
def create_model():
    inputs = keras.Input(shape=train_images.shape[1:])
    x = keras.layers.Conv2D(filters=_____, kernel_size=_____, activation='relu')(inputs)
    x = keras.layers.MaxPooling2D(pool_size=(2,2))(x)
    return keras.Model(inputs=inputs, outputs=x)
model = create_model()
`;
  const [conv, pool] = analyzePython(unfinished).layerCalls;
  assert.ok(conv && pool, "both layer calls are found");
  assert.equal(formatLayerHint(conv), "→ shape once filters, kernel_size are filled in");
  assert.equal(formatLayerHint(pool), "→ shape once the layers above are complete");
  const filled = analyzePython(unfinished.replace("filters=_____", "filters=16").replace("kernel_size=_____", "kernel_size=(3,3)")).layerCalls;
  assert.deepEqual(filled.map(formatLayerHint), ["→ (None, 30, 30, 16) · 448 params", "→ (None, 15, 15, 16) · 0 params"]);
});

test("a model too big to train gets Train's own refusal as a warning on its largest layer, with the fit's batch size", () => {
  const machine = { backend: "wasm" as const, totalMemory: 16 * 1024 ** 3 };
  const huge = `${PRELUDE}
inputs = keras.Input(shape=(32, 32, 3))
x = keras.layers.Flatten()(inputs)
x = keras.layers.Dense(units=200000, activation='relu')(x)
outputs = keras.layers.Dense(units=10, activation='softmax')(x)
model = keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
model.fit(train_images, train_labels, batch_size=64, epochs=1)
`;
  const analysis = analyzePython(huge, { trainingMachine: machine });
  const model = analysis.models[0]!;
  const refusal = memoryRefusal(model.spec, 64, "wasm", "adam", machine.totalMemory);
  assert.ok(refusal, "Train refuses this model");
  const warnings = analysis.diagnostics.filter((diagnostic) => diagnostic.message === refusal.message);
  assert.equal(warnings.length, 1, JSON.stringify(analysis.diagnostics.map((diagnostic) => diagnostic.message)));
  assert.equal(warnings[0]!.severity, "warning");
  const denseLine = huge.split("\n").findIndex((line) => line.includes("units=200000"));
  assert.equal(warnings[0]!.range.start.line, denseLine, "on the layer that takes the memory");
  assert.match(refusal.message, /layer 'dense' \(Dense\)/);

  const lessonModel = analyzePython(INTRO, { trainingMachine: machine });
  assert.ok(!lessonModel.diagnostics.some((diagnostic) => diagnostic.message.includes("too big to train")), "the lesson's model fits");
});
