/**
 * A fused Adam update for the wasm backend. tfjs-core's AdamOptimizer.applyGradients runs about
 * a dozen elementwise kernels per variable (each a pass over memory and a new tensor); on the
 * lesson's model they take several milliseconds of a step. Here one kernel, `FusedAdamUpdate`
 * (WebAssembly SIMD, wasm/training_kernels.c), computes the new value and both moments in one
 * pass with the same float32 arithmetic in the same order.
 *
 * Where that module does not load, the same arithmetic runs as a JavaScript loop over the heap,
 * rounded to float32 at each operation. `FusedAdamOptimizer` (fusedAdamOptimizer.ts, free of
 * Node modules since the GPU webview builds models too) is the Adam that kerasToTfjs.ts builds
 * where this kernel is registered.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { FUSED_ADAM_UPDATE, type FusedAdamAttrs } from "./fusedAdamOptimizer";
import { heapOffset, simdKernelsFor } from "./simd";

export function fusedAdamKernel(): tf.KernelConfig {
  return {
    kernelName: FUSED_ADAM_UPDATE,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const kernels = simdKernelsFor(wasm);
      const { x, m, v, g } = inputs as Record<"x" | "m" | "v" | "g", tf.TensorInfo>;
      const a = attrs as unknown as FusedAdamAttrs;
      const outputs = [wasm.makeOutput(x!.shape, "float32"), wasm.makeOutput(x!.shape, "float32"), wasm.makeOutput(x!.shape, "float32")];
      if (kernels instanceof Error) {
        // Views are taken after the allocations: growing the wasm memory detaches older ones.
        const [xs, ms, vs, gs, xOut, mOut, vOut] = [x!, m!, v!, g!, ...outputs].map((info) => wasm.typedArrayFromHeap(info) as Float32Array);
        adamInJavaScript(xs!, ms!, vs!, gs!, xOut!, mOut!, vOut!, a);
        return outputs;
      }
      kernels.adamUpdate(
        ...[x!, m!, v!, g!, ...outputs].map((info) => heapOffset(wasm, info)),
        tf.util.sizeFromShape(x!.shape),
        ...[a.beta1, a.beta2, 1 - a.beta1, 1 - a.beta2, a.c1, a.c2, a.epsilon, a.learningRate],
      );
      return outputs;
    },
  };
}

/** adam_update of wasm/training_kernels.c in JavaScript, each operation rounded to float32 as there. */
export function adamInJavaScript(x: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, xOut: Float32Array, mOut: Float32Array, vOut: Float32Array, a: FusedAdamAttrs): void {
  const f = Math.fround;
  const [beta1, beta2, oneMinusBeta1, oneMinusBeta2, c1, c2, epsilon, step] = [a.beta1, a.beta2, 1 - a.beta1, 1 - a.beta2, a.c1, a.c2, a.epsilon, -a.learningRate].map(f) as number[];
  for (let i = 0; i < x.length; i++) {
    const gi = g[i]!;
    const mi = f(f(m[i]! * beta1!) + f(gi * oneMinusBeta1!));
    const vi = f(f(v[i]! * beta2!) + f(f(gi * gi) * oneMinusBeta2!));
    const update = f(f(f(mi / c1!) / f(f(Math.sqrt(f(vi / c2!))) + epsilon!)) * step!);
    xOut[i] = f(update + x[i]!);
    mOut[i] = mi;
    vOut[i] = vi;
  }
}
