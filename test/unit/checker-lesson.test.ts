/**
 * Table-driven checks of every code challenge of the shipped lesson: the solution passes, the
 * untouched starter is "todo" everywhere, and each row (one blank filled with a learner's answer,
 * every other blank with its expected answer) gets the intended verdict and message.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { checkChallenge, type MistakeKind } from "../../src/checker";
import { findBlanks, parsePython } from "../../src/python";
import { parseEpisode } from "../../src/lessons";
import type { Challenge } from "../../src/protocol/lesson";

const LESSON = join(import.meta.dirname, "../../lessons/intro-image-classification-cnn");
// Bounded by steps, not by the clock, so a busy machine cannot cut an analysis short.
const UNHURRIED = { maxMillis: Number.POSITIVE_INFINITY };

function shippedChallenges(): Challenge[] {
  const folder = join(LESSON, "episodes");
  return readdirSync(folder)
    .filter((file) => file.endsWith(".md"))
    .flatMap((file, index) => parseEpisode(readFileSync(join(folder, file), "utf8"), file, file.slice(0, -3), index).episode.challenges)
    .filter((challenge) => challenge.check && challenge.starterFile && challenge.solutionFile);
}

const challenges = new Map(shippedChallenges().map((challenge) => [challenge.id, challenge]));
const read = (file: string | undefined): string => readFileSync(join(LESSON, file ?? ""), "utf8");

/** The starter with each blank replaced: `answers[blankId]` where given, else the expected answer. */
function fill(challenge: Challenge, answers: Record<string, string>): string {
  const starter = read(challenge.starterFile);
  const blanks = findBlanks(parsePython(starter));
  let text = starter;
  for (let index = blanks.length - 1; index >= 0; index--) {
    const blank = blanks[index];
    const spec = challenge.check?.blanks[index];
    if (!blank || !spec) continue;
    text = text.slice(0, blank.from) + (answers[spec.id] ?? spec.expect) + text.slice(blank.to);
  }
  return text;
}

test("the lesson ships code challenges to check", () => {
  assert.ok(challenges.size >= 4, `found ${challenges.size} code challenges`);
});

for (const challenge of challenges.values()) {
  test(`${challenge.id}: the solution file passes every blank and every model check`, () => {
    const verdict = checkChallenge(read(challenge.solutionFile), read(challenge.starterFile), challenge.check!, UNHURRIED);
    assert.deepEqual(verdict.blanks.filter((blank) => blank.status !== "correct").map((blank) => `${blank.id}: ${blank.message}`), []);
    assert.deepEqual(verdict.modelChecks.filter((check) => check.status !== "correct").map((check) => check.message), []);
    assert.equal(verdict.status, "correct");
  });
  test(`${challenge.id}: the untouched starter is todo, blank by blank, with no error diagnostics`, () => {
    const starter = read(challenge.starterFile);
    const verdict = checkChallenge(starter, starter, challenge.check!, UNHURRIED);
    assert.equal(verdict.status, "todo");
    assert.equal(verdict.blanks.length, challenge.check!.blanks.length, "one blank in the starter per blank of the check spec");
    assert.ok(verdict.blanks.every((blank) => blank.status === "todo"));
    assert.deepEqual(verdict.diagnostics.filter((diagnostic) => diagnostic.severity === "error"), []);
  });
}

interface Row {
  challenge: string;
  blank: string;
  answer: string;
  status: "correct" | "wrong" | "invalid" | "todo";
  /** The kind of mistake; "anticipated" rows must show the spec's message for `as` (default: the answer). */
  mistake?: MistakeKind;
  as?: string;
  /** A piece of a built-in message. */
  says?: string;
}

/** Rows for a spec's anticipated mistakes, each answered exactly as the spec writes it. */
const anticipated = (challenge: string, blank: string, answers: string[]): Row[] => answers.map((answer) => ({ challenge, blank, answer, status: "wrong", mistake: "anticipated" }));

const ROWS: Row[] = [
  // create-model-dropout
  { challenge: "create-model-dropout", blank: "filters", answer: "32", status: "wrong", mistake: "anticipated", says: "second convolution" },
  { challenge: "create-model-dropout", blank: "filters", answer: "128", status: "wrong", mistake: "layer-argument", says: "`filters`" },
  { challenge: "create-model-dropout", blank: "filters", answer: "(64)", status: "correct" },
  { challenge: "create-model-dropout", blank: "filters", answer: "'64'", status: "wrong", mistake: "layer-argument", says: "whole number" },
  { challenge: "create-model-dropout", blank: "filters", answer: "64.5", status: "wrong", mistake: "layer-argument", says: "whole number" },
  { challenge: "create-model-dropout", blank: "dropout-layer", answer: "keras.layers.Dropout(rate=0.2)", status: "wrong", mistake: "layer-argument", says: "`rate`" },
  { challenge: "create-model-dropout", blank: "dropout-layer", answer: "keras.layers.Dropout(50)", status: "wrong", mistake: "anticipated", as: "keras.layers.Dropout(rate=50)" },
  // Keras 3 accepts Dense on a 4-D tensor (dense.py works on the last axis), so it is the wrong kind of layer, not a shape error.
  { challenge: "create-model-dropout", blank: "dropout-layer", answer: "keras.layers.Dense(10)", status: "wrong", mistake: "layer-argument", says: "Dense layer" },
  // The file does not import tensorflow as tf, so tf.keras is an undefined name there.
  { challenge: "create-model-dropout", blank: "dropout-layer", answer: "tf.keras.layers.Dropout(rate=0.5)", status: "wrong", mistake: "other", says: "`tf` is not defined" },
  { challenge: "create-model-dropout", blank: "dropout-layer", answer: "keras.layers.Dropout(0.5, seed=None)", status: "correct" },
  { challenge: "create-model-dropout", blank: "dropout-layer", answer: "keras.layers.Dropout(rate=0.5", status: "invalid", mistake: "syntax" },
  { challenge: "create-model-dropout", blank: "outputs", answer: "x_dropout", status: "wrong", mistake: "anticipated" },
  { challenge: "create-model-dropout", blank: "outputs", answer: "inputs_dropout", status: "wrong" },
  { challenge: "create-model-dropout", blank: "return", answer: "None", status: "wrong", mistake: "other" },
  { challenge: "create-model-dropout", blank: "return", answer: "_____", status: "todo" },
  // compile-model
  { challenge: "compile-model", blank: "optimizer", answer: "keras.optimizers.SGD()", status: "wrong", mistake: "anticipated" },
  { challenge: "compile-model", blank: "optimizer", answer: '"adam"', status: "correct" },
  { challenge: "compile-model", blank: "optimizer", answer: "keras.optimizers.Adam(learning_rate=0.001)", status: "correct" },
  { challenge: "compile-model", blank: "optimizer", answer: "keras.optimizers.Adamax()", status: "wrong" },
  { challenge: "compile-model", blank: "loss", answer: "'categorical_crossentropy'", status: "correct" },
  { challenge: "compile-model", blank: "loss", answer: "keras.losses.SparseCategoricalCrossentropy()", status: "wrong", mistake: "anticipated", says: "one-hot" },
  { challenge: "compile-model", blank: "loss", answer: "'mse'", status: "wrong" },
  // The starter holds the list Keras 3 requires (`metrics=[_____]`); the blank is one metric in it.
  { challenge: "compile-model", blank: "metrics", answer: "'accuracy'", status: "correct" },
  { challenge: "compile-model", blank: "model", answer: "model", status: "wrong", mistake: "other", says: "`model` is not defined" },
  // fit-model
  { challenge: "fit-model", blank: "epochs", answer: "5", status: "wrong", mistake: "fit-setting", says: "5 epochs" },
  { challenge: "fit-model", blank: "batch-size", answer: '"32"', status: "wrong", says: "whole number" },
  { challenge: "fit-model", blank: "batch-size", answer: "64", status: "wrong", mistake: "fit-setting" },
  { challenge: "fit-model", blank: "x", answer: "test_images", status: "wrong", mistake: "anticipated" },
  { challenge: "fit-model", blank: "y", answer: "train_images", status: "wrong", mistake: "anticipated" },
  { challenge: "fit-model", blank: "validation-images", answer: "val_images,", status: "invalid", mistake: "syntax" },
  // does-dropout-help
  { challenge: "does-dropout-help", blank: "validation", answer: "None", status: "wrong", mistake: "missing-validation" },
  { challenge: "does-dropout-help", blank: "validation", answer: "[val_images, val_labels]", status: "correct" },
  { challenge: "does-dropout-help", blank: "epochs", answer: "1", status: "wrong", mistake: "fit-setting" },
  // The file plots the `categorical_accuracy` history columns, which 'accuracy' would name `accuracy`.
  { challenge: "does-dropout-help", blank: "metrics", answer: "'accuracy'", status: "wrong", mistake: "anticipated", says: "categorical_accuracy" },
  // prepare-dataset-function
  ...anticipated("prepare-dataset-function", "divisor", ["256", "100", "1"]),
  { challenge: "prepare-dataset-function", blank: "divisor", answer: "128", status: "wrong", mistake: "other", says: "number every pixel value is divided by" },
  { challenge: "prepare-dataset-function", blank: "divisor", answer: "255.0", status: "correct" },
  { challenge: "prepare-dataset-function", blank: "divisor", answer: "(255)", status: "correct" },
  ...anticipated("prepare-dataset-function", "num-classes", ["9", "1"]),
  { challenge: "prepare-dataset-function", blank: "num-classes", answer: "len(class_names)", status: "correct" },
  { challenge: "prepare-dataset-function", blank: "num-classes", answer: "5 + 5", status: "correct" },
  ...anticipated("prepare-dataset-function", "test-size", ["0.8", "20", "80"]),
  { challenge: "prepare-dataset-function", blank: "test-size", answer: "0.3", status: "wrong", mistake: "other", says: "held back for validation" },
  { challenge: "prepare-dataset-function", blank: "test-size", answer: "1 / 5", status: "correct" },
  ...anticipated("prepare-dataset-function", "random-state", ["None"]),
  { challenge: "prepare-dataset-function", blank: "random-state", answer: "0", status: "wrong", mistake: "other", says: "seed" },
  ...anticipated("prepare-dataset-function", "returned", ["train_images, train_labels, val_images, val_labels", "train_images, train_labels"]),
  { challenge: "prepare-dataset-function", blank: "returned", answer: "(train_images, val_images, train_labels, val_labels)", status: "correct" },
  { challenge: "prepare-dataset-function", blank: "returned", answer: "_____", status: "todo" },
  // input-layer
  ...anticipated("input-layer", "shape", ["train_images.shape", "(32, 32)", "(3, 32, 32)", "train_images.shape[0]"]),
  { challenge: "input-layer", blank: "shape", answer: "(28, 28, 1)", status: "wrong", mistake: "other", says: "shape of one input image" },
  { challenge: "input-layer", blank: "shape", answer: "train_images.shape[1:", status: "invalid", mistake: "syntax" },
  { challenge: "input-layer", blank: "shape", answer: "(32, 32, 3)", status: "correct" },
  { challenge: "input-layer", blank: "shape", answer: "[32, 32, 3]", status: "correct" },
  // conv2d-layer: also the end-to-end path (a wrong answer, its diagnostic, the fix).
  ...anticipated("conv2d-layer", "filters", ["32", "3", "(3, 3)"]),
  { challenge: "conv2d-layer", blank: "filters", answer: "8", status: "wrong", mistake: "layer-argument", says: "(None, 30, 30, 8) with 224 parameters" },
  ...anticipated("conv2d-layer", "kernel-size", ["(5, 5)", "(2, 2)", "16"]),
  { challenge: "conv2d-layer", blank: "kernel-size", answer: "3", status: "correct" },
  { challenge: "conv2d-layer", blank: "kernel-size", answer: "[3, 3]", status: "correct" },
  ...anticipated("conv2d-layer", "activation", ["'softmax'", "relu", "None", "'sigmoid'"]),
  { challenge: "conv2d-layer", blank: "activation", answer: '"softmax"', status: "wrong", mistake: "anticipated", as: "'softmax'" },
  { challenge: "conv2d-layer", blank: "activation", answer: "'tanh'", status: "wrong", mistake: "layer-argument", says: "'tanh'" },
  { challenge: "conv2d-layer", blank: "activation", answer: '"relu"', status: "correct" },
  { challenge: "conv2d-layer", blank: "activation", answer: "keras.activations.relu", status: "correct" },
  { challenge: "conv2d-layer", blank: "activation", answer: "'relu", status: "invalid", mistake: "syntax", says: "fix the error shown on line" },
  // pooling-layer
  ...anticipated("pooling-layer", "pool-size", ["(3, 3)", "(1, 1)", "16"]),
  { challenge: "pooling-layer", blank: "pool-size", answer: "3", status: "wrong", mistake: "anticipated", as: "(3, 3)" },
  { challenge: "pooling-layer", blank: "pool-size", answer: "(4, 4)", status: "wrong", mistake: "pool-size", says: "larger" },
  { challenge: "pooling-layer", blank: "pool-size", answer: "2", status: "correct" },
  ...anticipated("pooling-layer", "input", ["inputs_intro"]),
  // flatten-layer
  ...anticipated("flatten-layer", "layer", ["keras.layers.Flatten", "keras.layers.MaxPooling2D()", "keras.layers.Dense(64)"]),
  // Keras 3 accepts Reshape((-1,)) (the same shape as Flatten), so the verdict names the other layer kind.
  { challenge: "flatten-layer", blank: "layer", answer: "keras.layers.Reshape((-1,))", status: "wrong", mistake: "layer-argument", says: "Reshape layer" },
  { challenge: "flatten-layer", blank: "layer", answer: "(keras.layers.Flatten())", status: "correct" },
  ...anticipated("flatten-layer", "input", ["inputs_intro"]),
  // dense-layer
  ...anticipated("dense-layer", "units", ["10", "3600"]),
  // The model ends on this hidden layer for now: a wrong width is not an output-units mistake.
  { challenge: "dense-layer", blank: "units", answer: "32", status: "wrong", mistake: "layer-argument", says: "`units`" },
  ...anticipated("dense-layer", "activation", ["'softmax'", "relu"]),
  { challenge: "dense-layer", blank: "activation", answer: "'sigmoid'", status: "wrong", mistake: "layer-argument", says: "'sigmoid'" },
  { challenge: "dense-layer", blank: "activation", answer: '"relu"', status: "correct" },
  ...anticipated("dense-layer", "input", ["inputs_intro"]),
  // hidden-architecture
  ...anticipated("hidden-architecture", "filters-2", ["16", "64"]),
  ...anticipated("hidden-architecture", "kernel-size-2", ["(2, 2)", "(5, 5)"]),
  { challenge: "hidden-architecture", blank: "kernel-size-2", answer: "3", status: "correct" },
  ...anticipated("hidden-architecture", "activation-2", ["'softmax'"]),
  ...anticipated("hidden-architecture", "conv-input-2", ["inputs_intro"]),
  ...anticipated("hidden-architecture", "pool-size-2", ["(3, 3)"]),
  { challenge: "hidden-architecture", blank: "pool-size-2", answer: "2", status: "correct" },
  ...anticipated("hidden-architecture", "pool-input-2", ["inputs_intro"]),
  ...anticipated("hidden-architecture", "flatten", ["keras.layers.Flatten"]),
  ...anticipated("hidden-architecture", "units", ["10"]),
  ...anticipated("hidden-architecture", "dense-activation", ["'softmax'"]),
  // output-layer
  ...anticipated("output-layer", "units", ["64", "1"]),
  { challenge: "output-layer", blank: "units", answer: "9", status: "wrong", mistake: "output-units" },
  { challenge: "output-layer", blank: "units", answer: "len(class_names)", status: "correct" },
  ...anticipated("output-layer", "activation", ["'relu'", "'sigmoid'", "softmax"]),
  { challenge: "output-layer", blank: "activation", answer: "'tanh'", status: "wrong", mistake: "output-activation" },
  { challenge: "output-layer", blank: "activation", answer: '"softmax"', status: "correct" },
  ...anticipated("output-layer", "input", ["inputs_intro"]),
  // create-model-intro
  ...anticipated("create-model-intro", "input-shape", ["train_images.shape"]),
  { challenge: "create-model-intro", blank: "input-shape", answer: "(32, 32, 3)", status: "correct" },
  ...anticipated("create-model-intro", "model-inputs", ["x_intro", "train_images"]),
  ...anticipated("create-model-intro", "model-outputs", ["x_intro", "inputs_intro"]),
  ...anticipated("create-model-intro", "model-name", ["cifar_model_intro"]),
  { challenge: "create-model-intro", blank: "model-name", answer: "'my_model'", status: "wrong", mistake: "other", says: "name of the model" },
  { challenge: "create-model-intro", blank: "model-name", answer: '"cifar_model_intro"', status: "correct" },
  ...anticipated("create-model-intro", "returned", ["outputs_intro", "keras.Model"]),
  ...anticipated("create-model-intro", "build", ["create_model_intro", "keras.Model()"]),
  // predict-class-names
  ...anticipated("predict-class-names", "model-file", ["model_dropout.keras", "model_dropout"]),
  { challenge: "predict-class-names", blank: "model-file", answer: '"model_dropout.keras"', status: "correct" },
  { challenge: "predict-class-names", blank: "model-file", answer: "'model_intro.keras'", status: "correct" },
  ...anticipated("predict-class-names", "predicting-model", ["keras.models"]),
  ...anticipated("predict-class-names", "images", ["train_images", "val_images", "test_labels"]),
  ...anticipated("predict-class-names", "probabilities", ["test_labels", "test_images"]),
  // confusion-matrix
  ...anticipated("confusion-matrix", "true-labels", ["predicted_labels", "val_labels"]),
  // Labels of other images: the checker follows what confusion_matrix is given.
  { challenge: "confusion-matrix", blank: "true-labels", answer: "train_labels", status: "wrong", mistake: "other", says: "true class of each test image" },
  ...anticipated("confusion-matrix", "predicted-labels", ["predictions", "test_labels"]),
  { challenge: "confusion-matrix", blank: "predicted-labels", answer: "_____", status: "todo" },
  // tune-dropout-rate
  ...anticipated("tune-dropout-rate", "rate", ["0.5"]),
  ...anticipated("tune-dropout-rate", "rates", ["dropout_rate"]),
  { challenge: "tune-dropout-rate", blank: "rates", answer: "[0.25, 0.5]", status: "wrong", mistake: "other", says: "list of rates" },
  ...anticipated("tune-dropout-rate", "build", ["create_model_dropout", "create_model_intro"]),
  ...anticipated("tune-dropout-rate", "validation", ["(test_images, test_labels)"]),
  { challenge: "tune-dropout-rate", blank: "validation", answer: "[val_images, val_labels]", status: "correct" },
  ...anticipated("tune-dropout-rate", "eval-images", ["test_images", "train_images"]),
  ...anticipated("tune-dropout-rate", "eval-labels", ["test_labels", "train_labels"]),
  // tune-activation
  ...anticipated("tune-activation", "conv1-activation", ["'relu'"]),
  ...anticipated("tune-activation", "conv2-activation", ["'relu'"]),
  ...anticipated("tune-activation", "dense-activation", ["'relu'", "'softmax'"]),
  { challenge: "tune-activation", blank: "dense-activation", answer: '"relu"', status: "wrong", mistake: "anticipated", as: "'relu'" },
  ...anticipated("tune-activation", "activations", ["activation"]),
  { challenge: "tune-activation", blank: "activations", answer: "['relu', 'sigmoid', 'tanh', 'selu']", status: "correct" },
  ...anticipated("tune-activation", "activation", ["activations", "'relu'"]),
  ...anticipated("tune-activation", "optimizers", ["'Adam'", "['Adam']"]),
  { challenge: "tune-activation", blank: "optimizers", answer: "['SGD', 'Adam']", status: "wrong", mistake: "other", says: "optimizers the grid search compares" },
  { challenge: "tune-activation", blank: "optimizers", answer: "['sgd', 'rmsprop', 'adam']", status: "correct" },
  { challenge: "tune-activation", blank: "optimizers", answer: '["SGD", "RMSprop", "Adam"]', status: "correct" },
  ...anticipated("tune-activation", "folds", ["1"]),
  { challenge: "tune-activation", blank: "folds", answer: "5", status: "wrong", mistake: "other", says: "number of folds" },
];

for (const row of ROWS) {
  test(`${row.challenge} / ${row.blank} = ${row.answer} -> ${row.status}${row.mistake ? ` (${row.mistake})` : ""}`, (context) => {
    const challenge = challenges.get(row.challenge);
    if (!challenge) {
      context.skip(`the lesson has no challenge ${row.challenge} yet`);
      return;
    }
    const starter = read(challenge.starterFile);
    const verdict = checkChallenge(fill(challenge, { [row.blank]: row.answer }), starter, challenge.check!, UNHURRIED);
    const blank = verdict.blanks.find((candidate) => candidate.id === row.blank);
    assert.ok(blank, `blank ${row.blank} exists`);
    assert.equal(blank.status, row.status, blank.message);
    if (row.mistake) assert.equal(blank.mistake, row.mistake, blank.message);
    if (row.mistake === "anticipated") {
      const spec = challenge.check!.blanks.find((candidate) => candidate.id === row.blank);
      const intended = spec?.mistakes?.find((mistake) => mistake.answer === (row.as ?? row.answer));
      assert.ok(intended, `the spec anticipates ${row.as ?? row.answer}`);
      assert.match(blank.message, /^Line \d+: /);
      assert.ok(blank.message.endsWith(intended.message), blank.message);
    }
    if (row.says) assert.ok(blank.message.includes(row.says), blank.message);
    // Feedback never gives the answer away (a correct answer may be quoted back, a wrong one not).
    const expected = challenge.check!.blanks.find((spec) => spec.id === row.blank)!.expect;
    if (row.status === "wrong" && expected.length > 3) assert.ok(!blank.message.includes(expected), blank.message);
    // Every other blank keeps its expected answer and stays correct (a syntax error may spoil its line).
    if (row.status !== "invalid") assert.deepEqual(verdict.blanks.filter((other) => other.id !== row.blank && other.status !== "correct").map((other) => other.id), []);
  });
}
