import type { DatasetName } from "../../protocol/modelSpec";

/** Images as bytes, `count` images of H*W*C values each, channels interleaved (HWC). */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface LoadedDataset {
  name: DatasetName;
  classNames: string[];
  /** [height, width, channels] */
  imageShape: [number, number, number];
  train: ImageSet;
  test: ImageSet;
}

export interface DatasetProgress {
  dataset: DatasetName;
  phase: "download" | "verify" | "extract" | "read";
  receivedBytes: number;
  totalBytes?: number;
}

export type DatasetProgressListener = (event: DatasetProgress) => void;
