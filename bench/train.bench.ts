/**
 * `npm run bench:train`: training throughput of the lesson's intro model (32×32×3, batch 32,
 * Adam), in one run:
 *   - wasm on one thread with the kernels composed from the backend's own (the speed before the
 *     SIMD kernels), on one thread with the WebAssembly SIMD kernels, and threaded on every
 *     thread count up to the machine's cores; each in its own process, with a per-kernel profile;
 *   - PyTorch (Debian's python3-torch) with one thread and with all of them;
 *   - the ratios, the GFLOP/s achieved against one core's peak, images/s over a full
 *     CIFAR-10-shaped epoch (50,000 images), the training process's start-up time with and
 *     without threads, and its peak memory over one Fashion-MNIST epoch.
 * Numbers, not pass/fail. On a shared machine repeat it and compare within one run.
 *
 *   npm run bench:train -- [--steps N] [--repeat N] [--no-epoch] [--no-rss] [--cpu]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { BACKEND_ORDER, selectBackend } from "../src/training/backends";
import { TrainingClient } from "../src/training/client";
import { defaultDataDirectory } from "../src/training/datasets";
import { compileModel } from "../src/training/kerasToTfjs";
import { registerWasmTrainingKernels, type WasmKernelSet } from "../src/training/kernels";
import { simdKernelsFor } from "../src/training/kernels/simd";
import { introModel, lessonCompile } from "../src/training/models";
import { batchFor, weightsFinite } from "../src/training/trainer";
import { MEASURE_ALL_THREADS_ENV, physicalCores, requestedThreads } from "../src/training/wasmThreads";
import { TRAINING_THREADS_ENV, type BackendName } from "../src/protocol/training";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

const args = process.argv.slice(2);
const steps = Number(args[args.indexOf("--steps") + 1]) || 40;
const measureRss = !args.includes("--no-rss");
const measureEpoch = !args.includes("--no-epoch");
const includeCpu = args.includes("--cpu");
const repeats = Number(args[args.indexOf("--repeat") + 1]) || 3;

/** Random uint8 images, batched and normalised the way training does it. */
const IMAGES = { images: Uint8Array.from({ length: 32 * 32 * 32 * 3 }, (_, i) => (i * 2654435761) % 256), labels: Uint8Array.from({ length: 32 }, (_, i) => i % 10), count: 32 };
const INDICES = Array.from({ length: 32 }, (_, i) => i);

/**
 * Multiply-adds of one training image of the intro model, counted as 2 FLOP each: the forward
 * pass (two convolutions, two dense layers) and a backward pass of twice that (input and weight
 * gradients); pooling, activations and the optimizer are left out (under 2 %).
 */
const FORWARD_FLOP = 2 * (30 * 30 * 16 * 3 * 3 * 3 + 13 * 13 * 32 * 3 * 3 * 16 + 1152 * 64 + 64 * 10);
const TRAINING_FLOP_PER_IMAGE = 3 * FORWARD_FLOP;

/** Wall time per step, and this process's CPU time per step (steadier on a shared machine). */
interface StepTiming {
  imagesPerSecond: number;
  msPerStep: number;
  cpuMsPerStep: number;
}

/** What one measuring child process is asked to do. */
interface ChildTask {
  backend: BackendName;
  kernels: WasmKernelSet;
  steps: number;
  profile: boolean;
  /** Images of a CIFAR-10-shaped epoch to time; 0 for none. */
  epochImages: number;
}

interface ChildResult {
  timing: StepTiming | string;
  detail?: string;
  simd?: string;
  profile?: [string, number][];
  epoch?: { imagesPerSecond: number; seconds: number };
  /** Cost of the fit loop's check that no weight overflowed (tfjs's clipped loss can hide it). */
  divergenceCheckMs?: { outputLayer: number; allWeights: number };
}

/** Mean ms of the divergence check on the output layer (every step) and on all weights (each epoch's end). */
function divergenceCheckCost(compiled: ReturnType<typeof compileModel>): { outputLayer: number; allWeights: number } {
  const checks = 50;
  const time = (which: "output" | "all") => {
    const start = performance.now();
    for (let i = 0; i < checks; i++) weightsFinite(compiled.model, which);
    return (performance.now() - start) / checks;
  };
  return { outputLayer: time("output"), allWeights: time("all") };
}

async function stepTiming(task: ChildTask): Promise<ChildResult> {
  let detail: string | undefined;
  try {
    const report = await selectBackend(task.backend);
    detail = report.attempts.find((a) => a.backend === task.backend)?.detail;
  } catch (error) {
    return { timing: error instanceof Error ? error.message : String(error) };
  }
  let simd: string | undefined;
  if (task.backend === "wasm") {
    registerWasmTrainingKernels(task.kernels);
    const loaded = simdKernelsFor(tf.backend() as BackendWasm);
    simd = task.kernels === "composed" ? "composed kernels" : loaded instanceof Error ? `SIMD kernels not loaded: ${loaded.message}` : "SIMD kernels";
  }
  const compiled = compileModel(introModel([32, 32, 3]), lessonCompile());
  const step = async () => {
    const { x, y } = batchFor(compiled, IMAGES, [32, 32, 3], INDICES, 10);
    await compiled.model.trainOnBatch(x, y);
    tf.dispose([x, y]);
  };
  for (let i = 0; i < 3; i++) await step();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < task.steps; i++) await step();
  const ms = (performance.now() - start) / task.steps;
  const cpu = process.cpuUsage(cpuStart);
  const timing = { imagesPerSecond: 32000 / ms, msPerStep: ms, cpuMsPerStep: (cpu.user + cpu.system) / 1000 / task.steps };
  const result: ChildResult = { timing, ...(detail ? { detail } : {}), ...(simd ? { simd } : {}) };
  if (task.profile) {
    result.profile = await profile(compiled);
    result.divergenceCheckMs = divergenceCheckCost(compiled);
  }
  if (task.epochImages > 0) result.epoch = await cifarShapedEpoch(compiled, task.epochImages);
  compiled.model.dispose();
  return result;
}

/**
 * Mean CPU time per kernel of one training step over 5 steps, slowest first. CPU time (this
 * process's, with every thread) rather than wall time: on a shared machine a kernel's wall time
 * also counts the time other programs held the core. A kernel composed of others is charged for
 * them, as tf.profile would show it.
 */
async function profile(compiled: ReturnType<typeof compileModel>): Promise<[string, number][]> {
  const backendName = tf.getBackend();
  const originals = tf.getKernelsForBackend(backendName);
  const totals = new Map<string, number>();
  let depth = 0;
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (kernelArgs) => {
        const start = depth === 0 ? process.cpuUsage() : undefined;
        depth++;
        try {
          return config.kernelFunc(kernelArgs);
        } finally {
          depth--;
          if (start) {
            const used = process.cpuUsage(start);
            totals.set(config.kernelName, (totals.get(config.kernelName) ?? 0) + (used.user + used.system) / 1000);
          }
        }
      },
    });
  }
  const { x, y } = batchFor(compiled, IMAGES, [32, 32, 3], INDICES, 10);
  const rounds = 5;
  for (let i = 0; i < rounds; i++) await compiled.model.trainOnBatch(x, y);
  tf.dispose([x, y]);
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel(config);
  }
  return [...totals].map(([name, ms]) => [name, ms / rounds] as [string, number]).sort((p, q) => q[1] - p[1]);
}

/** One shuffled pass over `count` random 32×32×3 uint8 images in batches of 32, as training makes them. */
async function cifarShapedEpoch(compiled: ReturnType<typeof compileModel>, count: number): Promise<{ imagesPerSecond: number; seconds: number }> {
  const images = new Uint8Array(count * 32 * 32 * 3);
  for (let i = 0; i < images.length; i++) images[i] = (i * 2654435761) >>> 24;
  const set = { images, labels: Uint8Array.from({ length: count }, (_, i) => (i * 7) % 10), count };
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = (i * 40503) % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const start = performance.now();
  for (let from = 0; from < count; from += 32) {
    const { x, y } = batchFor(compiled, set, [32, 32, 3], order.slice(from, from + 32), 10);
    await compiled.model.trainOnBatch(x, y);
    tf.dispose([x, y]);
  }
  const seconds = (performance.now() - start) / 1000;
  return { imagesPerSecond: count / seconds, seconds };
}

/** The run with the median images/s (failed runs count as slowest). */
function median(results: ChildResult[]): ChildResult {
  const speed = (r: ChildResult) => (typeof r.timing === "string" ? -1 : r.timing.imagesPerSecond);
  return { ...[...results].sort((a, b) => speed(a) - speed(b))[Math.floor(results.length / 2)]! };
}

/** Runs `task` in a fresh process (the wasm backend's build and threads are fixed per process). */
function inChild(task: ChildTask, threads: number): ChildResult {
  const run = spawnSync(process.execPath, ["--import", "tsx", __filename, "--child", JSON.stringify(task)], {
    encoding: "utf8",
    // Every thread count is measured, also those the product does not choose (a thread on every core).
    env: { ...process.env, [TRAINING_THREADS_ENV]: String(threads), [MEASURE_ALL_THREADS_ENV]: "1" },
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status !== 0 || !last.startsWith("{")) return { timing: `the measuring process failed: ${(run.stderr || run.stdout).trim().split("\n").slice(-3).join(" ")}` };
  return JSON.parse(last) as ChildResult;
}

/** Debian's python3-torch lives in the system interpreter; `python3` on PATH may be another one. */
const PYTHON_CANDIDATES = ["/usr/bin/python3", "python3"];

let torchPythonProbe: { python: string | undefined } | undefined;

/** The first interpreter that can import torch, or undefined; probed once. */
function torchPython(): string | undefined {
  torchPythonProbe ??= { python: PYTHON_CANDIDATES.find((python) => spawnSync(python, ["-c", "import torch"], { encoding: "utf8" }).status === 0) };
  return torchPythonProbe.python;
}

function torchReference(threads: number): { images_per_second: number; threads: number; ms_per_step: number; cpu_ms_per_step: number } | string {
  const python = torchPython();
  if (!python) return `PyTorch is not installed (none of ${PYTHON_CANDIDATES.join(", ")} can import torch; Debian: apt-get install python3-torch)`;
  // Debian's OpenBLAS settings for this machine's environment are left out for PyTorch alone.
  const env = { ...process.env };
  delete env["OPENBLAS_CORETYPE"];
  delete env["OPENBLAS_L2_SIZE"];
  const run = spawnSync(python, [path.join(__dirname, "torch_reference.py"), "--threads", String(threads), "--steps", String(steps)], { encoding: "utf8", env });
  if (run.status !== 0) return `the PyTorch reference failed: ${run.stderr.trim().split("\n").pop()}`;
  return JSON.parse(run.stdout.trim().split("\n").pop()!);
}

function vmHwmKb(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function peakRss(): Promise<void> {
  const client = TrainingClient.start(path.join(__dirname, "../src/training/process.ts"), { execArgv: ["--import", "tsx"] });
  const pid = client.child.pid!;
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, vmHwmKb(pid) ?? 0)), 500);
  const started = performance.now();
  try {
    const result = await client.train({
      model: introModel([28, 28, 1]),
      compile: lessonCompile(),
      fit: { batch_size: 32, epochs: 1, validation: { kind: "data" }, shuffle: true },
      dataset: { name: "fashion-mnist" },
      dataDirectory: defaultDataDirectory(),
      runDirectory: fs.mkdtempSync(path.join(os.tmpdir(), "dl-lessons-bench-")),
      backend: "wasm",
    });
    peak = Math.max(peak, vmHwmKb(pid) ?? 0);
    const epoch = result.history[0]!;
    console.log(
      `\nTraining process, one full Fashion-MNIST epoch on wasm (48,000 images + 12,000 validation + 10,000 test): ` +
        `peak RSS ${(peak / 1024).toFixed(0)} MiB (VmHWM), ${Math.round(epoch.imagesPerSecond)} images/s, ` +
        `val_categorical_accuracy ${epoch.metrics["val_categorical_accuracy"]!.toFixed(4)}, ${((performance.now() - started) / 1000).toFixed(0)} s in all`,
    );
  } finally {
    clearInterval(timer);
    client.dispose();
  }
}

/** Milliseconds from forking the training process to its answer naming the wasm backend (median of 3). */
async function startupMs(threads: number): Promise<{ ms: number; detail: string | undefined; entry: string }> {
  const bundled = path.join(__dirname, "..", "dist", "training-process.js");
  const fromBundle = fs.existsSync(bundled);
  const times: number[] = [];
  let detail: string | undefined;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const client = fromBundle
      ? TrainingClient.start(bundled, { env: { ...process.env, [TRAINING_THREADS_ENV]: String(threads), [MEASURE_ALL_THREADS_ENV]: "1" } })
      : TrainingClient.start(path.join(__dirname, "../src/training/process.ts"), { execArgv: ["--import", "tsx"], env: { ...process.env, [TRAINING_THREADS_ENV]: String(threads), [MEASURE_ALL_THREADS_ENV]: "1" } });
    try {
      const report = await client.backends("wasm");
      times.push(performance.now() - started);
      detail = report.attempts.find((a) => a.backend === "wasm")?.detail;
    } finally {
      client.dispose();
    }
  }
  times.sort((a, b) => a - b);
  return { ms: times[1]!, detail, entry: fromBundle ? "dist/training-process.js" : "src/training/process.ts under tsx (run npm run build for the bundle)" };
}

/** One core's peak for the SIMD wasm can issue (4-lane mul + add, two each a cycle: 16 FLOP/cycle), from the clock Linux reports. */
function oneCorePeakGflops(): { gflops: number; mhz: number } | undefined {
  try {
    const mhz = Number(/cpu MHz\s*:\s*([\d.]+)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1]);
    return Number.isFinite(mhz) && mhz > 0 ? { gflops: (16 * mhz) / 1000, mhz } : undefined;
  } catch {
    return undefined;
  }
}

function line(label: string, timing: StepTiming, extra = ""): string {
  const gflops = (timing.imagesPerSecond * TRAINING_FLOP_PER_IMAGE) / 1e9;
  return `  ${label.padEnd(34)} ${timing.imagesPerSecond.toFixed(0).padStart(6)} images/s  ${timing.msPerStep.toFixed(1).padStart(5)} ms/step  CPU ${timing.cpuMsPerStep.toFixed(1).padStart(5)} ms/step  ${gflops.toFixed(1).padStart(5)} GFLOP/s${extra}`;
}

function printProfile(title: string, rows: [string, number][] | undefined): void {
  if (!rows) return;
  const all = rows.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`\n${title} (CPU time, mean of 5 steps; all kernels ${all.toFixed(1)} ms):`);
  for (const [name, ms] of rows.slice(0, 10)) console.log(`  ${name.padEnd(24)} ${ms.toFixed(2).padStart(6)} ms  ${((ms / all) * 100).toFixed(0).padStart(3)} %`);
}

async function main(): Promise<void> {
  const childAt = args.indexOf("--child");
  if (childAt >= 0) {
    console.log(JSON.stringify(await stepTiming(JSON.parse(args[childAt + 1]!) as ChildTask)));
    return;
  }
  const cores = physicalCores();
  const peak = oneCorePeakGflops();
  console.log(
    `Intro model (79,530 parameters), 32×32×3, batch 32, Adam; ${steps} steps after 3 warm-up steps; ` +
      `${os.cpus().length} logical CPU(s), ${cores} physical core(s); ${(TRAINING_FLOP_PER_IMAGE / 1e6).toFixed(2)} MFLOP per training image` +
      (peak ? `; one core's 128-bit SIMD peak ${peak.gflops.toFixed(1)} GFLOP/s (16 FLOP/cycle at ${peak.mhz.toFixed(0)} MHz).` : "."),
  );
  const task = (kernels: WasmKernelSet, backend: BackendName = "wasm"): ChildTask => ({ backend, kernels, steps: backend === "cpu" ? Math.min(steps, 5) : steps, profile: backend === "wasm", epochImages: 0 });
  for (const backend of BACKEND_ORDER.filter((b) => b === "tensorflow-gpu" || b === "tensorflow" || (b === "cpu" && includeCpu))) {
    const result = inChild(task("simd", backend), 1);
    console.log(typeof result.timing === "string" ? `  ${backend.padEnd(34)} not available: ${result.timing}` : line(backend, result.timing));
  }
  // Each configuration runs `repeats` times, the configurations taking turns, so that a burst of
  // load on a shared machine falls on all of them; the median is shown with the range.
  const configurations: { label: string; kernels: WasmKernelSet; threads: number }[] = [
    { label: "wasm 1 thread, composed (before)", kernels: "composed", threads: 1 },
    { label: "wasm 1 thread, SIMD kernels", kernels: "simd", threads: 1 },
  ];
  for (let threads = 2; threads <= Math.max(2, cores); threads++) configurations.push({ label: `wasm ${threads} threads, SIMD kernels`, kernels: "simd", threads });
  const runs = configurations.map(() => [] as ChildResult[]);
  for (let round = 0; round < repeats; round++) configurations.forEach((c, i) => runs[i]!.push(inChild({ ...task(c.kernels), profile: round === 0 }, c.threads)));
  const medians = runs.map((results) => median(results));
  const show = (label: string, index: number, reference?: number) => {
    const result = medians[index]!;
    if (typeof result.timing === "string") return console.log(`  ${label.padEnd(34)} failed: ${result.timing}`);
    const reached = reference === undefined ? undefined : medians[reference];
    const ratio = reached && typeof reached.timing !== "string" ? `  ×${(result.timing.imagesPerSecond / reached.timing.imagesPerSecond).toFixed(2)} (CPU ×${(reached.timing.cpuMsPerStep / result.timing.cpuMsPerStep).toFixed(2)})` : "";
    const percent = peak ? `  ${(((result.timing.imagesPerSecond * TRAINING_FLOP_PER_IMAGE) / 1e9 / peak.gflops) * 100).toFixed(0)} % of peak` : "";
    console.log(line(label, result.timing, `${ratio}${percent}  [${[result.detail, result.simd].filter(Boolean).join(", ")}]`));
    const spread = runs[index]!.flatMap((r) => (typeof r.timing === "string" ? [] : [r.timing]));
    if (spread.length > 1) {
      const range = (values: number[], digits: number) => `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
      console.log(`  ${"".padEnd(34)} over ${spread.length} runs: ${range(spread.map((t) => t.imagesPerSecond), 0)} images/s, CPU ${range(spread.map((t) => t.cpuMsPerStep), 1)} ms/step`);
    }
  };
  configurations.forEach((c, i) => show(c.label, i, i === 0 ? undefined : i === 1 ? 0 : 1));
  const chosen = requestedThreads({});
  const mostAsked = requestedThreads({ [TRAINING_THREADS_ENV]: String(Math.max(2, cores)) });
  console.log(`  training here uses ${chosen.threads} thread(s) by default, and ${mostAsked.threads} when the setting asks for ${Math.max(2, cores)} (never a thread on every core)`);
  const before = medians[0]!;
  const single = medians[1]!;
  const threaded = new Map(configurations.slice(2).map((c, i) => [c.threads, medians[i + 2]!] as const));
  // Profiles come from the first round.
  for (const [index, result] of [before, single].entries()) {
    const first = runs[index]![0]!;
    if (first.profile) result.profile = first.profile;
    if (first.divergenceCheckMs) result.divergenceCheckMs = first.divergenceCheckMs;
  }

  const torch = new Map<number, ReturnType<typeof torchReference>>();
  for (const threads of [1, 0]) {
    const result = torchReference(threads);
    torch.set(threads, result);
    if (typeof result === "string") {
      console.log(`  pytorch                            skipped: ${result}`);
      break;
    }
    const label = threads === 0 ? `pytorch (${result.threads} threads)` : "pytorch (1 thread)";
    console.log(line(label, { imagesPerSecond: result.images_per_second, msPerStep: result.ms_per_step, cpuMsPerStep: result.cpu_ms_per_step }));
  }
  const ips = (result: ChildResult | undefined) => (result && typeof result.timing !== "string" ? result.timing.imagesPerSecond : undefined);
  const torchOne = torch.get(1);
  const torchAll = torch.get(0);
  const bestWasm = Math.max(ips(single) ?? 0, ...[...threaded.values()].map((r) => ips(r) ?? 0));
  if (ips(single) && ips(before)) console.log(`\nSIMD kernels over composed, one thread: ×${(ips(single)! / ips(before)!).toFixed(2)}`);
  if (ips(single) && torchOne && typeof torchOne !== "string") console.log(`wasm 1 thread / PyTorch 1 thread: ${((ips(single)! / torchOne.images_per_second) * 100).toFixed(0)} %`);
  if (bestWasm > 0 && torchAll && typeof torchAll !== "string") console.log(`best wasm / PyTorch all threads: ${((bestWasm / torchAll.images_per_second) * 100).toFixed(0)} %`);

  printProfile("wasm profile of one training step, composed kernels (before)", before.profile);
  printProfile("wasm profile of one training step, SIMD kernels", single.profile);
  const divergence = single.divergenceCheckMs;
  if (divergence) console.log(`  divergence check: output layer (every step) ${divergence.outputLayer.toFixed(2)} ms, all weights (each epoch's last step) ${divergence.allWeights.toFixed(2)} ms`);

  if (measureEpoch) {
    console.log(`\nA full CIFAR-10-shaped epoch (50,000 random 32×32×3 images, batch 32, shuffled):`);
    const most = Math.max(...threaded.keys());
    const epochs = [
      ["wasm 1 thread, composed (before)", "composed", 1],
      ["wasm 1 thread, SIMD kernels", "simd", 1],
      [`wasm ${most} threads, SIMD kernels`, "simd", most],
    ] as const;
    for (const [label, kernels, threads] of epochs) {
      const result = inChild({ ...task(kernels), steps: 1, profile: false, epochImages: 50000 }, threads);
      console.log(result.epoch ? `  ${label.padEnd(34)} ${result.epoch.imagesPerSecond.toFixed(0).padStart(6)} images/s (${result.epoch.seconds.toFixed(1)} s)` : `  ${label.padEnd(34)} failed: ${String(result.timing)}`);
    }
  }

  console.log(`\nTraining-process start-up to a working wasm backend (median of 3):`);
  for (const threads of [1, Math.max(2, cores)]) {
    const startup = await startupMs(threads);
    console.log(`  ${String(threads).padStart(2)} thread(s) asked: ${startup.ms.toFixed(0).padStart(5)} ms  [${startup.detail ?? "?"}; ${startup.entry}]`);
  }
  if (measureRss) await peakRss();
}

void main();
