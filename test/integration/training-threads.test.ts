import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { selectBackend } from "../../src/training/backends";
import { glueSource, startThreadedWasm } from "../../src/training/wasmThreads";

const WASM_OUT = path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "wasm-out");

test("the threaded wasm build starts under Node on two threads and its training kernels match the cpu backend", async () => {
  // The wasm backend's kernels (and this project's) are registered for "wasm"; a second backend
  // name gets the same kernels so that the threaded one can run beside the single-threaded one.
  await selectBackend("wasm");
  const threaded = await startThreadedWasm(WASM_OUT, 2);
  assert.equal(threaded.wasm.tfjs.getThreadsCount(), 2);
  tf.registerBackend("wasm-threads-test", () => threaded);
  for (const kernel of tf.getKernelsForBackend("wasm")) tf.registerKernel({ ...kernel, backendName: "wasm-threads-test" });
  try {
    const gradients = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(Float32Array.from({ length: 4 * 16 * 16 * 8 }, (_, i) => Math.sin(i * 0.37)), [4, 16, 16, 8]);
        const filter = tf.tensor4d(Float32Array.from({ length: 3 * 3 * 8 * 12 }, (_, i) => Math.cos(i * 0.11) / 10), [3, 3, 8, 12]);
        const loss = (input: tf.Tensor, weights: tf.Tensor) => tf.sum(tf.square(tf.relu(tf.conv2d(input as tf.Tensor4D, weights as tf.Tensor4D, 1, "same"))));
        const [dx, dw] = tf.grads(loss)([x, filter]);
        return [dx!.dataSync().slice(), dw!.dataSync().slice()];
      });
    };
    const [cpuDx, cpuDw] = await gradients("cpu");
    const [threadDx, threadDw] = await gradients("wasm-threads-test");
    for (const [reference, actual] of [
      [cpuDx!, threadDx!],
      [cpuDw!, threadDw!],
    ] as const) {
      let worst = 0;
      for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(reference[i]! - actual[i]!) / (1 + Math.abs(reference[i]!)));
      assert.ok(worst < 1e-4, `threaded gradient off by ${worst}`);
    }
  } finally {
    await tf.setBackend("wasm");
    tf.removeBackend("wasm-threads-test");
  }
});

test("a threaded start without its files, or with a glue of another tfjs version, fails with a reason instead of starting", async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "dl-lessons-no-wasm-"));
  try {
    await assert.rejects(startThreadedWasm(empty, 2), /tfjs-backend-wasm-threaded-simd\.(js|worker\.js|wasm) is missing/);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
  assert.throws(() => glueSource("var pthreadPoolSize=4;"), /not the one this loader knows/);
  assert.match(glueSource(fs.readFileSync(path.join(WASM_OUT, "tfjs-backend-wasm-threaded-simd.js"), "utf8")), /var pthreadPoolSize=Module\["pthreadPoolSize"\]\|\|8;/);
});
