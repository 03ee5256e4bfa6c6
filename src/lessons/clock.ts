/**
 * The lesson's clock: every training the lesson asks for, and how long each takes, from the
 * table that `bench/lesson-clock.bench.ts` measured and wrote to the lesson's `timings.json`.
 * Episodes quote these times through the computed form (`{{minutes fit-model}}`, see
 * `values.ts`), and `test/unit/lessons-clock.test.ts` holds each episode's `training` minutes
 * in its front matter to them.
 */
import { PUBLISHED_COUNTS, splitCounts, type SplitCounts } from "./datasetFacts";

/** The datasets the clock was measured on. */
export type ClockDataset = "cifar10" | "fashion-mnist";
export const CLOCK_DATASETS: readonly ClockDataset[] = ["cifar10", "fashion-mnist"];

/** One model's measured cost, on one dataset. */
export interface ModelTiming {
  /** Training images the measurement started from (before the 80/20 split). */
  subsetImages: number;
  /** Wall seconds of one steady epoch over them: training on 80 %, validating on 20 %. */
  secondsPerSubsetEpoch: number;
  trainImagesPerSecond: number;
  /** What a run costs once: loading, building the model, warm-up. */
  onceSeconds: number;
  /** The same two as CPU seconds of the (single-threaded) training process: its wall time on a free core. */
  cpuSecondsPerSubsetEpoch: number;
  cpuOnceSeconds: number;
}

/** Which measurement a time is computed from: CPU time (what the lesson quotes) or this shared machine's wall time. */
export type ClockBasis = "cpu" | "wall";

/** `timings.json`. */
export interface LessonTimings {
  measuredOn: string;
  measuredAt: string;
  method: string;
  /** By model id (`intro-relu`, `dropout`, ...), then dataset. */
  models: Record<string, Record<ClockDataset, ModelTiming>>;
}

/** Settings that make a training fit a workshop: `dlLessons.trainLimit` and `dlLessons.maxEpochs`. */
export interface WorkshopSettings {
  trainLimit: number;
  maxEpochs: number;
}

export interface LessonTraining {
  /** The challenge that asks for it, or the challenge id and a part (`tune-activation-grid`). */
  id: string;
  episode: string;
  description: string;
  /** One fit per entry (a model id of the timings table) times `fitsPerModel`. */
  models: string[];
  fitsPerModel: number;
  epochs: number;
  /** The share of the split's training images each fit passes over per epoch (k-fold: (k-1)/k of all). */
  imageShare: number;
  workshop: WorkshopSettings;
}

/** Episode 04's single models and episode 05's sweeps, as the challenge files write them. */
export const LESSON_TRAININGS: readonly LessonTraining[] = [
  {
    id: "fit-model",
    episode: "04-compile-and-train",
    description: "the intro model, 10 epochs",
    models: ["intro-relu"],
    fitsPerModel: 1,
    epochs: 10,
    imageShare: 1,
    workshop: { trainLimit: 10_000, maxEpochs: 10 },
  },
  {
    id: "does-dropout-help",
    episode: "04-compile-and-train",
    description: "the dropout model, 10 epochs",
    models: ["dropout"],
    fitsPerModel: 1,
    epochs: 10,
    imageShare: 1,
    workshop: { trainLimit: 10_000, maxEpochs: 10 },
  },
  {
    id: "tune-dropout-rate",
    episode: "05-evaluate-and-predict",
    description: "the dropout model at 5 rates, 10 epochs each",
    // The rate does not change the cost of a step; one measured dropout model stands for all five.
    models: ["dropout", "dropout", "dropout", "dropout", "dropout"],
    fitsPerModel: 1,
    epochs: 10,
    imageShare: 1,
    workshop: { trainLimit: 5_000, maxEpochs: 5 },
  },
  {
    id: "tune-activation",
    episode: "05-evaluate-and-predict",
    description: "the intro model with 4 activation functions, 10 epochs each",
    models: ["intro-relu", "intro-sigmoid", "intro-tanh", "intro-selu"],
    fitsPerModel: 1,
    epochs: 10,
    imageShare: 1,
    workshop: { trainLimit: 5_000, maxEpochs: 5 },
  },
  {
    id: "tune-activation-grid",
    episode: "05-evaluate-and-predict",
    description: "the grid search: 3 optimizers × 3 folds, 2 epochs each (scikit-learn adds a tenth fit, the refit)",
    models: ["intro-sgd", "intro-rmsprop", "intro-relu"],
    fitsPerModel: 3,
    epochs: 2,
    // Each fold trains on 2 of 3 parts of all the training images, which is 5/6 of the 80 % split.
    imageShare: (2 / 3) * (1 / 0.8),
    workshop: { trainLimit: 5_000, maxEpochs: 2 },
  },
];

export interface TrainingTime {
  id: string;
  episode: string;
  description: string;
  fits: number;
  fullSeconds: number;
  workshopSeconds: number;
  workshop: WorkshopSettings;
}

function secondsOf(training: LessonTraining, timings: LessonTimings, dataset: ClockDataset, split: SplitCounts, epochs: number, basis: ClockBasis): number {
  let total = 0;
  for (const id of training.models) {
    const timing = timings.models[id]?.[dataset];
    if (!timing) throw new Error(`timings.json has no measurement of model \`${id}\` on ${dataset}; run npm run bench:lesson-clock`);
    const measuredTrain = splitCounts(timing.subsetImages).train;
    const perSubsetEpoch = basis === "cpu" ? timing.cpuSecondsPerSubsetEpoch : timing.secondsPerSubsetEpoch;
    const epochSeconds = (perSubsetEpoch * split.train * training.imageShare) / measuredTrain;
    total += training.fitsPerModel * (epochs * epochSeconds + (basis === "cpu" ? timing.cpuOnceSeconds : timing.onceSeconds));
  }
  return total;
}

/** Every training of the lesson with its time on full data and with its workshop settings. */
export function trainingTimes(
  timings: LessonTimings,
  dataset: ClockDataset,
  trainImages: number = PUBLISHED_COUNTS[dataset].train,
  basis: ClockBasis = "cpu",
): TrainingTime[] {
  return LESSON_TRAININGS.map((training) => {
    const full = splitCounts(trainImages);
    const workshop = splitCounts(Math.min(trainImages, training.workshop.trainLimit));
    return {
      id: training.id,
      episode: training.episode,
      description: training.description,
      fits: training.models.length * training.fitsPerModel,
      fullSeconds: secondsOf(training, timings, dataset, full, training.epochs, basis),
      workshopSeconds: secondsOf(training, timings, dataset, workshop, Math.min(training.epochs, training.workshop.maxEpochs), basis),
      workshop: training.workshop,
    };
  });
}

/** Minutes of training per episode with the workshop settings, rounded up to whole minutes. */
export function episodeTrainingMinutes(times: readonly TrainingTime[], episode: string, which: "full" | "workshop" = "workshop"): number {
  const seconds = times.filter((t) => t.episode === episode).reduce((sum, t) => sum + (which === "full" ? t.fullSeconds : t.workshopSeconds), 0);
  return seconds / 60;
}
