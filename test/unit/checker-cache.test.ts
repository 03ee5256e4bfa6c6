/**
 * The checker's shortcuts must give the answers the long way gives: the comparison that stops at
 * the first difference, and the caches of recent checks, starters and answers.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { checkChallenge, type ChallengeVerdict } from "../../src/checker";
import type { Analysis } from "../../src/checker/analysis";
import { analyzeSource, effectErrors, hasSameEffect } from "../../src/checker/evaluate";
import { findBlanks, parsePython } from "../../src/python";
import { parseEpisode } from "../../src/lessons";
import type { Challenge, CheckSpec } from "../../src/protocol/lesson";

const LESSON = join(import.meta.dirname, "../../lessons/intro-image-classification-cnn");
const challenge: Challenge = readdirSync(join(LESSON, "episodes"))
  .filter((file) => file.endsWith(".md"))
  .flatMap((file, index) => parseEpisode(readFileSync(join(LESSON, "episodes", file), "utf8"), file, file.slice(0, -3), index).episode.challenges)
  .find((candidate) => candidate.id === "tune-activation") as Challenge;
const spec = challenge.check as CheckSpec;
const starter = readFileSync(join(LESSON, challenge.starterFile ?? ""), "utf8");
// Bounded by steps, not by the clock: the default time budget can cut an analysis short on a busy
// machine, and the answers here must not depend on how busy it is.
const UNHURRIED = { maxMillis: Number.POSITIVE_INFINITY };

/** The starter with `answers[n]` in blank n, and the expected answer in every other blank. */
function fill(answers: Record<number, string>): string {
  const blanks = findBlanks(parsePython(starter));
  let text = starter;
  for (let index = blanks.length - 1; index >= 0; index--) {
    const blank = blanks[index];
    const answer = answers[index] ?? spec.blanks[index]?.expect;
    if (blank && answer !== undefined) text = text.slice(0, blank.from) + answer + text.slice(blank.to);
  }
  return text;
}

function sameEffectTheLongWay(a: Analysis, b: Analysis): boolean {
  return a.trace.length === b.trace.length && a.trace.every((entry, index) => entry === b.trace[index]) && effectErrors(a.diagnostics) === effectErrors(b.diagnostics);
}

/** The verdict without the analysis: two analyses of the same text are equal but not identical. */
function outcome(verdict: ChallengeVerdict): unknown {
  return { status: verdict.status, blanks: verdict.blanks, modelChecks: verdict.modelChecks, summary: verdict.summary };
}

test("stopping at the first difference gives the same answer as comparing two whole analyses", () => {
  const answers = ["activation_function", "'relu'", "'softmax'", "None", "activations", "activation", "'Adam'", "['Adam']", "['sgd', 'rmsprop', 'adam']", "1", "3", "'three'", "undefined_name"];
  let same = 0;
  let different = 0;
  for (let learnerBlank = 0; learnerBlank < spec.blanks.length; learnerBlank++) {
    // Each filled-in text parsed and analysed once: the analysis keeps no state between uses.
    const filled = answers.map((answer) => {
      const source = parsePython(fill({ [learnerBlank]: answer }));
      return { answer, source, analysis: analyzeSource(source, UNHURRIED) };
    });
    for (const { answer: learnerAnswer, analysis: learner } of filled) {
      for (const { answer, source: other, analysis: otherAnalysis } of filled) {
        const expected = sameEffectTheLongWay(learner, otherAnalysis);
        assert.equal(hasSameEffect(other, UNHURRIED, learner), expected, `blank ${learnerBlank + 1}: ${learnerAnswer} against ${answer}`);
        if (expected) same++;
        else different++;
      }
    }
  }
  // Both outcomes occur, so neither answer can be hard-wired.
  assert.ok(same > spec.blanks.length * answers.length && different > 100, `${same} same, ${different} different`);
});

test("a file whose trace matches but has an extra error does not have the same effect", () => {
  const learner = analyzeSource(parsePython("x = 1\n"), UNHURRIED);
  assert.equal(hasSameEffect(parsePython("x = 1\n"), UNHURRIED, learner), true);
  assert.equal(hasSameEffect(parsePython("x = 2\n"), UNHURRIED, learner), false);
  // `w` is never defined: the same trace (an expression statement leaves none), one error more.
  const withUndefined = parsePython("x = 1\nw\n");
  assert.deepEqual(analyzeSource(withUndefined, UNHURRIED).trace, learner.trace);
  assert.equal(hasSameEffect(withUndefined, UNHURRIED, learner), false);
});

test("a check after an edit gives the new verdict, and checking an earlier text again gives its verdict", () => {
  const wrong = fill({ 0: "'relu'" });
  const right = fill({});
  const todo = starter;
  const first = checkChallenge(wrong, starter, spec, UNHURRIED);
  assert.equal(first.status, "wrong");
  assert.equal(first.blanks[0]?.mistake, "anticipated");
  assert.equal(checkChallenge(right, starter, spec, UNHURRIED).status, "correct");
  assert.equal(checkChallenge(todo, starter, spec, UNHURRIED).status, "todo");
  const again = checkChallenge(wrong, starter, spec, UNHURRIED);
  assert.deepEqual(outcome(again), outcome(first));
  // One character more: a new text, checked afresh.
  const edited = checkChallenge(wrong.replace("'relu'", "'tanh'"), starter, spec, UNHURRIED);
  assert.equal(edited.status, "wrong");
  assert.notEqual(edited.blanks[0]?.mistake, "anticipated");
});

test("the same text checked against another spec or starter is not answered from the cache", () => {
  const text = fill({ 6: "5" });
  assert.equal(checkChallenge(text, starter, spec, UNHURRIED).status, "wrong");
  // A spec that expects 5 folds makes the same text right.
  const fiveFolds: CheckSpec = { ...spec, blanks: spec.blanks.map((blank, index) => (index === 6 ? { ...blank, expect: "5" } : blank)) };
  assert.equal(checkChallenge(text, starter, fiveFolds, UNHURRIED).status, "correct");
  assert.equal(checkChallenge(text, starter, spec, UNHURRIED).status, "wrong");
  // With the blank filled in the starter, the text has one blank fewer to find.
  const otherStarter = starter.replace("cv=_____", "cv=5");
  const verdict = checkChallenge(text, otherStarter, spec, UNHURRIED);
  assert.equal(verdict.blanks.length, spec.blanks.length - 1);
  // Options are part of the key: a step budget of 10 truncates the analysis.
  assert.equal(checkChallenge(text, starter, spec, { ...UNHURRIED, maxSteps: 10 }).analysis.truncated, true);
  assert.equal(checkChallenge(text, starter, spec, UNHURRIED).analysis.truncated, false);
});
