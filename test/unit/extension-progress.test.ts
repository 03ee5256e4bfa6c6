import assert from "node:assert/strict";
import { test } from "node:test";
import { firstUnfinishedEpisode, ProgressStore, statusAfterCheck, type KeyValueStore } from "../../src/extension/lesson/progress";
import type { CheckReport } from "../../src/protocol/panels";

/** An in-memory Memento that round-trips through JSON, as VS Code's storage does. */
function memoryStore(): KeyValueStore & { raw: Map<string, string> } {
  const raw = new Map<string, string>();
  return {
    raw,
    get: <T>(key: string) => (raw.has(key) ? (JSON.parse(raw.get(key) as string) as T) : undefined),
    update: async (key: string, value: unknown) => void raw.set(key, JSON.stringify(value)),
  };
}

const report = (outcome: CheckReport["outcome"]): CheckReport => ({ outcome, message: outcome, blanks: [], checkedAt: "2026-01-01T00:00:00.000Z" });

test("a check moves the status; blanks left open never undo a pass; revealed is final", () => {
  assert.equal(statusAfterCheck("todo", "todo"), "todo");
  assert.equal(statusAfterCheck("todo", "wrong"), "wrong");
  assert.equal(statusAfterCheck("wrong", "correct"), "correct");
  assert.equal(statusAfterCheck("correct", "todo"), "correct");
  assert.equal(statusAfterCheck("correct", "wrong"), "wrong");
  assert.equal(statusAfterCheck("revealed", "correct"), "revealed");
  assert.equal(statusAfterCheck("todo", "invalid"), "invalid");
});

test("progress survives a new store over the same storage (a window reload) and notifies", async () => {
  const storage = memoryStore();
  const first = new ProgressStore(storage);
  const changes: string[] = [];
  first.onDidChange((lesson, challenge) => changes.push(`${lesson}/${challenge ?? "-"}`));
  await first.recordCheck("intro", "conv2d-layer", report("wrong"));
  assert.equal(await first.showNextHint("intro", "conv2d-layer", 2), 1);
  assert.equal(await first.showNextHint("intro", "conv2d-layer", 2), 2);
  assert.equal(await first.showNextHint("intro", "conv2d-layer", 2), 2, "never more hints than the challenge has");
  await first.markRevealed("intro", "compile-model");
  assert.deepEqual(changes, ["intro/conv2d-layer", "intro/conv2d-layer", "intro/conv2d-layer", "intro/compile-model"]);

  const reloaded = new ProgressStore(storage);
  assert.equal(reloaded.challenge("intro", "conv2d-layer").status, "wrong");
  assert.equal(reloaded.challenge("intro", "conv2d-layer").hintsShown, 2);
  assert.equal(reloaded.challenge("intro", "conv2d-layer").lastCheck?.outcome, "wrong");
  assert.equal(reloaded.challenge("intro", "compile-model").status, "revealed");
  assert.equal(reloaded.challenge("other", "conv2d-layer").status, "todo", "lessons keep separate records");
});

test("the lesson reopens at the first episode with an unfinished challenge", () => {
  const episodes = [
    { id: "01", challengeIds: ["a"] },
    { id: "02", challengeIds: [] },
    { id: "03", challengeIds: ["b", "c"] },
  ];
  assert.equal(firstUnfinishedEpisode(episodes, { challenges: {} }), "01");
  assert.equal(firstUnfinishedEpisode(episodes, { challenges: { a: { status: "revealed", hintsShown: 0 } } }), "03");
  const allDone = { challenges: { a: { status: "correct" as const, hintsShown: 0 }, b: { status: "correct" as const, hintsShown: 0 }, c: { status: "revealed" as const, hintsShown: 0 } }, lastEpisodeId: "02" };
  assert.equal(firstUnfinishedEpisode(episodes, allDone), "02");
});

test("progress saved in the earlier words keeps its meaning: passed is correct, not-tried is to do, a report's incomplete and empty are to do", () => {
  const storage = memoryStore();
  const earlier = {
    challenges: {
      a: { status: "passed", hintsShown: 1, lastCheck: { outcome: "passed", message: "All 3 blanks are right.", blanks: [{ id: "x", verdict: "correct", line: 3 }], checkedAt: "2026-01-01T00:00:00.000Z" } },
      b: { status: "not-tried", hintsShown: 0, lastCheck: { outcome: "incomplete", message: "1 blank still to fill in.", blanks: [{ id: "y", verdict: "empty", line: 4 }], checkedAt: "2026-01-01T00:00:00.000Z" } },
      c: { status: "wrong", hintsShown: 0, lastCheck: { outcome: "error", message: "cannot find every blank", blanks: [], checkedAt: "2026-01-01T00:00:00.000Z" } },
      d: { status: "something else", hintsShown: 0 },
    },
    lastEpisodeId: "03",
  };
  void storage.update("dlLessons.progress.intro", earlier);
  const store = new ProgressStore(storage);
  assert.equal(store.challenge("intro", "a").status, "correct");
  assert.equal(store.challenge("intro", "a").hintsShown, 1);
  assert.equal(store.challenge("intro", "a").lastCheck?.outcome, "correct");
  assert.equal(store.challenge("intro", "b").status, "todo");
  assert.equal(store.challenge("intro", "b").lastCheck?.outcome, "todo");
  assert.equal(store.challenge("intro", "b").lastCheck?.blanks[0]?.verdict, "todo");
  assert.equal(store.challenge("intro", "c").lastCheck?.outcome, "invalid");
  assert.equal(store.challenge("intro", "d").status, "todo", "a word no version wrote reads as not done, not as a pass");
  assert.equal(store.lesson("intro").lastEpisodeId, "03");
});
