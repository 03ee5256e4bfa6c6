/**
 * The GPU trainer's webview: TensorFlow.js on webgpu or webgl in this page, driven request by
 * request by the training process through the extension host (src/protocol/gpuWebview.ts). It
 * shows which GPU it runs on and how many steps it has taken; the numbers of the run are in the
 * Training Monitor, as for every backend.
 */
import * as v from "valibot";
import type { CompileSpec, ModelSpec } from "../../src/protocol/modelSpec";
import { GpuWebviewRequestSchema, type GpuWebviewMethod, type GpuWebviewRequest, type GpuWebviewResult, type WeightBytes } from "../../src/protocol/gpuWebview";
import { GpuTrainingSession } from "../../src/training/gpuTrainer";
import baseCss from "../shared/base.css";
import { adoptStyles, appRoot, h, render } from "../shared/dom";
import { startGpuBackend } from "./backend";

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

adoptStyles(baseCss);
const root = appRoot();
const api = acquireVsCodeApi();
const status = { backend: "No GPU backend started yet.", model: "", steps: 0 };
let session: GpuTrainingSession | undefined;

function draw(): void {
  render(
    root,
    h("h2", {}, "GPU trainer"),
    h("p", {}, status.backend),
    h("p", {}, status.model),
    h("p", {}, status.steps > 0 ? `${status.steps} training steps taken.` : ""),
    h("p", { class: "muted" }, "Keep this tab open while the model trains: training runs in it. The run's numbers are in the Training Monitor."),
  );
}

function fromBytes(weight: WeightBytes): { shape: number[]; values: Float32Array } {
  // A copy: the bytes of a structured-cloned message need not be 4-byte aligned.
  return { shape: weight.shape, values: new Float32Array(weight.bytes.slice().buffer) };
}

function currentSession(): GpuTrainingSession {
  if (!session) throw new Error("No model is open in the GPU trainer.");
  return session;
}

async function handle(request: GpuWebviewRequest): Promise<GpuWebviewResult<GpuWebviewMethod>> {
  switch (request.method) {
    case "start": {
      const start = await startGpuBackend(request.backend);
      status.backend = start.loaded ? `Training on ${request.backend}: ${start.device}.` : `${request.backend} could not start: ${start.reason}.`;
      return start;
    }
    case "open": {
      session?.dispose();
      session = undefined;
      const start = await startGpuBackend(request.backend);
      if (!start.loaded) throw new Error(`${request.backend} could not start: ${start.reason}`);
      // The specs were checked by the training process (src/training/spec.ts) before they were sent.
      const opened = new GpuTrainingSession({ model: request.model as unknown as ModelSpec, compile: request.compile as unknown as CompileSpec, imageShape: request.imageShape, numClasses: request.numClasses });
      if (request.weights) opened.setWeights(request.weights.map(fromBytes));
      session = opened;
      status.model = `Model "${(request.model as { name?: string }).name ?? "model"}", ${opened.parameterCount.toLocaleString("en-US")} parameters.`;
      status.steps = 0;
      return { parameters: opened.parameterCount };
    }
    case "trainBatch": {
      const trainer = currentSession();
      const values = await trainer.trainBatch(request.images, request.labels);
      status.steps++;
      return { values, finite: trainer.outputWeightsFinite() };
    }
    case "weights": {
      const weights = await currentSession().getWeights();
      return { weights: weights.map((weight) => ({ shape: weight.shape, bytes: new Uint8Array(weight.values.slice().buffer) })) };
    }
    case "close":
      session?.dispose();
      session = undefined;
      status.model = "";
      return null;
  }
}

/** One request at a time, in order: the training process waits for each answer anyway. */
let queue: Promise<void> = Promise.resolve();

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  const parsed = v.safeParse(GpuWebviewRequestSchema, event.data);
  if (!parsed.success) return;
  const request = parsed.output;
  queue = queue.then(async () => {
    try {
      const result = await handle(request);
      api.postMessage({ type: "gpuReply", id: request.id, ok: true, result });
    } catch (error) {
      api.postMessage({ type: "gpuReply", id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) });
    }
    if (request.method !== "trainBatch" || status.steps % 10 === 0) draw();
  });
});

draw();
api.postMessage({ type: "gpuReady" });
