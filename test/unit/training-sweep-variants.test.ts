import assert from "node:assert/strict";
import { test } from "node:test";
import { activationVariants } from "../../src/training/sweeps";
import { summarizeModel } from "../../src/training/summary";

const FIT = { batch_size: 32, epochs: 1, validation: { kind: "data" as const }, shuffle: true };

test("the activation loop builds the lesson's variants, LeakyReLU as a layer", () => {
  const variants = activationVariants([32, 32, 3], FIT);
  assert.deepEqual(variants.map((v) => v.value), ["relu", "sigmoid", "tanh", "selu", "leaky_relu"]);
  for (const variant of variants) assert.equal(summarizeModel(variant.model).totalParams, 79530);
  assert.equal(variants[4]!.model.layers.filter((l) => l.class_name === "LeakyReLU").length, 3);
});
