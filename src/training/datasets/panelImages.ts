/**
 * Dataset images for the host's panels that show pictures (dataset preview, confusion-matrix
 * cells, predictions), answered by the training process: the dataset is read once with the
 * readers training uses (plain file reading, no TensorFlow.js) and kept while the process lives.
 */
import type { DatasetName } from "../../protocol/modelSpec";
import type { DatasetImagesParams, DatasetImagesResult } from "../../protocol/trainingRpc";
import { DISPLAY_NAMES, IMAGE_SHAPES } from "./catalog";
import { readCifar10Folder } from "./cifar10";
import { DatasetError } from "./errors";
import { readIdxFolder } from "./idx";
import { firstImages } from "./split";
import { locateDataset, missingDatasetMessage } from "./store";
import type { ImageSet } from "./types";

interface ReadDataset {
  train: ImageSet;
  test: ImageSet;
}

/** Keyed by dataset and data directory, so that a changed setting reads the right copy. */
const read = new Map<string, Promise<ReadDataset>>();

function readOnce(name: DatasetName, dataDirectory: string): Promise<ReadDataset> {
  const key = `${name}\0${dataDirectory}`;
  let pending = read.get(key);
  if (!pending) {
    pending = readDataset(name, dataDirectory);
    // A failed read (missing dataset) is retried next time, after the learner fetched it.
    pending.catch(() => read.delete(key));
    read.set(key, pending);
  }
  return pending;
}

async function readDataset(name: DatasetName, dataDirectory: string): Promise<ReadDataset> {
  const found = await locateDataset(name, dataDirectory);
  if (!found) throw new DatasetError("missing", missingDatasetMessage(name, dataDirectory));
  if (name === "cifar10") return readCifar10Folder(found.folder);
  return readIdxFolder(found.folder, name);
}

/** After a download or import replaced a dataset's files, the next request reads them again. */
export function forgetDatasetImages(name: DatasetName): void {
  for (const key of read.keys()) if (key.startsWith(`${name}\0`)) read.delete(key);
}

/** The images asked for: test images by index (of the first `testLimit`), or a random sample of the training set. */
export async function datasetImages(params: DatasetImagesParams): Promise<DatasetImagesResult> {
  const dataset = await readOnce(params.dataset, params.dataDirectory);
  const [height, width, channels] = IMAGE_SHAPES[params.dataset];
  const size = height * width * channels;
  let set: ImageSet;
  let indices: number[];
  if (params.split === "test") {
    set = firstImages(dataset.test, params.testLimit);
    indices = params.indices;
  } else {
    set = dataset.train;
    const picked = new Set<number>();
    while (picked.size < Math.min(params.sample, set.count)) picked.add(Math.floor(Math.random() * set.count));
    indices = [...picked];
  }
  const images = indices.map((index) => {
    if (!Number.isInteger(index) || index < 0 || index >= set.count) throw new RangeError(`${DISPLAY_NAMES[params.dataset]} has no ${params.split} image ${index}.`);
    const pixels = Buffer.from(set.images.buffer, set.images.byteOffset + index * size, size).toString("base64");
    return { index, label: set.labels[index] ?? 0, pixels };
  });
  return { width, height, channels, images };
}
