import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { CLASS_NAMES, DatasetError, loadDataset } from "../../src/training/datasets";
import { checkCifar10BatchFile, parseCifar10Batch, readCifar10ClassNames } from "../../src/training/datasets/cifar10";
import { parseIdx, readIdxFile } from "../../src/training/datasets/idx";

let scratch: string;
before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "dl-lessons-datasets-"));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** One CIFAR-10 record: label, then the red, green and blue planes. */
function cifarRecord(label: number, pixel: (channel: number, row: number, column: number) => number): Uint8Array {
  const record = new Uint8Array(3073);
  record[0] = label;
  for (let channel = 0; channel < 3; channel++) {
    for (let row = 0; row < 32; row++) for (let column = 0; column < 32; column++) record[1 + channel * 1024 + row * 32 + column] = pixel(channel, row, column);
  }
  return record;
}

function idxBytes(dims: number[], values: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  const view = new DataView(header.buffer);
  dims.forEach((dim, axis) => view.setUint32(4 + 4 * axis, dim, false));
  return Buffer.concat([header, values]);
}

async function expectDatasetError(action: () => Promise<unknown> | unknown, code: string, ...fragments: string[]): Promise<DatasetError> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof DatasetError, `expected a DatasetError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `"${error.message}" should mention "${fragment}"`);
    return error;
  }
  assert.fail("expected a DatasetError");
}

describe("CIFAR-10 binary reader", () => {
  it("moves each planar pixel to its HWC place and keeps labels", () => {
    // Every byte encodes where it came from, so a misplaced byte cannot go unnoticed.
    const value = (record: number, channel: number, row: number, column: number): number => (record * 7 + channel * 50 + row * 3 + column * 5) % 256;
    const records = [0, 1, 2].map((r) => cifarRecord([3, 9, 0][r]!, (c, y, x) => value(r, c, y, x)));
    const set = parseCifar10Batch(Buffer.concat(records), "data_batch_1.bin", 3);
    assert.equal(set.count, 3);
    assert.deepEqual([...set.labels], [3, 9, 0]);
    for (const [r, y, x, c] of [[0, 0, 0, 0], [1, 5, 17, 2], [2, 31, 31, 1], [2, 0, 31, 2], [1, 31, 0, 0]] as const) {
      assert.equal(set.images[r * 3072 + (y * 32 + x) * 3 + c], value(r, c, y, x), `record ${r}, row ${y}, column ${x}, channel ${c}`);
    }
  });

  it("rejects a label outside 0..9, naming the file", async () => {
    await expectDatasetError(() => parseCifar10Batch(cifarRecord(12, () => 0), "test_batch.bin", 1), "corrupt", "test_batch.bin", "label 12");
  });

  it("names a truncated official batch file and both sizes", async () => {
    const file = path.join(scratch, "data_batch_3.bin");
    await writeFile(file, new Uint8Array(3073 * 7));
    const error = await expectDatasetError(() => checkCifar10BatchFile(file), "corrupt", "data_batch_3.bin is 21,511 bytes", "30,730,000 bytes", "Import Dataset");
    assert.equal(error.file, file);
    await expectDatasetError(() => checkCifar10BatchFile(path.join(scratch, "data_batch_4.bin")), "missing", "data_batch_4.bin");
  });

  it("reads class names from batches.meta.txt and falls back to the published ones", async () => {
    const folder = await mkdtemp(path.join(scratch, "meta-"));
    assert.deepEqual(await readCifar10ClassNames(folder), CLASS_NAMES.cifar10);
    const names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    await writeFile(path.join(folder, "batches.meta.txt"), `${names.join("\n")}\n\n`);
    assert.deepEqual(await readCifar10ClassNames(folder), names);
  });
});

describe("IDX reader", () => {
  it("reads dims and values, gzipped or plain", async () => {
    const values = Uint8Array.from({ length: 2 * 28 * 28 }, (_, i) => i % 251);
    const bytes = idxBytes([2, 28, 28], values);
    const plain = path.join(scratch, "plain-idx3-ubyte");
    const packed = path.join(scratch, "packed-idx3-ubyte.gz");
    await writeFile(plain, bytes);
    await writeFile(packed, gzipSync(bytes));
    for (const file of [plain, packed]) {
      const array = await readIdxFile(file);
      assert.deepEqual(array.dims, [2, 28, 28]);
      assert.deepEqual([...array.data], [...values]);
    }
  });

  it("explains a wrong magic number, a wrong type, a short body and a broken gzip", async () => {
    await expectDatasetError(() => parseIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 1, 5]), "x.idx"), "corrupt", "x.idx", "two zero bytes");
    await expectDatasetError(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 5]), "x.idx"), "corrupt", "type 0x0d");
    await expectDatasetError(() => parseIdx(idxBytes([10], new Uint8Array(4)), "labels.idx"), "corrupt", "labels.idx is truncated", "only 4 bytes follow");
    const file = path.join(scratch, "train-images-idx3-ubyte.gz");
    const packed = gzipSync(idxBytes([50, 28, 28], new Uint8Array(50 * 784).fill(7)));
    await writeFile(file, packed.subarray(0, packed.length - 20));
    await expectDatasetError(() => readIdxFile(file), "corrupt", "train-images-idx3-ubyte.gz cannot be decompressed");
  });
});

describe("a dataset that is not here", () => {
  it("says how to get a dataset that is missing", async () => {
    await expectDatasetError(
      () => loadDataset({ name: "mnist" }, { dataDirectory: path.join(scratch, "empty-data"), download: false }),
      "missing",
      "MNIST is not in",
      "dl-lessons datasets download mnist",
    );
  });
});
