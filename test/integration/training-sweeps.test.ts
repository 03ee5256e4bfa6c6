import assert from "node:assert/strict";
import { test } from "node:test";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { loadDataset } from "../../src/training/datasets";
import { dropoutRateVariants, gridSearchCV, optimizerVariants, runSweep } from "../../src/training/sweeps";
import { listRuns } from "../../src/training/runs";
import type { TrainingEvent } from "../../src/protocol/training";

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
  assert.ok(result.best && result.rows.includes(result.best));
  assert.equal(result.status, "completed");
  assert.match(result.table, /^dropout_rate\s+val_loss\s+val_accuracy\n0\.2\s+\d\.\d{4}\s+\d\.\d{4}( +<- best \(lowest val_loss\))?\n0\.6/);
  assert.equal(result.table.match(/<- best/g)?.length, 1, "exactly one row is marked best");
  const runs = await listRuns(runsDirectory);
  assert.deepEqual(runs.map((r) => r.spec.label), ["dropout_rate 0.2", "dropout_rate 0.6"]);
  assert.deepEqual(runs.map((r) => r.spec.model.layers.find((l) => l.class_name === "Dropout")?.config), [{ rate: 0.2 }, { rate: 0.6 }]);
});

test("grid search scores each optimizer by k-fold cross-validation, each fold a saved run with its own events", async () => {
  const runsDirectory = await fs.mkdtemp(path.join(os.tmpdir(), "dl-lessons-grid-"));
  const events: TrainingEvent[] = [];
  const finished: string[] = [];
  const dataset = await loadDataset({ name: "fashion-mnist", trainLimit: 480, testLimit: 10 }, { dataDirectory: DATA, download: false });
  const variants = optimizerVariants([28, 28, 1], FIT).filter((v) => v.value !== "sgd");
  const result = await gridSearchCV(variants, { dataset: { name: "fashion-mnist" }, dataDirectory: DATA, backend: "wasm", folds: 3, runsDirectory, onEvent: (e) => events.push(e), onRunFinished: (variant, label) => finished.push(`${variant} ${label}`) },
    dataset,
  );
  assert.deepEqual(result.rows.map((r) => r.value), ["rmsprop", "adam"]);
  // One epoch per fold, three folds.
  assert.ok(result.rows.every((r) => r.history.length === 3 && r.valAccuracy > 0.2 && r.valAccuracy <= 1));
  // The score is the mean of each fold's last validation numbers, the held-out fold being the validation data.
  const meanValLoss = result.rows[0]!.history.reduce((sum, epoch) => sum + epoch.metrics["val_loss"]!, 0) / 3;
  assert.ok(Math.abs(result.rows[0]!.valLoss - meanValLoss) < 1e-9);
  assert.deepEqual(finished, ["0 optimizer rmsprop · fold 1/3", "0 optimizer rmsprop · fold 2/3", "0 optimizer rmsprop · fold 3/3", "1 optimizer adam · fold 1/3", "1 optimizer adam · fold 2/3", "1 optimizer adam · fold 3/3"]);
  const started = events.filter((e) => e.kind === "started");
  assert.equal(new Set(started.map((e) => e.runId)).size, 6, "each fold is its own run");
  assert.ok(started.every((e) => e.kind === "started" && e.trainCount === 320 && e.validationCount === 160));
  const saved = await listRuns(runsDirectory);
  assert.equal(saved.length, 6);
  assert.ok(saved.every((run) => run.status.status === "completed" && run.history.length === 1));
});
