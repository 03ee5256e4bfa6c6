/**
 * What the project knows about each dataset: class names, image shape, file names, where the
 * official copies are published and their checksums.
 */
import type { DatasetName } from "../../protocol/modelSpec";

export { CLASS_NAMES, DISPLAY_NAMES, IMAGE_SHAPES } from "../../protocol/datasets";

/** Where Debian's `dataset-*` packages install their data. */
export const DEBIAN_DATASETS_ROOT = "/usr/share/datasets";

/** The Debian package that carries a dataset, where one exists. */
export const DEBIAN_PACKAGES: Partial<Record<DatasetName, string>> = { "fashion-mnist": "dataset-fashion-mnist" };

// ---- CIFAR-10, binary version -------------------------------------------------------------

export const CIFAR10_ARCHIVE = {
  fileName: "cifar-10-binary.tar.gz",
  url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
  /** The checksum Keras and torchvision verify the same archive against. */
  md5: "c32a1d4ab5d03f1284b67883e8d87530",
  bytes: 170_052_171,
  /** The folder the archive unpacks into. */
  folder: "cifar-10-batches-bin",
} as const;

export const CIFAR10_TRAIN_FILES = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"] as const;
export const CIFAR10_TEST_FILE = "test_batch.bin";
export const CIFAR10_META_FILE = "batches.meta.txt";
/** Each official batch file holds exactly this many records. */
export const CIFAR10_RECORDS_PER_BATCH = 10_000;
/** One label byte, then 32x32 red, 32x32 green and 32x32 blue bytes. */
export const CIFAR10_RECORD_BYTES = 1 + 32 * 32 * 3;

// ---- MNIST and Fashion-MNIST (IDX files) --------------------------------------------------

export type IdxPart = "trainImages" | "trainLabels" | "testImages" | "testLabels";

/** The four IDX files, by their published names (stored gzipped; plain copies are accepted too). */
export const IDX_FILES: Record<IdxPart, string> = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
};

export interface IdxSource {
  /** Base URLs tried in order; each file's `.gz` name is appended. */
  mirrors: string[];
  /** MD5 of each published `.gz` file (the checksums torchvision verifies). */
  md5: Record<IdxPart, string>;
}

export const IDX_SOURCES: Record<"fashion-mnist" | "mnist", IdxSource> = {
  "fashion-mnist": {
    mirrors: [
      "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
      "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
      // The publisher's own bucket serves plain HTTP only; the checksum still guards the content.
      "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    ],
    md5: {
      trainImages: "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
      trainLabels: "25c81989df183df01b3e8a0aad5dffbe",
      testImages: "bef4ecab320f06d8554ea6380940ec79",
      testLabels: "bb300cfdad3c16e7a12a480ee83cd310",
    },
  },
  mnist: {
    mirrors: ["https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"],
    md5: {
      trainImages: "f68b3c2dcbeaaa9fbdd348bbdeb94873",
      trainLabels: "d53e105ee54ea40749a09fcbcd1e9432",
      testImages: "9fb629c4189551a2d022fa330f9573f3",
      testLabels: "ec29112dd5afa0611ce80d1b7f02629c",
    },
  },
};

export function isIdxDataset(name: DatasetName): name is "fashion-mnist" | "mnist" {
  return name === "fashion-mnist" || name === "mnist";
}
