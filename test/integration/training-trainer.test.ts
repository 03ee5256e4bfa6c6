import assert from "node:assert/strict";
import { test } from "node:test";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { loadDataset, subset, type LoadedDataset } from "../../src/training/datasets";
import { trainRun, evaluateRun, predictRun } from "../../src/training/engine";
import { selectBackend } from "../../src/training/backends";
import { compileModel } from "../../src/training/kerasToTfjs";
import { introModel, lessonCompile } from "../../src/training/models";
import { fitModel } from "../../src/training/trainer";
import { listRuns, loadRun, loadRunModel } from "../../src/training/runs";
import type { TrainingEvent } from "../../src/protocol/training";

// Debian's dataset-fashion-mnist package; .ci/run installs it.
const DATA = "/usr/share/datasets";
let cached: LoadedDataset | undefined;
async function fashion(): Promise<LoadedDataset> {
  cached ??= await loadDataset({ name: "fashion-mnist", trainLimit: 3000, testLimit: 1000 }, { dataDirectory: DATA, download: false });
  return cached;
}

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), "dl-lessons-train-"));
}

test("the intro model learns Fashion-MNIST on wasm: far above chance after 2 short epochs, run saved and loadable", async () => {
  const dataset = await fashion();
  const runs = await tempDir();
  const runDirectory = path.join(runs, "first");
  const events: TrainingEvent[] = [];
  const result = await trainRun(
    {
      model: introModel([28, 28, 1]),
      compile: lessonCompile(),
      fit: { batch_size: 32, epochs: 2, validation: { kind: "data" }, shuffle: true },
      dataset: { name: "fashion-mnist", trainLimit: 3000, testLimit: 1000 },
      dataDirectory: DATA,
      runDirectory,
      backend: "wasm",
      label: "intro",
    },
    { onEvent: (e) => events.push(e), dataset },
  );
  assert.equal(result.status, "completed");
  assert.equal(result.backend.active, "wasm");
  assert.equal(result.history.length, 2);
  assert.deepEqual(Object.keys(result.history[1]!.metrics).sort(), ["categorical_accuracy", "loss", "val_categorical_accuracy", "val_loss"]);
  assert.ok(result.history[1]!.metrics["loss"]! < result.history[0]!.metrics["loss"]!, "loss falls");
  const run = await loadRun(runDirectory);
  assert.equal(run.status.status, "completed");
  assert.ok(run.metrics!.accuracy > 0.6, `test accuracy ${run.metrics!.accuracy} (chance is 0.1)`);
  assert.equal(run.confusion!.matrix.flat().reduce((a, b) => a + b, 0), 1000);
  assert.match(await fs.readFile(path.join(runDirectory, "history.csv"), "utf8"), /^epoch,loss,categorical_accuracy,val_loss,val_categorical_accuracy/);

  const started = events.find((e) => e.kind === "started");
  assert.equal(started?.kind === "started" && started.trainCount, 2400);
  const epochs = events.filter((e) => e.kind === "epoch");
  assert.equal(epochs.length, 2);
  assert.ok(epochs.every((e) => e.kind === "epoch" && e.imagesPerSecond > 0));

  // The saved model gives the same accuracy when loaded back and evaluated.
  const evaluation = await evaluateRun({ runDirectory, dataDirectory: DATA, backend: "wasm", testLimit: 1000, predictionCount: 5 }, { dataset });
  assert.ok(Math.abs(evaluation.accuracy - run.metrics!.accuracy) < 1e-9);
  assert.equal(evaluation.predictions.length, 5);
  assert.equal(evaluation.predictions[0]!.top.length, 3);
  assert.deepEqual(evaluation.perClassAccuracy.map((a) => a.toFixed(6)), run.metrics!.perClassAccuracy.map((a) => a.toFixed(6)));
  const image = Array.from(dataset.test.images.subarray(0, 784));
  const predicted = await predictRun({ runDirectory, backend: "wasm", images: [{ width: 28, height: 28, channels: 1, data: image }] });
  assert.equal(predicted.predictions[0]!.top[0]!.label, evaluation.predictions[0]!.top[0]!.label);
  assert.equal(predicted.classNames[0], "T-shirt/top");
  assert.deepEqual((await listRuns(runs)).map((r) => r.runId), ["first"]);
});

test("no tensor leaks: numTensors is the same after epoch 1 and epoch 3", async () => {
  await selectBackend("wasm");
  const dataset = await fashion();
  const train = subset(dataset.train, Array.from({ length: 256 }, (_, i) => i));
  const validation = subset(dataset.train, Array.from({ length: 64 }, (_, i) => 1000 + i));
  const compiled = compileModel(introModel([28, 28, 1]), lessonCompile());
  const counts: number[] = [];
  await fitModel({
    compiled,
    train,
    validation,
    imageShape: dataset.imageShape,
    numClasses: 10,
    fit: { batch_size: 32, epochs: 3, validation: { kind: "data" }, shuffle: true },
    onEpoch: () => counts.push(tf.memory().numTensors),
  });
  assert.equal(counts.length, 3);
  assert.equal(counts[2], counts[0], `numTensors per epoch: ${counts.join(", ")}`);
  compiled.model.dispose();
});

test("cancelling stops within one batch and leaves a consistent run directory", async () => {
  const dataset = await fashion();
  const runDirectory = path.join(await tempDir(), "cancelled");
  const controller = new AbortController();
  let batchesAfterAbort = 0;
  let abortedAt = 0;
  const result = await trainRun(
    {
      model: introModel([28, 28, 1]),
      compile: lessonCompile(),
      fit: { batch_size: 32, epochs: 3, validation: { kind: "data" }, shuffle: true },
      dataset: { name: "fashion-mnist" },
      dataDirectory: DATA,
      runDirectory,
      backend: "wasm",
    },
    {
      dataset,
      batchIntervalMs: 0,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.kind !== "batch") return;
        if (controller.signal.aborted) batchesAfterAbort += 1;
        else if (event.epoch === 1 && event.batch === 10) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    },
  );
  const latencyMs = performance.now() - abortedAt;
  assert.equal(result.status, "cancelled");
  assert.equal(batchesAfterAbort, 0, "no batch runs after the abort");
  assert.ok(latencyMs < 2000, `stopped ${latencyMs.toFixed(0)} ms after the abort`);
  const run = await loadRun(runDirectory);
  assert.equal(run.status.status, "cancelled");
  assert.deepEqual(run.history, []);
  assert.equal(run.metrics, undefined);
  const model = await loadRunModel(runDirectory);
  assert.equal(model.countParams(), 56714);
  model.dispose();
  const leftovers = (await fs.readdir(runDirectory, { recursive: true })).filter((f) => String(f).endsWith(".tmp"));
  assert.deepEqual(leftovers, []);
});
