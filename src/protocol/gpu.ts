/**
 * The training process's requests to the extension host for training on the learner's GPU: the
 * host answers each one by passing it to the GPU trainer's webview (`src/protocol/gpuWebview.ts`
 * there) and its answer back. JSON over the process's IPC channel, so bytes travel as base64.
 * Only the checked ModelSpec/CompileSpec and uint8 images cross; learner code never does.
 */
import { RequestType, RequestType0 } from "vscode-jsonrpc";
import type { CompileSpec, ModelSpec } from "./modelSpec";
import type { GpuBackendName, GpuBackendStart } from "./gpuWebview";

/** One weight of a model: its shape and its float32 values' bytes, base64. */
export interface EncodedWeight {
  shape: number[];
  base64: string;
}

export interface GpuOpenParams {
  /** The backend to train on (the webview switches to it if another one is active). */
  backend: GpuBackendName;
  model: ModelSpec;
  compile: CompileSpec;
  imageShape: [number, number, number];
  numClasses: number;
  /** Weights to start from, in `model.getWeights()` order; none: Keras's initialisers. */
  weights?: EncodedWeight[];
}

export interface GpuTrainBatchParams {
  /** `count × height × width × channels` uint8 pixels, base64. */
  images: string;
  /** `count` uint8 class indices, base64. */
  labels: string;
}

export interface GpuTrainBatchResult {
  /** The loss, then the compiled metrics, as `trainOnBatch` returns them; JSON sends NaN as null. */
  values: (number | null)[];
  /** Whether the output layer's weights are still finite numbers after the step. */
  finite: boolean;
}

export const GpuMethods = {
  /** Starts a backend in the webview (opening it first when needed). */
  start: new RequestType<{ backend: GpuBackendName }, GpuBackendStart, void>("gpu/start"),
  /** Builds and compiles the model there, replacing the one before. */
  open: new RequestType<GpuOpenParams, { parameters: number }, void>("gpu/open"),
  trainBatch: new RequestType<GpuTrainBatchParams, GpuTrainBatchResult, void>("gpu/trainBatch"),
  /** The model's weights as they are now. */
  weights: new RequestType0<{ weights: EncodedWeight[] }, void>("gpu/weights"),
  /** Frees the model and its GPU memory. */
  close: new RequestType0<null, void>("gpu/close"),
  /** Closes the GPU Trainer tab: `auto` measured a CPU backend faster, so nothing will train there. */
  release: new RequestType0<null, void>("gpu/release"),
} as const;
