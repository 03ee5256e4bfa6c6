/**
 * Real training runs on Fashion-MNIST for the lesson's result figures and measured accuracies:
 * the intro and dropout models (episode 04) and the dropout-rate and activation sweeps
 * (episode 05), each with the workshop settings the lesson suggests (`timings`' clock: the
 * first N training images, at most M epochs), through the real training process on wasm.
 * Writes `scripts/figures/data/fashion-mnist-runs.json` (every epoch's numbers) and the Fashion-MNIST
 * rows of the lesson's `results.json`; `ep04-training-curves.ts` and `ep05-sweeps.ts` draw from it.
 *
 * Run (about 10-20 minutes on one core): node --import tsx scripts/figures/fashion-mnist-runs.ts
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LESSON_TRAININGS } from "../../src/lessons/clock";
import type { LessonResults } from "../../src/lessons/values";
import type { ActivationName, ModelSpec } from "../../src/protocol/modelSpec";
import type { EpochLogs } from "../../src/protocol/training";
import { TrainingClient } from "../../src/training/client";
import { defaultDataDirectory } from "../../src/training/datasets";
import { dropoutModel, introModel, lessonCompile } from "../../src/training/models";

const here = dirname(fileURLToPath(import.meta.url));
const lessonDir = join(here, "..", "..", "lessons", "intro-image-classification-cnn");
export const RUNS_FILE = join(here, "data", "fashion-mnist-runs.json");
const SHAPE = [28, 28, 1];

export interface RecordedRun {
  training: string;
  label: string;
  trainLimit: number;
  epochs: number;
  history: EpochLogs[];
}

function workshop(id: string): { trainLimit: number; maxEpochs: number } {
  const training = LESSON_TRAININGS.find((t) => t.id === id);
  if (!training) throw new Error(`no training ${id}`);
  return training.workshop;
}

const PLANNED: { training: string; label: string; model: ModelSpec }[] = [
  { training: "fit-model", label: "intro model", model: introModel(SHAPE) },
  { training: "does-dropout-help", label: "dropout model", model: dropoutModel(SHAPE, 0.5) },
  ...[0.15, 0.3, 0.45, 0.6, 0.75].map((rate) => ({ training: "tune-dropout-rate", label: `dropout rate ${rate}`, model: dropoutModel(SHAPE, rate) })),
  ...(["relu", "sigmoid", "tanh", "selu"] as ActivationName[]).map((activation) => ({ training: "tune-activation", label: activation, model: introModel(SHAPE, activation) })),
];

async function main(): Promise<void> {
  const client = TrainingClient.start(join(here, "..", "..", "src", "training", "process.ts"), { execArgv: ["--import", "tsx"] });
  const runs: RecordedRun[] = [];
  try {
    for (const planned of PLANNED) {
      const { trainLimit, maxEpochs } = workshop(planned.training);
      const runDirectory = mkdtempSync(join(os.tmpdir(), "dl-lessons-figure-run-"));
      const started = performance.now();
      const result = await client.train({
        model: planned.model,
        compile: lessonCompile(),
        fit: { batch_size: 32, epochs: maxEpochs, validation: { kind: "data" }, shuffle: true },
        dataset: { name: "fashion-mnist", trainLimit, testLimit: Math.max(100, Math.round(trainLimit / 5)), splitSeed: 42 },
        dataDirectory: defaultDataDirectory(),
        runDirectory,
        backend: "wasm",
      });
      rmSync(runDirectory, { recursive: true, force: true });
      runs.push({ training: planned.training, label: planned.label, trainLimit, epochs: maxEpochs, history: result.history });
      const last = result.history[result.history.length - 1]?.metrics ?? {};
      console.log(`${planned.label}: val_categorical_accuracy ${last["val_categorical_accuracy"]?.toFixed(3)} after ${result.history.length} epochs (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    client.dispose();
  }
  mkdirSync(dirname(RUNS_FILE), { recursive: true });
  writeFileSync(RUNS_FILE, `${JSON.stringify({ dataset: "fashion-mnist", source: "Debian's dataset-fashion-mnist files", runs }, null, 1)}\n`);

  // The measured accuracies the episodes quote: the last epoch's validation accuracy of each run,
  // as the lowest and highest over the runs of a group.
  const resultsFile = join(lessonDir, "results.json");
  const results: LessonResults = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, "utf8")) as LessonResults) : { sources: {}, accuracy: {} };
  const finalAccuracy = (run: RecordedRun): number => run.history[run.history.length - 1]?.metrics["val_categorical_accuracy"] ?? Number.NaN;
  const range = (selected: RecordedRun[]): [number, number] => {
    const values = selected.map(finalAccuracy);
    const low = Math.min(...values);
    const high = Math.max(...values);
    // One run is quoted as its value; several as the range they span.
    if (selected.length === 1) return [Math.round(low * 100) / 100, Math.round(high * 100) / 100];
    return [Math.floor(low * 100) / 100, Math.ceil(high * 100) / 100];
  };
  const put = (id: string, selected: RecordedRun[]): void => {
    results.accuracy[id] = { ...results.accuracy[id], "fashion-mnist": range(selected) };
  };
  put("intro-val", runs.filter((r) => r.training === "fit-model"));
  put("dropout-val", runs.filter((r) => r.training === "does-dropout-help"));
  put("dropout-rates-val", runs.filter((r) => r.training === "tune-dropout-rate"));
  put("activations-val", runs.filter((r) => r.training === "tune-activation"));
  results.sources["fashion-mnist"] =
    "Runs of the extension's training process on Debian's Fashion-MNIST with the lesson's workshop settings (scripts/figures/fashion-mnist-runs.ts).";
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote ${RUNS_FILE} and ${resultsFile}`);
}

void main();
