/**
 * The ReLU gradient in one kernel where the backend has `FusedReluGrad` (wasm with the SIMD
 * kernels, elementwise.ts): tfjs-core's gradient runs Step, Cast and Multiply, three kernels and
 * two intermediate tensors per ReLU layer per step. Elsewhere, and for any dtype but float32,
 * the gradient is tfjs-core's own formula (gradients/Relu_grad.ts). No Node imports: the
 * gradient registry is shared by every backend.
 */
import * as tf from "@tensorflow/tfjs-core";

export const FUSED_RELU_GRAD = "FusedReluGrad";

let registered = false;

/** Registers the Relu gradient once per process (it replaces tfjs-core's, with the same values). */
export function registerReluGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => {
      const [x] = saved as [tf.Tensor];
      const fused = tf.getKernel(FUSED_RELU_GRAD, tf.getBackend()) !== undefined && x.dtype === "float32" && (dy as tf.Tensor).dtype === "float32";
      return { x: () => (fused ? (tf.engine().runKernel(FUSED_RELU_GRAD, { dy: dy as tf.Tensor, x }) as tf.Tensor) : tf.mul(dy as tf.Tensor, tf.cast(tf.step(x), "float32"))) };
    },
  });
}
