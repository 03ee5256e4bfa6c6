/**
 * A learner trains on the GPU through WebGL: in real VS Code (code-server + Chromium, whose
 * WebGL 2 runs on SwiftShader here, the software renderer: correct, not fast), with
 * dlLessons.backend set to webgl, Train Model on the lesson's fit-model.py opens the GPU Trainer
 * tab, the training process sends it the batches, the monitor names the GPU, the loss goes down
 * from one epoch to the next, and the run is saved like any other. The saved weights then give
 * the same predictions on webgl as on wasm (within GPU_PROBABILITY_TOLERANCE).
 *
 * Then, with dlLessons.backend set to auto, the first training measures wasm, webgl and webgpu on
 * the model about to train (a GPU backend whose steps fail is left out with its reason in the
 * log) and trains on the fastest measured (wasm, against a software renderer: the measurement is
 * let near SwiftShader here, which `auto` otherwise passes by), and Show Training Backend gives
 * the speeds measured. With wasm chosen, the GPU Trainer tab closes, and a second Train leaves it
 * closed.
 *
 * It trains on a small Fashion-MNIST subset (Debian's dataset-fashion-mnist) through the
 * test-only settings dlLessons.trainDataset, trainLimit and maxEpochs.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { GPU_PROBABILITY_TOLERANCE } from "../../src/protocol/gpuWebview";
import type { ModelSpec } from "../../src/protocol/modelSpec";
import { MEASURE_SOFTWARE_GPU_ENV, selectBackend } from "../../src/training/backends";
import { readIdxFile } from "../../src/training/datasets/idx";
import { GpuTrainingSession } from "../../src/training/gpuTrainer";
import { loadRunModel } from "../../src/training/runs";
import { lessonCompile } from "../../src/training/models";
import { openGpuPage, SOFTWARE_GPU_FLAGS, type PageGlobals } from "../integration/gpu-browser";
import { FASHION_MNIST_DIR, fashionMnistSettings, lessonWorkspace, startSession, type Session } from "./codeServer";

const EPOCHS = 2;
const COMPARED_IMAGES = 32;

let session: Session;

/** code-server on a fresh workspace holding the lesson's fit-model.py, training with `backend`. */
function startWith(name: string, backend: "webgl" | "auto"): Promise<Session> {
  return startSession({
    name,
    workspace: lessonWorkspace(name, ["fit-model.py"]),
    gpuArgs: SOFTWARE_GPU_FLAGS,
    settings: fashionMnistSettings("gpu-training", { "dlLessons.trainLimit": 400, "dlLessons.maxEpochs": EPOCHS, "dlLessons.backend": backend }),
  });
}

before(async () => {
  // Inherited by code-server, its extension host and the training process; read only by `auto`.
  process.env[MEASURE_SOFTWARE_GPU_ENV] = "1";
  session = await startWith("gpu-training", "webgl");
});

after(async () => {
  await session?.close();
});

/** The newest of `count` saved runs once finished, with what it trained on and its epochs. */
async function finishedRun(count: number, timeoutMs: number) {
  const run = await session.finishedRun(count, timeoutMs);
  return {
    ...run,
    spec: run.read("spec.json") as { backend: string; model: ModelSpec },
    history: run.read("history.json") as { epoch: number; metrics: Record<string, number> }[],
  };
}

test("a learner trains on WebGL in the GPU Trainer tab; the run is saved and its weights predict as on wasm", { timeout: 420_000 }, async () => {
  assert.ok(existsSync(FASHION_MNIST_DIR), "this test needs Debian's dataset-fashion-mnist package");
  const { page } = session;
  await session.waitForLog(/Activated in/, 60_000);
  await session.openFile("fit-model.py");
  const monitor = await session.openMonitor();
  await session.runCommand("Lessons: Train Model");

  // The GPU Trainer tab opens and starts WebGL on the (software) GPU.
  await page.locator(".tab", { hasText: "GPU Trainer" }).waitFor({ timeout: 60_000 });
  const gpuTab = await session.webviewFrame("text=/Training on webgl: /", 90_000);
  assert.match(await gpuTab.locator("text=/Training on webgl: /").innerText(), /SwiftShader|ANGLE/i, "the tab names the GPU");
  // The monitor names the backend and the GPU while it trains.
  await monitor.locator("section.card.state-training", { hasText: /Batch [1-9]/ }).waitFor({ timeout: 120_000 });
  assert.match(await monitor.locator("details.backend summary").innerText(), /WebGL \(GPU\): .*SwiftShader/i);
  await session.screenshot("training-on-webgl");

  const run = await finishedRun(1, 300_000);
  assert.equal(run.status.status, "completed", `status.json of ${run.dir}: ${run.status.message ?? ""}`);
  assert.equal(run.spec.backend, "webgl", "the run says it trained on webgl");
  assert.equal(run.history.length, EPOCHS);
  const [first, second] = run.history.map((logs) => logs.metrics["loss"]!);
  assert.ok(second! < first!, `the loss goes down: epoch 1 ${first}, epoch 2 ${second}`);
  for (const file of ["model/model.json", "model/weights.bin", "metrics.json"]) assert.ok(existsSync(join(run.dir, file)), `the run keeps ${file}`);
  await session.screenshot("trained-on-webgl");

  // The saved weights: wasm here, webgl in a browser of its own, on real test images.
  const images = (await readIdxFile(join(FASHION_MNIST_DIR, "t10k-images-idx3-ubyte.gz"))).data.subarray(0, COMPARED_IMAGES * 28 * 28);
  await selectBackend("wasm");
  const saved = await loadRunModel(run.dir);
  const wasm = new GpuTrainingSession({ model: run.spec.model, compile: lessonCompile(), imageShape: [28, 28, 1], numClasses: 10 });
  wasm.setWeights(await Promise.all(saved.getWeights().map(async (w) => ({ shape: w.shape, values: (await w.data()) as Float32Array }))));
  const wasmProbabilities = await wasm.predict(images);
  const weights = (await wasm.getWeights()).map((w) => ({ shape: w.shape, values: [...w.values] }));
  saved.dispose();
  wasm.dispose();
  const gpu = await openGpuPage();
  try {
    const webgl = await gpu.page.evaluate(
      async ({ model, compile, pixels, startWeights }) => {
        const dl = (globalThis as unknown as PageGlobals).dlGpu;
        const start = await dl.startGpuBackend("webgl");
        if (!start.loaded) return { failed: start.reason };
        const session = new dl.GpuTrainingSession({ model, compile, imageShape: [28, 28, 1], numClasses: 10 });
        session.setWeights(startWeights.map((w) => ({ shape: w.shape, values: Float32Array.from(w.values) })));
        const probabilities = [...(await session.predict(Uint8Array.from(pixels)))];
        session.dispose();
        return { probabilities };
      },
      { model: run.spec.model, compile: lessonCompile(), pixels: [...images], startWeights: weights },
    );
    assert.ok("probabilities" in webgl, `webgl started in the comparison browser (${"failed" in webgl ? webgl.failed : ""})`);
    let worst = 0;
    webgl.probabilities.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - wasmProbabilities[i]!))));
    console.log(`largest difference between webgl's and wasm's probabilities on the trained weights: ${worst.toExponential(2)}`);
    assert.ok(worst <= GPU_PROBABILITY_TOLERANCE, `webgl and wasm differ by ${worst}`);
  } finally {
    await gpu.close();
  }
});

test("auto measures the backends on the model about to train, trains on the fastest, and says what it measured", { timeout: 420_000 }, async () => {
  await session.close();
  session = await startWith("gpu-training-auto", "auto");
  const { page } = session;
  await session.waitForLog(/Activated in/, 60_000);
  await session.openFile("fit-model.py");
  await session.runCommand("Lessons: Train Model");
  const [, measured, chosen] = await session.waitForLog(/Measured (.*): training on (\S+)\./, 300_000);
  console.log(`calibration: ${measured} -> ${chosen}`);
  assert.match(measured!, /wasm \d+ images\/s/, "the process's own backend was measured");
  // A GPU backend is measured, or left out with its reason in the log (never silently).
  for (const backend of ["webgl", "webgpu"]) {
    if (!new RegExp(`${backend} \\d+ images/s`).test(measured!)) assert.match(session.extensionLog(), new RegExp(`${backend} was left out of the measurement: `), `${backend} measured or left out with a reason`);
  }
  const fastest = [...measured!.matchAll(/(\S+) (\d+) images\/s/g)].sort((a, b) => Number(b[2]) - Number(a[2]))[0]![1];
  assert.equal(chosen, fastest, "the fastest one measured is chosen");
  const run = await finishedRun(1, 300_000);
  assert.equal(run.status.status, "completed", `status.json of ${run.dir}: ${run.status.message ?? ""}`);
  assert.equal(run.spec.backend, chosen, "the run trained on the backend chosen");
  if (chosen === "wasm") {
    // Nothing trains in the GPU Trainer tab: it is closed, and the next Train does not open it again.
    await page.locator(".tab", { hasText: "GPU Trainer" }).waitFor({ state: "detached", timeout: 30_000 });
    await session.runCommand("Lessons: Train Model");
    const again = await session.finishedRun(2, 300_000);
    assert.equal(again.status.status, "completed");
    assert.equal(await page.locator(".tab", { hasText: "GPU Trainer" }).count(), 0, "the second Train did not open the GPU Trainer tab");
    assert.equal(session.extensionLog().match(/The GPU Trainer tab is closed/g)?.length, 1, "the tab was opened and closed once");
  }

  await session.runCommand("Lessons: Show Training Backend");
  await page.locator(".notifications-toasts", { hasText: /measured \d[\d,]* images\/s/ }).waitFor({ timeout: 60_000 });
  await session.screenshot("show-training-backend-measured");
});
