/**
 * Datasets for the training engine: CIFAR-10, Fashion-MNIST and MNIST, read from their published
 * formats into uint8 image sets, downloaded or imported into a cache, and turned into normalised
 * batches one step at a time.
 */
import type { DatasetRef } from "../../protocol/modelSpec";
import { CLASS_NAMES, IMAGE_SHAPES } from "./catalog";
import { readCifar10Folder } from "./cifar10";
import { DatasetError } from "./errors";
import { removeAbandonedWork } from "./download";
import { readIdxFolder } from "./idx";
import { firstImages } from "./split";
import { downloadDataset, locateDataset, missingDatasetMessage } from "./store";
import type { DatasetProgressListener, LoadedDataset } from "./types";

export { batchTensors } from "./batch";
export { CLASS_NAMES, DISPLAY_NAMES, IMAGE_SHAPES } from "./catalog";
export { DatasetError, formatBytes, type DatasetErrorCode } from "./errors";
export { firstImages, seededPermutation, splitTrainValidation, subset } from "./split";
export { datasetStatus, defaultDataDirectory, downloadDataset, importDatasetArchive, locateDataset, type DatasetSource, type DownloadOptions } from "./store";
export type { DatasetProgress, DatasetProgressListener, ImageSet, LoadedDataset } from "./types";

export interface LoadOptions {
  dataDirectory: string;
  onProgress?: DatasetProgressListener | undefined;
  signal?: AbortSignal | undefined;
  /** Fetch a missing dataset from its publisher first, as Keras does (default true). */
  download?: boolean | undefined;
}

/**
 * Loads a dataset's training and test sets as uint8, downloading it first when it is missing
 * (unless `download: false`). `trainLimit` / `testLimit` keep the first N images, each class
 * keeping its share.
 */
export async function loadDataset(ref: DatasetRef, options: LoadOptions): Promise<LoadedDataset> {
  // Partial downloads a killed process left behind are removed on the next start.
  await removeAbandonedWork(options.dataDirectory);
  let found = await locateDataset(ref.name, options.dataDirectory);
  if (!found && options.download !== false) {
    await downloadDataset(ref.name, options.dataDirectory, { onProgress: options.onProgress, signal: options.signal });
    found = await locateDataset(ref.name, options.dataDirectory);
  }
  if (!found) throw new DatasetError("missing", missingDatasetMessage(ref.name, options.dataDirectory));
  if (options.signal?.aborted) throw new DatasetError("cancelled", "Loading the dataset was cancelled.");
  const read =
    ref.name === "cifar10"
      ? await readCifar10Folder(found.folder, options.onProgress)
      : { ...(await readIdxFolder(found.folder, ref.name, options.onProgress)), classNames: CLASS_NAMES[ref.name] };
  return {
    name: ref.name,
    classNames: read.classNames,
    imageShape: IMAGE_SHAPES[ref.name],
    train: firstImages(read.train, ref.trainLimit),
    test: firstImages(read.test, ref.testLimit),
  };
}
