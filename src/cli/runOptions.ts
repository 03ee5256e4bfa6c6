/**
 * What `train` and `sweep` share: the options that say where and how long to train (dataset,
 * epochs, batch size, backend, folders, limits), their help text, and Keras-style progress.
 */
import { parseArgs } from "node:util";
import { BACKEND_PREFERENCES, formatTrainingNumber, isBackendPreference, type BackendPreference, type TrainingEvent } from "../protocol/training";
import type { DatasetName, DatasetRef } from "../protocol/modelSpec";
import { defaultDataDirectory } from "../training/datasets/store";
import { parseDataset, UsageError } from "./trainingOptions";

/** `--backend`'s word, checked against the backends the training engine knows. */
export function parseBackend(word: string | undefined): BackendPreference {
  const backend = word ?? "auto";
  if (!isBackendPreference(backend)) throw new UsageError(`Unknown backend '${backend}'. Choose one of: ${BACKEND_PREFERENCES.join(", ")}.`);
  return backend;
}

/** The options both commands take, for `parseArgs`. */
export const RUN_OPTIONS = {
  dataset: { type: "string" },
  epochs: { type: "string" },
  "batch-size": { type: "string" },
  backend: { type: "string" },
  "data-dir": { type: "string" },
  "runs-dir": { type: "string" },
  "train-limit": { type: "string" },
  "test-limit": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const RUN_OPTIONS_HELP = `  --dataset NAME          cifar10 (default; downloaded on first use, about 163 MB),
                          fashion-mnist or mnist.
  --epochs N              Default: the Python file's fit(epochs=...), else 10.
  --batch-size N          Default: the Python file's fit(batch_size=...), else 32.
  --backend NAME          One of ${BACKEND_PREFERENCES.join(", ")}. auto (the default) tries the
                          others in that order. The native ones need @tensorflow/tfjs-node(-gpu).
  --data-dir DIR          Where datasets are cached (default: ${defaultDataDirectory()}).
  --runs-dir DIR          Where runs are saved (default: ./runs).
  --train-limit N         Train on the first N training images only (each class keeps its share).
  --test-limit N          Evaluate on the first N test images only.`;

/** `parseArgs` with learner-worded errors. */
export function parseRunArgs<const T extends Record<string, { type: "string" | "boolean"; short?: string }>>(argv: string[], extra: T) {
  try {
    return parseArgs({ args: argv, options: { ...RUN_OPTIONS, ...extra } }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export interface RunOptionValues {
  dataset?: string | undefined;
  epochs?: string | undefined;
  "batch-size"?: string | undefined;
  backend?: string | undefined;
  "data-dir"?: string | undefined;
  "runs-dir"?: string | undefined;
  "train-limit"?: string | undefined;
  "test-limit"?: string | undefined;
}

/** The shared options read and checked; epochs and batch size fall back to the given defaults. */
export interface RunSettings {
  dataset: DatasetName;
  datasetRef: DatasetRef;
  epochs: number | undefined;
  batchSize: number | undefined;
  backend: BackendPreference;
  dataDirectory: string;
  runsDirectory: string;
}

export function readRunOptions(options: RunOptionValues, defaultDataset: DatasetName): RunSettings {
  const backend = parseBackend(options.backend);
  const dataset = parseDataset(options.dataset, defaultDataset);
  const trainLimit = positiveInt(options["train-limit"], "--train-limit");
  const testLimit = positiveInt(options["test-limit"], "--test-limit");
  return {
    dataset,
    datasetRef: { name: dataset, ...(trainLimit ? { trainLimit } : {}), ...(testLimit ? { testLimit } : {}) },
    epochs: positiveInt(options.epochs, "--epochs"),
    batchSize: positiveInt(options["batch-size"], "--batch-size"),
    backend,
    dataDirectory: options["data-dir"] ?? defaultDataDirectory(),
    runsDirectory: options["runs-dir"] ?? "runs",
  };
}

/** An AbortController that the first Ctrl-C aborts (stop after the current batch) and the second ends the process. */
export function interruptible(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    console.log("\nStopping after the current batch (Ctrl-C again to quit at once)...");
    controller.abort();
  };
  // SIGTERM (a workshop machine shutting down, `kill`) stops the same way: the run is saved as cancelled.
  const onTerminate = () => {
    if (controller.signal.aborted) process.exit(143);
    controller.abort();
  };
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onTerminate);
  return {
    signal: controller.signal,
    dispose: () => {
      process.removeListener("SIGINT", onInterrupt);
      process.removeListener("SIGTERM", onTerminate);
    },
  };
}

export function positiveInt(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${option} must be a positive whole number, not '${value}'.`);
  return n;
}

function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${name}: ${formatTrainingNumber(value)}`)
    .join(" - ");
}

/** Keras's `1500/1500 [======>.......] - ETA: 12s - loss: ...` progress line. */
function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.floor((done / total) * width);
  const bar = done >= total ? "=".repeat(width) : "=".repeat(filled) + ">" + ".".repeat(Math.max(0, width - filled - 1));
  return `${String(done).padStart(String(total).length)}/${total} [${bar}]`;
}

function seconds(value: number): string {
  return value >= 3600 ? `${Math.floor(value / 3600)}:${String(Math.floor((value % 3600) / 60)).padStart(2, "0")}:${String(Math.round(value % 60)).padStart(2, "0")}` : `${Math.round(value)}s`;
}

export function progressPrinter(): (event: TrainingEvent) => void {
  const interactive = process.stdout.isTTY === true;
  let lineLength = 0;
  let epochs = 0;
  let batches = 0;
  let trainCount = 0;
  const draw = (line: string) => {
    process.stdout.write(`\r${line.padEnd(lineLength)}`);
    lineLength = line.length;
  };
  return (event) => {
    switch (event.kind) {
      case "started":
        epochs = event.epochs;
        batches = event.batchesPerEpoch;
        trainCount = event.trainCount;
        console.log(`Backend: ${event.backend.active}` + event.backend.attempts.filter((a) => !a.loaded).map((a) => ` (${a.backend}: ${a.reason})`).join(""));
        console.log(`Training on ${event.trainCount} images, validating on ${event.validationCount}.`);
        console.log(`Epoch 1/${epochs}`);
        break;
      case "batch":
        if (interactive && event.batch < event.batchesPerEpoch) {
          const epochEta = (((event.batchesPerEpoch - event.batch) / event.batchesPerEpoch) * trainCount) / Math.max(1, event.imagesPerSecond);
          draw(`${progressBar(event.batch, event.batchesPerEpoch)} - ETA: ${seconds(epochEta)} - ${formatMetrics(event.metrics)}`);
        }
        break;
      case "epoch": {
        const msPerStep = (event.seconds * 1000) / batches;
        const line = `${progressBar(batches, batches)} - ${seconds(event.seconds)} ${Math.round(msPerStep)}ms/step - ${formatMetrics(event.metrics)} - ${Math.round(event.imagesPerSecond)} images/s`;
        if (interactive) draw(line);
        else process.stdout.write(line);
        process.stdout.write("\n");
        lineLength = 0;
        // A diverged epoch (loss nan) is the last one: no next header.
        if (event.epoch < epochs && formatTrainingNumber(event.metrics["loss"]) !== "nan") console.log(`Epoch ${event.epoch + 1}/${epochs}`);
        break;
      }
      case "log":
        if (lineLength > 0) process.stdout.write("\n");
        lineLength = 0;
        console.log(event.message);
        break;
      case "dataset-progress":
        break;
    }
  };
}
