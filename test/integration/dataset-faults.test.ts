/**
 * Imports that must prove their data: a CIFAR-10 copy with one bad label byte, or with classes
 * that do not have their published counts, is refused and the good cache it would have replaced
 * is kept; work a killed import left in `.incoming/` is removed on the next start.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { before, test } from "node:test";
import { CIFAR10_RECORD_BYTES, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from "../../src/training/datasets/catalog";
import { DatasetError, importDatasetArchive, loadDataset, locateDataset } from "../../src/training/datasets";
import { scratchFolder } from "./harness";

const RECORDS = 10_000;
let scratch: string;
let good: string;

/** A cifar-10-batches-bin folder with the published layout and class counts (images are noise-free). */
async function writeCifarFolder(folder: string, label: (file: number, record: number) => number): Promise<void> {
  await fs.mkdir(folder, { recursive: true });
  for (const [index, name] of [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].entries()) {
    const bytes = Buffer.alloc(RECORDS * CIFAR10_RECORD_BYTES);
    for (let record = 0; record < RECORDS; record++) {
      bytes[record * CIFAR10_RECORD_BYTES] = label(index, record);
      bytes[record * CIFAR10_RECORD_BYTES + 1] = index; // first red pixel says which file it came from
    }
    await fs.writeFile(path.join(folder, name), bytes);
  }
}

before(async () => {
  scratch = await scratchFolder("cifar-import");
  good = path.join(scratch, "good", "cifar-10-batches-bin");
  await writeCifarFolder(good, (_file, record) => record % 10);
});

test("a CIFAR-10 copy with one bad label byte is refused, naming the file and the image, and the good cache stays", async () => {
  const data = path.join(scratch, "data-bad-label");
  await importDatasetArchive("cifar10", good, data);
  const before = await locateDataset("cifar10", data);
  assert.equal(before?.source, "imported");

  const damaged = path.join(scratch, "damaged", "cifar-10-batches-bin");
  await writeCifarFolder(damaged, (file, record) => (file === 2 && record === 4_321 ? 10 : record % 10));
  await assert.rejects(importDatasetArchive("cifar10", damaged, data), (error: unknown) => {
    assert.ok(error instanceof DatasetError && error.code === "corrupt");
    assert.match(error.message, /data_batch_3\.bin is damaged: image 4,322 has label 10, but CIFAR-10 labels go from 0 to 9\. Nothing was imported; the dataset you had is kept/);
    return true;
  });
  const loaded = await loadDataset({ name: "cifar10" }, { dataDirectory: data, download: false });
  assert.equal(loaded.train.count, 50_000);
  assert.deepEqual([...new Set(loaded.train.labels)].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(await fs.readdir(path.join(data, ".incoming")), [], "no work left behind");
});

test("a CIFAR-10 copy whose classes do not have their published counts is refused over a good cache", async () => {
  const data = path.join(scratch, "data-counts");
  await importDatasetArchive("cifar10", good, data);
  const skewed = path.join(scratch, "skewed", "cifar-10-batches-bin");
  await writeCifarFolder(skewed, () => 0);
  await assert.rejects(importDatasetArchive("cifar10", skewed, data), /holds? 10,000 images of class 0 \(airplane\); the published CIFAR-10 has 1,000|hold 50,000 images of class 0/);
  const loaded = await loadDataset({ name: "cifar10" }, { dataDirectory: data, download: false });
  assert.equal(loaded.train.labels[1], 1, "still the good copy");
});

test("work a killed import left in .incoming/ is removed on the next start; a live process's work is kept", async () => {
  const data = path.join(scratch, "data-incoming");
  await importDatasetArchive("cifar10", good, data);
  const incoming = path.join(data, ".incoming");
  // A pid far above any kernel's pid_max belongs to no process: its owner is dead.
  const dead = path.join(incoming, "cifar10-99999999-AbC123");
  await fs.mkdir(dead, { recursive: true });
  await fs.writeFile(path.join(dead, "cifar-10-binary.tar.gz.partial-0011aabb"), Buffer.alloc(4096));
  const live = path.join(incoming, `cifar10-${process.pid}-XyZ789`);
  await fs.mkdir(live);
  await loadDataset({ name: "cifar10", trainLimit: 100 }, { dataDirectory: data, download: false });
  assert.deepEqual(await fs.readdir(incoming), [path.basename(live)]);
});
