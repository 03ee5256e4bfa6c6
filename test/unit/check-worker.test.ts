/**
 * The editor's checker thread, driven through the same client the extension host uses, on a
 * real worker_threads Worker running the real checker: answers, newest-text-wins, the size
 * limit, and a worker that stops answering.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { CheckWorkerClient, type CheckOutcome } from "../../src/extension/editor/checkWorkerClient";
import { loadLesson, solutionModels } from "../../src/lessons";

const ENTRY = join(import.meta.dirname, "../../src/extension/editor/checkWorker.ts");

/** The worker entry from source (the extension starts the bundled dist/check-worker.js). */
function sourceWorker(): Worker {
  return new Worker(`require("tsx/cjs"); require(${JSON.stringify(ENTRY)});`, { eval: true });
}

function messages(outcome: CheckOutcome): string[] {
  return outcome.kind === "stale" ? [] : outcome.analysis.diagnostics.map((diagnostic) => diagnostic.message);
}

const MODEL = "import keras\ninputs = keras.Input(shape=(32, 32, 3))\nx = keras.layers.Conv2D(16, (3, 3), activation='relu')(inputs)\n";

test("a check on the worker gives the analysis, the blanks and CPython's syntax error", async () => {
  const client = new CheckWorkerClient({ startWorker: sourceWorker });
  try {
    const good = await client.check("a.py", `${MODEL}y = _____\n`);
    assert.equal(good.kind, "checked");
    assert.ok(good.kind === "checked" && good.analysis.layerCalls.some((call) => call.className === "Conv2D"));
    assert.deepEqual(good.kind === "checked" && good.blanks, [MODEL.length + 4]);
    const broken = await client.check("a.py", MODEL.replace("activation='relu')", "activation='relu'"));
    assert.equal(broken.kind, "checked");
    const syntax = broken.kind === "checked" ? broken.analysis.diagnostics.filter((diagnostic) => diagnostic.code === "syntax") : [];
    assert.equal(syntax.length, 1, messages(broken).join("\n"));
    assert.equal(syntax[0]?.range.start.line, 2, "on the line of the '(' that is never closed");
    assert.match(syntax[0]?.message ?? "", /never closed/);
  } finally {
    client.dispose();
  }
});

test("the newest text of a file wins: older texts are dropped or answered as stale", async () => {
  const client = new CheckWorkerClient({ startWorker: sourceWorker });
  try {
    const first = client.check("a.py", "x = (1\n");
    const second = client.check("a.py", "x = [1\n");
    const third = client.check("a.py", "x = {1\n");
    const other = client.check("b.py", "y = 2\n");
    assert.deepEqual(await second, { kind: "stale" });
    assert.deepEqual(await first, { kind: "stale" });
    const newest = await third;
    assert.equal(newest.kind, "checked");
    assert.match(messages(newest).join(" "), /'\{' was never closed/);
    assert.equal((await other).kind, "checked", "another file's check is not dropped");
  } finally {
    client.dispose();
  }
});

test("a text over the size limit gets one info diagnostic and never reaches the worker", async () => {
  let started = 0;
  const client = new CheckWorkerClient({ maxChars: 1000, startWorker: () => (started++, sourceWorker()) });
  try {
    const outcome = await client.check("big.py", "x = 1\n".repeat(1000));
    assert.equal(outcome.kind, "not-checked");
    assert.equal(outcome.kind === "not-checked" && outcome.analysis.diagnostics.length, 1);
    assert.equal(outcome.kind === "not-checked" && outcome.analysis.diagnostics[0]?.severity, "info");
    assert.match(messages(outcome)[0] ?? "", /too large/);
    // The editor asks by length first, before it takes the text out of the document.
    assert.equal(client.checkLength("big.py", 1001)?.kind, "not-checked");
    assert.equal(client.checkLength("big.py", 1000), undefined);
    assert.equal(started, 0);
  } finally {
    client.dispose();
  }
});

test("a long text with characters outside the BMP keeps its offsets when it is encoded a slice at a time", async () => {
  const client = new CheckWorkerClient({ maxChars: Number.POSITIVE_INFINITY, startWorker: sourceWorker });
  try {
    // Emoji (surrogate pairs) in comments across many 64K slices; a blank at the very end.
    const line = "# 🙂 a comment with an emoji\n";
    const text = `${line.repeat(Math.ceil(300_000 / line.length))}x = _____\n`;
    const outcome = await client.check("emoji.py", text);
    assert.equal(outcome.kind, "checked");
    assert.deepEqual(outcome.kind === "checked" && outcome.blanks, [text.length - 6]);
  } finally {
    client.dispose();
  }
});

test("parsing that runs over its budget is stopped on the worker and said", async () => {
  const client = new CheckWorkerClient({ parseBudgetMs: 0, maxChars: Number.POSITIVE_INFINITY, startWorker: sourceWorker });
  try {
    const outcome = await client.check("long.py", "x = keras.layers.Dense(10)(x)\n".repeat(20_000));
    assert.equal(outcome.kind, "not-checked");
    assert.match(messages(outcome)[0] ?? "", /more than 0 ms to read/);
  } finally {
    client.dispose();
  }
});

test("a worker that stops answering is replaced, and the next check is answered", async () => {
  let started = 0;
  const silentThenReal = (): Worker => {
    started++;
    // The first worker loads, then never answers (a check stuck in a loop); the second is the real one.
    const stuck = `require("node:worker_threads").parentPort.postMessage({ id: 0, kind: "ready" }); setInterval(() => {}, 1000);`;
    return started === 1 ? new Worker(stuck, { eval: true }) : sourceWorker();
  };
  const client = new CheckWorkerClient({ watchdogMs: 300, startWorker: silentThenReal });
  try {
    const stuck = await client.check("a.py", "x = 1\n");
    assert.equal(stuck.kind, "not-checked");
    const next = await client.check("a.py", "x = 2\n");
    assert.equal(next.kind, "checked");
    assert.equal(started, 2);
  } finally {
    client.dispose();
  }
});

test("a lesson's solution models read on the checker thread are the ones the checker reads on its own", async () => {
  const { lesson } = await loadLesson(join(import.meta.dirname, "../../lessons/intro-image-classification-cnn"));
  const client = new CheckWorkerClient({ startWorker: sourceWorker });
  try {
    const onThread = await solutionModels(lesson, async (file, text) => {
      const outcome = await client.check(`solution:${file}`, text);
      return outcome.kind === "checked" ? outcome.analysis : { models: [] };
    });
    const direct = await solutionModels(lesson);
    assert.ok(onThread.size >= 5, `the lesson's solution models (${[...onThread.keys()].join(", ")})`);
    assert.deepEqual([...onThread.entries()], [...direct.entries()]);
  } finally {
    client.dispose();
  }
});
