/**
 * `npm run bench:gpu`: training throughput of the lesson's intro model (32×32×3, Adam) on the
 * GPU backends a webview offers, TensorFlow.js's webgl and webgpu in headless Chromium, beside
 * the wasm backend of the training process, at batch sizes 32 and 128, in one run. Every backend
 * runs the same trainer (`src/training/gpuTrainer.ts`) on the same uint8 images. Without a GPU,
 * Chromium renders in software (SwiftShader) and the GPU numbers are a correctness run, not a
 * speed one: the device each ran on is printed beside its numbers.
 *
 *   npm run bench:gpu -- [--steps N] [--batches 32,128] [--backends webgl,webgpu,wasm]
 */
import * as tf from "@tensorflow/tfjs-core";
import { selectBackend } from "../src/training/backends";
import { GpuTrainingSession } from "../src/training/gpuTrainer";
import { introModel, lessonCompile } from "../src/training/models";
import { TRAINING_THREADS_ENV } from "../src/protocol/training";
import { openGpuPage, type PageGlobals } from "../test/integration/gpu-browser";

const args = process.argv.slice(2);
function option(name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}
const steps = Number(option("--steps")) || 5;
const batchSizes = (option("--batches") ?? "32,128").split(",").map(Number);
const backends = (option("--backends") ?? "webgl,webgpu,wasm").split(",");
const WARMUP_STEPS = 2;
const IMAGE_SHAPE: [number, number, number] = [32, 32, 3];

interface Measurement {
  backend: string;
  device: string;
  batchSize: number;
  imagesPerSecond?: number;
  msPerStep?: number;
  finalLoss?: number;
  failure?: string;
}

/** Deterministic images and labels (the same bytes in Node and in the page). */
function images(batchSize: number): { images: Uint8Array; labels: Uint8Array } {
  const size = IMAGE_SHAPE[0] * IMAGE_SHAPE[1] * IMAGE_SHAPE[2];
  return {
    images: Uint8Array.from({ length: batchSize * size }, (_, i) => ((i * 2654435761) >>> 24) & 255),
    labels: Uint8Array.from({ length: batchSize }, (_, i) => (i * 7) % 10),
  };
}

/** Warm-up steps (shader compilation, buffer pools), then `steps` timed ones. */
async function timeSteps(session: GpuTrainingSession, batch: { images: Uint8Array; labels: Uint8Array }, stepCount: number, warmup: number): Promise<{ msPerStep: number; finalLoss: number }> {
  for (let i = 0; i < warmup; i++) await session.trainBatch(batch.images, batch.labels);
  const start = performance.now();
  let loss = Number.NaN;
  for (let i = 0; i < stepCount; i++) loss = (await session.trainBatch(batch.images, batch.labels))[0]!;
  return { msPerStep: (performance.now() - start) / stepCount, finalLoss: loss };
}

async function measureInBrowser(backend: "webgl" | "webgpu"): Promise<Measurement[]> {
  const gpu = await openGpuPage();
  try {
    const start = await gpu.page.evaluate((name) => (globalThis as unknown as PageGlobals).dlGpu.startGpuBackend(name), backend);
    if (!start.loaded) return batchSizes.map((batchSize) => ({ backend, device: "-", batchSize, failure: start.reason }));
    const results: Measurement[] = [];
    for (const batchSize of batchSizes) {
      const batch = images(batchSize);
      // Typed arrays cross page.evaluate as plain arrays; the page makes its own bytes from them.
      const timing = await gpu.page.evaluate(
        async ({ model, compile, imageShape, pixels, labels, stepCount, warmup }) => {
          const dl = (globalThis as unknown as PageGlobals).dlGpu;
          const session = new dl.GpuTrainingSession({ model, compile, imageShape, numClasses: 10 });
          const batchBytes = { images: Uint8Array.from(pixels), labels: Uint8Array.from(labels) };
          for (let i = 0; i < warmup; i++) await session.trainBatch(batchBytes.images, batchBytes.labels);
          const begin = performance.now();
          let loss = Number.NaN;
          for (let i = 0; i < stepCount; i++) loss = (await session.trainBatch(batchBytes.images, batchBytes.labels))[0]!;
          const msPerStep = (performance.now() - begin) / stepCount;
          session.dispose();
          return { msPerStep, finalLoss: loss };
        },
        { model: introModel(IMAGE_SHAPE), compile: lessonCompile(), imageShape: IMAGE_SHAPE, pixels: [...batch.images], labels: [...batch.labels], stepCount: steps, warmup: WARMUP_STEPS },
      );
      results.push({ backend, device: start.device, batchSize, ...timing, imagesPerSecond: (batchSize * 1000) / timing.msPerStep });
    }
    return results;
  } catch (error) {
    return batchSizes.map((batchSize) => ({ backend, device: "-", batchSize, failure: error instanceof Error ? error.message.split("\n")[0]! : String(error) }));
  } finally {
    await gpu.close();
  }
}

async function measureWasm(): Promise<Measurement[]> {
  // One thread unless asked otherwise: the number the training process gets on a two-core machine.
  process.env[TRAINING_THREADS_ENV] ??= "1";
  const report = await selectBackend("wasm");
  const device = `training process, ${report.attempts.at(-1)?.detail ?? "wasm"}`;
  const results: Measurement[] = [];
  for (const batchSize of batchSizes) {
    const session = new GpuTrainingSession({ model: introModel(IMAGE_SHAPE), compile: lessonCompile(), imageShape: IMAGE_SHAPE, numClasses: 10 });
    const timing = await timeSteps(session, images(batchSize), Math.max(steps, 20), WARMUP_STEPS);
    session.dispose();
    results.push({ backend: "wasm", device, batchSize, ...timing, imagesPerSecond: (batchSize * 1000) / timing.msPerStep });
  }
  return results;
}

async function main(): Promise<void> {
  console.log(`Intro model (32×32×3, Adam), ${steps} timed steps after ${WARMUP_STEPS} warm-up ones (wasm: at least 20), batch sizes ${batchSizes.join(", ")}`);
  const measurements: Measurement[] = [];
  for (const backend of backends) {
    if (backend === "webgl" || backend === "webgpu") measurements.push(...(await measureInBrowser(backend)));
    else if (backend === "wasm") measurements.push(...(await measureWasm()));
    else console.log(`unknown backend '${backend}' skipped`);
  }
  const wasmSpeed = new Map(measurements.filter((m) => m.backend === "wasm" && m.imagesPerSecond).map((m) => [m.batchSize, m.imagesPerSecond!]));
  console.log("");
  console.log(["backend".padEnd(8), "batch".padStart(5), "images/s".padStart(9), "ms/step".padStart(9), "× wasm".padStart(7), "loss".padStart(7), "  device"].join(" "));
  for (const m of measurements) {
    if (m.failure) {
      console.log(`${m.backend.padEnd(8)} ${String(m.batchSize).padStart(5)}  failed: ${m.failure}`);
      continue;
    }
    const ratio = wasmSpeed.get(m.batchSize);
    console.log(
      [
        m.backend.padEnd(8),
        String(m.batchSize).padStart(5),
        m.imagesPerSecond!.toFixed(0).padStart(9),
        m.msPerStep!.toFixed(1).padStart(9),
        (ratio ? (m.imagesPerSecond! / ratio).toFixed(2) : "-").padStart(7),
        m.finalLoss!.toFixed(3).padStart(7),
        ` ${m.device}`,
      ].join(" "),
    );
  }
  tf.disposeVariables();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
