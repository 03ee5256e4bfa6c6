/**
 * Faults around saving a run: two runs in the same second, a diverging run, a full disk, a
 * read-only folder, too few images. Each asserts what the learner sees (the CLI's output, or the
 * engine's error) and what is on disk afterwards.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { after, test } from "node:test";
import { selectBackend } from "../../src/training/backends";
import { trainRun } from "../../src/training/engine";
import type { CompileSpec } from "../../src/protocol/modelSpec";
import { introModel, lessonCompile } from "../../src/training/models";
import { loadRun, loadRunModel, newRunId } from "../../src/training/runs";
import { runSweep } from "../../src/training/sweeps";
import { cli, filesUnder, readJson, scratchFolder, trainParams, tryCommand } from "./harness";

const QUICK = ["--model", "intro", "--dataset", "fashion-mnist", "--backend", "wasm", "--test-limit", "100"];

const mounted: string[] = [];
after(async () => {
  for (const folder of mounted) await tryCommand("umount", [folder]);
});

/** A small tmpfs at a fresh folder, or undefined (with the reason printed) where mounting is not allowed. */
async function smallDisk(name: string, options: string): Promise<string | undefined> {
  const folder = await scratchFolder(name);
  if (!(await tryCommand("mount", ["-t", "tmpfs", "-o", options, "tmpfs", folder]))) {
    console.log(`# skipped: cannot mount a tmpfs here (needs root and mount permission), so the ${name} case is not exercised`);
    return undefined;
  }
  mounted.push(folder);
  return folder;
}

test("two runs started in the same second get folders of their own", async () => {
  // The backend first, on its own: what is tested here is the folder, not the backend's start-up.
  await selectBackend("wasm");
  const runs = await scratchFolder("same-second");
  const now = new Date();
  const directory = path.join(runs, newRunId("intro", now));
  assert.equal(newRunId("intro", now), newRunId("intro", now), "the same name is asked for twice");
  const [first, second] = await Promise.all([
    trainRun(trainParams(directory, { trainLimit: 200, label: "first" })),
    trainRun(trainParams(directory, { trainLimit: 200, label: "second" })),
  ]);
  assert.notEqual(first.runDirectory, second.runDirectory);
  assert.deepEqual((await fs.readdir(runs)).sort(), [path.basename(directory), `${path.basename(directory)}-2`]);
  for (const result of [first, second]) {
    const run = await loadRun(result.runDirectory);
    assert.equal(run.status.status, "completed");
    assert.equal(run.history.length, 1);
    assert.ok(run.metrics);
  }
  const labels = await Promise.all([first, second].map(async (r) => (await loadRun(r.runDirectory)).spec.label));
  assert.deepEqual(labels.sort(), ["first", "second"]);
});

test("a diverging run stops early, the CLI prints nan and says why, and the run is saved as diverged", async () => {
  const runs = await scratchFolder("diverge");
  const spec = path.join(runs, "diverging.json");
  await fs.writeFile(spec, JSON.stringify({ model: introModel([28, 28, 1]), compile: { optimizer: { name: "sgd", learning_rate: 1e30 }, loss: "categorical_crossentropy", metrics: ["categorical_accuracy"] } }));
  const result = await cli(["train", ...QUICK, "--model", spec, "--train-limit", "2000", "--epochs", "5", "--runs-dir", path.join(runs, "runs")]);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /loss: nan/);
  assert.match(result.stderr, /Training diverged: the loss became nan .* in epoch 1, batch \d+.*learning rate that is too high/);
  assert.doesNotMatch(result.stderr, /internal error|toFixed/);
  const [folder] = await fs.readdir(path.join(runs, "runs"));
  const run = await loadRun(path.join(runs, "runs", folder!));
  assert.equal(run.status.status, "diverged");
  assert.equal(run.history.length, 1);
  assert.equal(run.history[0]!.metrics["loss"], null, "NaN is written as null in JSON");
});

test("a disk that fills while the run saves: a learner-worded error, no .tmp files, status not left 'running', epoch 1 kept", async (t) => {
  // Epoch 1 (spec, history, 227 KB of weights) fits; epoch 2's new weights next to the old do not.
  const disk = await smallDisk("full-disk", "size=400k");
  if (!disk) return t.skip("cannot mount a tmpfs here");
  const result = await cli(["train", ...QUICK, "--train-limit", "600", "--epochs", "3", "--runs-dir", disk]);
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stderr, new RegExp(`The disk holding ${disk}/[^ ]+ is full, so the run could not be saved there\\. Free some space`));
  assert.doesNotMatch(result.stderr, /ENOSPC|internal error/);
  const [folder] = await fs.readdir(disk);
  const directory = path.join(disk, folder!);
  assert.deepEqual((await filesUnder(directory)).filter((file) => file.endsWith(".tmp")), []);
  const status = await readJson<{ status: string; epochsDone: number }>(path.join(directory, "status.json"));
  assert.equal(status.status, "failed");
  const run = await loadRun(directory);
  assert.equal(run.history.length, 1);
  const model = await loadRunModel(directory);
  model.dispose();
});

test("a read-only runs folder: the CLI names the folder and what to do, not 'internal error: ENOENT'", async (t) => {
  const disk = await smallDisk("read-only", "ro,size=64k");
  if (!disk) return t.skip("cannot mount a tmpfs here");
  const result = await cli(["train", ...QUICK, "--train-limit", "200", "--epochs", "1", "--runs-dir", path.join(disk, "runs")]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, new RegExp(`${disk}/runs is on a read-only disk, so the run cannot be saved there\\. Save runs in a folder you can write to`));
  assert.doesNotMatch(result.stderr, /internal error|ENOENT|EROFS/);
});

test("--train-limit 1 is an error that says why, not a completed run", async () => {
  const runs = await scratchFolder("train-limit");
  const result = await cli(["train", ...QUICK, "--train-limit", "1", "--epochs", "1", "--runs-dir", runs]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Only [01] training images? (is|are) left.*fewer than one batch of 32.*raise --train-limit/);
  assert.doesNotMatch(result.stdout, /completed/);
  assert.deepEqual(await fs.readdir(runs), [], "no run folder");
});

test("a sweep in which one variant diverges goes on: that row's val_loss is nan, never the best, and its run is saved as diverged", async () => {
  await selectBackend("wasm");
  const runs = await scratchFolder("sweep-diverge");
  const base = trainParams(path.join(runs, "unused"), { trainLimit: 300 });
  const variant = (value: string, compile: CompileSpec) => ({ parameter: "optimizer", value, model: base.model, compile, fit: base.fit });
  const result = await runSweep([variant("sgd 1e30", { ...lessonCompile(), optimizer: { name: "sgd", learning_rate: 1e30, momentum: 0 } }), variant("adam", lessonCompile())], {
    dataset: base.dataset,
    dataDirectory: base.dataDirectory,
    runsDirectory: runs,
    backend: "wasm",
  });
  assert.equal(result.status, "completed");
  assert.deepEqual(result.rows.map((row) => row.value), ["sgd 1e30", "adam"]);
  assert.ok(Number.isNaN(result.rows[0]!.valLoss));
  assert.equal(result.best?.value, "adam");
  assert.match(result.table, /sgd 1e30\s+nan\s/);
  assert.equal((await loadRun(result.rows[0]!.runDirectories[0]!)).status.status, "diverged");
});
