/**
 * Faults injected into the real training process (forked, tfjs wasm, real Fashion-MNIST): each
 * test asserts what the learner is told and what the run folder holds afterwards.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { before, test } from "node:test";
import { ResponseError } from "vscode-jsonrpc/node";
import { formatTrainingNumber, TrainingErrorCodes, type TrainingEvent } from "../../src/protocol/training";
import { selectBackend } from "../../src/training/backends";
import { TrainingProcessExitedError } from "../../src/training/client";
import type { CompileSpec } from "../../src/protocol/modelSpec";
import { conv2d, dense, flatten, input, introModel, lessonCompile, sequentialSpec } from "../../src/training/models";
import { listRuns, loadRun, loadRunModel } from "../../src/training/runs";
import { filesUnder, nextEvent, readJson, scratchFolder, startClient, trainParams } from "./harness";

// This process reads saved models back to check them.
before(() => selectBackend("wasm"));

test("kill -9 mid-epoch: the run says 'interrupted after epoch 1 of 3', keeps its epoch and weights, and the next request gets a fresh process", async () => {
  const client = startClient();
  const notices: string[] = [];
  client.onRestart((notice) => notices.push(notice));
  try {
    const runs = await scratchFolder("kill");
    const running = client.train(trainParams(path.join(runs, "run"), { epochs: 3, trainLimit: 2000 }));
    await nextEvent(client, (event) => event.kind === "batch" && event.epoch === 2);
    client.child.kill("SIGKILL");
    await assert.rejects(running, (error: unknown) => error instanceof TrainingProcessExitedError && /stopped unexpectedly \(signal SIGKILL\)/.test(error.message));

    const [run] = await listRuns(runs);
    assert.ok(run, "the run is listed");
    assert.equal(run.status.status, "interrupted");
    assert.match(run.status.message ?? "", /^Interrupted after epoch 1 of 3/);
    assert.equal(run.history.length, 1);
    const model = await loadRunModel(run.directory);
    assert.equal(model.countParams(), 56714);
    model.dispose();
    // Listing wrote the verdict down, and no half-written file is left.
    assert.equal((await readJson<{ status: string }>(path.join(run.directory, "status.json"))).status, "interrupted");
    assert.deepEqual((await filesUnder(run.directory)).filter((file) => file.endsWith(".tmp")), []);

    const summary = await client.summary({ model: introModel([28, 28, 1]) });
    assert.equal(summary.totalParams, 56714);
    await client.summary({ model: introModel([28, 28, 1]) });
    assert.equal(notices.length, 1, "the restart is told once");
  } finally {
    client.dispose();
  }
});

test("SIGTERM to the training process: the run stops after its batch and is saved as cancelled with its finished epochs", async () => {
  const client = startClient();
  try {
    const runs = await scratchFolder("sigterm");
    const running = client.train(trainParams(path.join(runs, "run"), { epochs: 3, trainLimit: 2000 }));
    await nextEvent(client, (event) => event.kind === "batch" && event.epoch === 2);
    client.child.kill("SIGTERM");
    const outcome = await running.then(
      (result) => result.status,
      (error: unknown) => (error instanceof TrainingProcessExitedError ? "exited" : String(error)),
    );
    assert.equal(outcome, "cancelled");
    const run = await loadRun(path.join(runs, "run"));
    assert.equal(run.status.status, "cancelled");
    assert.equal(run.history.length, 1);
    assert.equal(run.status.epochsDone, 1);
  } finally {
    client.dispose();
  }
});

test("Stop during the final test evaluation keeps the trained run as stopped before testing, not failed", async () => {
  const client = startClient();
  try {
    const runs = await scratchFolder("stop-testing");
    const controller = new AbortController();
    // The last epoch's event comes just before the test evaluation (10,000 images, 40 batches) starts.
    const lastEpoch = nextEvent(client, (event) => event.kind === "epoch" && event.epoch === 1).then(() => controller.abort());
    const result = await client.train(trainParams(path.join(runs, "run"), { epochs: 1, trainLimit: 300, testLimit: 10_000 }), controller.signal);
    await lastEpoch;
    assert.equal(result.status, "cancelled");
    assert.equal(result.history.length, 1);
    const run = await loadRun(result.runDirectory);
    assert.equal(run.status.status, "cancelled");
    assert.equal(run.status.stage, "testing");
    assert.match(run.status.message ?? "", /Stopped during the test evaluation: all 1 epochs are trained and saved/);
    assert.equal(run.metrics, undefined, "no test metrics for an untested run");
    const model = await loadRunModel(result.runDirectory);
    model.dispose();
  } finally {
    client.dispose();
  }
});

test("two requests to a fresh process both wait for the backend to start; neither is told it could not be loaded", async () => {
  for (let attempt = 0; attempt < 2; attempt++) {
    const client = startClient();
    try {
      const runs = await scratchFolder("overlap");
      const [backends, trained, again] = await Promise.all([client.backends("wasm"), client.train(trainParams(path.join(runs, "run"), { trainLimit: 100 })), client.backends("auto")]);
      assert.equal(backends.active, "wasm");
      assert.equal(trained.status, "completed");
      assert.ok(again.attempts.some((a) => a.loaded));
    } finally {
      client.dispose();
    }
  }
});

test("a model too big for memory is refused before it is built, naming its layer; the same process then trains a normal model", async () => {
  const client = startClient();
  try {
    const runs = await scratchFolder("too-big");
    const hugeDense = sequentialSpec("huge_dense", [input([28, 28, 1]), flatten, dense(1_000_000, "relu"), dense(10, "softmax")]);
    await assert.rejects(client.train(trainParams(path.join(runs, "dense"), { model: hugeDense })), (error: unknown) => {
      assert.ok(error instanceof ResponseError);
      assert.equal(error.code, TrainingErrorCodes.modelTooBig);
      assert.match(error.message, /too big to train.*layer 'dense' \(Dense\): its 785,000,000 parameters/);
      assert.deepEqual(error.data, { layer: "dense" });
      return true;
    });
    const wideConv = sequentialSpec("wide_conv", [input([28, 28, 1]), conv2d(100_000, "relu"), { class_name: "GlobalAveragePooling2D", config: {} }, dense(10, "softmax")]);
    await assert.rejects(client.train(trainParams(path.join(runs, "conv"), { model: wideConv })), (error: unknown) => {
      assert.ok(error instanceof ResponseError && error.code === TrainingErrorCodes.modelTooBig);
      assert.match(error.message, /layer 'conv2d' \(Conv2D\).*outputs for a batch of 32 images/);
      return true;
    });
    assert.deepEqual(await fs.readdir(runs), [], "nothing was saved for the refused models");
    const normal = await client.train(trainParams(path.join(runs, "normal"), { trainLimit: 200 }));
    assert.equal(normal.status, "completed");
  } finally {
    client.dispose();
  }
});

test("a diverging run through the process: nan reaches the host as null, prints as nan, and the error says why", async () => {
  const client = startClient();
  try {
    const runs = await scratchFolder("diverge-process");
    const epochs: TrainingEvent[] = [];
    client.onEvent((event) => {
      if (event.kind === "epoch") epochs.push(event);
    });
    const compile: CompileSpec = { ...lessonCompile(), optimizer: { name: "sgd", learning_rate: 1e30, momentum: 0 } };
    await assert.rejects(client.train(trainParams(path.join(runs, "run"), { epochs: 3, trainLimit: 1000, compile })), (error: unknown) => {
      assert.ok(error instanceof ResponseError && error.code === TrainingErrorCodes.diverged);
      assert.match(error.message, /^Training diverged: the loss became nan/);
      return true;
    });
    const last = epochs.at(-1);
    assert.ok(last && last.kind === "epoch");
    assert.equal(last.metrics["loss"], null, "NaN crosses JSON as null");
    assert.equal(formatTrainingNumber(last.metrics["loss"]), "nan");
    const run = await loadRun(path.join(runs, "run"));
    assert.equal(run.status.status, "diverged");
  } finally {
    client.dispose();
  }
});
