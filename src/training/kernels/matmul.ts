/**
 * BatchMatMul for the wasm backend that never asks the backend to transpose an operand. The
 * backend runs XNNPACK only for the plain product; with `transposeA` or `transposeB` it falls back
 * to a loop that is about ten times slower (measured on the Dense layers' weight and input
 * gradients). Transposing the operand first with the backend's Transpose and multiplying plainly
 * gives the same numbers faster. With `simd` on one thread, every float32 product with at most
 * one operand transposed and no broadcasting between batches is one pass of WebAssembly SIMD
 * (wasm/training_kernels.c `matmul`) that reads the transposed operand in place.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { compose } from "./compose";
import { heapOffset, simdKernelsFor, singleThreaded } from "./simd";

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** The SIMD product into a new tensor, or undefined where it does not apply (the caller runs another). */
function simdProduct(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean, backend: BackendWasm): tf.TensorInfo | undefined {
  if ((transposeA && transposeB) || a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2 || !singleThreaded(backend)) return undefined;
  const kernels = simdKernelsFor(backend);
  if (kernels instanceof Error) return undefined;
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  const batch = tf.util.sizeFromShape(aOuter);
  if (batch !== tf.util.sizeFromShape(bOuter)) return undefined;
  const [aRows, aColumns] = a.shape.slice(-2) as [number, number];
  const [bRows, bColumns] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [aColumns, aRows] : [aRows, aColumns];
  const [kB, n] = transposeB ? [bColumns, bRows] : [bRows, bColumns];
  // The backend's own kernel says what is wrong with a product that does not fit.
  if (k !== kB) return undefined;
  const outShape = [...tf.backend_util.assertAndGetBroadcastShape(aOuter, bOuter), m, n];
  const out = backend.makeOutput(outShape, "float32");
  kernels.matmul(heapOffset(backend, a), heapOffset(backend, b), heapOffset(backend, out), batch, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0);
  return out;
}

export function batchMatMulKernel(backendName: string, plain: tf.KernelConfig, simd = false): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName,
    // The backend binds its own kernel to the wasm module in this hook.
    ...(plain.setupFunc ? { setupFunc: plain.setupFunc } : {}),
    kernelFunc: (args) => {
      const { inputs, backend, attrs = {} } = args;
      const product = simd ? simdProduct(inputs["a"]!, inputs["b"]!, Boolean(attrs["transposeA"]), Boolean(attrs["transposeB"]), backend as BackendWasm) : undefined;
      if (product) return product;
      if (!attrs["transposeA"] && !attrs["transposeB"]) return plain.kernelFunc(args);
      return compose(backendName, backend as tf.KernelBackend, (k) => {
        const upright = (operand: tf.TensorInfo, transposed: unknown) => (transposed ? k.run(tf.Transpose, { x: operand }, { perm: swapLastTwo(operand.shape.length) }) : operand);
        const a = upright(inputs["a"]!, attrs["transposeA"]);
        const b = upright(inputs["b"]!, attrs["transposeB"]);
        // The registered kernel is this one, which hands a product without transposes to `plain`.
        return k.run(tf.BatchMatMul, { a, b }, { ...attrs, transposeA: false, transposeB: false });
      });
    },
  };
}
