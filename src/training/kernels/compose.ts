/**
 * Helpers for kernels composed from other kernels of the same backend. A composed kernel calls
 * the backend's own kernel functions directly (not tfjs ops), so nothing is recorded on the
 * gradient tape and every intermediate it makes it also frees.
 */
import * as tf from "@tensorflow/tfjs-core";

type Attrs = Record<string, unknown>;

export class KernelComposer {
  private readonly intermediates: tf.TensorInfo[] = [];

  constructor(
    private readonly backendName: string,
    private readonly backend: tf.KernelBackend,
  ) {}

  /** Runs one of the backend's kernels; its output is freed by `finish` unless returned. */
  run(kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs: Attrs = {}): tf.TensorInfo {
    return this.runMany(kernelName, inputs, attrs)[0]!;
  }

  /** Runs a kernel with several outputs (MaxPoolWithArgmax). */
  runMany(kernelName: string, inputs: Record<string, tf.TensorInfo>, attrs: Attrs = {}): tf.TensorInfo[] {
    const kernel = tf.getKernel(kernelName, this.backendName);
    if (!kernel) throw new Error(`The ${this.backendName} backend has no ${kernelName} kernel.`);
    const output = kernel.kernelFunc({ inputs, backend: this.backend, attrs: attrs as tf.NamedAttrMap });
    const outputs = Array.isArray(output) ? output : [output];
    this.intermediates.push(...outputs);
    return outputs;
  }

  /** Frees every intermediate except `result`, and returns `result`. */
  finish(result: tf.TensorInfo): tf.TensorInfo {
    for (const info of this.intermediates) {
      if (info !== result) this.backend.disposeData(info.dataId);
    }
    this.intermediates.length = 0;
    return result;
  }
}

/** Runs `body` with a composer and frees its intermediates even when it throws. */
export function compose(backendName: string, backend: tf.KernelBackend, body: (k: KernelComposer) => tf.TensorInfo): tf.TensorInfo {
  const composer = new KernelComposer(backendName, backend);
  let result: tf.TensorInfo | undefined;
  try {
    result = body(composer);
    return result;
  } finally {
    composer.finish(result ?? ({} as tf.TensorInfo));
  }
}
