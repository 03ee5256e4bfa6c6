/**
 * BatchMatMul for the wasm backend that never asks the backend to transpose an operand. The
 * backend runs XNNPACK only for the plain product; with `transposeA` or `transposeB` it falls back
 * to a loop that is about ten times slower (measured on the Dense layers' weight and input
 * gradients). Transposing the operand first with the backend's Transpose and multiplying plainly
 * gives the same numbers faster.
 */
import * as tf from "@tensorflow/tfjs-core";
import { compose } from "./compose";

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

export function batchMatMulKernel(backendName: string, plain: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName,
    // The backend binds its own kernel to the wasm module in this hook.
    ...(plain.setupFunc ? { setupFunc: plain.setupFunc } : {}),
    kernelFunc: (args) => {
      const { inputs, backend, attrs = {} } = args;
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
