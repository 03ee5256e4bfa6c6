/**
 * Dataset images for the panels that show pictures (dataset preview, confusion-matrix cells,
 * predictions), read in the extension host with the engine's own readers (plain file reading,
 * no TensorFlow.js) and kept for the session once read.
 */
import type { DatasetName } from "../../protocol/modelSpec";
import type { PanelImage } from "../../protocol/panels";
import { CLASS_NAMES, DISPLAY_NAMES, IMAGE_SHAPES } from "../../training/datasets/catalog";
import { readCifar10Folder } from "../../training/datasets/cifar10";
import { DatasetError } from "../../training/datasets/errors";
import { readIdxFolder } from "../../training/datasets/idx";
import { firstImages } from "../../training/datasets/split";
import { locateDataset, missingDatasetMessage } from "../../training/datasets/store";
import type { ImageSet } from "../../training/datasets/types";
import { encodePanelImage } from "../panels";

interface ReadDataset {
  train: ImageSet;
  test: ImageSet;
  classNames: string[];
}

export class DatasetImages {
  private readonly read = new Map<DatasetName, Promise<ReadDataset>>();

  constructor(private readonly dataDirectory: () => string) {}

  classNames(name: DatasetName): string[] {
    return CLASS_NAMES[name];
  }

  /** `count` random training images with their labels. */
  async sample(name: DatasetName, count: number): Promise<{ image: PanelImage; label: number }[]> {
    const { train } = await this.dataset(name);
    const picked = new Set<number>();
    while (picked.size < Math.min(count, train.count)) picked.add(Math.floor(Math.random() * train.count));
    return [...picked].map((index) => ({ image: imageAt(name, train, index), label: train.labels[index] ?? 0 }));
  }

  /** Test image `index` of the test set as a run evaluated it (its first `testLimit` images). */
  async testImage(name: DatasetName, testLimit: number | undefined, index: number): Promise<PanelImage> {
    const test = firstImages((await this.dataset(name)).test, testLimit);
    return imageAt(name, test, index);
  }

  private dataset(name: DatasetName): Promise<ReadDataset> {
    let pending = this.read.get(name);
    if (!pending) {
      pending = this.readDataset(name);
      // A failed read (missing dataset) is retried next time, after the learner fetched it.
      pending.catch(() => this.read.delete(name));
      this.read.set(name, pending);
    }
    return pending;
  }

  private async readDataset(name: DatasetName): Promise<ReadDataset> {
    const found = await locateDataset(name, this.dataDirectory());
    if (!found) throw new DatasetError("missing", missingDatasetMessage(name, this.dataDirectory()));
    if (name === "cifar10") return readCifar10Folder(found.folder);
    return { ...(await readIdxFolder(found.folder, name)), classNames: CLASS_NAMES[name] };
  }
}

function imageAt(name: DatasetName, set: ImageSet, index: number): PanelImage {
  const [height, width, channels] = IMAGE_SHAPES[name];
  const size = height * width * channels;
  if (index < 0 || index >= set.count) throw new RangeError(`${DISPLAY_NAMES[name]} has no test image ${index}.`);
  return encodePanelImage(width, height, channels === 1 ? 1 : 3, set.images.subarray(index * size, (index + 1) * size));
}
