/**
 * Training on the learner's GPU through TensorFlow.js's webgl and webgpu backends, which run in a
 * browser: a webview that the extension host keeps alive while it trains. These are the facts
 * about it that every side shares (the training process, the host and the webview). Plain data
 * only: the learner's code never crosses, only the checked ModelSpec/CompileSpec.
 */

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
