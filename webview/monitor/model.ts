/** Pure view-model of the training monitor (no DOM), unit-tested. */
import type { MonitorRunState } from "../../src/protocol/panels";
import { findAccuracyMetric, runProgress } from "../../src/protocol/panels";
import type { BackendReport } from "../../src/protocol/training";

const backendNames: Record<BackendReport["active"], string> = {
  "tensorflow-gpu": "TensorFlow GPU (CUDA)",
  webgpu: "WebGPU (GPU)",
  webgl: "WebGL (GPU)",
  tensorflow: "TensorFlow native CPU",
  wasm: "WebAssembly (SIMD)",
  cpu: "Plain JavaScript CPU",
};

export function backendTitle(report: BackendReport): string {
  // The GPU's own name, for the backends that run on one.
  const device = report.active === "webgpu" || report.active === "webgl" ? report.attempts.find((a) => a.backend === report.active)?.detail : undefined;
  return device ? `${backendNames[report.active]}: ${device}` : backendNames[report.active];
}

/** One line per backend that was tried and did not load, e.g. "TensorFlow GPU (CUDA): no CUDA". */
export function backendFallbacks(report: BackendReport): string[] {
  return report.attempts.filter((a) => !a.loaded).map((a) => `${backendNames[a.backend]}: ${a.reason ?? "did not load"}`);
}

/** Overall progress of a training run, 0..1, counting finished batches of every epoch. */
export function overallProgress(state: Extract<MonitorRunState, { kind: "training" }>): number {
  return runProgress(state.epoch, state.epochs, state.batch, state.batchesPerEpoch);
}

export interface MetricReadout {
  name: string;
  value: number | undefined;
  kind: "loss" | "accuracy";
}

/** The four numbers the monitor shows: live loss and accuracy, and the last epoch's validation ones. */
export function metricReadouts(live: Record<string, number>, lastEpoch: Record<string, number> | undefined): MetricReadout[] {
  const epochMetrics = lastEpoch ?? {};
  const accuracy = findAccuracyMetric(Object.keys(live), false) ?? findAccuracyMetric(Object.keys(epochMetrics), false);
  const valAccuracy = findAccuracyMetric(Object.keys(epochMetrics), true);
  return [
    { name: "loss", value: live["loss"] ?? epochMetrics["loss"], kind: "loss" },
    { name: "accuracy", value: accuracy === undefined ? undefined : (live[accuracy] ?? epochMetrics[accuracy]), kind: "accuracy" },
    { name: "val_loss", value: epochMetrics["val_loss"], kind: "loss" },
    { name: "val_accuracy", value: valAccuracy === undefined ? undefined : epochMetrics[valAccuracy], kind: "accuracy" },
  ];
}
