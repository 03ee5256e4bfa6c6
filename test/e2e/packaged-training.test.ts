/**
 * Training from the .vsix as a workshop installs it: the training process bundle, unpacked from
 * the package, trains on the plain-JS `cpu` backend (what `auto` falls back to when WebAssembly
 * fails) and on the threaded WebAssembly build, whose glue and worker script must be in the
 * package too. No VS Code is needed: the host forks this same bundle.
 */
import assert from "node:assert/strict";
import { createWriteStream } from "node:fs";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import yauzl from "yauzl";
import { TrainingClient } from "../../src/training/client";
import { introModel, lessonCompile } from "../../src/training/models";
import { TRAINING_THREADS_ENV, type BackendPreference, type TrainParams } from "../../src/protocol/training";
import { MEASURE_ALL_THREADS_ENV } from "../../src/training/wasmThreads";
import { builtVsix } from "./codeServer";

/** Unpacks the .vsix's `extension/` folder into `target`. */
function unpack(vsix: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(vsix, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error("cannot open zip"));
      zip.on("entry", (entry: yauzl.Entry) => {
        if (!entry.fileName.startsWith("extension/") || entry.fileName.endsWith("/")) return zip.readEntry();
        const file = path.join(target, entry.fileName.slice("extension/".length));
        void fs.mkdir(path.dirname(file), { recursive: true }).then(() =>
          zip.openReadStream(entry, (streamError, stream) => {
            if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${entry.fileName}`));
            stream.pipe(createWriteStream(file)).on("finish", () => zip.readEntry()).on("error", reject);
          }),
        );
      });
      zip.on("end", resolve);
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

async function trainParams(backend: BackendPreference, trainLimit: number): Promise<TrainParams> {
  const runs = await fs.mkdtemp(path.join(os.tmpdir(), "dl-lessons-packaged-run-"));
  return {
    model: introModel([28, 28, 1]),
    compile: lessonCompile(),
    fit: { batch_size: 32, epochs: 1, validation: { kind: "data" }, shuffle: true },
    dataset: { name: "fashion-mnist", trainLimit, testLimit: 64 },
    dataDirectory: "/usr/share/datasets",
    runDirectory: path.join(runs, "run"),
    backend,
  };
}

test("the packaged training process trains on the cpu backend and on threaded WebAssembly", async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "dl-lessons-packaged-"));
  try {
    await unpack(builtVsix(), root);
    const entry = path.join(root, "dist", "training-process.js");

    const cpu = TrainingClient.start(entry);
    try {
      const result = await cpu.train(await trainParams("cpu", 96));
      assert.equal(result.status, "completed");
      assert.equal(result.backend.active, "cpu");
      assert.ok(Number.isFinite(result.history[0]!.metrics["loss"]), "a finite loss on cpu");
    } finally {
      cpu.dispose();
    }

    // Two threads even on a two-core machine, where the product would use one: this is about the
    // package holding the threaded build's glue and worker script, not about speed.
    const threaded = TrainingClient.start(entry, { env: { ...process.env, [TRAINING_THREADS_ENV]: "2", [MEASURE_ALL_THREADS_ENV]: "1" } });
    try {
      const result = await threaded.train(await trainParams("wasm", 640));
      assert.equal(result.status, "completed");
      const wasm = result.backend.attempts.find((attempt) => attempt.backend === "wasm");
      assert.equal(wasm?.detail, "2 threads", `the threaded build started from the package (${JSON.stringify(wasm)})`);
      assert.ok(Number.isFinite(result.history[0]!.metrics["loss"]), "a finite loss on threaded wasm");
    } finally {
      threaded.dispose();
    }
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});
