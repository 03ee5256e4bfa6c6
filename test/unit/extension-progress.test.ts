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
  assert.equal(statusAfterCheck("not-tried", "incomplete"), "not-tried");
  assert.equal(statusAfterCheck("not-tried", "wrong"), "wrong");
  assert.equal(statusAfterCheck("wrong", "passed"), "passed");
  assert.equal(statusAfterCheck("passed", "incomplete"), "passed");
  assert.equal(statusAfterCheck("passed", "wrong"), "wrong");
  assert.equal(statusAfterCheck("revealed", "passed"), "revealed");
  assert.equal(statusAfterCheck("not-tried", "error"), "wrong");
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
  assert.equal(reloaded.challenge("other", "conv2d-layer").status, "not-tried", "lessons keep separate records");
});

test("the lesson reopens at the first episode with an unfinished challenge", () => {
  const episodes = [
    { id: "01", challengeIds: ["a"] },
    { id: "02", challengeIds: [] },
    { id: "03", challengeIds: ["b", "c"] },
  ];
  assert.equal(firstUnfinishedEpisode(episodes, { challenges: {} }), "01");
  assert.equal(firstUnfinishedEpisode(episodes, { challenges: { a: { status: "revealed", hintsShown: 0 } } }), "03");
  const allDone = { challenges: { a: { status: "passed" as const, hintsShown: 0 }, b: { status: "passed" as const, hintsShown: 0 }, c: { status: "revealed" as const, hintsShown: 0 } }, lastEpisodeId: "02" };
  assert.equal(firstUnfinishedEpisode(episodes, allDone), "02");
});
