import assert from "node:assert/strict";
import { test } from "node:test";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { ResponseError, type MessageConnection } from "vscode-jsonrpc/node";
import { TrainingClient, TrainingProcessExitedError } from "../../src/training/client";
import { introModel, lessonCompile } from "../../src/training/models";
import { TrainingErrorCodes, type TrainingEvent, type TrainParams } from "../../src/protocol/training";
import { TrainingRequests, TrainingNotifications } from "../../src/protocol/trainingRpc";
import { readIdxFolder } from "../../src/training/datasets/idx";
import { loadRun } from "../../src/training/runs";

const ENTRY = path.join(__dirname, "../../src/training/process.ts");

async function params(epochs: number, trainLimit: number): Promise<TrainParams> {
  const runs = await fs.mkdtemp(path.join(os.tmpdir(), "dl-lessons-process-"));
  return {
    model: introModel([28, 28, 1]),
    compile: lessonCompile(),
    fit: { batch_size: 32, epochs, validation: { kind: "data" }, shuffle: true },
    dataset: { name: "fashion-mnist", trainLimit, testLimit: 500 },
    dataDirectory: "/usr/share/datasets",
    runDirectory: path.join(runs, "run"),
    backend: "wasm",
  };
}

test("the forked training process answers summary, backends and train, and streams events", async () => {
  const client = TrainingClient.start(ENTRY, { execArgv: ["--import", "tsx"] });
  try {
    const summary = await client.summary({ model: introModel([32, 32, 3]) });
    assert.equal(summary.totalParams, 79530);
    const backends = await client.backends("wasm");
    assert.equal(backends.active, "wasm");

    const events: TrainingEvent[] = [];
    client.onEvent((event) => events.push(event));
    const result = await client.train(await params(1, 2000));
    assert.equal(result.status, "completed");
    assert.equal(result.history.length, 1);
    assert.ok(result.history[0]!.metrics["val_categorical_accuracy"]! > 0.4);
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of ["started", "batch", "epoch", "log"]) assert.ok(kinds.has(kind as TrainingEvent["kind"]), `a ${kind} event`);
    // 50 batches in about a second or two: throttled to at most ~5 batch events a second, plus the last.
    const batches = events.filter((e) => e.kind === "batch").length;
    assert.ok(batches >= 1 && batches < 50, `${batches} batch events for 50 batches`);

    await assert.rejects(
      client.train({ ...(await params(1, 100)), model: { ...introModel([28, 28, 1]), layers: [introModel([28, 28, 1]).layers[0]!, { class_name: "Conv3D", name: "c3", inbound: ["input_1"], config: {} } as never] } }),
      (error: unknown) => error instanceof ResponseError && error.code === TrainingErrorCodes.unsupportedModel && /Conv3D/.test(error.message),
    );
  } finally {
    client.dispose();
  }
});

test("cancelling a request stops the run within one batch; a killed process rejects instead of hanging", async () => {
  const client = TrainingClient.start(ENTRY, { execArgv: ["--import", "tsx"] });
  try {
    const controller = new AbortController();
    const cancelParams = await params(3, 6000);
    let abortedAt = 0;
    let batchesAfterAbort = 0;
    const stop = client.onEvent((event) => {
      if (event.kind !== "batch") return;
      if (abortedAt > 0) batchesAfterAbort += 1;
      else {
        abortedAt = performance.now();
        controller.abort();
      }
    });
    const result = await client.train(cancelParams, controller.signal);
    const latency = performance.now() - abortedAt;
    stop();
    assert.equal(result.status, "cancelled");
    assert.ok(batchesAfterAbort <= 1, `${batchesAfterAbort} batch events after the cancel`);
    assert.ok(latency < 3000, `cancelled after ${latency.toFixed(0)} ms`);
    assert.equal((await loadRun(cancelParams.runDirectory)).status.status, "cancelled");

    const running = client.train(await params(3, 6000));
    await new Promise<void>((resolve) => {
      const off = client.onEvent((event) => {
        if (event.kind === "batch") {
          off();
          resolve();
        }
      });
    });
    const notices: string[] = [];
    client.onRestart((notice) => notices.push(notice));
    client.child.kill("SIGKILL");
    await assert.rejects(running, (error: unknown) => error instanceof TrainingProcessExitedError && error.signal === "SIGKILL");
    // The next requests start one fresh process, and the restart is told once.
    const [first, second] = await Promise.all([client.summary({ model: introModel([28, 28, 1]) }), client.backends("wasm")]);
    assert.equal(first.totalParams, 56714);
    assert.equal(second.active, "wasm");
    assert.equal(notices.length, 1);
    assert.match(notices[0]!, /signal SIGKILL.*started again/);
  } finally {
    client.dispose();
  }
});

test("a sweep through the process: each fold its own run and events, the table back, and Cancel stops it within a batch", async () => {
  const client = TrainingClient.start(ENTRY, { execArgv: ["--import", "tsx"] });
  try {
    const base = await params(1, 400);
    const runsDirectory = path.dirname(base.runDirectory);
    const variant = (label: string, optimizer: "adam" | "rmsprop") => ({ label, model: base.model, compile: { ...base.compile, optimizer: { name: optimizer, learning_rate: 0.001 } }, fit: base.fit });
    const sweepParams = { variants: [variant("adam", "adam"), variant("rmsprop", "rmsprop")], parameter: "optimizer", dataset: base.dataset, dataDirectory: base.dataDirectory, runsDirectory, backend: base.backend };

    const events: TrainingEvent[] = [];
    const stop = client.onEvent((event) => events.push(event));
    const finished: string[] = [];
    const result = await client.sweep({ ...sweepParams, folds: 2 }, undefined, (run) => finished.push(`${run.variant} ${run.label} ${run.result.status}`));
    stop();
    assert.equal(result.status, "completed");
    assert.deepEqual(result.rows.map((r) => [r.value, r.runDirectories.length]), [["adam", 2], ["rmsprop", 2]]);
    assert.ok(result.best && result.rows.every((r) => Number.isFinite(r.valLoss)));
    assert.match(result.table, /^optimizer\s+val_loss\s+val_accuracy\nadam/);
    assert.deepEqual(finished, ["0 adam · fold 1/2 completed", "0 adam · fold 2/2 completed", "1 rmsprop · fold 1/2 completed", "1 rmsprop · fold 2/2 completed"]);
    const started = events.filter((e) => e.kind === "started");
    assert.deepEqual(started.map((e) => e.kind === "started" && e.label), ["adam · fold 1/2", "adam · fold 2/2", "rmsprop · fold 1/2", "rmsprop · fold 2/2"]);
    for (const start of started) assert.ok(events.some((e) => e.kind === "epoch" && e.runId === start.runId), `epoch events for ${start.runId}`);

    const controller = new AbortController();
    const cancelling = client.onEvent((event) => {
      if (event.kind === "batch") controller.abort();
    });
    const cancelled = await client.sweep({ ...sweepParams, dataset: { ...base.dataset, trainLimit: 6000 } }, controller.signal);
    cancelling();
    assert.equal(cancelled.status, "cancelled");
    assert.deepEqual(cancelled.rows, [], "the first variant did not finish");
  } finally {
    client.dispose();
  }
});

test("the process answers the host's dataset requests: which are here, and images by index as the engine reads them", async () => {
  const client = TrainingClient.start(ENTRY, { execArgv: ["--import", "tsx"] });
  try {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), "dl-lessons-data-"));
    // Debian's Fashion-MNIST is found beside an empty data directory; CIFAR-10 is not there.
    const present = await client.datasetsPresent(empty);
    assert.ok(present.includes("fashion-mnist"));
    assert.ok(!present.includes("cifar10"));

    const { test: expected } = await readIdxFolder("/usr/share/datasets/fashion-mnist", "fashion-mnist");
    const indices = [0, 7, 9999];
    const result = await client.datasetImages({ dataset: "fashion-mnist", dataDirectory: empty, split: "test", indices });
    assert.deepEqual([result.width, result.height, result.channels], [28, 28, 1]);
    assert.deepEqual(result.images.map((image) => image.index), indices);
    for (const image of result.images) {
      assert.equal(image.label, expected.labels[image.index]);
      assert.deepEqual(Buffer.from(image.pixels, "base64"), Buffer.from(expected.images.subarray(image.index * 784, (image.index + 1) * 784)));
    }
    const sample = await client.datasetImages({ dataset: "fashion-mnist", dataDirectory: empty, split: "train", sample: 5 });
    assert.equal(new Set(sample.images.map((image) => image.index)).size, 5);
    await assert.rejects(client.datasetImages({ dataset: "fashion-mnist", dataDirectory: empty, split: "test", indices: [500], testLimit: 500 }), /has no test image 500/);
    await assert.rejects(client.datasetImages({ dataset: "cifar10", dataDirectory: empty, split: "test", indices: [0] }), (error: unknown) => error instanceof ResponseError && error.code === TrainingErrorCodes.datasetMissing);
    assert.equal(await client.recoverRun(path.join(empty, "no-such-run")), undefined);
  } finally {
    client.dispose();
  }
});

test("a run whose process was killed after an epoch is recovered by a fresh process, its epochs kept", async () => {
  const client = TrainingClient.start(ENTRY, { execArgv: ["--import", "tsx"] });
  try {
    const killed = await params(3, 1200);
    const running = client.train(killed);
    // Killed during epoch 2: epoch 1 is in the journal by the time epoch 2's batches are reported.
    await new Promise<void>((resolve) => {
      const off = client.onEvent((event) => {
        if (event.kind === "batch" && event.epoch === 2) {
          off();
          resolve();
        }
      });
    });
    client.child.kill("SIGKILL");
    await assert.rejects(running, TrainingProcessExitedError);
    const recovered = await client.recoverRun(killed.runDirectory);
    assert.ok(recovered, "the journal kept the finished epoch");
    assert.equal(recovered.status, "cancelled");
    assert.ok(recovered.history.length >= 1 && recovered.history.length < 3, `${recovered.history.length} epochs kept`);
    assert.equal(recovered.runDirectory, killed.runDirectory);
  } finally {
    client.dispose();
  }
});

/**
 * Never run: tsc checks it. Each descriptor carries its parameter and result types to both ends,
 * so a handler that reads or answers the wrong thing, or a client call that sends the wrong thing,
 * does not compile (an `@ts-expect-error` that stops being an error fails the type check).
 */
export function descriptorsAreTyped(connection: MessageConnection, client: TrainingClient): void {
  // @ts-expect-error a summary answers a ModelSummary, not a count of layers
  connection.onRequest(TrainingRequests.summary, (params) => params.model.layers.length);
  // @ts-expect-error a summary request carries a model, not a run folder
  connection.onRequest(TrainingRequests.summary, async (params) => (await client.summary({ model: introModel([28, 28, 1]) })) && params.runDirectory);
  // @ts-expect-error the event notification carries a TrainingEvent, which has no "finished" kind
  connection.onNotification(TrainingNotifications.event, (event) => event.kind === "finished");
  // @ts-expect-error there is no "tpu" backend
  void client.backends("tpu");
  // @ts-expect-error train answers a TrainResult, which has no accuracy of its own
  void client.train({} as TrainParams).then((result) => result.accuracy);
}
