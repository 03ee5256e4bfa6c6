/**
 * A training run on disk, one directory per run:
 *
 *   spec.json        model, compile, fit and dataset specs, label, backend, start time
 *   status.json      running | completed | cancelled | failed | diverged | interrupted, with the
 *                    epochs finished and the pid of the process writing it (atomically, last)
 *   history.json     Keras-named metrics per epoch; history.csv the same as a table
 *   metrics.json     test loss and accuracy, per-class accuracy (completed runs)
 *   confusion.json   the confusion matrix with class names (completed runs)
 *   model/model.json + model/weights.bin   the model in the tfjs format
 *
 * The run is a journal: after every epoch the history, the model and the status (with the epoch
 * count) are written again, each to a temporary name and renamed, so a run that is cancelled or
 * killed mid-write never leaves a half-written file and keeps every finished epoch. A run whose
 * status says "running" but whose process is gone was interrupted: `loadRun` says so.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import type { CompileSpec, DatasetRef, FitSpec, ModelSpec } from "../protocol/modelSpec";
import type { BackendName, EpochLogs } from "../protocol/training";
import { RunError } from "./errors";
import { asRunStorageError, claimRunDirectory, readJsonFile, settledStatus, writeFileAtomic, writeStatus, type RunStatusFile } from "./runJournal";

export { asRunStorageError, claimRunDirectory, interruptedMessage, recoverInterruptedRun, writeFileAtomic, writeStatus, type RunStatus, type RunStatusFile, type StatusDetails } from "./runJournal";

export interface RunSpec {
  model: ModelSpec;
  compile: CompileSpec;
  fit: FitSpec;
  dataset: DatasetRef;
  label?: string | undefined;
  backend: BackendName;
  createdAt: string;
}

export interface RunMetrics {
  dataset: string;
  classNames: string[];
  loss: number;
  accuracy: number;
  perClassAccuracy: number[];
}

export interface LoadedRun {
  runId: string;
  directory: string;
  spec: RunSpec;
  status: RunStatusFile;
  history: EpochLogs[];
  metrics?: RunMetrics;
  confusion?: { classNames: string[]; matrix: number[][] };
}

const MODEL_FOLDER = "model";

function writeJson(directory: string, name: string, value: unknown): Promise<void> {
  return writeFileAtomic(path.join(directory, name), JSON.stringify(value, null, 2) + "\n");
}

/** `loss,categorical_accuracy,...` with one row per epoch, as `pd.DataFrame(history.history)` prints. */
export function historyCsv(history: EpochLogs[]): string {
  const columns = [...new Set(history.flatMap((logs) => Object.keys(logs.metrics)))];
  const header = ["epoch", ...columns, "images_per_second", "seconds"];
  const rows = history.map((logs) => [logs.epoch, ...columns.map((c) => logs.metrics[c] ?? ""), logs.imagesPerSecond.toFixed(1), logs.seconds.toFixed(2)].join(","));
  return [header.join(","), ...rows].join("\n") + "\n";
}

/** A directory name for a new run: time first so that names sort by age. */
export function newRunId(label?: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
  const slug = (label ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
  return slug ? `${stamp}-${slug}` : stamp;
}

/** Claims a folder for a new run (see claimRunDirectory) and writes its spec and "running" status. */
export async function startRun(directory: string, spec: RunSpec, epochs: number): Promise<string> {
  const claimed = await claimRunDirectory(directory);
  await writeJson(claimed, "spec.json", spec);
  await writeStatus(claimed, "running", { epochsDone: 0, epochs, stage: "training" });
  return claimed;
}

/**
 * Saves one finished epoch: the model's weights, then the history, then the status with the epoch
 * count, so that a save cut short (a full disk, a kill) never leaves a history ahead of the weights.
 */
export async function saveEpoch(directory: string, history: EpochLogs[], model: tfl.LayersModel, epochs: number): Promise<void> {
  await saveModel(directory, model);
  await saveHistory(directory, history);
  await writeStatus(directory, "running", { epochsDone: history.length, epochs, stage: "training" });
}

export async function saveHistory(directory: string, history: EpochLogs[]): Promise<void> {
  await writeJson(directory, "history.json", history);
  await writeFileAtomic(path.join(directory, "history.csv"), historyCsv(history));
}

export async function saveEvaluation(directory: string, metrics: RunMetrics, confusion: number[][]): Promise<void> {
  await writeJson(directory, "metrics.json", metrics);
  await writeJson(directory, "confusion.json", { classNames: metrics.classNames, matrix: confusion });
}

function joinWeights(data: tf.io.WeightData): Uint8Array {
  const buffers = Array.isArray(data) ? data : [data];
  const total = buffers.reduce((sum, b) => sum + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const buffer of buffers) {
    out.set(new Uint8Array(buffer), offset);
    offset += buffer.byteLength;
  }
  return out;
}

/** Saves the model as tfjs's `model.json` + `weights.bin`, with plain file writes (no file:// handler). */
export async function saveModel(directory: string, model: tfl.LayersModel): Promise<void> {
  const folder = path.join(directory, MODEL_FOLDER);
  await fs.mkdir(folder, { recursive: true }).catch((error: unknown) => {
    throw asRunStorageError(error, directory);
  });
  await model.save({
    save: async (artifacts) => {
      const weights = artifacts.weightData === undefined ? new Uint8Array() : joinWeights(artifacts.weightData);
      await writeFileAtomic(path.join(folder, "weights.bin"), weights);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFileAtomic(path.join(folder, "model.json"), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: weights.byteLength } };
    },
  });
}

/** Loads a run's saved model. The caller disposes it. */
export async function loadRunModel(directory: string): Promise<tfl.LayersModel> {
  const folder = path.join(directory, MODEL_FOLDER);
  let modelJson: { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    modelJson = JSON.parse(await fs.readFile(path.join(folder, "model.json"), "utf8"));
  } catch {
    throw new RunError(`The run in ${directory} has no saved model; it may have been cancelled before its first epoch ended.`, directory);
  }
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const files = modelJson.weightsManifest.flatMap((group) => group.paths);
  const buffers = await Promise.all(files.map((file) => fs.readFile(path.join(folder, file))));
  const weights = joinWeights(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
  return tfl.loadLayersModel({
    load: async () => ({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: weights.buffer as ArrayBuffer }),
  });
}

const readJson = readJsonFile;

/** Reads a run's files (not its model). Throws RunError when the directory is not a run. */
export async function loadRun(directory: string): Promise<LoadedRun> {
  const spec = await readJson<RunSpec>(path.join(directory, "spec.json"));
  const written = await readJson<RunStatusFile>(path.join(directory, "status.json"));
  if (!spec || !written) throw new RunError(`${directory} is not a training run (no spec.json or status.json).`, directory);
  const history = (await readJson<EpochLogs[]>(path.join(directory, "history.json"))) ?? [];
  const status = settledStatus(written, history);
  const metrics = await readJson<RunMetrics>(path.join(directory, "metrics.json"));
  const confusion = await readJson<{ classNames: string[]; matrix: number[][] }>(path.join(directory, "confusion.json"));
  return {
    runId: path.basename(directory),
    directory,
    spec,
    status,
    history,
    ...(metrics ? { metrics } : {}),
    ...(confusion ? { confusion } : {}),
  };
}

/**
 * Marks a run whose process died as interrupted on disk, once, and returns it; a run that is
 * still running or already settled is returned unchanged.
 */
export async function settleInterruptedRun(directory: string): Promise<LoadedRun> {
  const run = await loadRun(directory);
  if (run.status.status === "interrupted") {
    const written = await readJson<RunStatusFile>(path.join(directory, "status.json"));
    if (written?.status === "running") {
      await writeJson(directory, "status.json", run.status).catch(() => undefined); // Read-only: the next listing says it again.
    }
  }
  return run;
}

/** The runs directly inside `parent`, oldest first; other folders are skipped. Dead "running" runs are marked interrupted. */
export async function listRuns(parent: string): Promise<LoadedRun[]> {
  let entries: string[];
  try {
    entries = (await fs.readdir(parent, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
  const runs: LoadedRun[] = [];
  for (const name of entries.sort()) {
    try {
      runs.push(await settleInterruptedRun(path.join(parent, name)));
    } catch (error) {
      if (!(error instanceof RunError)) throw error;
    }
  }
  return runs.sort((a, b) => a.spec.createdAt.localeCompare(b.spec.createdAt));
}
