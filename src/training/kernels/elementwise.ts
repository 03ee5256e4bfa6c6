/**
 * Elementwise kernels for the wasm backend, each one pass of WebAssembly SIMD
 * (wasm/training_kernels.c):
 *   - Add when one operand is a vector along the other's last axis: how tfjs-layers adds a
 *     Conv2D or Dense layer's bias. The backend runs every broadcasting Add as a general
 *     n-dimensional loop (about 0.9 ms for the lesson's first layer, six times its same-shape
 *     Add). Every other Add is the backend's own.
 *   - the ReLU gradient (reluGradient.ts says when it runs).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { FUSED_RELU_GRAD } from "./reluGradient";
import { heapOffset, simdKernelsFor } from "./simd";

/** Whether `vector` holds one value per entry of `matrix`'s last axis, and nothing else. */
function alongLastAxis(matrix: number[], vector: number[]): boolean {
  const columns = matrix[matrix.length - 1];
  if (matrix.length < 2 || vector.length === 0 || vector.length > matrix.length || vector[vector.length - 1] !== columns) return false;
  return vector.slice(0, -1).every((size) => size === 1);
}

export function biasAddKernel(general: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Add,
    backendName: "wasm",
    // The backend binds its own kernel to the wasm module in this hook.
    ...(general.setupFunc ? { setupFunc: general.setupFunc } : {}),
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const wasm = args.backend as BackendWasm;
      const [matrix, vector] = alongLastAxis(a.shape, b.shape) ? [a, b] : alongLastAxis(b.shape, a.shape) ? [b, a] : [];
      const kernels = matrix && vector && a.dtype === "float32" && b.dtype === "float32" ? simdKernelsFor(wasm) : undefined;
      if (!matrix || !vector || !kernels || kernels instanceof Error) return general.kernelFunc(args);
      const columns = matrix.shape[matrix.shape.length - 1]!;
      const out = wasm.makeOutput(matrix.shape, "float32");
      // Float addition commutes exactly, so which operand came first does not matter.
      kernels.addRowVector(heapOffset(wasm, matrix), heapOffset(wasm, vector), heapOffset(wasm, out), tf.util.sizeFromShape(matrix.shape) / columns, columns);
      return out;
    },
  };
}

/** dY · step(X) in one pass (reluGradient.ts); without the SIMD module, tfjs-core's three kernels. */
export function fusedReluGradKernel(): tf.KernelConfig {
  return {
    kernelName: FUSED_RELU_GRAD,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => {
      const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
      const wasm = backend as BackendWasm;
      const kernels = simdKernelsFor(wasm);
      if (kernels instanceof Error || !tf.util.arraysEqual(dy.shape, x.shape)) {
        // The backend's own kernels, as tfjs-core's gradient runs them.
        const run = (name: string, kernelInputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}) => tf.getKernel(name, "wasm")!.kernelFunc({ inputs: kernelInputs, backend, attrs }) as tf.TensorInfo;
        const mask = run(tf.Step, { x }, { alpha: 0 });
        try {
          return run(tf.Multiply, { a: dy, b: mask });
        } finally {
          wasm.disposeData(mask.dataId);
        }
      }
      const dx = wasm.makeOutput(x.shape, "float32");
      kernels.reluGrad(heapOffset(wasm, dy), heapOffset(wasm, x), heapOffset(wasm, dx), tf.util.sizeFromShape(x.shape));
      return dx;
    },
  };
}
