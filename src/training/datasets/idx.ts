/**
 * Reader for the IDX format MNIST and Fashion-MNIST are published in: a 4-byte magic number (two
 * zero bytes, a type byte, the number of dimensions), one big-endian uint32 per dimension, then
 * the values. Files may be gzipped, as published, or plain.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { CLASS_NAMES, IDX_FILES, IMAGE_SHAPES, type IdxPart } from "./catalog";
import { DatasetError, formatCount } from "./errors";
import type { DatasetProgressListener, ImageSet } from "./types";

const gunzipAsync = promisify(gunzip);
const UNSIGNED_BYTE = 0x08;
const AFTER_DAMAGE = "Delete it and download or import the dataset again.";

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

function corrupt(fileName: string, problem: string): DatasetError {
  return new DatasetError("corrupt", `${fileName} ${problem}. ${AFTER_DAMAGE}`, fileName);
}

/** Parses the (already decompressed) bytes of an IDX file holding unsigned bytes. */
export function parseIdx(bytes: Uint8Array, fileName: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw corrupt(fileName, "is not an IDX file (it should start with two zero bytes)");
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw corrupt(fileName, `holds values of IDX type 0x${bytes[2]!.toString(16).padStart(2, "0")}; image and label files hold unsigned bytes (type 0x08)`);
  }
  const rank = bytes[3]!;
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw corrupt(fileName, `ends inside its header (${formatCount(bytes.length)} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let axis = 0; axis < rank; axis++) dims.push(view.getUint32(4 + 4 * axis, false));
  const expected = dims.reduce((product, dim) => product * dim, 1);
  const actual = bytes.length - headerBytes;
  if (actual < expected) {
    throw corrupt(fileName, `is truncated: its header announces ${dims.map(formatCount).join(" x ")} values (${formatCount(expected)} bytes) but only ${formatCount(actual)} bytes follow`);
  }
  if (actual > expected) {
    throw corrupt(fileName, `has ${formatCount(actual - expected)} bytes more than its header announces (${dims.map(formatCount).join(" x ")})`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Reads an IDX file, gunzipping it when it starts with the gzip magic bytes. */
export async function readIdxFile(filePath: string): Promise<IdxArray> {
  const fileName = path.basename(filePath);
  let bytes: Uint8Array = await readFile(filePath);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw corrupt(fileName, `cannot be decompressed (${reason}): the file is incomplete or damaged`);
    }
  }
  return parseIdx(bytes, fileName);
}

/** The path of one of the four files in `folder`, gzipped or plain, or undefined. */
export async function findIdxFile(folder: string, part: IdxPart): Promise<string | undefined> {
  for (const candidate of [`${IDX_FILES[part]}.gz`, IDX_FILES[part]]) {
    const filePath = path.join(folder, candidate);
    try {
      if ((await stat(filePath)).isFile()) return filePath;
    } catch {
      // Not under this name; try the next one.
    }
  }
  return undefined;
}

async function locateIdxFiles(folder: string): Promise<Record<IdxPart, string>> {
  const found: Partial<Record<IdxPart, string>> = {};
  for (const part of Object.keys(IDX_FILES) as IdxPart[]) {
    const filePath = await findIdxFile(folder, part);
    if (filePath === undefined) {
      const expected = `${IDX_FILES[part]}.gz`;
      throw new DatasetError("missing", `${expected} is missing from ${folder}. Download or import the dataset again.`, path.join(folder, expected));
    }
    found[part] = filePath;
  }
  return found as Record<IdxPart, string>;
}

function toImageSet(images: IdxArray, imagesPath: string, labels: IdxArray, labelsPath: string, dataset: "fashion-mnist" | "mnist"): ImageSet {
  const imagesName = path.basename(imagesPath);
  const labelsName = path.basename(labelsPath);
  const [height, width] = IMAGE_SHAPES[dataset];
  if (images.dims.length !== 3 || images.dims[1] !== height || images.dims[2] !== width) {
    throw corrupt(imagesName, `holds data of shape ${images.dims.join(" x ")}; expected N x ${height} x ${width} images`);
  }
  if (labels.dims.length !== 1) throw corrupt(labelsName, `holds data of shape ${labels.dims.join(" x ")}; expected one label per image`);
  if (labels.dims[0] !== images.dims[0]) {
    throw corrupt(labelsName, `has ${formatCount(labels.dims[0]!)} labels but ${imagesName} has ${formatCount(images.dims[0]!)} images`);
  }
  const classCount = CLASS_NAMES[dataset].length;
  const badLabel = labels.data.findIndex((label) => label >= classCount);
  if (badLabel >= 0) throw corrupt(labelsName, `gives image ${formatCount(badLabel + 1)} the label ${labels.data[badLabel]}; labels go from 0 to ${classCount - 1}`);
  return { images: images.data, labels: labels.data, count: images.dims[0]! };
}

/**
 * Reads the training and test sets of MNIST or Fashion-MNIST from a folder holding the four
 * files. The images share memory with the decompressed file (no copy): N x 28 x 28 bytes is
 * already the HWC layout of one-channel images.
 */
export async function readIdxFolder(
  folder: string,
  dataset: "fashion-mnist" | "mnist",
  onProgress?: DatasetProgressListener,
): Promise<{ train: ImageSet; test: ImageSet }> {
  const files = await locateIdxFiles(folder);
  const sizes = await Promise.all(Object.values(files).map(async (filePath) => (await stat(filePath)).size));
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
  let receivedBytes = 0;
  const arrays: Partial<Record<IdxPart, IdxArray>> = {};
  onProgress?.({ dataset, phase: "read", receivedBytes, totalBytes });
  for (const [index, part] of (Object.keys(files) as IdxPart[]).entries()) {
    arrays[part] = await readIdxFile(files[part]);
    receivedBytes += sizes[index]!;
    onProgress?.({ dataset, phase: "read", receivedBytes, totalBytes });
  }
  return {
    train: toImageSet(arrays.trainImages!, files.trainImages, arrays.trainLabels!, files.trainLabels, dataset),
    test: toImageSet(arrays.testImages!, files.testImages, arrays.testLabels!, files.testLabels, dataset),
  };
}
