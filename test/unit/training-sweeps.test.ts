import assert from "node:assert/strict";
import { test } from "node:test";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { loadDataset } from "../../src/training/datasets";
import { activationVariants, dropoutRateVariants, gridSearchCV, optimizerVariants, runSweep } from "../../src/training/sweeps";
import { listRuns } from "../../src/training/runs";
import { summarizeModel } from "../../src/training/summary";

const DATA = "/usr/share/datasets";
const FIT = { batch_size: 32, epochs: 1, validation: { kind: "data" as const }, shuffle: true };

test("a dropout-rate sweep trains each variant, saves each run and compares them", async () => {
  const runsDirectory = await fs.mkdtemp(path.join(os.tmpdir(), "dl-lessons-sweep-"));
  const result = await runSweep(dropoutRateVariants([28, 28, 1], FIT, [0.2, 0.6]), {
    dataset: { name: "fashion-mnist", trainLimit: 640, testLimit: 100 },
    dataDirectory: DATA,
    backend: "wasm",
    runsDirectory,
  });
  assert.deepEqual(result.rows.map((r) => r.value), [0.2, 0.6]);
  assert.ok(result.rows.every((r) => Number.isFinite(r.valLoss) && r.valAccuracy > 0 && r.history.length === 1));
  assert.ok(result.rows.includes(result.best));
  assert.match(result.table, /^dropout_rate\s+val_loss\s+val_accuracy\n0\.2\s+\d\.\d{4}\s+\d\.\d{4}\n0\.6/);
  const runs = await listRuns(runsDirectory);
  assert.deepEqual(runs.map((r) => r.spec.label), ["dropout_rate 0.2", "dropout_rate 0.6"]);
  assert.deepEqual(runs.map((r) => r.spec.model.layers.find((l) => l.class_name === "Dropout")?.config), [{ rate: 0.2 }, { rate: 0.6 }]);
});

test("grid search scores each optimizer by k-fold cross-validation", async () => {
  const dataset = await loadDataset({ name: "fashion-mnist", trainLimit: 480, testLimit: 10 }, { dataDirectory: DATA, download: false });
  const variants = optimizerVariants([28, 28, 1], FIT).filter((v) => v.value !== "sgd");
  const result = await gridSearchCV(variants, { dataset: { name: "fashion-mnist" }, dataDirectory: DATA, backend: "wasm", folds: 3 }, dataset);
  assert.deepEqual(result.rows.map((r) => r.value), ["rmsprop", "adam"]);
  // One epoch per fold, three folds.
  assert.ok(result.rows.every((r) => r.history.length === 3 && r.valAccuracy > 0.2 && r.valAccuracy <= 1));
});

test("the activation loop builds the lesson's variants, LeakyReLU as a layer", () => {
  const variants = activationVariants([32, 32, 3], FIT);
  assert.deepEqual(variants.map((v) => v.value), ["relu", "sigmoid", "tanh", "selu", "leaky_relu"]);
  for (const variant of variants) assert.equal(summarizeModel(variant.model).totalParams, 79530);
  assert.equal(variants[4]!.model.layers.filter((l) => l.class_name === "LeakyReLU").length, 3);
});
