import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { hintLadder } from "../../src/extension/episodeView";
import { loadLesson } from "../../src/lessons";

const LESSON_DIR = join(__dirname, "..", "..", "lessons", "intro-image-classification-cnn");

test("one hint ladder: a hint per blank first, then the challenge's written hints, none giving the answer", async () => {
  const { lesson } = await loadLesson(LESSON_DIR);
  const challenge = lesson.episodes.flatMap((e) => e.challenges).find((c) => c.id === "conv2d-layer");
  assert.ok(challenge?.check, "the lesson has the conv2d-layer code challenge");
  const ladder = hintLadder(challenge);
  const blankHints = challenge.check.blanks.filter((blank) => blank.hint);
  assert.ok(blankHints.length > 0);
  assert.equal(ladder.length, blankHints.length + challenge.hints.length);
  blankHints.forEach((blank, index) => {
    assert.ok(ladder[index]?.includes(blank.hint!), `step ${index + 1} is the hint of blank ${blank.id}, in full`);
    assert.ok(ladder[index]?.includes(`\`${blank.id}\``), "and names its blank");
  });
  assert.deepEqual(ladder.slice(blankHints.length), challenge.hints);
  assert.ok(!ladder.some((step) => /filters\s*=\s*16/.test(step)), "no step states the answer");
});

test("a challenge without a check has only its written hints", () => {
  assert.deepEqual(hintLadder({ hints: ["Think of the shape."] }), ["Think of the shape."]);
});
