/**
 * Fuzz: random mutations of the lesson's challenge files (deleted tokens, swapped lines, garbage)
 * must never make the checker throw, and every verdict must be whole: a verdict for each blank,
 * ranges inside the file, and at most one syntax error (CPython reports one). The work of a
 * check is bounded by its step budget, not by the clock, so the result does not depend on how
 * busy the machine is (the editor's time budget is the checker thread's, see check-worker.test.ts).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { checkChallenge, type CheckSpec } from "../../src/checker";
import { findBlanks, parsePython } from "../../src/python";
import { caseCount } from "./thorough";

const LESSON = join(import.meta.dirname, "../../lessons/intro-image-classification-cnn");
const MUTATIONS = caseCount(500, 2000);
const STEPS = 50_000;

/** mulberry32: a small seeded PRNG so that a failure can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GARBAGE = ["(", ")", "[", "]", ":", ",", "=", "'", '"', "\\", "_____", "def ", "lambda", "\n    ", "\t", "#", "keras.layers.Dense(", "**", "0x", "1e", "é", "\u0000"];

function mutate(text: string, random: () => number): string {
  const pick = (count: number): number => Math.floor(random() * count);
  const lines = text.split("\n");
  switch (pick(4)) {
    case 0: {
      // Delete a token-sized piece.
      const at = pick(text.length);
      return text.slice(0, at) + text.slice(at + 1 + pick(12));
    }
    case 1: {
      const a = pick(lines.length);
      const b = pick(lines.length);
      [lines[a], lines[b]] = [lines[b] ?? "", lines[a] ?? ""];
      return lines.join("\n");
    }
    case 2: {
      const at = pick(text.length);
      return text.slice(0, at) + (GARBAGE[pick(GARBAGE.length)] ?? "") + text.slice(at);
    }
    default:
      lines.splice(pick(lines.length), 1 + pick(3));
      return lines.join("\n");
  }
}

test(`${MUTATIONS} random mutations of the challenge files never throw and give whole verdicts`, () => {
  const folder = join(LESSON, "challenges");
  const starters = readdirSync(folder)
    .filter((file) => file.endsWith(".py"))
    .map((file) => readFileSync(join(folder, file), "utf8"));
  assert.ok(starters.length > 0);
  const random = prng(20240611);
  let withSyntaxError = 0;
  for (let run = 0; run < MUTATIONS; run++) {
    const starter = starters[run % starters.length] ?? "";
    // A spec with one generic blank per blank of the starter, so every blank is checked.
    const spec: CheckSpec = { blanks: findBlanks(parsePython(starter)).map((_, index) => ({ id: `b${index}`, expect: "x", mistakes: [{ answer: "y", message: "m" }] })) };
    let text = starter;
    for (let step = 1 + Math.floor(random() * 3); step > 0; step--) text = mutate(text, random);
    const verdict = checkChallenge(text, starter, spec, { maxSteps: STEPS, maxMillis: Number.POSITIVE_INFINITY });
    assert.equal(verdict.blanks.length, spec.blanks.length, `run ${run}`);
    const lines = text.split("\n").length;
    for (const item of [...verdict.diagnostics, ...verdict.blanks]) {
      assert.ok(item.message.length > 0, `run ${run}: an empty message`);
      assert.ok(item.range.start.line >= 0 && item.range.end.line < lines, `run ${run}: a range outside the file`);
    }
    const syntax = verdict.diagnostics.filter((diagnostic) => diagnostic.code === "syntax");
    assert.ok(syntax.length <= 1, `run ${run}: ${syntax.length} syntax errors`);
    if (syntax.length === 1) withSyntaxError++;
  }
  // The mutations must reach the error paths, or the test would prove little.
  assert.ok(withSyntaxError > MUTATIONS / 4, `${withSyntaxError} of ${MUTATIONS} mutations had a syntax error`);
});
