import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { batchTensors, firstImages, seededPermutation, splitTrainValidation, subset, type ImageSet } from "../../src/training/datasets";

/** `count` tiny 2x2x1 images whose pixels all equal their index (mod 256); labels cycle 0..classes-1 unless given. */
function syntheticSet(count: number, labelOf: (index: number) => number): ImageSet {
  const images = new Uint8Array(count * 4);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images.fill(i % 256, i * 4, i * 4 + 4);
    labels[i] = labelOf(i);
  }
  return { images, labels, count };
}

function histogram(set: ImageSet, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of set.labels) counts[label]! += 1;
  return counts;
}

describe("seeded permutation", () => {
  it("reproduces numpy.random.RandomState(seed).permutation(n)", () => {
    // Reference values printed by NumPy 2.4 (`np.random.RandomState(42).permutation(n)`).
    assert.deepEqual([...seededPermutation(10, 42)], [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
    const big = seededPermutation(60000, 42);
    assert.deepEqual([...big.subarray(0, 8)], [12628, 37730, 39991, 8525, 8279, 51012, 14871, 15127]);
    assert.deepEqual([...big.subarray(-3)], [860, 15795, 56422]);
    assert.deepEqual([...seededPermutation(1000, 7).subarray(0, 8)], [778, 334, 271, 802, 216, 408, 812, 94]);
  });
});

describe("train/validation split", () => {
  it("matches train_test_split(test_size=0.2, random_state=42) on ten items", () => {
    const set = syntheticSet(10, (i) => i % 2);
    const { train, validation } = splitTrainValidation(set, { validationFraction: 0.2, seed: 42 });
    // scikit-learn puts the first ceil(0.2 n) permuted indices in the test part.
    assert.deepEqual([...validation.images.filter((_, p) => p % 4 === 0)], [8, 1]);
    assert.deepEqual([...train.images.filter((_, p) => p % 4 === 0)], [5, 0, 7, 2, 9, 4, 3, 6]);
    assert.deepEqual([...train.labels], [1, 0, 1, 0, 1, 0, 1, 0]);
  });

  it("makes 80/20 parts that together hold every image once, the same for the same seed", () => {
    const set = syntheticSet(1003, (i) => i % 10);
    const a = splitTrainValidation(set, { validationFraction: 0.2, seed: 42 });
    const b = splitTrainValidation(set, { validationFraction: 0.2, seed: 42 });
    const c = splitTrainValidation(set, { validationFraction: 0.2, seed: 43 });
    assert.equal(a.validation.count, 201);
    assert.equal(a.train.count, 802);
    assert.deepEqual(a.validation.images, b.validation.images);
    assert.notDeepEqual(a.validation.images, c.validation.images);
    const seen = [...a.train.images, ...a.validation.images].filter((_, p) => p % 4 === 0).sort((x, y) => x - y);
    assert.deepEqual(seen, Array.from({ length: 1003 }, (_, i) => i % 256).sort((x, y) => x - y));
  });

  it("keeps each class's share when stratified, even for a rare class", () => {
    // 900 of class 0, 90 of class 1, 10 of class 2.
    const set = syntheticSet(1000, (i) => (i < 900 ? 0 : i < 990 ? 1 : 2));
    const { train, validation } = splitTrainValidation(set, { validationFraction: 0.2, seed: 42, stratify: true });
    assert.deepEqual(histogram(validation, 3), [180, 18, 2]);
    assert.deepEqual(histogram(train, 3), [720, 72, 8]);
    const again = splitTrainValidation(set, { validationFraction: 0.2, seed: 42, stratify: true });
    assert.deepEqual(again.validation.images, validation.images);
  });

  it("refuses a fraction outside (0, 1)", () => {
    assert.throws(() => splitTrainValidation(syntheticSet(10, () => 0), { validationFraction: 1.2, seed: 1 }), RangeError);
  });
});

describe("subset and first N", () => {
  it("copies the chosen images in the chosen order", () => {
    const set = syntheticSet(20, (i) => i % 3);
    const picked = subset(set, [7, 2, 19]);
    assert.deepEqual([...picked.images], [7, 7, 7, 7, 2, 2, 2, 2, 19, 19, 19, 19]);
    assert.deepEqual([...picked.labels], [1, 2, 1]);
    assert.throws(() => subset(set, [20]), RangeError);
  });

  it("takes the earliest images of each class in proportion", () => {
    // Class 0 fills the first half, so a plain "first 10" would hold only class 0.
    const set = syntheticSet(100, (i) => (i < 50 ? 0 : 1));
    const first = firstImages(set, 10);
    assert.deepEqual([...first.images.filter((_, p) => p % 4 === 0)], [0, 1, 2, 3, 4, 50, 51, 52, 53, 54]);
    assert.equal(firstImages(set, 100), set);
  });
});

describe("batchTensors", () => {
  before(async () => {
    await tf.setBackend("cpu");
  });

  it("scales bytes to [0, 1] and one-hot encodes labels, without leaking tensors", () => {
    const images = Uint8Array.from([0, 255, 128, 51, 10, 20, 30, 40, 255, 0, 0, 255]);
    const set: ImageSet = { images, labels: Uint8Array.from([2, 0, 1]), count: 3 };
    const before = tf.memory().numTensors;
    const { x, y } = batchTensors(set, [2, 2, 1], [2, 0], 3);
    assert.equal(tf.memory().numTensors, before + 2);
    assert.deepEqual(x.shape, [2, 2, 2, 1]);
    assert.equal(x.dtype, "float32");
    const pixels = x.dataSync();
    const expected = [255, 0, 0, 255, 0, 255, 128, 51].map((v) => v / 255);
    pixels.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-7, `pixel ${i}: ${v}`));
    assert.ok(pixels.every((v) => v >= 0 && v <= 1));
    assert.deepEqual(y.shape, [2, 3]);
    assert.equal(y.dtype, "float32");
    assert.deepEqual([...y.dataSync()], [0, 1, 0, 0, 0, 1]);
    tf.dispose([x, y]);
    assert.equal(tf.memory().numTensors, before);
  });

  it("refuses a label that has no class", () => {
    const set: ImageSet = { images: new Uint8Array(4), labels: Uint8Array.from([5]), count: 1 };
    assert.throws(() => batchTensors(set, [2, 2, 1], [0], 3), /only 3 classes/);
  });
});
