/**
 * The warning Train would refuse a model with, shown in the editor before Train is pressed: the
 * same estimate and the same words as the training process (`memoryRefusal`), on the line of the
 * layer that takes the most memory.
 */
import * as os from "node:os";
import { KERAS_DEFAULTS, type SourceRange } from "../protocol/modelSpec";
import type { BackendName } from "../protocol/training";
import { memoryRefusal, trainingMemoryLimit } from "../training/memoryEstimate";
import type { Diagnostic, ModelInfo, TrainingRun } from "./analysis";

/** Where the model would train: the backend, and the machine's memory. */
export interface TrainingMachine {
  backend: BackendName;
  totalMemory: number;
}

/**
 * Without word from the training process, the WebAssembly backend: it ships with the extension
 * and runs everywhere, and its 4 GiB heap is the tightest limit a learner meets.
 */
export function defaultTrainingMachine(): TrainingMachine {
  // Asked once: every analysis of every check needs it, and the answer does not change.
  thisMachine ??= { backend: "wasm", totalMemory: os.totalmem() };
  return thisMachine;
}

let thisMachine: TrainingMachine | undefined;

/**
 * One warning for each complete model too big to train, with the batch size and optimizer of its
 * fit and compile, else the ones Train uses for a model the file never fits (32 and Adam).
 */
export function memoryWarnings(models: readonly ModelInfo[], runs: readonly TrainingRun[], machine: TrainingMachine): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const model of models) {
    if (!model.complete) continue;
    const run = runs.find((candidate) => candidate.model === model.spec);
    const batchSize = run?.fit.batch_size ?? KERAS_DEFAULTS.batchSize;
    const optimizer = run?.compile.optimizer.name ?? model.compile?.optimizer.name ?? "adam";
    // Most models are far below the limit: a bound from the shapes the analysis already has spares
    // the estimate (which infers every shape again) on every check.
    if (upperBoundBytes(model, batchSize) <= trainingMemoryLimit(machine.backend, machine.totalMemory)) continue;
    let refusal: ReturnType<typeof memoryRefusal>;
    try {
      refusal = memoryRefusal(model.spec, batchSize, machine.backend, optimizer, machine.totalMemory);
    } catch {
      // A model whose shapes do not fit has its own error already.
      continue;
    }
    if (!refusal) continue;
    const layer = model.spec.layers.find((candidate) => candidate.name === refusal.layer);
    const range: SourceRange | undefined = layer?.source ?? model.range;
    if (range) warnings.push({ range, severity: "warning", code: "model", message: refusal.message });
  }
  return warnings;
}

/**
 * At least what `estimateTrainingMemory` finds: every parameter counted as trainable with the
 * most optimizer slots (two) beside its gradient, and every layer's output and its gradient for
 * the batch, an unknown dimension counted as 1.
 */
function upperBoundBytes(model: ModelInfo, batchSize: number): number {
  const floatBytes = 4;
  let bytes = 0;
  model.params.forEach((params, index) => {
    const values = (model.outputShapes[index] ?? []).slice(1).reduce<number>((product, size) => product * (size ?? 1), 1);
    bytes += floatBytes * (params * 4 + values * batchSize * 2);
  });
  return bytes;
}
