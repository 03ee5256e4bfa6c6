/**
 * `auto`'s choice between the GPU (the webview's webgpu and webgl) and the process's own backend,
 * by measurement: the first time a model trains with `auto` while a GPU backend has loaded, a few
 * steps of that model at its batch size run on each, on made-up uint8 images, and the fastest
 * is kept for the rest of the process's life (shown with its speed in the backend report) and, in
 * the data folder, for the next window on the same machine (calibrationStore.ts). A laptop's
 * integrated GPU can be slower than its CPU on a small model; only a clock can tell.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { CompileSpec, ModelSpec } from "../protocol/modelSpec";
import type { BackendName, BackendReport } from "../protocol/training";
import { isGpuBackend, lastCalibration, recordCalibration, selectBackend } from "./backends";
import { keepCalibration, loadKeptCalibration } from "./calibrationStore";
import type { ImageSet } from "./datasets/types";
import { releaseGpuHost, RemoteGpuTrainer, startGpuBackendOnHost } from "./gpuRelay";
import { GpuTrainingSession } from "./gpuTrainer";
import { compileModel } from "./kerasToTfjs";

/** Steps not timed (shader compilation, buffer pools), then timed ones. */
const WARMUP_STEPS = 2;
const TIMED_STEPS = 3;

export interface CalibrationProbe {
  model: ModelSpec;
  compile: CompileSpec;
  imageShape: [number, number, number];
  numClasses: number;
  batchSize: number;
}

/** One batch of made-up images: what is measured is speed, not learning. */
function probeBatch(probe: CalibrationProbe): ImageSet {
  const size = probe.imageShape[0] * probe.imageShape[1] * probe.imageShape[2];
  const images = Uint8Array.from({ length: probe.batchSize * size }, (_, i) => ((i * 2654435761) >>> 24) & 255);
  const labels = Uint8Array.from({ length: probe.batchSize }, (_, i) => i % probe.numClasses);
  return { images, labels, count: probe.batchSize };
}

async function timed(step: () => Promise<unknown>, batchSize: number): Promise<number> {
  for (let i = 0; i < WARMUP_STEPS; i++) await step();
  const start = performance.now();
  for (let i = 0; i < TIMED_STEPS; i++) await step();
  return (batchSize * TIMED_STEPS * 1000) / (performance.now() - start);
}

/** Images/s of the process's own backend, the one active now. */
async function measureLocal(probe: CalibrationProbe, batch: ImageSet): Promise<number> {
  const session = new GpuTrainingSession(probe);
  try {
    return await timed(() => session.trainBatch(batch.images, batch.labels), probe.batchSize);
  } finally {
    session.dispose();
  }
}

async function measureGpu(backend: "webgpu" | "webgl", probe: CalibrationProbe, batch: ImageSet): Promise<number | string> {
  const start = await startGpuBackendOnHost(backend);
  if (!start.loaded) return start.reason;
  const local = compileModel(probe.model, probe.compile);
  try {
    const remote = await RemoteGpuTrainer.open({ ...probe, backend, local: local.model });
    const indices = Int32Array.from({ length: batch.count }, (_, i) => i);
    try {
      return await timed(() => remote.trainBatch(batch, indices), probe.batchSize);
    } finally {
      await remote.close();
    }
  } finally {
    local.model.dispose();
    local.optimizer.dispose();
  }
}

/**
 * The report `auto` trains with: `report` as it is when nothing needs measuring (no GPU backend
 * loaded, or measured before), else the fastest measured. Each measurement that fails leaves
 * that backend out, never the run.
 */
export async function calibrateAuto(
  report: BackendReport,
  probe: CalibrationProbe,
  log: (message: string) => void = () => undefined,
  /** Where the measurement is kept between windows (the data folder); none: measure once per process. */
  keepIn?: string,
): Promise<BackendReport> {
  // WebGL first: it is the one every editor has, and on SwiftShader a WebGPU step that failed
  // took the page's WebGL context down with it.
  const gpus = report.attempts
    .filter((a) => a.loaded && isGpuBackend(a.backend))
    .map((a) => a.backend as "webgpu" | "webgl")
    .sort((a, b) => (a === "webgl" ? -1 : b === "webgl" ? 1 : 0));
  const own = report.attempts.find((a) => a.loaded && !isGpuBackend(a.backend))?.backend;
  if (gpus.length === 0 || own === undefined || lastCalibration()) return report;
  const kept = keepIn === undefined ? undefined : await loadKeptCalibration(keepIn, report);
  if (kept) {
    recordCalibration(kept);
    log(`Measured before on this machine: ${describeSpeeds(kept.imagesPerSecond)}; training on ${kept.chosen}.`);
    return reportChoice(kept.chosen);
  }
  const batch = probeBatch(probe);
  const imagesPerSecond: Partial<Record<BackendName, number>> = {};
  const ownBackend = tf.getBackend();
  imagesPerSecond[own] = await measureLocal(probe, batch);
  for (const backend of gpus) {
    try {
      const measured = await measureGpu(backend, probe, batch);
      if (typeof measured === "number") imagesPerSecond[backend] = measured;
      else log(`${backend} was left out of the measurement: ${measured}`);
    } catch (error) {
      log(`${backend} was left out of the measurement: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Measuring never changes the process's own backend, but a failed start could have.
  if (tf.getBackend() !== ownBackend) await tf.setBackend(ownBackend);
  const chosen = (Object.entries(imagesPerSecond) as [BackendName, number][]).reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
  recordCalibration({ imagesPerSecond, chosen });
  log(`Measured ${describeSpeeds(imagesPerSecond)}: training on ${chosen}.`);
  const notKept = keepIn === undefined ? undefined : await keepCalibration(keepIn, report, { imagesPerSecond, chosen });
  if (notKept) log(`Note: ${notKept}.`);
  return reportChoice(chosen);
}

/**
 * The report again, now with the speeds and the choice; a chosen GPU backend is started last.
 * A CPU backend chosen, the GPU Trainer tab has nothing to do: it is closed, and later Trains of
 * this process report the GPUs as measured without opening it again.
 */
async function reportChoice(chosen: BackendName): Promise<BackendReport> {
  if (!isGpuBackend(chosen)) await releaseGpuHost();
  return selectBackend("auto");
}

function describeSpeeds(imagesPerSecond: Partial<Record<BackendName, number>>): string {
  return Object.entries(imagesPerSecond).map(([name, speed]) => `${name} ${Math.round(speed)} images/s`).join(", ");
}
