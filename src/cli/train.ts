/**
 * `dl-lessons train`: trains a model on a dataset in this process, with Keras-style progress,
 * evaluates it on the test set and saves the run. Ctrl-C cancels after the current batch and
 * still leaves a consistent run directory.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { BackendPreference, TrainingEvent } from "../protocol/training";
import { defaultDataDirectory } from "../training/datasets/store";
import { trainRun } from "../training/engine";
import { lessonCompile } from "../training/models";
import { loadRun, newRunId } from "../training/runs";
import { MODEL_HELP, parseDataset, reportError, resolveModel, UsageError } from "./trainingOptions";

const BACKENDS: readonly BackendPreference[] = ["auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu"];

const HELP = `Usage: dl-lessons train [options]

Trains a model the way the lesson's model.fit(...) does: 20 % of the training images are held
out for validation (seed 42), then the model is evaluated on the test set. The run (specs,
history as JSON and CSV, test metrics, confusion matrix and the model in TensorFlow.js format)
is saved in its own folder under --runs-dir. Ctrl-C stops after the current batch.

Options:
${MODEL_HELP}
                          Default: intro.
  --dataset NAME          cifar10 (default; downloaded on first use, about 163 MB),
                          fashion-mnist or mnist.
  --epochs N              Default: the Python file's fit(epochs=...), else 10.
  --batch-size N          Default: the Python file's fit(batch_size=...), else 32.
  --backend NAME          auto (default: native GPU, native CPU, wasm, then cpu), tensorflow-gpu,
                          tensorflow, wasm or cpu. The native ones need @tensorflow/tfjs-node(-gpu).
  --data-dir DIR          Where datasets are cached (default: ${defaultDataDirectory()}).
  --runs-dir DIR          Where runs are saved (default: ./runs).
  --train-limit N         Train on the first N training images only (each class keeps its share).
  --test-limit N          Evaluate on the first N test images only.
  --label TEXT            A name for the run, kept with it.
  -h, --help              Show this help.`;

function positiveInt(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${option} must be a positive whole number, not '${value}'.`);
  return n;
}

function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${name}: ${value.toFixed(4)}`)
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

function progressPrinter(): (event: TrainingEvent) => void {
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
        if (event.epoch < epochs) console.log(`Epoch ${event.epoch + 1}/${epochs}`);
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

export async function run(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    console.log("\nStopping after the current batch (Ctrl-C again to quit at once)...");
    controller.abort();
  };
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          model: { type: "string" },
          dataset: { type: "string" },
          epochs: { type: "string" },
          "batch-size": { type: "string" },
          backend: { type: "string" },
          "data-dir": { type: "string" },
          "runs-dir": { type: "string" },
          "train-limit": { type: "string" },
          "test-limit": { type: "string" },
          label: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const options = parsed.values;
    if (options.help) {
      console.log(HELP);
      return 0;
    }
    const backend = (options.backend ?? "auto") as BackendPreference;
    if (!BACKENDS.includes(backend)) throw new UsageError(`Unknown backend '${backend}'. Choose one of: ${BACKENDS.join(", ")}.`);
    const dataset = parseDataset(options.dataset, "cifar10");
    const choice = await resolveModel(options.model, dataset);
    const epochs = positiveInt(options.epochs, "--epochs") ?? choice.fit?.epochs ?? 10;
    const batchSize = positiveInt(options["batch-size"], "--batch-size") ?? choice.fit?.batch_size ?? 32;
    const trainLimit = positiveInt(options["train-limit"], "--train-limit");
    const testLimit = positiveInt(options["test-limit"], "--test-limit");
    const runDirectory = path.resolve(options["runs-dir"] ?? "runs", newRunId(options.label ?? `${path.basename(choice.source, path.extname(choice.source))}-${dataset}`));

    process.on("SIGINT", onInterrupt);
    console.log(`Model ${choice.model.name} from ${choice.source}, dataset ${dataset}, ${epochs} epoch(s), batch size ${batchSize}.`);
    const result = await trainRun(
      {
        model: choice.model,
        compile: choice.compile ?? lessonCompile(),
        fit: { batch_size: batchSize, epochs, validation: choice.fit?.validation ?? { kind: "data" }, shuffle: choice.fit?.shuffle ?? true },
        dataset: { name: dataset, ...(trainLimit ? { trainLimit } : {}), ...(testLimit ? { testLimit } : {}) },
        dataDirectory: options["data-dir"] ?? defaultDataDirectory(),
        runDirectory,
        backend,
        ...(options.label ? { label: options.label } : {}),
      },
      { onEvent: progressPrinter(), signal: controller.signal },
    );
    const saved = await loadRun(result.runDirectory);
    if (saved.metrics) console.log(`Test loss: ${saved.metrics.loss.toFixed(4)} - test accuracy: ${saved.metrics.accuracy.toFixed(4)}`);
    console.log(`Run saved in ${result.runDirectory} (${result.status}).`);
    return result.status === "completed" ? 0 : 130;
  } catch (error) {
    return reportError("train", error, HELP);
  } finally {
    process.removeListener("SIGINT", onInterrupt);
  }
}
