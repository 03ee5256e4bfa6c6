/**
 * The training process's side of GPU training: the webgl and webgpu backends run in a webview,
 * so the process asks the extension host (over the same JSON-RPC connection the host drives it
 * with, src/protocol/gpu.ts) to start one there, open the model, and take each step on a batch of
 * uint8 images. The process keeps its own copy of the model (on wasm) into which the weights come
 * back after every epoch: validation, the test evaluation and the run's files are its own, as for
 * every backend.
 */
import { ErrorCodes, ResponseError, type MessageConnection } from "vscode-jsonrpc";
import type * as tfl from "@tensorflow/tfjs-layers";
import * as tf from "@tensorflow/tfjs-core";
import { GpuMethods, type EncodedWeight } from "../protocol/gpu";
import type { GpuBackendName, GpuBackendStart } from "../protocol/gpuWebview";
import type { CompileSpec, ModelSpec } from "../protocol/modelSpec";
import type { ImageSet } from "./datasets/types";

let host: MessageConnection | undefined;

/** Called once by the training process with its connection to the extension host. */
export function connectGpuHost(connection: MessageConnection): void {
  host = connection;
}

/** Why there is no GPU backend without VS Code around this process (the command line, tests). */
export const NO_GPU_HOST = "GPU training through webgl or webgpu runs inside VS Code (in a webview); the command line trains on the CPU";

function connectedHost(): MessageConnection {
  if (!host) throw new Error(NO_GPU_HOST);
  return host;
}

export function gpuHostConnected(): boolean {
  return host !== undefined;
}

/**
 * Starts `backend` in the host's GPU webview and says what it found. A host that does not serve
 * GPU requests (a client other than the editor's) answers "method not found": from then on this
 * process has no GPU host.
 */
export async function startGpuBackendOnHost(backend: GpuBackendName): Promise<GpuBackendStart> {
  try {
    return await connectedHost().sendRequest(GpuMethods.start, { backend });
  } catch (error) {
    if (error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound) {
      host = undefined;
      throw new Error(NO_GPU_HOST);
    }
    throw error;
  }
}

/** Closes the host's GPU Trainer tab, where nothing will train (auto chose a CPU backend). */
export async function releaseGpuHost(): Promise<void> {
  await host?.sendRequest(GpuMethods.release).catch(() => undefined);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

async function encodeWeights(model: tfl.LayersModel): Promise<EncodedWeight[]> {
  return Promise.all(model.getWeights().map(async (weight) => ({ shape: weight.shape, base64: base64(new Uint8Array(((await weight.data()) as Float32Array).slice().buffer)) })));
}

/** The model open in the host's GPU webview; the process's own copy is `local`. */
export class RemoteGpuTrainer {
  private constructor(
    private readonly connection: MessageConnection,
    private readonly local: tfl.LayersModel,
    private readonly imageShape: [number, number, number],
  ) {}

  /** Opens the model there, starting from the weights of the process's copy (the same draw as every backend's). */
  static async open(options: { backend: GpuBackendName; model: ModelSpec; compile: CompileSpec; local: tfl.LayersModel; imageShape: [number, number, number]; numClasses: number }): Promise<RemoteGpuTrainer> {
    const connection = connectedHost();
    await connection.sendRequest(GpuMethods.open, { backend: options.backend, model: options.model, compile: options.compile, imageShape: options.imageShape, numClasses: options.numClasses, weights: await encodeWeights(options.local) });
    return new RemoteGpuTrainer(connection, options.local, options.imageShape);
  }

  /** One step on these images of `set`, sent as their bytes. A NaN crosses JSON as null. */
  async trainBatch(set: ImageSet, indices: ArrayLike<number>): Promise<{ values: number[]; finite: boolean }> {
    const size = this.imageShape[0] * this.imageShape[1] * this.imageShape[2];
    const images = new Uint8Array(indices.length * size);
    const labels = new Uint8Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const index = indices[k]!;
      images.set(set.images.subarray(index * size, (index + 1) * size), k * size);
      labels[k] = set.labels[index]!;
    }
    const result = await this.connection.sendRequest(GpuMethods.trainBatch, { images: base64(images), labels: base64(labels) });
    return { values: result.values.map((value) => (typeof value === "number" ? value : Number.NaN)), finite: result.finite };
  }

  /** Copies the webview's weights into the process's copy of the model. */
  async pullWeights(): Promise<void> {
    const { weights } = await this.connection.sendRequest(GpuMethods.weights);
    const tensors = weights.map((weight) => {
      const bytes = Buffer.from(weight.base64, "base64");
      // A copy into an aligned buffer of its own: a Buffer may start at any byte of its pool.
      return tf.tensor(new Float32Array(Uint8Array.from(bytes).buffer), weight.shape, "float32");
    });
    try {
      this.local.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
  }

  async close(): Promise<void> {
    await this.connection.sendRequest(GpuMethods.close).catch(() => undefined);
  }
}
