/** The real Fashion-MNIST that Debian's dataset-fashion-mnist package installs, read from disk. */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { datasetStatus, loadDataset } from "../../src/training/datasets";
import { DATA_DIRECTORY, scratchFolder } from "./harness";

const DEBIAN_FASHION = path.join(DATA_DIRECTORY, "fashion-mnist");

let scratch: string;
before(async () => {
  scratch = await scratchFolder("datasets");
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("real Fashion-MNIST from Debian's dataset-fashion-mnist", () => {
  it("is found automatically and has 60,000 + 10,000 balanced 28x28x1 images", async () => {
    const status = await datasetStatus("fashion-mnist", path.join(scratch, "empty-data"));
    assert.equal(status.source, "debian");
    assert.equal(status.location, DEBIAN_FASHION);
    const data = await loadDataset({ name: "fashion-mnist" }, { dataDirectory: path.join(scratch, "empty-data"), download: false });
    assert.deepEqual(data.imageShape, [28, 28, 1]);
    assert.equal(data.classNames[0], "T-shirt/top");
    assert.equal(data.classNames[9], "Ankle boot");
    for (const [set, count, perClass] of [[data.train, 60000, 6000], [data.test, 10000, 1000]] as const) {
      assert.equal(set.count, count);
      assert.equal(set.images.length, count * 784);
      const histogram = new Array<number>(10).fill(0);
      for (const label of set.labels) histogram[label]! += 1;
      assert.deepEqual(histogram, new Array<number>(10).fill(perClass));
    }
    // The images are real pictures, not blank memory: plenty of dark and bright pixels.
    const first = data.train.images.subarray(0, 784);
    assert.ok(first.some((v) => v > 200) && first.some((v) => v === 0));
  });

  it("keeps each class's share when a limit takes the first N", async () => {
    const data = await loadDataset({ name: "fashion-mnist", trainLimit: 500, testLimit: 100 }, { dataDirectory: path.join(scratch, "empty-data"), download: false });
    assert.equal(data.train.count, 500);
    assert.equal(data.test.count, 100);
    const histogram = new Array<number>(10).fill(0);
    for (const label of data.train.labels) histogram[label]! += 1;
    assert.deepEqual(histogram, new Array<number>(10).fill(50));
  });
});
