/**
 * `npm run bench:lesson-clock`: how long every training the lesson asks for takes on this
 * machine, full data and the workshop subset, from short real runs of the training process.
 * Writes the table the lesson cites, `lessons/intro-image-classification-cnn/timings.json`,
 * and prints it. Numbers, not pass/fail.
 *
 *   npm run bench:lesson-clock -- [--subset N] [--no-write]
 *
 * How the full times are derived: each distinct model trains for two epochs through the real
 * training process (wasm backend, batch 32) on the first N images of the training set (80 %
 * trained on, 20 % validated on, as the lesson's split). The second epoch's wall time, which
 * includes its validation pass, is the steady cost of N images; an epoch of the full data costs
 * that times (full training images / N), since both the training and the validation part grow in
 * proportion. What a run costs once (loading the data, building the model, the first epoch's
 * warm-up beyond the second's cost) is measured as the run's wall time minus its epochs, and
 * added once per training. Both are taken twice: as wall time, and as the CPU time of the training
 * process (it trains on one thread, so on a free core its wall time is its CPU time); the lesson
 * quotes the CPU-time figures, the wall times stay in the table. Fashion-MNIST runs on Debian's real copy; CIFAR-10 (not on these
 * machines) runs on a stand-in of the same format and size filled with seeded random pixels,
 * which costs the same: no kernel's time depends on the pixel values. The machine is shared, so
 * every number is an upper bound for a quiet machine of the same kind.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TrainingClient } from "../src/training/client";
import { CIFAR10_ARCHIVE, CIFAR10_RECORD_BYTES, CIFAR10_RECORDS_PER_BATCH, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES, IMAGE_SHAPES } from "../src/training/datasets/catalog";
import { defaultDataDirectory } from "../src/training/datasets";
import { dropoutModel, introModel, lessonCompile } from "../src/training/models";
import { LESSON_TRAININGS, type ClockDataset, type LessonTimings, type ModelTiming } from "../src/lessons/clock";
import type { ActivationName, CompileSpec, DatasetName, ModelSpec } from "../src/protocol/modelSpec";

const args = process.argv.slice(2);
const subset = Number(args[args.indexOf("--subset") + 1]) || 2500;
const write = !args.includes("--no-write");
const TIMINGS_FILE = path.join(__dirname, "..", "lessons", "intro-image-classification-cnn", "timings.json");

/** The distinct models the lesson trains (a dropout rate or an optimizer does not change the cost of a step much; each is measured anyway where the lesson varies it). */
function modelFor(id: string, shape: number[]): { model: ModelSpec; compile: CompileSpec } {
  const adam = lessonCompile();
  const activation = /^intro-(relu|sigmoid|tanh|selu)$/.exec(id)?.[1] as ActivationName | undefined;
  if (activation) return { model: introModel(shape, activation), compile: adam };
  if (id === "dropout") return { model: dropoutModel(shape, 0.5), compile: adam };
  if (id === "intro-sgd") return { model: introModel(shape), compile: { ...adam, optimizer: { name: "sgd", learning_rate: 0.01, momentum: 0 } } };
  if (id === "intro-rmsprop") return { model: introModel(shape), compile: { ...adam, optimizer: { name: "rmsprop", learning_rate: 0.001 } } };
  throw new Error(`no model for ${id}`);
}

/** A CIFAR-10 folder of the official binary format and size, seeded random pixels and labels 0-9. */
function cifarStandIn(dataDirectory: string): void {
  const folder = path.join(dataDirectory, "cifar10", CIFAR10_ARCHIVE.folder);
  mkdirSync(folder, { recursive: true });
  let state = 12345;
  for (const file of [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE]) {
    const bytes = Buffer.alloc(CIFAR10_RECORDS_PER_BATCH * CIFAR10_RECORD_BYTES);
    for (let i = 0; i < bytes.length; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      bytes[i] = state >>> 24;
    }
    for (let r = 0; r < CIFAR10_RECORDS_PER_BATCH; r++) bytes[r * CIFAR10_RECORD_BYTES] = r % 10;
    writeFileSync(path.join(folder, file), bytes);
  }
}

/** CPU seconds (user + system) the process has used so far, from /proc (Linux). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ");
  // After the command name: field 14 (utime) and 15 (stime) of proc(5) are at 11 and 12 here.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}
const CLOCK_TICKS_PER_SECOND = 100;

async function measure(client: TrainingClient, dataset: DatasetName, dataDirectory: string, id: string): Promise<ModelTiming> {
  const shape = [...IMAGE_SHAPES[dataset]];
  const { model, compile } = modelFor(id, shape);
  const runDirectory = mkdtempSync(path.join(os.tmpdir(), "dl-lessons-clock-"));
  const started = performance.now();
  const pid = client.child.pid!;
  const cpuAtStart = cpuSecondsOf(pid);
  const cpuAtEpoch: number[] = [];
  const unsubscribe = client.onEvent((event) => {
    if (event.kind === "epoch") cpuAtEpoch.push(cpuSecondsOf(pid));
  });
  try {
    const result = await client.train({
      model,
      compile,
      fit: { batch_size: 32, epochs: 2, validation: { kind: "data" }, shuffle: true },
      dataset: { name: dataset, trainLimit: subset, testLimit: Math.max(100, Math.round(subset / 5)), splitSeed: 42 },
      dataDirectory,
      runDirectory,
      backend: "wasm",
    });
    const wall = (performance.now() - started) / 1000;
    const cpu = cpuSecondsOf(pid) - cpuAtStart;
    const [first, second] = result.history;
    const [cpuFirst, cpuSecond] = cpuAtEpoch;
    if (!first || !second || cpuFirst === undefined || cpuSecond === undefined) throw new Error(`${id} on ${dataset}: the run stopped before its second epoch`);
    const cpuEpoch = cpuSecond - cpuFirst;
    return {
      subsetImages: subset,
      secondsPerSubsetEpoch: round(second.seconds),
      trainImagesPerSecond: Math.round(second.imagesPerSecond),
      onceSeconds: round(Math.max(0, wall - 2 * second.seconds)),
      cpuSecondsPerSubsetEpoch: round(cpuEpoch),
      cpuOnceSeconds: round(Math.max(0, cpu - 2 * cpuEpoch)),
    };
  } finally {
    unsubscribe();
    rmSync(runDirectory, { recursive: true, force: true });
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  const standIn = mkdtempSync(path.join(os.tmpdir(), "dl-lessons-clock-data-"));
  cifarStandIn(standIn);
  const client = TrainingClient.start(path.join(__dirname, "../src/training/process.ts"), { execArgv: ["--import", "tsx"] });
  const models: Record<string, Record<ClockDataset, ModelTiming>> = {};
  const ids = [...new Set(LESSON_TRAININGS.flatMap((t) => t.models))];
  try {
    for (const id of ids) {
      const fashion = await measure(client, "fashion-mnist", defaultDataDirectory(), id);
      const cifar = await measure(client, "cifar10", standIn, id);
      models[id] = { cifar10: cifar, "fashion-mnist": fashion };
      console.log(
        `${id.padEnd(14)} per ${subset}-image epoch: CIFAR-10 ${cifar.secondsPerSubsetEpoch} s wall, ${cifar.cpuSecondsPerSubsetEpoch} s CPU (${cifar.trainImagesPerSecond} img/s); ` +
          `Fashion-MNIST ${fashion.secondsPerSubsetEpoch} s wall, ${fashion.cpuSecondsPerSubsetEpoch} s CPU (${fashion.trainImagesPerSecond} img/s)`,
      );
    }
  } finally {
    client.dispose();
    rmSync(standIn, { recursive: true, force: true });
  }
  const timings: LessonTimings = {
    measuredOn: `${os.cpus().length} CPU cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), wasm backend, one training process, shared with other work: upper bounds`,
    measuredAt: new Date().toISOString().slice(0, 10),
    method:
      "Each model trains 2 epochs on the first subsetImages training images (80/20 split, batch 32) in the real training process; " +
      "an epoch of N images costs secondsPerSubsetEpoch × N / subsetImages; onceSeconds (loading, building, warm-up) is added once per training. " +
      "The lesson quotes the cpu* figures (the training process's CPU time: its wall time on a free core); the wall figures are what this shared machine took. " +
      "CIFAR-10 is timed on a same-size stand-in of random pixels; Fashion-MNIST on Debian's real files.",
    models,
  };
  const { trainingTimes } = await import("../src/lessons/clock");
  for (const dataset of ["cifar10", "fashion-mnist"] as const) {
    console.log(`\n${dataset}: minutes per training from CPU time (full data / workshop settings); wall-clock full data in brackets`);
    const wall = trainingTimes(timings, dataset, undefined, "wall");
    for (const [n, training] of trainingTimes(timings, dataset).entries()) {
      console.log(`  ${training.id.padEnd(20)} ${(training.fullSeconds / 60).toFixed(1).padStart(6)} / ${(training.workshopSeconds / 60).toFixed(1).padStart(5)}  [${((wall[n]?.fullSeconds ?? 0) / 60).toFixed(1)}]  ${training.description}`);
    }
  }
  if (write) {
    writeFileSync(TIMINGS_FILE, `${JSON.stringify(timings, null, 2)}\n`);
    console.log(`\nWrote ${path.relative(process.cwd(), TIMINGS_FILE)}`);
  }
}

void main();
