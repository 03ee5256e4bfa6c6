/**
 * A training run on disk, one directory per run:
 *
 *   spec.json        model, compile, fit and dataset specs, label, backend, start time
 *   status.json      running | completed | cancelled | failed (written atomically, last)
 *   history.json     Keras-named metrics per epoch; history.csv the same as a table
 *   metrics.json     test loss and accuracy, per-class accuracy (completed runs)
 *   confusion.json   the confusion matrix with class names (completed runs)
 *   model/model.json + model/weights.bin   the model in the tfjs format
 *
 * Every file is written to a temporary name and renamed, so a run that is cancelled or killed
 * mid-write never leaves a half-written file; `status.json` says how far it got.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import type { CompileSpec, DatasetRef, FitSpec, ModelSpec } from "../protocol/modelSpec";
import type { BackendName, EpochLogs } from "../protocol/training";
import { RunError } from "./errors";

export type RunStatus = "running" | "completed" | "cancelled" | "failed";

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

export interface RunStatusFile {
  status: RunStatus;
  updatedAt: string;
  message?: string | undefined;
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

/** Writes a file so that readers see the old content or the new, never part of it. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, data);
  await fs.rename(temporary, file);
}

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

export async function startRun(directory: string, spec: RunSpec): Promise<void> {
  await fs.mkdir(directory, { recursive: true });
  await writeJson(directory, "spec.json", spec);
  await writeStatus(directory, "running");
}

export async function writeStatus(directory: string, status: RunStatus, message?: string): Promise<void> {
  const file: RunStatusFile = { status, updatedAt: new Date().toISOString(), ...(message ? { message } : {}) };
  await writeJson(directory, "status.json", file);
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
  await fs.mkdir(folder, { recursive: true });
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

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new RunError(`${path.basename(file)} in ${path.dirname(file)} is not valid JSON.`, path.dirname(file));
  }
}

/** Reads a run's files (not its model). Throws RunError when the directory is not a run. */
export async function loadRun(directory: string): Promise<LoadedRun> {
  const spec = await readJson<RunSpec>(path.join(directory, "spec.json"));
  const status = await readJson<RunStatusFile>(path.join(directory, "status.json"));
  if (!spec || !status) throw new RunError(`${directory} is not a training run (no spec.json or status.json).`, directory);
  const metrics = await readJson<RunMetrics>(path.join(directory, "metrics.json"));
  const confusion = await readJson<{ classNames: string[]; matrix: number[][] }>(path.join(directory, "confusion.json"));
  return {
    runId: path.basename(directory),
    directory,
    spec,
    status,
    history: (await readJson<EpochLogs[]>(path.join(directory, "history.json"))) ?? [],
    ...(metrics ? { metrics } : {}),
    ...(confusion ? { confusion } : {}),
  };
}

/** The runs directly inside `parent`, oldest first; other folders are skipped. */
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
      runs.push(await loadRun(path.join(parent, name)));
    } catch (error) {
      if (!(error instanceof RunError)) throw error;
    }
  }
  return runs.sort((a, b) => a.spec.createdAt.localeCompare(b.spec.createdAt));
}
