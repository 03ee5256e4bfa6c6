/**
 * Kernels the wasm backend needs to train the lesson's models, registered before it is used.
 * See each kernel's file for why each one replaces or adds to the backend's.
 *
 * Every other kernel the lessons' layers, losses and optimizers need for training (dropout,
 * batch normalisation, average pooling gradients, ELU/SELU/LeakyReLU, Adam/SGD/RMSprop updates)
 * exists in the wasm backend; training-kernels.test.ts trains a step of each to keep it that way.
 */
import * as tf from "@tensorflow/tfjs-core";
import { fusedAdamKernel } from "./adam";
import { FUSED_ADAM_UPDATE } from "./fusedAdamOptimizer";
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel } from "./convolution";
import { batchMatMulKernel } from "./matmul";
import { biasAddKernel, fusedReluGradKernel } from "./elementwise";
import { maxPoolGradKernel } from "./pooling";
import { FUSED_RELU_GRAD, registerReluGradient } from "./reluGradient";
import { sumKernel } from "./reduction";
import { castKernel, identityKernel } from "./sharing";

/** `simd`: the WebAssembly SIMD kernels of wasm/training_kernels.c; `composed`: only those built from the backend's own kernels. */
export type WasmKernelSet = "simd" | "composed";

let registered: WasmKernelSet | undefined;
/** The backend's own kernels that this project's wrap, saved before the first replacement. */
const own = new Map<string, tf.KernelConfig>();

/**
 * Registers for `wasm` the missing Conv2DBackpropFilter, a faster Conv2DBackpropInput, a
 * MaxPoolGrad that is right for negative inputs, a BatchMatMul that stays on XNNPACK, an
 * Identity and Cast that do not copy, and a faster, more accurate Sum over leading axes; with
 * `simd`, both convolution gradients, the Dense layers' BatchMatMul, the 2×2 MaxPoolGrad, the
 * leading-axis Sum, a bias Add, the ReLU gradient (one kernel instead of three,
 * reluGradient.ts) and Adam's update (one fused pass, adam.ts) run in WebAssembly
 * SIMD where that module loads (the others fall back to the composed ones where it does not).
 * Registering the other set replaces the first (the benchmark compares them).
 */
export function registerWasmTrainingKernels(set: WasmKernelSet = "simd"): void {
  if (registered === set) return;
  if (registered === undefined) {
    for (const name of [tf.BatchMatMul, tf.Identity, tf.Cast, tf.Sum, tf.Add]) {
      const config = tf.getKernel(name, "wasm");
      if (config) own.set(name, { ...config });
    }
  }
  registered = set;
  const simd = set === "simd";
  const kernels = [conv2dBackpropFilterKernel("wasm", simd), conv2dBackpropInputKernel("wasm", simd), maxPoolGradKernel(simd)];
  // Without it, the optimizer kerasToTfjs.ts builds is tfjs's own Adam.
  if (simd) kernels.push(fusedAdamKernel());
  else if (tf.getKernel(FUSED_ADAM_UPDATE, "wasm")) tf.unregisterKernel(FUSED_ADAM_UPDATE, "wasm");
  // Likewise the ReLU gradient: one kernel with it, tfjs-core's Step, Cast and Multiply without.
  registerReluGradient();
  if (simd) kernels.push(fusedReluGradKernel());
  else if (tf.getKernel(FUSED_RELU_GRAD, "wasm")) tf.unregisterKernel(FUSED_RELU_GRAD, "wasm");
  const ownBatchMatMul = own.get(tf.BatchMatMul);
  const ownIdentity = own.get(tf.Identity);
  const ownCast = own.get(tf.Cast);
  const ownSum = own.get(tf.Sum);
  const ownAdd = own.get(tf.Add);
  if (ownBatchMatMul) kernels.push(batchMatMulKernel("wasm", ownBatchMatMul, simd));
  if (ownIdentity) kernels.push(identityKernel(ownIdentity));
  if (ownCast) kernels.push(castKernel(ownCast));
  if (ownSum) kernels.push(sumKernel(ownSum, simd));
  // The composed set keeps the backend's own Add (the benchmark's "before").
  if (ownAdd) kernels.push(simd ? biasAddKernel(ownAdd) : ownAdd);
  for (const config of kernels) {
    if (tf.getKernel(config.kernelName, "wasm")) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
}
