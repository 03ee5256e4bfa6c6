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
import { findBlanks, parsePython } from "../../src/checker/source";
import { parseEpisode } from "../../src/lessons";
import type { Challenge } from "../../src/protocol/lesson";

const LESSON = join(import.meta.dirname, "../../lessons/intro-image-classification-cnn");

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
    const verdict = checkChallenge(read(challenge.solutionFile), read(challenge.starterFile), challenge.check!);
    assert.deepEqual(verdict.blanks.filter((blank) => blank.status !== "correct").map((blank) => `${blank.id}: ${blank.message}`), []);
    assert.deepEqual(verdict.modelChecks.filter((check) => check.status !== "correct").map((check) => check.message), []);
    assert.equal(verdict.status, "correct");
  });
  test(`${challenge.id}: the untouched starter is todo, blank by blank, with no error diagnostics`, () => {
    const starter = read(challenge.starterFile);
    const verdict = checkChallenge(starter, starter, challenge.check!);
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
  /** The kind of mistake, or a piece of the spec's own message for an anticipated one. */
  mistake?: MistakeKind;
  says?: string;
}

const ROWS: Row[] = [
  // create-model-dropout
  { challenge: "create-model-dropout", blank: "filters", answer: "32", status: "wrong", mistake: "anticipated", says: "second convolution" },
  { challenge: "create-model-dropout", blank: "filters", answer: "128", status: "wrong", mistake: "layer-argument", says: "`filters`" },
  { challenge: "create-model-dropout", blank: "filters", answer: "(64)", status: "correct" },
  { challenge: "create-model-dropout", blank: "filters", answer: "'64'", status: "wrong", mistake: "layer-argument", says: "whole number" },
  { challenge: "create-model-dropout", blank: "filters", answer: "64.5", status: "wrong", mistake: "layer-argument", says: "whole number" },
  { challenge: "create-model-dropout", blank: "dropout-layer", answer: "keras.layers.Dropout(rate=0.2)", status: "wrong", mistake: "layer-argument", says: "`rate`" },
  { challenge: "create-model-dropout", blank: "dropout-layer", answer: "keras.layers.Dropout(50)", status: "wrong", mistake: "anticipated", says: "fraction" },
  { challenge: "create-model-dropout", blank: "dropout-layer", answer: "keras.layers.Dense(10)", status: "wrong", mistake: "shape", says: "Flatten" },
  { challenge: "create-model-dropout", blank: "dropout-layer", answer: "tf.keras.layers.Dropout(rate=0.5)", status: "correct" },
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
  { challenge: "compile-model", blank: "metrics", answer: "[keras.metrics.CategoricalAccuracy()]", status: "correct" },
  { challenge: "compile-model", blank: "model", answer: "model", status: "wrong", mistake: "anticipated" },
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
];

for (const row of ROWS) {
  test(`${row.challenge} / ${row.blank} = ${row.answer} -> ${row.status}${row.mistake ? ` (${row.mistake})` : ""}`, (context) => {
    const challenge = challenges.get(row.challenge);
    if (!challenge) {
      context.skip(`the lesson has no challenge ${row.challenge} yet`);
      return;
    }
    const starter = read(challenge.starterFile);
    const verdict = checkChallenge(fill(challenge, { [row.blank]: row.answer }), starter, challenge.check!);
    const blank = verdict.blanks.find((candidate) => candidate.id === row.blank);
    assert.ok(blank, `blank ${row.blank} exists`);
    assert.equal(blank.status, row.status, blank.message);
    if (row.mistake) assert.equal(blank.mistake, row.mistake, blank.message);
    if (row.says) assert.ok(blank.message.includes(row.says), blank.message);
    // Feedback never gives the answer away (a correct answer may be quoted back, a wrong one not).
    const expected = challenge.check!.blanks.find((spec) => spec.id === row.blank)!.expect;
    if (row.status === "wrong" && expected.length > 3) assert.ok(!blank.message.includes(expected), blank.message);
    // Every other blank keeps its expected answer and stays correct (a syntax error may spoil its line).
    if (row.status !== "invalid") assert.deepEqual(verdict.blanks.filter((other) => other.id !== row.blank && other.status !== "correct").map((other) => other.id), []);
  });
}
