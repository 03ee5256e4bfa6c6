/**
 * How much memory training a model takes, estimated from its spec alone (no TensorFlow.js), so a
 * model too big for the backend or the machine is refused before a single tensor is allocated:
 * a wasm heap that grows past its ceiling fails with "memory access out of bounds" and stays
 * broken for every later request in that process. Pure, so the checker can show the same
 * warning on the layer's line before Train is pressed.
 *
 * What one training step holds at its peak, in float32:
 *   - the weights, their gradients, and the optimizer's slots (Adam keeps two per weight);
 *   - every layer's output for the whole batch (kept for the backward pass), and as much again
 *     for the gradients flowing back through them.
 */
import * as os from "node:os";
import type { ModelSpec } from "../protocol/modelSpec";
import type { BackendName } from "../protocol/training";
import { inferShapes, type LayerShape } from "./summary";

const FLOAT_BYTES = 4;

/** The wasm backend's heap is 32-bit: it can never grow past 4 GiB. */
export const WASM_HEAP_CEILING_BYTES = 4 * 1024 ** 3;

/** Slots per trainable weight each optimizer keeps (tfjs's Adam: m and v; RMSprop: ms, plus mom with momentum). */
const OPTIMIZER_SLOTS: Record<string, number> = { adam: 2, adamax: 2, nadam: 2, rmsprop: 2, adagrad: 1, adadelta: 2, sgd: 1 };

export interface LayerMemory {
  name: string;
  className: string;
  params: number;
  /** Weights, their gradients and the optimizer's slots. */
  weightBytes: number;
  /** The layer's output for one batch and its gradient. */
  activationBytes: number;
}

export interface MemoryEstimate {
  totalBytes: number;
  layers: LayerMemory[];
  /** The layer that takes the most memory. */
  largest: LayerMemory;
}

/** Bytes one training step of `spec` needs with `batchSize` images. Throws ModelSpecError for a model whose shapes do not fit. */
export function estimateTrainingMemory(spec: ModelSpec, batchSize: number, optimizer = "adam"): MemoryEstimate {
  const slots = OPTIMIZER_SLOTS[optimizer.toLowerCase()] ?? 2;
  const layers = inferShapes(spec).map((shape: LayerShape): LayerMemory => {
    const params = shape.trainableParams + shape.nonTrainableParams;
    const values = shape.outputShape.reduce((product, size) => product * size, 1);
    return {
      name: shape.name,
      className: shape.className,
      params,
      weightBytes: FLOAT_BYTES * (params + shape.trainableParams * (1 + slots)),
      activationBytes: FLOAT_BYTES * values * batchSize * 2,
    };
  });
  const cost = (layer: LayerMemory) => layer.weightBytes + layer.activationBytes;
  const largest = layers.reduce((best, layer) => (cost(layer) > cost(best) ? layer : best), layers[0]!);
  return { totalBytes: layers.reduce((sum, layer) => sum + cost(layer), 0), layers, largest };
}

/**
 * The most a training step may take: half the machine's memory (the rest is the editor's and the
 * dataset's), and on wasm also three quarters of its 4 GiB heap (tfjs keeps temporaries beside).
 */
export function trainingMemoryLimit(backend: BackendName, totalMemory = os.totalmem()): number {
  const machine = totalMemory / 2;
  return backend === "wasm" ? Math.min(machine, WASM_HEAP_CEILING_BYTES * 0.75) : machine;
}

/** `3.2 GB`, `180 MB`. */
export function formatMemory(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1024 ** 2))} MB`;
}

function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/**
 * The learner's message when the estimate is over the limit, naming the layer that makes the
 * model big and what to change; undefined when the model fits.
 */
export function memoryRefusal(spec: ModelSpec, batchSize: number, backend: BackendName, optimizer = "adam", totalMemory = os.totalmem()): { message: string; layer: string; estimate: MemoryEstimate; limitBytes: number } | undefined {
  const estimate = estimateTrainingMemory(spec, batchSize, optimizer);
  const limitBytes = trainingMemoryLimit(backend, totalMemory);
  if (estimate.totalBytes <= limitBytes) return undefined;
  const { largest } = estimate;
  const where = backend === "wasm" ? `the ${formatMemory(limitBytes)} the WebAssembly backend can use` : `the ${formatMemory(limitBytes)} this computer can spare for training`;
  const why =
    largest.weightBytes >= largest.activationBytes
      ? `its ${formatCount(largest.params)} parameters, with their gradients and ${optimizer}'s slots, take ${formatMemory(largest.weightBytes)}`
      : `its outputs for a batch of ${batchSize} images, and their gradients, take ${formatMemory(largest.activationBytes)} (it has ${formatCount(largest.params)} parameters)`;
  const fix =
    largest.className === "Dense"
      ? "Give it fewer units, or shrink what reaches it (more pooling before Flatten)"
      : largest.className === "Conv2D"
        ? "Give it fewer filters, pool before it, or use a smaller batch_size"
        : "Make the layers before it smaller, or use a smaller batch_size";
  return {
    message: `This model is too big to train: one step needs about ${formatMemory(estimate.totalBytes)}, more than ${where}. Most of it is layer '${largest.name}' (${largest.className}): ${why}. ${fix}, and train again.`,
    layer: largest.name,
    estimate,
    limitBytes,
  };
}
