/**
 * Property: for random valid architectures written as learner Python (argument forms mixed:
 * positional, keyword, any order, aliases), the checker's shapes and parameter counts equal
 * the TensorFlow.js model's own and the summary's. The three read one registry; tfjs computes
 * its numbers independently, so a wrong formula in the registry shows up here.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import fc from "fast-check";
import { analyzePython } from "../../src/checker/evaluate";
import { buildModel } from "../../src/training/kerasToTfjs";
import { parseModelSpec } from "../../src/training/spec";
import { summarizeModel } from "../../src/training/summary";

tf.env().set("PROD", true);

type Layer2D =
  | { kind: "conv"; filters: number; kernel: [number, number]; strides: [number, number]; dilation: number; same: boolean; activation: string; bias: boolean; form: number }
  | { kind: "pool"; max: boolean; size: [number, number]; strides: number | null; same: boolean; alias: boolean }
  | { kind: "bn" }
  | { kind: "dropout"; rate: number }
  | { kind: "leaky"; slope: number }
  | { kind: "activation"; name: string };

const ACTIVATIONS = ["relu", "sigmoid", "tanh", "selu", "elu", "softmax", "linear", "relu6", "softplus", "softsign", "swish", "silu", "mish", "gelu"];

const layer2d: fc.Arbitrary<Layer2D> = fc.oneof(
  fc.record({
    kind: fc.constant("conv" as const),
    filters: fc.integer({ min: 1, max: 6 }),
    kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    strides: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    dilation: fc.integer({ min: 1, max: 2 }),
    same: fc.boolean(),
    activation: fc.constantFrom(...ACTIVATIONS),
    bias: fc.boolean(),
    form: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    kind: fc.constant("pool" as const),
    max: fc.boolean(),
    size: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    strides: fc.option(fc.integer({ min: 1, max: 2 })),
    same: fc.boolean(),
    alias: fc.boolean(),
  }),
  fc.constant({ kind: "bn" as const }),
  fc.record({ kind: fc.constant("dropout" as const), rate: fc.constantFrom(0, 0.25, 0.5) }),
  fc.record({ kind: fc.constant("leaky" as const), slope: fc.constantFrom(0.1, 0.3) }),
  fc.record({ kind: fc.constant("activation" as const), name: fc.constantFrom(...ACTIVATIONS) }),
);

const architecture = fc.record({
  height: fc.integer({ min: 6, max: 20 }),
  width: fc.integer({ min: 6, max: 20 }),
  channels: fc.integer({ min: 1, max: 3 }),
  layers: fc.array(layer2d, { minLength: 1, maxLength: 6 }),
  head: fc.constantFrom("flatten", "global", "reshape"),
  dense: fc.array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.constantFrom(...ACTIVATIONS)), { minLength: 1, maxLength: 3 }),
});

/** Keras's output length along one axis (keras/src/ops/operation_utils.py), written out again here. */
function length(size: number, window: number, stride: number, dilation: number, same: boolean): number {
  return same ? Math.ceil(size / stride) : Math.floor((size - dilation * (window - 1) - 1) / stride) + 1;
}

const tuple = (pair: [number, number], asInt: boolean): string => (asInt && pair[0] === pair[1] ? String(pair[0]) : `(${pair[0]}, ${pair[1]})`);

/** The learner's Python for an architecture, dropping the 2-D layers that would leave nothing of the image. */
type Architecture = typeof architecture extends fc.Arbitrary<infer T> ? T : never;

function python(arch: Architecture): string {
  const lines = ["import keras", "from keras import layers", `inputs = keras.Input(shape=(${arch.height}, ${arch.width}, ${arch.channels}))`, "x = inputs"];
  let [h, w] = [arch.height, arch.width];
  for (const layer of arch.layers) {
    let call: string;
    if (layer.kind === "conv") {
      // base_conv.py refuses strides > 1 with dilation > 1.
      const dilation = Math.max(...layer.strides) > 1 ? 1 : layer.dilation;
      const [nh, nw] = [length(h, layer.kernel[0], layer.strides[0], dilation, layer.same), length(w, layer.kernel[1], layer.strides[1], dilation, layer.same)];
      if (nh < 1 || nw < 1) continue;
      [h, w] = [nh, nw];
      const rest = `strides=${tuple(layer.strides, true)}, padding='${layer.same ? "same" : "valid"}', dilation_rate=${dilation}, activation='${layer.activation}', use_bias=${layer.bias ? "True" : "False"}`;
      const kernel = tuple(layer.kernel, layer.form === 1);
      call = [
        `layers.Conv2D(${layer.filters}, ${kernel}, ${rest})`,
        `layers.Conv2D(kernel_size=${kernel}, ${rest}, filters=${layer.filters})`,
        `layers.Convolution2D(${layer.filters}, kernel_size=${kernel}, ${rest})`,
      ][layer.form]!;
    } else if (layer.kind === "pool") {
      const stride = layer.strides ?? layer.size;
      const strides: [number, number] = typeof stride === "number" ? [stride, stride] : stride;
      const [nh, nw] = [length(h, layer.size[0], strides[0], 1, layer.same), length(w, layer.size[1], strides[1], 1, layer.same)];
      if (nh < 1 || nw < 1) continue;
      [h, w] = [nh, nw];
      const name = layer.max ? (layer.alias ? "MaxPool2D" : "MaxPooling2D") : layer.alias ? "AvgPool2D" : "AveragePooling2D";
      call = `layers.${name}(${tuple(layer.size, false)}${layer.strides === null ? "" : `, strides=${layer.strides}`}, padding='${layer.same ? "same" : "valid"}')`;
    } else if (layer.kind === "bn") call = "layers.BatchNormalization()";
    else if (layer.kind === "dropout") call = `layers.Dropout(${layer.rate})`;
    else if (layer.kind === "leaky") call = `layers.LeakyReLU(negative_slope=${layer.slope})`;
    else call = `layers.Activation('${layer.name}')`;
    lines.push(`x = ${call}(x)`);
  }
  lines.push({ flatten: "x = layers.Flatten()(x)", global: "x = layers.GlobalAveragePooling2D()(x)", reshape: "x = layers.Reshape((-1,))(x)" }[arch.head]);
  for (const [units, activation] of arch.dense) lines.push(`x = layers.Dense(${units}, activation='${activation}')(x)`);
  lines.push("model = keras.Model(inputs=inputs, outputs=x)");
  return `${lines.join("\n")}\n`;
}

test("checker, summary and tfjs agree on every layer's shape and parameter count", async () => {
  await tf.setBackend("cpu");
  fc.assert(
    fc.property(architecture, (arch) => {
      const source = python(arch);
      const analysis = analyzePython(source);
      const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
      assert.deepEqual(errors, [], source);
      const [checked] = analysis.models;
      assert.ok(checked, source);
      const spec = parseModelSpec(checked.spec);
      const summary = summarizeModel(spec);
      const model = buildModel(spec);
      try {
        assert.deepEqual(
          checked.outputShapes,
          model.layers.map((layer) => layer.outputShape),
          source,
        );
        assert.deepEqual(
          checked.params,
          model.layers.map((layer) => layer.countParams()),
          source,
        );
        assert.deepEqual(
          summary.rows.map((row) => [[null, ...row.outputShape], row.params]),
          checked.outputShapes.map((shape, index) => [shape, checked.params[index]]),
          source,
        );
        assert.equal(checked.totalParams, model.countParams(), source);
        assert.equal(summary.totalParams, model.countParams(), source);
      } finally {
        model.dispose();
      }
    }),
    { numRuns: 60, seed: 20261201 },
  );
});
