/**
 * Dataset images for the panels that show pictures (dataset preview, confusion-matrix cells,
 * predictions): asked of the training process, which reads the dataset once with the engine's
 * readers and keeps it; the host only encodes the pixels for a webview.
 */
import { CLASS_NAMES } from "../../protocol/datasets";
import type { DatasetName } from "../../protocol/modelSpec";
import type { PanelImage } from "../../protocol/panels";
import type { DatasetImagesResult } from "../../protocol/trainingRpc";
import { encodePanelImage } from "../panels";
import type { TrainingProcess } from "../training/trainingProcess";

export class DatasetImages {
  /** Test images already fetched, by dataset, test limit and index: the confusion matrix pages through the same ones. */
  private readonly testImages = new Map<string, PanelImage>();

  constructor(
    private readonly training: TrainingProcess,
    private readonly dataDirectory: () => string,
  ) {}

  classNames(name: DatasetName): string[] {
    return CLASS_NAMES[name];
  }

  /** `count` random training images with their labels. */
  async sample(name: DatasetName, count: number): Promise<{ image: PanelImage; label: number }[]> {
    const result = await this.training.get().datasetImages({ dataset: name, dataDirectory: this.dataDirectory(), split: "train", sample: count });
    return result.images.map((image) => ({ image: panelImage(result, image.pixels), label: image.label }));
  }

  /** Test image `index` of the test set as a run evaluated it (its first `testLimit` images). */
  async testImage(name: DatasetName, testLimit: number | undefined, index: number): Promise<PanelImage> {
    return (await this.testImagesAt(name, testLimit, [index]))[0]!;
  }

  /** Test images by index, in the order asked, of the test set as a run evaluated it; one request for those not fetched yet. */
  async testImagesAt(name: DatasetName, testLimit: number | undefined, indices: readonly number[]): Promise<PanelImage[]> {
    const key = (index: number) => `${name}\0${testLimit ?? "all"}\0${index}`;
    const missing = [...new Set(indices.filter((index) => !this.testImages.has(key(index))))];
    if (missing.length > 0) {
      const result = await this.training.get().datasetImages({ dataset: name, dataDirectory: this.dataDirectory(), split: "test", indices: missing, ...(testLimit === undefined ? {} : { testLimit }) });
      for (const image of result.images) this.testImages.set(key(image.index), panelImage(result, image.pixels));
    }
    return indices.map((index) => this.testImages.get(key(index))!);
  }

  /** After a download or import the dataset's files are new: read them again. */
  forget(name: DatasetName): void {
    for (const key of this.testImages.keys()) if (key.startsWith(`${name}\0`)) this.testImages.delete(key);
  }
}

function panelImage(result: DatasetImagesResult, pixels: string): PanelImage {
  return encodePanelImage(result.width, result.height, result.channels === 1 ? 1 : 3, Buffer.from(pixels, "base64"));
}
