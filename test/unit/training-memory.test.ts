import assert from "node:assert/strict";
import { test } from "node:test";
import { TrainingErrorCodes } from "../../src/protocol/training";
import { ModelTooBigError, RunStorageError, TrainingDataError, TrainingDivergedError } from "../../src/training/errors";
import { isFatalBackendError, toResponseError } from "../../src/training/rpcErrors";
import { estimateTrainingMemory, memoryRefusal, trainingMemoryLimit, WASM_HEAP_CEILING_BYTES } from "../../src/training/memoryEstimate";
import { dense, flatten, input, introModel, sequentialSpec } from "../../src/training/models";

const GiB = 1024 ** 3;

test("the estimate counts weights with Adam's two slots and gradients, and each layer's batch of outputs twice", () => {
  const estimate = estimateTrainingMemory(introModel([32, 32, 3]), 32);
  // 79,530 parameters: the weight, its gradient, m and v.
  const weights = 4 * 79_530 * 4;
  // Values per image out of each layer: input, conv, pool, conv, pool, flatten, dense, dense.
  const values = 3072 + 30 * 30 * 16 + 15 * 15 * 16 + 13 * 13 * 32 + 6 * 6 * 32 + 1152 + 64 + 10;
  assert.equal(estimate.totalBytes, weights + 4 * values * 32 * 2);
  assert.equal(estimate.layers.length, 8);
  // SGD keeps one slot (momentum), not two.
  assert.equal(estimateTrainingMemory(introModel([32, 32, 3]), 32, "sgd").totalBytes, estimate.totalBytes - 4 * 79_530);
});

test("the limit is the wasm heap's ceiling on wasm and half the machine elsewhere", () => {
  assert.equal(trainingMemoryLimit("wasm", 64 * GiB), WASM_HEAP_CEILING_BYTES * 0.75);
  assert.equal(trainingMemoryLimit("wasm", 4 * GiB), 2 * GiB);
  assert.equal(trainingMemoryLimit("cpu", 16 * GiB), 8 * GiB);
});

test("the lesson's model fits; Dense(1,000,000) after Flatten is refused naming the layer and its parameters", () => {
  assert.equal(memoryRefusal(introModel([32, 32, 3]), 32, "wasm", "adam", 16 * GiB), undefined);
  const huge = sequentialSpec("huge", [input([32, 32, 3]), flatten, dense(1_000_000, "relu"), dense(10, "softmax")]);
  const refusal = memoryRefusal(huge, 32, "wasm", "adam", 16 * GiB);
  assert.ok(refusal);
  assert.equal(refusal.layer, "dense");
  assert.match(refusal.message, /one step needs about 46\.2 GB, more than the 3\.0 GB the WebAssembly backend can use\. Most of it is layer 'dense' \(Dense\): its 3,073,000,000 parameters, with their gradients and adam.s slots, take 45\.8 GB/);
  assert.match(refusal.message, /fewer units/);
});

test("engine errors reach the host with codes it can act on; a wasm out-of-bounds is the one that restarts the process", () => {
  const tooBig = toResponseError(new ModelTooBigError("too big", "dense", 10, 5));
  assert.deepEqual([tooBig.code, tooBig.data], [TrainingErrorCodes.modelTooBig, { layer: "dense" }]);
  assert.equal(toResponseError(new RunStorageError("read-only", "read-only disk", "/runs")).code, TrainingErrorCodes.storageUnwritable);
  assert.equal(toResponseError(new RunStorageError("disk-full", "full", "/runs")).code, TrainingErrorCodes.diskFull);
  assert.equal(toResponseError(new TrainingDataError("too few")).code, TrainingErrorCodes.trainingSetTooSmall);
  assert.equal(toResponseError(new TrainingDivergedError("nan", 1, "/runs/r", [])).code, TrainingErrorCodes.diverged);
  const outOfBounds = new WebAssembly.RuntimeError("memory access out of bounds");
  assert.equal(isFatalBackendError(outOfBounds), true);
  assert.equal(toResponseError(outOfBounds).code, TrainingErrorCodes.backendCrashed);
  assert.equal(isFatalBackendError(new Error("Dense layer 'dense' got a bad shape")), false);
});
