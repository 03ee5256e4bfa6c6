import assert from "node:assert/strict";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { listRuns } from "../../src/training/runs";
import { cli, REPO, scratchFolder } from "./harness";

/* `dl-lessons train` and `summary` run as a learner runs them: their own process, real data. */

const LESSON = path.join(REPO, "lessons", "intro-image-classification-cnn");
const QUICK = ["--dataset", "fashion-mnist", "--backend", "wasm", "--train-limit", "600", "--test-limit", "200", "--epochs", "1"];


let runsDir: string;
before(async () => {
  runsDir = await scratchFolder("cli-train");
});
after(async () => {
  await rm(runsDir, { recursive: true, force: true });
});

describe("dl-lessons train", () => {
  it("prints Keras-style progress and the test accuracy, and saves a completed run", async () => {
    const result = await cli(["train", "--model", "intro", ...QUICK, "--runs-dir", runsDir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Epoch 1\/1\n/);
    assert.match(result.stdout, /15\/15 \[=+\] - .* - loss: \d+\.\d+ - categorical_accuracy: \d+\.\d+ - val_loss: \d+\.\d+ - val_categorical_accuracy: \d+\.\d+/);
    const accuracy = Number(/test accuracy: (\d+\.\d+)/.exec(result.stdout)?.[1]);
    assert.ok(accuracy > 0 && accuracy <= 1, result.stdout);
    const runs = await listRuns(runsDir);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.status.status, "completed");
    assert.equal(runs[0]!.metrics?.accuracy.toFixed(4), accuracy.toFixed(4), "the printed accuracy is the saved one");
  });

  it("trains the model of a learner's Python file with its own fit arguments", async () => {
    const file = path.join(runsDir, "fit-model.py");
    await writeFile(file, await readFile(path.join(LESSON, "solutions", "fit-model.py"), "utf8"));
    // The lesson's files build 32x32x3 models; on Fashion-MNIST the input must be refused in plain words.
    const refused = await cli(["train", "--model", file, ...QUICK, "--runs-dir", runsDir]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr + refused.stdout, /32, 32, 3|32×32×3|32 x 32/);
    assert.doesNotMatch(refused.stderr, /^\s+at /m, "no stack trace");
  });

  it("answers a model it cannot read with a message, not a crash", async () => {
    const result = await cli(["train", "--model", path.join(runsDir, "missing.json"), ...QUICK, "--runs-dir", runsDir]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /missing\.json/);
    assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
  });
});

describe("dl-lessons summary", () => {
  it("prints the intro model's Keras table with its 79,530 parameters", async () => {
    const result = await cli(["summary", "--model", "intro"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\(None, 30, 30, 16\)\s+448/);
    assert.match(result.stdout, /Total params: 79,530 \(310\.66 KB\)/);
  });
});
