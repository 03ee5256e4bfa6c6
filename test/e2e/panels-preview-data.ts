/**
 * Real numbers for the panels preview: a short training of the lesson's models on a Fashion-MNIST
 * subset with the project's own engine, recorded as the `TrainingEvent`s the training process
 * sends, then evaluated on test images. Cached in the output folder; delete it to retrain.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PanelImage } from "../../src/protocol/panels";
import type { EvaluationResult, ModelSummary, TrainResult, TrainingEvent } from "../../src/protocol/training";
import { encodePanelImage } from "../../src/extension/panels/images";
import { selectBackend } from "../../src/training/backends";
import { loadDataset, splitTrainValidation, subset, seededPermutation, type ImageSet } from "../../src/training/datasets";
import { evaluateModel } from "../../src/training/evaluate";
import { compileModel } from "../../src/training/kerasToTfjs";
import { dropoutModel, introModel, lessonCompile, lessonFit } from "../../src/training/models";
import { summarizeModel } from "../../src/training/summary";
import { fitModel } from "../../src/training/trainer";

export interface RecordedRun {
  label: string;
  events: TrainingEvent[];
  result: TrainResult;
  startedAt: string;
}

export interface PreviewData {
  datasetTitle: string;
  classNames: string[];
  /** The lesson's intro model on CIFAR-10's 32×32×3 input, as the lesson shows it. */
  summary: ModelSummary;
  runs: RecordedRun[];
  evaluation: EvaluationResult;
  /** Every evaluated test image, its true and predicted label. */
  testImages: { image: PanelImage; trueLabel: number; predictedLabel: number }[];
  trainSamples: { image: PanelImage; label: number }[];
}

const TRAIN_IMAGES = 2000;
const TEST_IMAGES = 600;
const EPOCHS = 4;

function toPanelImage(set: ImageSet, index: number, shape: [number, number, number]): PanelImage {
  const [height, width, channels] = shape;
  const size = height * width * channels;
  return encodePanelImage(width, height, channels === 1 ? 1 : 3, set.images.slice(index * size, (index + 1) * size));
}

async function train(): Promise<PreviewData> {
  const backend = await selectBackend("auto");
  const dataset = await loadDataset({ name: "fashion-mnist", trainLimit: TRAIN_IMAGES, testLimit: TEST_IMAGES }, { dataDirectory: join(tmpdir(), "dl-lessons-preview-data"), download: false });
  const { train: trainSet, validation } = splitTrainValidation(dataset.train, { validationFraction: 0.2, seed: 42 });
  const shape = dataset.imageShape;
  const variants = [
    { label: "Intro model", spec: introModel(shape) },
    { label: "Dropout rate 0.2", spec: dropoutModel(shape, 0.2) },
    { label: "Dropout rate 0.5", spec: dropoutModel(shape, 0.5) },
  ];
  const runs: RecordedRun[] = [];
  let lastModel: ReturnType<typeof compileModel> | undefined;
  for (const [i, variant] of variants.entries()) {
    const runId = `preview-${i + 1}`;
    const compiled = compileModel(variant.spec, lessonCompile());
    const fit = lessonFit(EPOCHS);
    const batchesPerEpoch = Math.ceil(trainSet.count / fit.batch_size);
    const events: TrainingEvent[] = [{ kind: "started", runId, label: variant.label, backend, epochs: EPOCHS, batchesPerEpoch, trainCount: trainSet.count, validationCount: validation.count }];
    const startedAt = new Date().toISOString();
    const result = await fitModel({
      compiled,
      train: trainSet,
      validation,
      imageShape: shape,
      numClasses: dataset.classNames.length,
      fit,
      onBatch: (p) => events.push({ kind: "batch", runId, ...p }),
      onEpoch: (p) => events.push({ kind: "epoch", runId, ...p }),
    });
    runs.push({ label: variant.label, events, startedAt, result: { runId, runDirectory: "", status: result.cancelled ? "cancelled" : "completed", history: result.history, backend } });
    console.log(`trained ${variant.label}: ${JSON.stringify(result.history.at(-1)?.metrics)}`);
    if (i === 0) lastModel = compiled;
    else compiled.model.dispose();
  }
  const evaluation = await evaluateModel(lastModel!.model, dataset.test, shape, dataset.classNames.length, { predictionCount: dataset.test.count, topK: 3 });
  const testImages = evaluation.predictions.map((p) => ({ image: toPanelImage(dataset.test, p.index, shape), trueLabel: p.trueLabel, predictedLabel: p.top[0]!.label }));
  const order = seededPermutation(dataset.train.count, 7);
  const samples = subset(dataset.train, order.subarray(0, 75));
  return {
    datasetTitle: "Fashion-MNIST training images",
    classNames: dataset.classNames,
    summary: summarizeModel(introModel([32, 32, 3])),
    runs,
    evaluation: { runDirectory: "", dataset: "fashion-mnist", classNames: dataset.classNames, ...evaluation, predictions: evaluation.predictions.slice(0, 60) },
    testImages,
    trainSamples: Array.from({ length: samples.count }, (_, i) => ({ image: toPanelImage(samples, i, shape), label: samples.labels[i]! })),
  };
}

export async function previewData(outputFolder: string): Promise<PreviewData> {
  const cache = join(outputFolder, "preview-data.json");
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, "utf8")) as PreviewData;
  const data = await train();
  mkdirSync(outputFolder, { recursive: true });
  writeFileSync(cache, JSON.stringify(data));
  return data;
}
