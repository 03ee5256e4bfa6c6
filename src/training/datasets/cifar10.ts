/**
 * Reader for CIFAR-10's official binary version: five training batches and one test batch, each
 * 10,000 records of one label byte followed by the image as three 32x32 colour planes (all red,
 * then all green, then all blue). Images are turned into the HWC layout the models expect.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import {
  CIFAR10_META_FILE,
  CIFAR10_RECORD_BYTES,
  CIFAR10_RECORDS_PER_BATCH,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  CLASS_NAMES,
} from "./catalog";
import { DatasetError, formatCount } from "./errors";
import type { DatasetProgressListener, ImageSet } from "./types";

const PLANE = 32 * 32;
const BATCH_BYTES = CIFAR10_RECORDS_PER_BATCH * CIFAR10_RECORD_BYTES;

const AFTER_DAMAGE = "The download may have stopped early: delete it or run Import Dataset again.";

/**
 * Checks that a batch file has the size of a complete official batch, before reading 30 MB of it.
 * Throws DatasetError("missing") when the file is absent and ("corrupt") when its size is wrong.
 */
export async function checkCifar10BatchFile(filePath: string): Promise<void> {
  const fileName = path.basename(filePath);
  let size: number;
  try {
    size = (await stat(filePath)).size;
  } catch {
    throw new DatasetError(
      "missing",
      `${fileName} is missing from ${path.dirname(filePath)}. CIFAR-10 needs data_batch_1.bin to data_batch_5.bin and test_batch.bin: ` +
        "download the dataset again or import the complete cifar-10-binary.tar.gz.",
      filePath,
    );
  }
  if (size !== BATCH_BYTES) {
    throw new DatasetError(
      "corrupt",
      `${fileName} is ${formatCount(size)} bytes; a complete batch is ${formatCount(BATCH_BYTES)} bytes. ${AFTER_DAMAGE}`,
      filePath,
    );
  }
}

/**
 * Decodes `expectedRecords` CIFAR-10 records. The official files always hold 10,000; the count is
 * a parameter so that the layout conversion can be tested on a handful of records.
 */
export function parseCifar10Batch(bytes: Uint8Array, fileName: string, expectedRecords: number): ImageSet {
  const expectedBytes = expectedRecords * CIFAR10_RECORD_BYTES;
  if (bytes.length !== expectedBytes) {
    throw new DatasetError(
      "corrupt",
      `${fileName} is ${formatCount(bytes.length)} bytes; a complete batch is ${formatCount(expectedBytes)} bytes. ${AFTER_DAMAGE}`,
      fileName,
    );
  }
  const images = new Uint8Array(expectedRecords * PLANE * 3);
  const labels = new Uint8Array(expectedRecords);
  for (let record = 0; record < expectedRecords; record++) {
    const start = record * CIFAR10_RECORD_BYTES;
    const label = bytes[start]!;
    if (label > 9) {
      throw new DatasetError(
        "corrupt",
        `${fileName} is damaged: image ${formatCount(record + 1)} has label ${label}, but CIFAR-10 labels go from 0 to 9. ${AFTER_DAMAGE}`,
        fileName,
      );
    }
    labels[record] = label;
    const out = record * PLANE * 3;
    // Planar (CHW) to interleaved (HWC): pixel p of channel c moves to p*3 + c.
    for (let channel = 0; channel < 3; channel++) {
      const plane = start + 1 + channel * PLANE;
      for (let pixel = 0; pixel < PLANE; pixel++) images[out + pixel * 3 + channel] = bytes[plane + pixel]!;
    }
  }
  return { images, labels, count: expectedRecords };
}

/** Class names from `batches.meta.txt` (one per line), or the published ten when it is absent or odd. */
export async function readCifar10ClassNames(folder: string): Promise<string[]> {
  try {
    const names = (await readFile(path.join(folder, CIFAR10_META_FILE), "utf8"))
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    return names.length === 10 ? names : CLASS_NAMES.cifar10;
  } catch {
    return CLASS_NAMES.cifar10;
  }
}

function concatSets(sets: ImageSet[]): ImageSet {
  const count = sets.reduce((sum, set) => sum + set.count, 0);
  const images = new Uint8Array(sets.reduce((sum, set) => sum + set.images.length, 0));
  const labels = new Uint8Array(count);
  let imageOffset = 0;
  let labelOffset = 0;
  for (const set of sets) {
    images.set(set.images, imageOffset);
    labels.set(set.labels, labelOffset);
    imageOffset += set.images.length;
    labelOffset += set.count;
  }
  return { images, labels, count };
}

/** Checks every batch file of a `cifar-10-batches-bin` folder without reading the images. */
export async function checkCifar10Folder(folder: string): Promise<void> {
  for (const file of [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE]) await checkCifar10BatchFile(path.join(folder, file));
}

/** Reads a whole `cifar-10-batches-bin` folder: 50,000 training and 10,000 test images. */
export async function readCifar10Folder(
  folder: string,
  onProgress?: DatasetProgressListener,
): Promise<{ train: ImageSet; test: ImageSet; classNames: string[] }> {
  await checkCifar10Folder(folder);
  const files = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];
  const totalBytes = files.length * BATCH_BYTES;
  const sets: ImageSet[] = [];
  for (const [index, file] of files.entries()) {
    onProgress?.({ dataset: "cifar10", phase: "read", receivedBytes: index * BATCH_BYTES, totalBytes });
    const bytes = await readFile(path.join(folder, file));
    sets.push(parseCifar10Batch(bytes, file, CIFAR10_RECORDS_PER_BATCH));
  }
  onProgress?.({ dataset: "cifar10", phase: "read", receivedBytes: totalBytes, totalBytes });
  const test = sets.pop()!;
  return { train: concatSets(sets), test, classNames: await readCifar10ClassNames(folder) };
}

/** Images per class in CIFAR-10's published split: 5,000 in the five training batches together, 1,000 in the test batch. */
const CIFAR10_TRAIN_PER_CLASS = 5_000;
const CIFAR10_TEST_PER_CLASS = 1_000;

/**
 * Proves a `cifar-10-batches-bin` folder before it may replace anything: every file the size of a
 * full batch, every label byte a class from 0 to 9, and each class its published number of
 * images (5,000 for training, 1,000 for testing). Throws DatasetError("corrupt") naming the file.
 */
export async function verifyCifar10Folder(folder: string): Promise<void> {
  await checkCifar10Folder(folder);
  const trainCounts = new Array<number>(10).fill(0);
  for (const file of [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE]) {
    const bytes = await readFile(path.join(folder, file));
    const counts = file === CIFAR10_TEST_FILE ? new Array<number>(10).fill(0) : trainCounts;
    for (let record = 0; record < CIFAR10_RECORDS_PER_BATCH; record++) {
      const label = bytes[record * CIFAR10_RECORD_BYTES]!;
      if (label > 9) {
        throw new DatasetError(
          "corrupt",
          `${file} is damaged: image ${formatCount(record + 1)} has label ${label}, but CIFAR-10 labels go from 0 to 9. Nothing was imported; the dataset you had is kept. Import an undamaged copy.`,
          path.join(folder, file),
        );
      }
      counts[label]! += 1;
    }
    if (file === CIFAR10_TEST_FILE) checkClassCounts(counts, CIFAR10_TEST_PER_CLASS, file, folder);
  }
  checkClassCounts(trainCounts, CIFAR10_TRAIN_PER_CLASS, "the five training batches", folder);
}

function checkClassCounts(counts: number[], expected: number, what: string, folder: string): void {
  const off = counts.findIndex((count) => count !== expected);
  if (off < 0) return;
  throw new DatasetError(
    "corrupt",
    `${what} hold${what.startsWith("the") ? "" : "s"} ${formatCount(counts[off]!)} images of class ${off} (${CLASS_NAMES.cifar10[off]}); the published CIFAR-10 has ${formatCount(expected)}. ` +
      "This is not the published dataset: nothing was imported, and the dataset you had is kept.",
    folder,
  );
}
