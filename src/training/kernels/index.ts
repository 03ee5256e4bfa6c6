/**
 * Kernels the wasm backend needs to train the lesson's models, registered before it is used.
 * See each kernel's file for why each one replaces or adds to the backend's.
 *
 * Every other kernel the lessons' layers, losses and optimizers need for training (dropout,
 * batch normalisation, average pooling gradients, ELU/SELU/LeakyReLU, Adam/SGD/RMSprop updates)
 * exists in the wasm backend; training-kernels.test.ts trains a step of each to keep it that way.
 */
import * as tf from "@tensorflow/tfjs-core";
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel } from "./convolution";
import { batchMatMulKernel } from "./matmul";
import { maxPoolGradKernel } from "./pooling";
import { sumKernel } from "./reduction";
import { castKernel, identityKernel } from "./sharing";

let registered = false;

/**
 * Registers for `wasm` the missing Conv2DBackpropFilter, a faster Conv2DBackpropInput, a
 * MaxPoolGrad that is right for negative inputs, a BatchMatMul that stays on XNNPACK, an
 * Identity and Cast that do not copy, and a faster, more accurate Sum over leading axes.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const kernels = [conv2dBackpropFilterKernel("wasm"), conv2dBackpropInputKernel("wasm"), maxPoolGradKernel()];
  const own = (name: string) => {
    const config = tf.getKernel(name, "wasm");
    return config ? { ...config } : undefined;
  };
  const ownBatchMatMul = own(tf.BatchMatMul);
  const ownIdentity = own(tf.Identity);
  const ownCast = own(tf.Cast);
  const ownSum = own(tf.Sum);
  if (ownBatchMatMul) kernels.push(batchMatMulKernel("wasm", ownBatchMatMul));
  if (ownIdentity) kernels.push(identityKernel(ownIdentity));
  if (ownCast) kernels.push(castKernel(ownCast));
  if (ownSum) kernels.push(sumKernel(ownSum));
  for (const config of kernels) {
    if (tf.getKernel(config.kernelName, "wasm")) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
}
