/**
 * The GPU backends train the same model as the training process: with the same weights, webgl
 * and webgpu (in headless Chromium, on SwiftShader where there is no GPU) give the wasm
 * backend's class probabilities within GPU_PROBABILITY_TOLERANCE on real Fashion-MNIST images,
 * and one SGD step from the same weights on the same batch moves the weights the same way (the
 * gradient kernels: Conv2DBackpropFilter, Conv2DBackpropInput, MaxPoolGrad, MatMul).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { GPU_BACKENDS, GPU_PROBABILITY_TOLERANCE } from "../../src/protocol/gpuWebview";
import type { CompileSpec } from "../../src/protocol/modelSpec";
import { selectBackend } from "../../src/training/backends";
import { readIdxFile } from "../../src/training/datasets/idx";
import { GpuTrainingSession, type WeightValue } from "../../src/training/gpuTrainer";
import { introModel, lessonCompile } from "../../src/training/models";
import { DATA_DIRECTORY } from "./harness";
import { openGpuPage, type GpuPage, type PageGlobals } from "./gpu-browser";

const IMAGE_SHAPE: [number, number, number] = [28, 28, 1];
const IMAGE_BYTES = 28 * 28;
const COUNT = 64;
const MODEL = introModel(IMAGE_SHAPE);
/** Plain SGD, so that a weight's change is the gradient itself (Adam's first step is its sign). */
const SGD: CompileSpec = { ...lessonCompile(), optimizer: { name: "sgd", learning_rate: 0.01, momentum: 0 } };
/** Largest relative difference between the two backends' weight changes over one step. */
const STEP_TOLERANCE = 1e-3;

interface PlainWeight {
  shape: number[];
  values: number[];
}
const plain = (weights: WeightValue[]): PlainWeight[] => weights.map((w) => ({ shape: w.shape, values: [...w.values] }));

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** ‖Δa − Δb‖ / ‖Δb‖ over every weight, where Δ is the change from `start`. */
function relativeStepDifference(start: PlainWeight[], a: PlainWeight[], b: PlainWeight[]): number {
  let difference = 0;
  let reference = 0;
  start.forEach((weight, w) => {
    weight.values.forEach((value, i) => {
      const stepA = a[w]!.values[i]! - value;
      const stepB = b[w]!.values[i]! - value;
      difference += (stepA - stepB) ** 2;
      reference += stepB ** 2;
    });
  });
  return Math.sqrt(difference / reference);
}

describe("GPU backends against wasm, same weights", () => {
  let gpu: GpuPage;
  let images: number[];
  let labels: number[];
  let weights: PlainWeight[];
  let wasmProbabilities: Float32Array;
  let wasmAfterStep: PlainWeight[];

  before(async () => {
    const testImages = await readIdxFile(path.join(DATA_DIRECTORY, "fashion-mnist", "t10k-images-idx3-ubyte.gz"));
    const testLabels = await readIdxFile(path.join(DATA_DIRECTORY, "fashion-mnist", "t10k-labels-idx1-ubyte.gz"));
    const imageBytes = testImages.data.subarray(0, COUNT * IMAGE_BYTES);
    const labelBytes = testLabels.data.subarray(0, COUNT);
    images = [...imageBytes];
    labels = [...labelBytes];

    await selectBackend("wasm");
    // A few Adam steps first, so that the weights compared are trained ones, not the initial draw.
    const trained = new GpuTrainingSession({ model: MODEL, compile: lessonCompile(), imageShape: IMAGE_SHAPE, numClasses: 10 });
    for (let step = 0; step < 5; step++) await trained.trainBatch(imageBytes, labelBytes);
    const startWeights = await trained.getWeights();
    weights = plain(startWeights);
    wasmProbabilities = await trained.predict(imageBytes);
    trained.dispose();

    const stepped = new GpuTrainingSession({ model: MODEL, compile: SGD, imageShape: IMAGE_SHAPE, numClasses: 10 });
    stepped.setWeights(startWeights);
    await stepped.trainBatch(imageBytes, labelBytes);
    wasmAfterStep = plain(await stepped.getWeights());
    stepped.dispose();

    gpu = await openGpuPage();
  });

  after(async () => {
    await gpu?.close();
  });

  for (const backend of GPU_BACKENDS) {
    test(`${backend}: the same predictions, and the same step`, async (t) => {
      const start = await gpu.page.evaluate((name) => (globalThis as unknown as PageGlobals).dlGpu.startGpuBackend(name), backend);
      if (!start.loaded) {
        t.skip(`${backend} did not start here: ${start.reason}`);
        return;
      }
      const result = await gpu.page.evaluate(
        async ({ model, adam, sgd, imageShape, pixels, classes, startWeights }) => {
          const dl = (globalThis as unknown as PageGlobals).dlGpu;
          const bytes = Uint8Array.from(pixels);
          const labelBytes = Uint8Array.from(classes);
          const typed = startWeights.map((w) => ({ shape: w.shape, values: Float32Array.from(w.values) }));
          const predicting = new dl.GpuTrainingSession({ model, compile: adam, imageShape, numClasses: 10 });
          predicting.setWeights(typed);
          const probabilities = [...(await predicting.predict(bytes))];
          predicting.dispose();
          const stepping = new dl.GpuTrainingSession({ model, compile: sgd, imageShape, numClasses: 10 });
          stepping.setWeights(typed);
          await stepping.trainBatch(bytes, labelBytes);
          const afterStep = (await stepping.getWeights()).map((w) => ({ shape: w.shape, values: [...w.values] }));
          stepping.dispose();
          return { probabilities, afterStep, backend: dl.tf.getBackend() };
        },
        { model: MODEL, adam: lessonCompile(), sgd: SGD, imageShape: IMAGE_SHAPE, pixels: images, classes: labels, startWeights: weights },
      );
      assert.equal(result.backend, backend);
      const probabilityDifference = maxAbsDifference(result.probabilities, wasmProbabilities);
      t.diagnostic(`${backend} on ${start.device}: largest probability difference ${probabilityDifference.toExponential(2)}`);
      assert.ok(probabilityDifference <= GPU_PROBABILITY_TOLERANCE, `${backend} probabilities differ from wasm's by ${probabilityDifference}`);
      const stepDifference = relativeStepDifference(weights, result.afterStep, wasmAfterStep);
      t.diagnostic(`${backend}: relative difference of one SGD step ${stepDifference.toExponential(2)}`);
      assert.ok(stepDifference <= STEP_TOLERANCE, `${backend}'s weight update differs from wasm's by ${stepDifference} (relative)`);
    });
  }
});

test("a WebGL that renders only 16-bit float textures is refused, with the reason", async () => {
  const page = await openGpuPage();
  try {
    const start = await page.page.evaluate(async () => {
      const dl = (globalThis as unknown as PageGlobals).dlGpu;
      // What tfjs does on a GPU without 32-bit float render targets (flags_webgl.ts).
      dl.tf.env().set("WEBGL_FORCE_F16_TEXTURES", true);
      return dl.startGpuBackend("webgl");
    });
    assert.equal(start.loaded, false);
    assert.match(start.loaded ? "" : start.reason, /only 16-bit float textures/);
  } finally {
    await page.close();
  }
});
