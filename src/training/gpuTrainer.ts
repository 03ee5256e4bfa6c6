/**
 * The trainer that runs where the GPU is: inside a webview, on TensorFlow.js's webgl or webgpu
 * backend (started by `webview/gpu/backend.ts`). It imports neither Node nor the DOM, so the same
 * code also runs in the training process on wasm, which is how the numerics are compared. It
 * builds the model from the checked ModelSpec/CompileSpec with the project's own builder and
 * trains on uint8 images, normalised batch by batch as the training process does it.
 */
import * as tf from "@tensorflow/tfjs-core";
// Training needs every op's gradient; tfjs-core registers them only when asked.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import type { CompileSpec, ModelSpec } from "../protocol/modelSpec";
import { batchTensors } from "./datasets/batch";
import { compileModel, type CompiledModel } from "./kerasToTfjs";

/** One weight of the model as plain data (the order of `model.getWeights()`). */
export interface WeightValue {
  shape: number[];
  values: Float32Array;
}

export interface GpuSessionOptions {
  model: ModelSpec;
  compile: CompileSpec;
  imageShape: [number, number, number];
  numClasses: number;
}

function sequence(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => i);
}

export class GpuTrainingSession {
  readonly compiled: CompiledModel;
  readonly imageShape: [number, number, number];
  readonly numClasses: number;

  constructor(options: GpuSessionOptions) {
    this.compiled = compileModel(options.model, options.compile);
    this.imageShape = options.imageShape;
    this.numClasses = options.numClasses;
  }

  /** `x` in [0, 1] and labels the way the compiled loss wants them (as `trainer.ts`'s `batchFor`). */
  private batch(images: Uint8Array, labels: Uint8Array): { x: tf.Tensor4D; y: tf.Tensor } {
    const set = { images, labels, count: labels.length };
    const batch = batchTensors(set, this.imageShape, sequence(set.count), this.numClasses);
    if (!this.compiled.sparseLabels) return batch;
    const y = tf.tidy(() => tf.cast(tf.argMax(batch.y, 1), "float32"));
    batch.y.dispose();
    return { x: batch.x, y };
  }

  /** One optimizer step on these images; resolves with the loss and the compiled metrics. */
  async trainBatch(images: Uint8Array, labels: Uint8Array): Promise<number[]> {
    const { x, y } = this.batch(images, labels);
    try {
      const result = await this.compiled.model.trainOnBatch(x, y);
      return Array.isArray(result) ? result : [result];
    } finally {
      tf.dispose([x, y]);
    }
  }

  /**
   * Whether the output layer's weights are finite (one sum read back). tfjs clips a NaN
   * probability to its bound, so the loss can look finite after the weights overflowed; weights
   * that overflowed anywhere make the output layer's NaN one step later (as `trainer.ts` checks).
   */
  outputWeightsFinite(): boolean {
    const weights = this.compiled.model.layers.filter((layer) => layer.trainableWeights.length > 0).at(-1)?.trainableWeights ?? [];
    const total = tf.tidy(() => (weights.length === 0 ? tf.scalar(0) : tf.addN(weights.map((weight) => tf.sum(weight.read())))));
    const finite = Number.isFinite(total.dataSync()[0]!);
    total.dispose();
    return finite;
  }

  /** Weights the model has, counted. */
  get parameterCount(): number {
    return this.compiled.model.countParams();
  }

  /** Class probabilities, one row of `numClasses` per image. */
  async predict(images: Uint8Array): Promise<Float32Array> {
    const size = this.imageShape[0] * this.imageShape[1] * this.imageShape[2];
    const count = images.length / size;
    const { x, y } = this.batch(images, new Uint8Array(count));
    const output = this.compiled.model.predict(x) as tf.Tensor;
    try {
      return (await output.data()) as Float32Array;
    } finally {
      tf.dispose([x, y, output]);
    }
  }

  async getWeights(): Promise<WeightValue[]> {
    return Promise.all(this.compiled.model.getWeights().map(async (weight) => ({ shape: weight.shape, values: (await weight.data()) as Float32Array })));
  }

  setWeights(weights: readonly WeightValue[]): void {
    const tensors = weights.map((weight) => tf.tensor(weight.values, weight.shape, "float32"));
    try {
      this.compiled.model.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
  }

  dispose(): void {
    this.compiled.model.dispose();
    this.compiled.optimizer.dispose();
  }
}
