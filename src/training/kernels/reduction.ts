/**
 * Sum over the leading axes for the wasm backend: the bias gradient of every Conv2D and Dense
 * layer (sum over batch, height and width, keeping the channels). The backend's Sum reduces only
 * innermost axes, gets there with a general n-dimensional Transpose of the whole input, and adds
 * all 28,800 rows of the lesson's first layer one after the other in float32 (off by 5e-4 from
 * the cpu backend). Seen as a matrix [rows, channels], a two-dimensional Transpose is about twice
 * as fast, and summing blocks of about √rows first, then the block sums, keeps the error small.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { compose } from "./compose";
import { heapOffset, simdKernelsFor } from "./simd";

/** The largest divisor of `n` not above √n (1 for a prime). */
function blockLength(n: number): number {
  for (let length = Math.floor(Math.sqrt(n)); length > 1; length--) if (n % length === 0) return length;
  return 1;
}

/** `simd`: float32 sums in one pass of WebAssembly SIMD (wasm/training_kernels.c) when it loads. */
export function sumKernel(general: tf.KernelConfig, simd = true): tf.KernelConfig {
  return {
    kernelName: tf.Sum,
    backendName: "wasm",
    // The backend binds its own kernel to the wasm module in this hook.
    ...(general.setupFunc ? { setupFunc: general.setupFunc } : {}),
    kernelFunc: (args) => {
      const x = args.inputs["x"]!;
      const rank = x.shape.length;
      const axes = tf.util.parseAxisParam(args.attrs?.["axis"] as number | number[], x.shape).sort((a, b) => a - b);
      const leading = axes.length > 0 && axes.length < rank && axes.every((axis, i) => axis === i);
      if (!leading) return general.kernelFunc(args);
      const keptShape = x.shape.slice(axes.length);
      const columns = tf.util.sizeFromShape(keptShape);
      const rows = tf.util.sizeFromShape(x.shape) / columns;
      const block = blockLength(rows);
      const outShape = args.attrs?.["keepDims"] ? [...axes.map(() => 1), ...keptShape] : keptShape;
      const kernels = simd && x.dtype === "float32" ? simdKernelsFor(args.backend as BackendWasm) : undefined;
      if (kernels && !(kernels instanceof Error)) {
        const wasm = args.backend as BackendWasm;
        const out = wasm.makeOutput(outShape, "float32");
        kernels.sumLeading(heapOffset(wasm, x), heapOffset(wasm, out), rows, columns);
        return out;
      }
      return compose("wasm", args.backend as tf.KernelBackend, (k) => {
        const matrix = k.run(tf.Reshape, { x }, { shape: [rows, columns] });
        const byColumn = k.run(tf.Transpose, { x: matrix }, { perm: [1, 0] });
        const blocks = k.run(tf.Reshape, { x: byColumn }, { shape: [columns, rows / block, block] });
        const blockSums = k.run(tf.Sum, { x: blocks }, { axis: [2], keepDims: false });
        const sums = k.run(tf.Sum, { x: blockSums }, { axis: [1], keepDims: false });
        return k.run(tf.Reshape, { x: sums }, { shape: outShape });
      });
    },
  };
}
