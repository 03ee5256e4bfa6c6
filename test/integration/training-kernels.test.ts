import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { before, test } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import fc from "fast-check";
import { selectBackend } from "../../src/training/backends";
import { simdKernelsFor } from "../../src/training/kernels/simd";
import { buildOptimizer, compileModel } from "../../src/training/kerasToTfjs";
import { FusedAdamOptimizer } from "../../src/training/kernels/fusedAdamOptimizer";
import { adamInJavaScript } from "../../src/training/kernels/adam";
import { normalizeModelSpec } from "../../src/training/spec";
import type { CompileSpec, OptimizerSpec } from "../../src/protocol/modelSpec";

type Shape4 = [number, number, number, number];

// The SIMD kernels are compiled from C by the build; from source they are built here (clang, lld).
before(() => {
  execFileSync(process.execPath, [path.join(__dirname, "../../scripts/build-kernels.mjs")], { cwd: path.join(__dirname, "../.."), stdio: "pipe" });
});

/**
 * Deterministic values in [-0.5, 0.5); `levels` > 0 rounds them so that ties are common. Kept
 * small so that float32 summation order (thousands of terms per gradient entry) stays far below
 * the 1e-4 tolerance.
 */
function values(count: number, seed: number, levels = 0): Float32Array {
  const out = new Float32Array(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const v = state / 2147483648 - 0.5;
    out[i] = levels > 0 ? Math.round(v * levels) / levels : v;
  }
  return out;
}

/** Runs a kernel on one backend with inputs given as plain arrays, and reads the result. */
async function runOn(backend: string, kernel: string, inputs: Record<string, [Float32Array, number[]]>, attrs: object): Promise<{ shape: number[]; data: Float32Array }> {
  await selectBackend(backend as "wasm" | "cpu");
  const tensors = Object.fromEntries(Object.entries(inputs).map(([name, [data, shape]]) => [name, tf.tensor(data, shape)]));
  const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const result = { shape: out.shape, data: (await out.data()) as Float32Array };
  tf.dispose([out, ...Object.values(tensors)]);
  return result;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

const convCases: { x: Shape4; filter: Shape4; strides: number; pad: "valid" | "same" }[] = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: "valid" },
  { x: [2, 9, 8, 3], filter: [3, 2, 3, 4], strides: 2, pad: "same" },
  { x: [3, 10, 11, 2], filter: [3, 3, 2, 5], strides: 2, pad: "valid" },
  { x: [1, 7, 7, 2], filter: [5, 5, 2, 2], strides: 3, pad: "same" },
  { x: [4, 32, 32, 3], filter: [3, 3, 3, 16], strides: 1, pad: "valid" },
  { x: [2, 15, 15, 16], filter: [3, 3, 16, 32], strides: 1, pad: "same" },
];

function outShape(c: (typeof convCases)[number]): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
  return info.outShape as Shape4;
}

test("the composed Conv2DBackpropFilter and Conv2DBackpropInput on wasm match the cpu kernels", async () => {
  for (const [index, c] of convCases.entries()) {
    const x = values(size(c.x), 1 + index);
    const filter = values(size(c.filter), 100 + index);
    const dyShape = outShape(c);
    const dy = values(size(dyShape), 200 + index);
    const attrs = { strides: [c.strides, c.strides], pad: c.pad, dataFormat: "NHWC" };
    const filterInputs = { x: [x, c.x], dy: [dy, dyShape] } as Record<string, [Float32Array, number[]]>;
    const wasmFilter = await runOn("wasm", "Conv2DBackpropFilter", filterInputs, { ...attrs, filterShape: c.filter });
    const cpuFilter = await runOn("cpu", "Conv2DBackpropFilter", filterInputs, { ...attrs, filterShape: c.filter });
    assert.deepEqual(wasmFilter.shape, c.filter);
    const diff = maxAbsDiff(wasmFilter.data, cpuFilter.data);
    assert.ok(diff <= 1e-4, `filter gradient, case ${index}: ${diff}`);

    const inputInputs = { dy: [dy, dyShape], filter: [filter, c.filter] } as Record<string, [Float32Array, number[]]>;
    const wasmInput = await runOn("wasm", "Conv2DBackpropInput", inputInputs, { ...attrs, inputShape: c.x });
    const cpuInput = await runOn("cpu", "Conv2DBackpropInput", inputInputs, { ...attrs, inputShape: c.x });
    assert.deepEqual(wasmInput.shape, c.x);
    assert.ok(maxAbsDiff(wasmInput.data, cpuInput.data) <= 1e-4, `input gradient, case ${index}`);
  }
});

test("with dilation, the composed gradients equal those of the zero-spread filter on cpu", async () => {
  // A 3×3 filter dilated by 2 is a 5×5 filter with zeros between its taps; the cpu kernels
  // (which have no dilation) give the reference for that filter, whose taps are every 2nd entry.
  const x: Shape4 = [2, 11, 10, 3];
  const filter: Shape4 = [3, 3, 3, 2];
  const spreadShape: Shape4 = [5, 5, 3, 2];
  for (const pad of ["valid", "same"] as const) {
    const info = tf.backend_util.computeConv2DInfo(x, filter, 1, 2, pad);
    const dyShape = info.outShape as Shape4;
    const xs = values(size(x), 7);
    const dy = values(size(dyShape), 8);
    const filterValues = values(size(filter), 9);
    const spread = new Float32Array(size(spreadShape));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 6; k++) spread[((i * 2) * 5 + j * 2) * 6 + k] = filterValues[(i * 3 + j) * 6 + k]!;

    const wasm = await runOn("wasm", "Conv2DBackpropFilter", { x: [xs, x], dy: [dy, dyShape] }, { strides: 1, dilations: 2, pad, dataFormat: "NHWC", filterShape: filter });
    const cpu = await runOn("cpu", "Conv2DBackpropFilter", { x: [xs, x], dy: [dy, dyShape] }, { strides: 1, pad, dataFormat: "NHWC", filterShape: spreadShape });
    const taps = new Float32Array(size(filter));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 6; k++) taps[(i * 3 + j) * 6 + k] = cpu.data[((i * 2) * 5 + j * 2) * 6 + k]!;
    assert.ok(maxAbsDiff(wasm.data, taps) <= 1e-4, `dilated filter gradient, ${pad}`);

    const wasmInput = await runOn("wasm", "Conv2DBackpropInput", { dy: [dy, dyShape], filter: [filterValues, filter] }, { strides: 1, dilations: 2, pad, dataFormat: "NHWC", inputShape: x });
    const cpuInput = await runOn("cpu", "Conv2DBackpropInput", { dy: [dy, dyShape], filter: [spread, spreadShape] }, { strides: 1, pad, dataFormat: "NHWC", inputShape: x });
    assert.ok(maxAbsDiff(wasmInput.data, cpuInput.data) <= 1e-4, `dilated input gradient, ${pad}`);
  }
});

test("MaxPoolGrad on wasm matches cpu for negative inputs, ties, overlapping windows and padding", async () => {
  const cases: { x: Shape4; filter: number; strides: number; pad: "valid" | "same"; levels: number; offset?: number; holes?: boolean }[] = [
    { x: [2, 6, 6, 3], filter: 2, strides: 2, pad: "valid", levels: 0 },
    { x: [2, 7, 9, 3], filter: 2, strides: 2, pad: "valid", levels: 2 },
    { x: [1, 6, 6, 2], filter: 3, strides: 3, pad: "valid", levels: 2 },
    { x: [32, 30, 30, 16], filter: 2, strides: 2, pad: "valid", levels: 4 },
    // Every window below zero: the wasm backend's own kernel gets these wrong.
    { x: [2, 8, 8, 3], filter: 2, strides: 2, pad: "valid", levels: 4, offset: -1 },
    { x: [2, 9, 7, 3], filter: 3, strides: 2, pad: "valid", levels: 3, offset: -1 },
    { x: [2, 9, 7, 3], filter: 3, strides: 1, pad: "same", levels: 3 },
    { x: [3, 7, 7, 2], filter: 2, strides: 2, pad: "same", levels: 0, offset: -1 },
    // NaN and -Infinity never win a window; a window of nothing else gets no gradient.
    { x: [2, 6, 6, 2], filter: 2, strides: 2, pad: "valid", levels: 2, holes: true },
    { x: [2, 7, 7, 2], filter: 3, strides: 2, pad: "same", levels: 2, holes: true },
  ];
  for (const [index, c] of cases.entries()) {
    const hole = (i: number) => (i % 3 === 0 ? NaN : i % 5 === 0 ? -Infinity : undefined);
    const x = values(size(c.x), 30 + index, c.levels).map((v, i) => (c.holes ? hole(i) : undefined) ?? v + (c.offset ?? 0));
    const attrs = { filterSize: c.filter, strides: c.strides, pad: c.pad };
    await selectBackend("cpu");
    const xt = tf.tensor(x, c.x);
    const y = tf.engine().runKernel("MaxPool", { x: xt }, attrs) as tf.Tensor;
    const yValues = (await y.data()) as Float32Array;
    const yShape = y.shape;
    tf.dispose([xt, y]);
    const dy = values(size(yShape), 60 + index);
    const inputs = { dy: [dy, yShape], input: [x, c.x], output: [yValues, yShape] } as Record<string, [Float32Array, number[]]>;
    const wasm = await runOn("wasm", "MaxPoolGrad", inputs, attrs);
    const cpu = await runOn("cpu", "MaxPoolGrad", inputs, attrs);
    assert.ok(maxAbsDiff(wasm.data, cpu.data) <= 1e-4, `case ${index}: ${JSON.stringify(c)}`);
  }
});

test("BatchMatMul on wasm matches cpu with and without transposed operands", async () => {
  const cases: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [
    { a: [32, 64], b: [64, 10], transposeA: false, transposeB: false },
    { a: [32, 64], b: [1152, 64], transposeA: false, transposeB: true },
    { a: [32, 1152], b: [32, 64], transposeA: true, transposeB: false },
    { a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
    { a: [3, 4, 6], b: [3, 5, 6], transposeA: false, transposeB: true },
    { a: [2, 6, 4], b: [1, 6, 5], transposeA: true, transposeB: false },
  ];
  for (const [index, c] of cases.entries()) {
    const inputs = { a: [values(size(c.a), 70 + index), c.a], b: [values(size(c.b), 80 + index), c.b] } as Record<string, [Float32Array, number[]]>;
    const attrs = { transposeA: c.transposeA, transposeB: c.transposeB };
    const wasm = await runOn("wasm", "BatchMatMul", inputs, attrs);
    const cpu = await runOn("cpu", "BatchMatMul", inputs, attrs);
    assert.deepEqual(wasm.shape, cpu.shape);
    const diff = maxAbsDiff(wasm.data, cpu.data);
    assert.ok(diff <= 1e-4, `case ${index}: ${JSON.stringify(c)}: ${diff}`);
  }
});

test("Sum on wasm matches cpu over leading, inner and all axes, with and without keepDims", async () => {
  const cases: { x: number[]; axis: number | number[] | null; keepDims: boolean }[] = [
    { x: [32, 30, 30, 16], axis: [0, 1, 2], keepDims: false },
    { x: [32, 13, 13, 32], axis: [0, 1, 2], keepDims: false },
    { x: [4, 5, 6, 3], axis: [2, 0, 1], keepDims: true },
    { x: [7, 10], axis: 0, keepDims: false },
    { x: [7, 10], axis: -2, keepDims: true },
    { x: [3, 4, 5], axis: [0, 2], keepDims: false },
    { x: [3, 4, 5], axis: 2, keepDims: false },
    { x: [3, 4, 5], axis: null, keepDims: false },
  ];
  for (const [index, c] of cases.entries()) {
    const inputs = { x: [values(size(c.x), 90 + index), c.x] } as Record<string, [Float32Array, number[]]>;
    const attrs = { axis: c.axis ?? Array.from(c.x.keys()), keepDims: c.keepDims };
    const wasm = await runOn("wasm", "Sum", inputs, attrs);
    const cpu = await runOn("cpu", "Sum", inputs, attrs);
    assert.deepEqual(wasm.shape, cpu.shape, `case ${index}`);
    const diff = maxAbsDiff(wasm.data, cpu.data);
    assert.ok(diff <= 1e-4, `case ${index}: ${JSON.stringify(c)}: ${diff}`);
  }
});

test("Identity and same-dtype Cast on wasm share memory that outlives the original; int32 to float32 still converts", async () => {
  await selectBackend("wasm");
  const x = tf.tensor([1.5, -2.25, 3], [3]);
  const clone = tf.clone(x);
  const same = tf.cast(x, "float32");
  assert.equal(clone.dataId, x.dataId, "the clone shares the original's memory");
  assert.equal(same.dataId, x.dataId, "the float32 to float32 cast shares the original's memory");
  const before = tf.memory().numBytes;
  x.dispose();
  assert.deepEqual(Array.from(await clone.data()), [1.5, -2.25, 3]);
  assert.deepEqual(Array.from(await same.data()), [1.5, -2.25, 3]);
  same.dispose();
  assert.deepEqual(Array.from(await clone.data()), [1.5, -2.25, 3]);
  clone.dispose();
  assert.equal(tf.memory().numBytes, before - 3 * 3 * 4);
  const ints = tf.tensor([3, -4], [2], "int32");
  const floats = tf.cast(ints, "float32");
  assert.equal(floats.dtype, "float32");
  assert.deepEqual(Array.from(await floats.data()), [3, -4]);
  tf.dispose([ints, floats]);
});

const optimizers: OptimizerSpec[] = [
  { name: "adam", learning_rate: 0.001 },
  { name: "sgd", learning_rate: 0.01, momentum: 0.9 },
  { name: "sgd", learning_rate: 0.01, momentum: 0 },
  { name: "rmsprop", learning_rate: 0.001 },
];

test("every layer, activation and optimizer of the lessons trains a step on wasm", async () => {
  await selectBackend("wasm");
  const activations = ["relu", "sigmoid", "tanh", "selu", "elu", "linear"] as const;
  const spec = normalizeModelSpec({
    name: "every_layer",
    layers: [
      { class_name: "InputLayer", name: "in", config: { shape: [12, 12, 3] } },
      { class_name: "Conv2D", name: "c1", config: { filters: 4, kernel_size: 3, padding: "same", activation: "relu" } },
      { class_name: "BatchNormalization", name: "bn", config: {} },
      { class_name: "LeakyReLU", name: "leaky", config: {} },
      { class_name: "MaxPooling2D", name: "mp", config: { pool_size: 2 } },
      { class_name: "Conv2D", name: "c2", config: { filters: 6, kernel_size: 3, strides: 1, activation: "elu" } },
      { class_name: "AveragePooling2D", name: "ap", config: { pool_size: 2 } },
      { class_name: "Dropout", name: "drop", config: { rate: 0.3 } },
      ...activations.map((activation, i) => ({ class_name: "Activation", name: `act_${i}`, config: { activation } })),
      { class_name: "Flatten", name: "flat", config: {} },
      { class_name: "Dense", name: "hidden", config: { units: 8, activation: "selu" } },
      { class_name: "Dense", name: "out", config: { units: 3, activation: "softmax" } },
    ],
  });
  const gap = normalizeModelSpec({
    name: "gap",
    layers: [
      { class_name: "InputLayer", config: { shape: [8, 8, 2] } },
      { class_name: "Conv2D", config: { filters: 3, kernel_size: 3, strides: 2, padding: "same" } },
      { class_name: "GlobalAveragePooling2D", config: {} },
      { class_name: "Dense", config: { units: 3, activation: "softmax" } },
    ],
  });
  for (const [modelSpec, optimizer] of [...optimizers.map((o) => [spec, o] as const), [gap, optimizers[0]!] as const]) {
    for (const loss of ["categorical_crossentropy", "sparse_categorical_crossentropy"] as const) {
      const compile: CompileSpec = { optimizer, loss, metrics: ["accuracy"] };
      const { model } = compileModel(modelSpec, compile);
      const shape = modelSpec.layers[0]!.config as { shape: number[] };
      const x = tf.tensor(values(4 * size(shape.shape), 5), [4, ...shape.shape]);
      const y = loss === "categorical_crossentropy" ? tf.oneHot(tf.tensor1d([0, 1, 2, 1], "int32"), 3) : tf.tensor1d([0, 1, 2, 1]);
      const before = model.trainableWeights.map((w) => w.read().dataSync().slice());
      const [lossValue] = (await model.trainOnBatch(x, y)) as number[];
      assert.ok(Number.isFinite(lossValue), `${optimizer.name} ${loss}: loss ${lossValue}`);
      const changed = model.trainableWeights.filter((w, i) => maxAbsDiff(w.read().dataSync() as Float32Array, before[i] as Float32Array) > 0);
      assert.equal(changed.length, model.trainableWeights.length, `${modelSpec.name} ${optimizer.name}: every weight moves`);
      tf.dispose([x, y]);
      model.dispose();
    }
  }
});

/** Random convolutions: tfjs's shapes, strides, dilations and padding, up to `maxInChannels` input channels. */
function convolutionCases(maxInChannels: number) {
  return fc.record({
    batch: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 12 }),
    width: fc.integer({ min: 1, max: 12 }),
    inChannels: fc.integer({ min: 1, max: maxInChannels }),
    outChannels: fc.integer({ min: 1, max: 19 }),
    filterHeight: fc.integer({ min: 1, max: 4 }),
    filterWidth: fc.integer({ min: 1, max: 4 }),
    stride: fc.integer({ min: 1, max: 3 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    pad: fc.constantFrom("valid" as const, "same" as const),
    seed: fc.integer({ min: 1, max: 1000 }),
  });
}

type ConvolutionCase = ReturnType<typeof convolutionCases> extends fc.Arbitrary<infer Case> ? Case : never;

/** A case's tensor shapes, the dilation tfjs allows with its stride, and whether a "valid" filter fits the image. */
function convolutionGeometry(c: ConvolutionCase) {
  const x: Shape4 = [c.batch, c.height, c.width, c.inChannels];
  const filter: Shape4 = [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels];
  // tfjs allows strides > 1 or dilations > 1, not both.
  const dilation = c.stride > 1 ? 1 : c.dilation;
  const spreadHeight = (c.filterHeight - 1) * dilation + 1;
  const spreadWidth = (c.filterWidth - 1) * dilation + 1;
  const fits = c.pad === "same" || (spreadHeight <= c.height && spreadWidth <= c.width);
  const dyShape = fits ? (tf.backend_util.computeConv2DInfo(x, filter, c.stride, dilation, c.pad).outShape as Shape4) : x;
  return { x, filter, dilation, spreadHeight, spreadWidth, fits, dyShape };
}

/** Asserts that the WebAssembly SIMD kernels are the ones running on wasm (not the composed fallback). */
async function expectSimdKernels(): Promise<void> {
  await selectBackend("wasm");
  const kernels = simdKernelsFor(tf.backend() as BackendWasm);
  assert.ok(!(kernels instanceof Error), `the SIMD kernels load: ${kernels instanceof Error ? kernels.message : ""}`);
}

test("the SIMD Conv2DBackpropFilter matches cpu over random shapes, strides, dilations and padding", async () => {
  await expectSimdKernels();
  const shapes = convolutionCases(9);
  await fc.assert(
    fc.asyncProperty(shapes, async (c) => {
      const g = convolutionGeometry(c);
      fc.pre(g.fits);
      const { x, filter, dilation, spreadHeight, spreadWidth, dyShape } = g;
      const xs = values(size(x), c.seed);
      const dy = values(size(dyShape), c.seed + 1);
      const wasm = await runOn("wasm", "Conv2DBackpropFilter", { x: [xs, x], dy: [dy, dyShape] }, { strides: c.stride, dilations: dilation, pad: c.pad, dataFormat: "NHWC", filterShape: filter });
      // The cpu kernel has no dilation: its reference is the zero-spread filter's gradient at every
      // dilation-th tap ("same" pads both alike: the padding depends on the spread size only).
      const spread: Shape4 = [spreadHeight, spreadWidth, c.inChannels, c.outChannels];
      const cpu = await runOn("cpu", "Conv2DBackpropFilter", { x: [xs, x], dy: [dy, dyShape] }, { strides: c.stride, pad: c.pad, dataFormat: "NHWC", filterShape: spread });
      const taps = new Float32Array(size(filter));
      const perTap = c.inChannels * c.outChannels;
      for (let i = 0; i < c.filterHeight; i++) for (let j = 0; j < c.filterWidth; j++) for (let k = 0; k < perTap; k++) taps[(i * c.filterWidth + j) * perTap + k] = cpu.data[(i * dilation * spreadWidth + j * dilation) * perTap + k]!;
      assert.deepEqual(wasm.shape, filter);
      const diff = maxAbsDiff(wasm.data, taps);
      assert.ok(diff <= 1e-4, `${JSON.stringify(c)}: ${diff}`);
    }),
    { numRuns: 60, seed: 14 },
  );
});

test("the SIMD Conv2DBackpropInput matches cpu over random shapes, strides, dilations and padding", async () => {
  await expectSimdKernels();
  const shapes = convolutionCases(21);
  await fc.assert(
    fc.asyncProperty(shapes, async (c) => {
      const g = convolutionGeometry(c);
      fc.pre(g.fits);
      const { x, filter, dilation, spreadHeight, spreadWidth, dyShape } = g;
      const weights = values(size(filter), c.seed);
      const dy = values(size(dyShape), c.seed + 1);
      const wasm = await runOn("wasm", "Conv2DBackpropInput", { dy: [dy, dyShape], filter: [weights, filter] }, { strides: c.stride, dilations: dilation, pad: c.pad, dataFormat: "NHWC", inputShape: x });
      // The cpu kernel has no dilation: its reference is the filter spread with zeros between the
      // taps ("same" pads both alike: the padding depends on the spread size only).
      const spread: Shape4 = [spreadHeight, spreadWidth, c.inChannels, c.outChannels];
      const spreadWeights = new Float32Array(size(spread));
      const perTap = c.inChannels * c.outChannels;
      for (let i = 0; i < c.filterHeight; i++) for (let j = 0; j < c.filterWidth; j++) for (let k = 0; k < perTap; k++) spreadWeights[(i * dilation * spreadWidth + j * dilation) * perTap + k] = weights[(i * c.filterWidth + j) * perTap + k]!;
      const cpu = await runOn("cpu", "Conv2DBackpropInput", { dy: [dy, dyShape], filter: [spreadWeights, spread] }, { strides: c.stride, pad: c.pad, dataFormat: "NHWC", inputShape: x });
      assert.deepEqual(wasm.shape, x);
      const diff = maxAbsDiff(wasm.data, cpu.data);
      assert.ok(diff <= 1e-5, `${JSON.stringify(c)}: ${diff}`);
    }),
    { numRuns: 80, seed: 14 },
  );
});

test("Add on wasm matches cpu exactly for a bias along the last axis, either operand first, and for other broadcasts", async () => {
  await expectSimdKernels();
  const shapes = fc.record({
    leading: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }),
    columns: fc.integer({ min: 1, max: 23 }),
    vectorRank: fc.integer({ min: 1, max: 3 }),
    vectorFirst: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  });
  await fc.assert(
    fc.asyncProperty(shapes, async (c) => {
      const matrix = [...c.leading, c.columns];
      const vector = [...Array.from({ length: Math.min(c.vectorRank, matrix.length) - 1 }, () => 1), c.columns];
      const operands = [
        [values(size(matrix), c.seed), matrix],
        [values(size(vector), c.seed + 1), vector],
      ] as [Float32Array, number[]][];
      const [first, second] = c.vectorFirst ? [operands[1]!, operands[0]!] : [operands[0]!, operands[1]!];
      const wasm = await runOn("wasm", "Add", { a: first, b: second }, {});
      const cpu = await runOn("cpu", "Add", { a: first, b: second }, {});
      assert.deepEqual(wasm.shape, cpu.shape);
      assert.equal(maxAbsDiff(wasm.data, cpu.data), 0, JSON.stringify(c));
    }),
    { numRuns: 60, seed: 14 },
  );
  // Not a bias: the backend's own broadcasting Add.
  for (const [a, b] of [
    [[3, 4], [3, 1]],
    [[2, 3, 4], [3, 4]],
    [[5], [5]],
    [[4, 1], [1, 6]],
  ]) {
    const inputs = { a: [values(size(a!), 3), a!], b: [values(size(b!), 4), b!] } as Record<string, [Float32Array, number[]]>;
    const wasm = await runOn("wasm", "Add", inputs, {});
    const cpu = await runOn("cpu", "Add", inputs, {});
    assert.deepEqual(wasm.shape, cpu.shape);
    assert.equal(maxAbsDiff(wasm.data, cpu.data), 0, `${JSON.stringify(a)} + ${JSON.stringify(b)}`);
  }
});

test("the SIMD BatchMatMul matches cpu over random sizes, batches and transposes", async () => {
  await expectSimdKernels();
  const shapes = fc.record({
    batch: fc.constantFrom([] as number[], [1], [3], [2, 2]),
    m: fc.integer({ min: 1, max: 13 }),
    n: fc.integer({ min: 1, max: 21 }),
    k: fc.integer({ min: 1, max: 40 }),
    transposeA: fc.boolean(),
    transposeB: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  });
  await fc.assert(
    fc.asyncProperty(shapes, async (c) => {
      const a = [...c.batch, ...(c.transposeA ? [c.k, c.m] : [c.m, c.k])];
      const b = [...c.batch, ...(c.transposeB ? [c.n, c.k] : [c.k, c.n])];
      const inputs = { a: [values(size(a), c.seed), a], b: [values(size(b), c.seed + 1), b] } as Record<string, [Float32Array, number[]]>;
      const attrs = { transposeA: c.transposeA, transposeB: c.transposeB };
      const wasm = await runOn("wasm", "BatchMatMul", inputs, attrs);
      const cpu = await runOn("cpu", "BatchMatMul", inputs, attrs);
      assert.deepEqual(wasm.shape, cpu.shape);
      const diff = maxAbsDiff(wasm.data, cpu.data);
      assert.ok(diff <= 1e-5, `${JSON.stringify(c)}: ${diff}`);
    }),
    { numRuns: 80, seed: 14 },
  );
});

test("the SIMD 2×2 MaxPoolGrad matches cpu over random sizes, ties, negative windows and NaNs", async () => {
  await expectSimdKernels();
  const shapes = fc.record({
    batch: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 2, max: 11 }),
    width: fc.integer({ min: 2, max: 11 }),
    channels: fc.integer({ min: 1, max: 13 }),
    levels: fc.constantFrom(0, 1, 2, 4),
    offset: fc.constantFrom(0, -1),
    holes: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  });
  await fc.assert(
    fc.asyncProperty(shapes, async (c) => {
      const shape: Shape4 = [c.batch, c.height, c.width, c.channels];
      const x = values(size(shape), c.seed, c.levels).map((v, i) => (c.holes && i % 3 === 0 ? NaN : c.holes && i % 5 === 0 ? -Infinity : v + c.offset));
      const attrs = { filterSize: 2, strides: 2, pad: "valid" };
      await selectBackend("cpu");
      const xt = tf.tensor(x, shape);
      const y = tf.engine().runKernel("MaxPool", { x: xt }, attrs) as tf.Tensor;
      const yValues = (await y.data()) as Float32Array;
      const yShape = y.shape;
      tf.dispose([xt, y]);
      const dy = values(size(yShape), c.seed + 2);
      const inputs = { dy: [dy, yShape], input: [x, shape], output: [yValues, yShape] } as Record<string, [Float32Array, number[]]>;
      const wasm = await runOn("wasm", "MaxPoolGrad", inputs, attrs);
      const cpu = await runOn("cpu", "MaxPoolGrad", inputs, attrs);
      assert.ok(maxAbsDiff(wasm.data, cpu.data) <= 1e-6, JSON.stringify(c));
    }),
    { numRuns: 60, seed: 14 },
  );
});

test("the SIMD leading-axis Sum matches cpu over random shapes", async () => {
  await expectSimdKernels();
  const shapes = fc.record({
    leading: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }),
    kept: fc.array(fc.integer({ min: 1, max: 37 }), { minLength: 1, maxLength: 2 }),
    keepDims: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  });
  await fc.assert(
    fc.asyncProperty(shapes, async (c) => {
      const shape = [...c.leading, ...c.kept];
      const inputs = { x: [values(size(shape), c.seed), shape] } as Record<string, [Float32Array, number[]]>;
      const attrs = { axis: c.leading.map((_, i) => i), keepDims: c.keepDims };
      const wasm = await runOn("wasm", "Sum", inputs, attrs);
      const cpu = await runOn("cpu", "Sum", inputs, attrs);
      assert.deepEqual(wasm.shape, cpu.shape);
      assert.ok(maxAbsDiff(wasm.data, cpu.data) <= 1e-4, JSON.stringify(c));
    }),
    { numRuns: 60, seed: 14 },
  );
});

test("the Adam built for wasm is the fused SIMD one and matches tfjs's own Adam on cpu over random sizes and steps", async () => {
  await expectSimdKernels();
  /** Three Adam steps on two variables of `sizes`, from the same start and gradients, on `backend`. */
  const adamSteps = async (backend: "wasm" | "cpu", sizes: [number, number], seed: number, learningRate: number): Promise<Float32Array[]> => {
    await selectBackend(backend);
    const variables = sizes.map((n, i) => tf.variable(tf.tensor1d(values(n, seed + i)), true, `adam_${backend}_${seed}_${i}_${sizes.join("x")}`));
    // The optimizer a Keras compile spec becomes: the fused one on wasm, tfjs's own on cpu.
    const optimizer = buildOptimizer({ optimizer: { name: "adam", learning_rate: learningRate }, loss: "categorical_crossentropy", metrics: [] });
    // By constructor: tfjs's Optimizer answers `instanceof` for any object with its methods.
    assert.equal(optimizer.constructor, backend === "wasm" ? FusedAdamOptimizer : tf.AdamOptimizer, `the optimizer built for ${backend}`);
    for (let step = 0; step < 3; step++) {
      const gradients = variables.map((variable, i) => ({ name: variable.name, tensor: tf.tensor1d(values(sizes[i]!, seed + 10 * step + i + 5).map((g) => g * (step + 1))) }));
      optimizer.applyGradients(gradients);
      tf.dispose(gradients.map((g) => g.tensor));
    }
    const result = variables.map((variable) => variable.dataSync().slice() as Float32Array);
    const moments = optimizer.getWeights();
    assert.equal((await moments).length, 1 + 2 * sizes.length, "iterations and both moments of each variable are the optimizer's weights");
    optimizer.dispose();
    tf.dispose(variables);
    return result;
  };
  await fc.assert(
    fc.asyncProperty(fc.tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 9 })), fc.integer({ min: 1, max: 1000 }), fc.constantFrom(0.001, 0.01, 0.1), async (sizes, seed, learningRate) => {
      const wasm = await adamSteps("wasm", sizes, seed, learningRate);
      const cpu = await adamSteps("cpu", sizes, seed, learningRate);
      for (let i = 0; i < 2; i++) assert.ok(maxAbsDiff(wasm[i]!, cpu[i]!) <= 1e-6, `variable ${i} of ${JSON.stringify({ sizes, seed, learningRate })}: ${maxAbsDiff(wasm[i]!, cpu[i]!)}`);
    }),
    { numRuns: 30, seed: 14 },
  );
});

test("the JavaScript Adam update (where the SIMD module does not load) gives the SIMD kernel's float32 results bit for bit", async () => {
  await expectSimdKernels();
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 1000 }), fc.constantFrom(1, 2, 50), fc.constantFrom(0.001, 0.1), async (count, seed, step, learningRate) => {
      const [x, m, g] = [values(count, seed), values(count, seed + 1).map((value) => value / 10), values(count, seed + 2)];
      const v = values(count, seed + 3).map((value) => (value * value) / 100);
      const attrs = { beta1: 0.9, beta2: 0.999, c1: Math.fround(1 - 0.9 ** step), c2: Math.fround(1 - 0.999 ** step), epsilon: 1e-7, learningRate };
      const inputs = Object.fromEntries(Object.entries({ x, m, v, g }).map(([name, data]) => [name, tf.tensor1d(data)]));
      const outputs = tf.engine().runKernel("FusedAdamUpdate", inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const simd = outputs.map((tensor) => tensor.dataSync() as Float32Array);
      tf.dispose([...outputs, ...Object.values(inputs)]);
      const js = [new Float32Array(count), new Float32Array(count), new Float32Array(count)] as const;
      adamInJavaScript(x, m, v, g, ...js, attrs);
      for (let k = 0; k < 3; k++) assert.deepEqual(js[k], simd[k], `output ${k} of ${JSON.stringify({ count, seed, step, learningRate })}`);
    }),
    { numRuns: 40, seed: 14 },
  );
});

test("the ReLU gradient on wasm is one fused kernel and equals tfjs's Step·Cast·Multiply on cpu, NaN and ∞ included", async () => {
  await expectSimdKernels();
  const shapes = fc.record({
    shape: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
    holes: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  });
  const gradient = async (backend: "wasm" | "cpu", x: Float32Array, dy: Float32Array, shape: number[]) => {
    await selectBackend(backend);
    const [xt, dyt] = [tf.tensor(x, shape), tf.tensor(dy, shape)];
    let dx: Float32Array | undefined;
    const profile = await tf.profile(() => {
      const grad = tf.grad((input: tf.Tensor) => tf.relu(input))(xt, dyt);
      dx = grad.dataSync() as Float32Array;
      grad.dispose();
    });
    tf.dispose([xt, dyt]);
    return { dx: dx!, kernels: profile.kernelNames };
  };
  await fc.assert(
    fc.asyncProperty(shapes, async (c) => {
      const count = size(c.shape);
      const x = values(count, c.seed, 4).map((v, i) => (c.holes && i % 7 === 0 ? NaN : c.holes && i % 5 === 0 ? -Infinity : c.holes && i % 11 === 0 ? Infinity : v));
      const dy = values(count, c.seed + 1).map((v, i) => (c.holes && i % 3 === 0 ? Infinity : v));
      const wasm = await gradient("wasm", x, dy, c.shape);
      const cpu = await gradient("cpu", x, dy, c.shape);
      assert.ok(wasm.kernels.includes("FusedReluGrad") && !wasm.kernels.includes("Step"), `wasm ran ${wasm.kernels.join(", ")}`);
      assert.ok(cpu.kernels.includes("Step"), `cpu ran ${cpu.kernels.join(", ")}`);
      assert.deepEqual(Array.from(wasm.dx), Array.from(cpu.dx), JSON.stringify(c));
    }),
    { numRuns: 40, seed: 14 },
  );
});
