import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { compileModel, buildModel } from "../../src/training/kerasToTfjs";
import { ModelSpecError, UnsupportedModelError } from "../../src/training/errors";
import { normalizeCompileSpec, normalizeFitSpec, normalizeModelSpec } from "../../src/training/spec";
import { dropoutModel, introModel, lessonCompile } from "../../src/training/models";

tf.env().set("PROD", true);

test("the intro model builds in tfjs with the lesson's layers and names", async () => {
  await tf.setBackend("cpu");
  const model = buildModel(introModel([32, 32, 3]));
  assert.deepEqual(
    model.layers.map((layer) => layer.name),
    ["input_1", "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten", "dense", "dense_1"],
  );
  assert.equal(model.countParams(), 79530);
  model.dispose();
});

test("every supported layer and activation converts, and the model predicts", async () => {
  await tf.setBackend("cpu");
  const spec = normalizeModelSpec({
    name: "everything",
    layers: [
      { class_name: "InputLayer", name: "in", config: { shape: [12, 12, 2] } },
      { class_name: "Conv2D", name: "c1", config: { filters: 4, kernel_size: 3, padding: "same", activation: "elu" } },
      { class_name: "BatchNormalization", name: "bn", config: {} },
      { class_name: "LeakyReLU", name: "lr", config: { negative_slope: 0.1 } },
      { class_name: "AveragePooling2D", name: "ap", config: { pool_size: [2, 2] } },
      { class_name: "Conv2D", name: "c2", config: { filters: 3, kernel_size: [3, 3], strides: [2, 2], activation: "selu" } },
      { class_name: "Activation", name: "act", config: { activation: "tanh" } },
      { class_name: "GlobalAveragePooling2D", name: "gap", config: {} },
      { class_name: "Dropout", name: "do", config: { rate: 0.3 } },
      { class_name: "Dense", name: "d1", config: { units: 5, activation: "sigmoid" } },
      { class_name: "Dense", name: "out", config: { units: 3, activation: "softmax" } },
    ],
  });
  assert.deepEqual(spec.layers[2]!.inbound, ["c1"], "a layer list without inbound is read as Sequential");
  assert.deepEqual(spec.layers[4]!.config, { pool_size: [2, 2], strides: [2, 2], padding: "valid" }, "pool strides default to pool_size");
  const { model } = compileModel(spec, lessonCompile());
  const y = model.predict(tf.zeros([2, 12, 12, 2])) as tf.Tensor;
  assert.deepEqual(y.shape, [2, 3]);
  y.dispose();
  model.dispose();
});

test("an unsupported layer, argument, activation or optimizer is a typed error that names it", () => {
  const base = introModel([32, 32, 3]);
  const withLayer = (layer: unknown) => ({ ...base, layers: [...base.layers.slice(0, 2), layer] });
  assert.throws(
    () => normalizeModelSpec(withLayer({ class_name: "Conv2DTranspose", name: "up", inbound: ["conv2d"], config: {} })),
    (error: unknown) => error instanceof UnsupportedModelError && error.feature === "Conv2DTranspose" && /Conv2DTranspose.*'up'/.test(error.message),
  );
  assert.throws(
    () => normalizeModelSpec(withLayer({ class_name: "Conv2D", name: "c", inbound: ["conv2d"], config: { filters: 2, kernel_size: 3, groups: 2 } })),
    (error: unknown) => error instanceof UnsupportedModelError && /groups/.test(error.message) && error.layer === "c",
  );
  assert.throws(
    // Keras 3's hard_sigmoid is relu6(x + 3) / 6, not tfjs's 0.2x + 0.5: training refuses it.
    () => normalizeModelSpec(withLayer({ class_name: "Dense", name: "d", inbound: ["conv2d"], config: { units: 2, activation: "hard_sigmoid" } })),
    (error: unknown) => error instanceof UnsupportedModelError && /hard_sigmoid/.test(error.message),
  );
  assert.throws(() => normalizeCompileSpec({ optimizer: "adagrad", loss: "categorical_crossentropy" }), UnsupportedModelError);
  assert.throws(() => normalizeCompileSpec({ optimizer: { name: "adam", beta_1: 0.8 } }), /beta_1/);
  assert.throws(() => normalizeCompileSpec({ optimizer: "adam", loss: "mse" }), /mse/);
  assert.throws(() => normalizeCompileSpec({ optimizer: "adam", metrics: ["precision"] }), /precision/);
});

test("a model whose shapes do not fit names the layer", () => {
  const spec = introModel([6, 6, 1]);
  assert.throws(
    () => buildModel(spec),
    (error: unknown) => error instanceof ModelSpecError && error.layer === "conv2d_1" && /smaller than this 3x3 window/.test(error.message),
  );
});

test("compile and fit specs take Keras's defaults", () => {
  assert.deepEqual(normalizeCompileSpec({ optimizer: "sgd" }), {
    optimizer: { name: "sgd", learning_rate: 0.01, momentum: 0 },
    loss: "categorical_crossentropy",
    metrics: [],
  });
  assert.deepEqual(normalizeCompileSpec({ optimizer: "RMSprop", metrics: "accuracy" }).optimizer, { name: "rmsprop", learning_rate: 0.001 });
  assert.deepEqual(normalizeFitSpec({ epochs: 3 }), { batch_size: 32, epochs: 3, validation: { kind: "none" }, shuffle: true });
  assert.throws(() => normalizeFitSpec({ batch_size: 0 }), /batch_size/);
});

test("the dropout model keeps the learner's rate", () => {
  const spec = dropoutModel([28, 28, 1], 0.3);
  const layer = spec.layers.find((l) => l.class_name === "Dropout");
  assert.deepEqual(layer?.config, { rate: 0.3 });
});
