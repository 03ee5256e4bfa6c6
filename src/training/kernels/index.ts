/**
 * Kernels the wasm backend needs to train the lesson's models, registered before it is used.
 * See convolution.ts and pooling.ts for why each is composed from the backend's own kernels.
 *
 * Every other kernel the lessons' layers, losses and optimizers need for training (dropout,
 * batch normalisation, pooling gradients, ELU/SELU/LeakyReLU, Adam/SGD/RMSprop updates) exists in
 * the wasm backend; training-kernels.test.ts trains a step of each to keep it that way.
 */
import * as tf from "@tensorflow/tfjs-core";
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel } from "./convolution";
import { maxPoolGradKernel } from "./pooling";

let registered = false;

/**
 * Registers for `wasm` the missing Conv2DBackpropFilter, a faster Conv2DBackpropInput and a
 * MaxPoolGrad that is right for negative inputs.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const kernels = [conv2dBackpropFilterKernel("wasm"), conv2dBackpropInputKernel("wasm")];
  const ownMaxPoolGrad = tf.getKernel(tf.MaxPoolGrad, "wasm");
  if (ownMaxPoolGrad) kernels.push(maxPoolGradKernel("wasm", { ...ownMaxPoolGrad }));
  for (const config of kernels) {
    if (tf.getKernel(config.kernelName, "wasm")) tf.unregisterKernel(config.kernelName, "wasm");
    tf.registerKernel(config);
  }
}
