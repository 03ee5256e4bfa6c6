import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { buildModel } from "../../src/training/kerasToTfjs";
import { dropoutModel, introModel } from "../../src/training/models";
import { normalizeModelSpec } from "../../src/training/spec";
import { formatWeightBytes, summarizeModel } from "../../src/training/summary";
import type { ModelSpec } from "../../src/protocol/modelSpec";

tf.env().set("PROD", true);

test("the intro model's summary matches the one Keras prints in the lesson", () => {
  const summary = summarizeModel(introModel([32, 32, 3]));
  assert.deepEqual(
    summary.rows.map((row) => [row.name, row.className, row.outputShape, row.params]),
    [
      ["input_1", "InputLayer", [32, 32, 3], 0],
      ["conv2d", "Conv2D", [30, 30, 16], 448],
      ["max_pooling2d", "MaxPooling2D", [15, 15, 16], 0],
      ["conv2d_1", "Conv2D", [13, 13, 32], 4640],
      ["max_pooling2d_1", "MaxPooling2D", [6, 6, 32], 0],
      ["flatten", "Flatten", [1152], 0],
      ["dense", "Dense", [64], 73792],
      ["dense_1", "Dense", [10], 650],
    ],
  );
  assert.equal(summary.totalParams, 79530);
  assert.equal(summary.nonTrainableParams, 0);
  const lines = summary.text.split("\n");
  assert.equal(lines[0], 'Model: "cifar_model_intro"');
  assert.match(lines[2]!, /^ Layer \(type\) +Output Shape +Param #$/);
  assert.ok(lines.some((line) => /^ conv2d \(Conv2D\) +\(None, 30, 30, 16\) +448$/.test(line)));
  assert.ok(lines.includes("Total params: 79,530 (310.66 KB)"));
  assert.ok(lines.includes("Trainable params: 79,530 (310.66 KB)"));
  assert.ok(lines.includes("Non-trainable params: 0 (0.00 B)"));
});

test("the dropout model's summary", () => {
  const summary = summarizeModel(dropoutModel([32, 32, 3]));
  assert.deepEqual(
    summary.rows.map((row) => [row.name, row.outputShape, row.params]),
    [
      ["input_1", [32, 32, 3], 0],
      ["conv2d", [30, 30, 16], 448],
      ["max_pooling2d", [15, 15, 16], 0],
      ["conv2d_1", [13, 13, 32], 4640],
      ["max_pooling2d_1", [6, 6, 32], 0],
      ["conv2d_2", [4, 4, 64], 18496],
      ["dropout", [4, 4, 64], 0],
      ["flatten", [1024], 0],
      ["dense", [10], 10250],
    ],
  );
  assert.ok(summary.text.includes("Total params: 33,834 (132.16 KB)"));
});

test("sizes use Keras's units", () => {
  assert.equal(formatWeightBytes(0), "0.00 B");
  assert.equal(formatWeightBytes(100), "400.00 B");
  assert.equal(formatWeightBytes(79530), "310.66 KB");
  assert.equal(formatWeightBytes(1_000_000), "3.81 MB");
});

/** Models covering every layer, padding, stride and dilation the specs allow. */
function variants(): ModelSpec[] {
  const layers = (list: object[]): ModelSpec =>
    ({ name: "m", output: "", layers: list.map((layer, i) => ({ name: `l${i}`, ...layer })) }) as unknown as ModelSpec;
  const fix = (spec: ModelSpec): ModelSpec => ({ ...spec, output: spec.layers[spec.layers.length - 1]!.name });
  return [
    introModel([32, 32, 3]),
    introModel([28, 28, 1]),
    dropoutModel([28, 28, 1]),
    fix(
      layers([
        { class_name: "InputLayer", config: { shape: [17, 19, 3] } },
        { class_name: "Conv2D", config: { filters: 5, kernel_size: [3, 2], strides: [2, 3], padding: "same" } },
        { class_name: "BatchNormalization", config: {} },
        { class_name: "Conv2D", config: { filters: 4, kernel_size: 3, dilation_rate: 2, use_bias: false } },
        { class_name: "AveragePooling2D", config: { pool_size: 3, strides: 2, padding: "same" } },
        { class_name: "LeakyReLU", config: {} },
        { class_name: "MaxPooling2D", config: { pool_size: [2, 1] } },
        { class_name: "Dense", config: { units: 7 } },
        { class_name: "GlobalAveragePooling2D", config: {} },
        { class_name: "Dense", config: { units: 3, activation: "softmax" } },
      ]),
    ),
  ];
}

test("the summary agrees with the tfjs model's own shapes and parameter counts", async () => {
  await tf.setBackend("cpu");
  for (const raw of variants()) {
    const spec = normalizeModelSpec(raw);
    const summary = summarizeModel(spec);
    const model = buildModel(spec);
    assert.equal(summary.totalParams, model.countParams(), spec.name);
    const trainable = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a, b) => (a ?? 1) * (b ?? 1), 1)!, 0);
    assert.equal(summary.trainableParams, trainable);
    assert.deepEqual(
      summary.rows.map((row) => [null, ...row.outputShape]),
      model.layers.map((layer) => layer.outputShape),
    );
    model.dispose();
  }
});
