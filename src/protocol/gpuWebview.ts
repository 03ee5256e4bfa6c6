/**
 * Training on the learner's GPU through TensorFlow.js's webgl and webgpu backends, which run in a
 * browser: a webview that the extension host keeps alive while it trains. The facts every side
 * shares, and the messages between the host and that webview, as valibot schemas (the host
 * parses what the webview sends, the webview what the host sends). Bytes cross as Uint8Array,
 * which VS Code passes to and from webviews without turning them into text.
 */
import * as v from "valibot";

/** The TensorFlow.js backends that run on a GPU inside a webview. */
export const GPU_BACKENDS = ["webgpu", "webgl"] as const;
export type GpuBackendName = (typeof GPU_BACKENDS)[number];

/** What a webview found when it started one GPU backend. */
export type GpuBackendStart =
  | {
      backend: GpuBackendName;
      loaded: true;
      /** The GPU's own name: WebGPU's adapter info, or WebGL's UNMASKED_RENDERER string. */
      device: string;
    }
  | { backend: GpuBackendName; loaded: false; reason: string };

/**
 * Largest difference allowed between the class probabilities a GPU backend and the wasm backend
 * give for the same weights and images (float32 throughout, but the GPU sums in another order and
 * its exp/log differ in the last bits). Held by test/integration/gpu-numerics.test.ts.
 */
export const GPU_PROBABILITY_TOLERANCE = 1e-4;

const backendName = v.picklist(GPU_BACKENDS);
const shape = v.array(v.pipe(v.number(), v.integer(), v.minValue(0)));
const bytes = v.instance(Uint8Array);
const specObject = v.looseObject({});

/** A weight as the webview holds it: shape, and the float32 values' bytes. */
export const WeightBytesSchema = v.object({ shape, bytes });
export type WeightBytes = v.InferOutput<typeof WeightBytesSchema>;

/** Host → webview: one request, answered by a `gpuReply` with the same id. */
export const GpuWebviewRequestSchema = v.variant("method", [
  v.object({ type: v.literal("gpuRequest"), id: v.number(), method: v.literal("start"), backend: backendName }),
  v.object({
    type: v.literal("gpuRequest"),
    id: v.number(),
    method: v.literal("open"),
    backend: backendName,
    // Checked by the training process before it sent them (src/training/spec.ts).
    model: specObject,
    compile: specObject,
    imageShape: v.tuple([v.number(), v.number(), v.number()]),
    numClasses: v.pipe(v.number(), v.integer(), v.minValue(1)),
    weights: v.optional(v.array(WeightBytesSchema)),
  }),
  v.object({ type: v.literal("gpuRequest"), id: v.number(), method: v.literal("trainBatch"), images: bytes, labels: bytes }),
  v.object({ type: v.literal("gpuRequest"), id: v.number(), method: v.literal("weights") }),
  v.object({ type: v.literal("gpuRequest"), id: v.number(), method: v.literal("close") }),
]);
export type GpuWebviewRequest = v.InferOutput<typeof GpuWebviewRequestSchema>;
export type GpuWebviewMethod = GpuWebviewRequest["method"];

export const GpuBackendStartSchema = v.variant("loaded", [
  v.object({ backend: backendName, loaded: v.literal(true), device: v.string() }),
  v.object({ backend: backendName, loaded: v.literal(false), reason: v.string() }),
]);

/** What each request's successful reply carries. */
export const GpuWebviewResultSchemas = {
  start: GpuBackendStartSchema,
  open: v.object({ parameters: v.number() }),
  // A diverged step's loss is NaN, which v.number() refuses.
  trainBatch: v.object({ values: v.array(v.union([v.number(), v.nan()])), finite: v.boolean() }),
  weights: v.object({ weights: v.array(WeightBytesSchema) }),
  close: v.null(),
} satisfies Record<GpuWebviewMethod, v.GenericSchema>;
export type GpuWebviewResult<M extends GpuWebviewMethod> = v.InferOutput<(typeof GpuWebviewResultSchemas)[M]>;

/** Webview → host. `gpuReady`: the page is loaded and listening. */
export const GpuWebviewMessageSchema = v.variant("type", [
  v.object({ type: v.literal("gpuReady") }),
  v.object({ type: v.literal("gpuReply"), id: v.number(), ok: v.literal(true), result: v.unknown() }),
  v.object({ type: v.literal("gpuReply"), id: v.number(), ok: v.literal(false), message: v.string() }),
]);
export type GpuWebviewMessage = v.InferOutput<typeof GpuWebviewMessageSchema>;
