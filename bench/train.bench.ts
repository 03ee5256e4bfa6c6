/**
 * `npm run bench:train`: training throughput of the lesson's intro model (32×32×3, batch 32,
 * Adam) on every backend that loads, the same model in PyTorch on the same machine when
 * `/usr/bin/python3` or `python3` can import torch, a kernel profile of one wasm step, and the training
 * process's peak memory over one full Fashion-MNIST epoch. Numbers, not pass/fail.
 *
 *   npm run bench:train -- [--steps N] [--no-rss]
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
import { introModel, lessonCompile } from "../src/training/models";
import { batchFor, weightsFinite } from "../src/training/trainer";
import type { BackendName } from "../src/protocol/training";

const args = process.argv.slice(2);
const steps = Number(args[args.indexOf("--steps") + 1]) || 40;
const measureRss = !args.includes("--no-rss");

/** Random uint8 images, batched and normalised the way training does it. */
const IMAGES = { images: Uint8Array.from({ length: 32 * 32 * 32 * 3 }, (_, i) => (i * 2654435761) % 256), labels: Uint8Array.from({ length: 32 }, (_, i) => i % 10), count: 32 };
const INDICES = Array.from({ length: 32 }, (_, i) => i);

/** Wall time per step, and this process's CPU time per step (steadier on a shared machine). */
interface StepTiming {
  imagesPerSecond: number;
  msPerStep: number;
  cpuMsPerStep: number;
}

async function imagesPerSecond(backend: BackendName): Promise<StepTiming | string> {
  try {
    await selectBackend(backend);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const compiled = compileModel(introModel([32, 32, 3]), lessonCompile());
  const step = async () => {
    const { x, y } = batchFor(compiled, IMAGES, [32, 32, 3], INDICES, 10);
    await compiled.model.trainOnBatch(x, y);
    tf.dispose([x, y]);
  };
  for (let i = 0; i < 3; i++) await step();
  const count = backend === "cpu" ? Math.min(steps, 5) : steps;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < count; i++) await step();
  const ms = (performance.now() - start) / count;
  const cpu = process.cpuUsage(cpuStart);
  compiled.model.dispose();
  return { imagesPerSecond: 32000 / ms, msPerStep: ms, cpuMsPerStep: (cpu.user + cpu.system) / 1000 / count };
}

async function profileWasm(): Promise<void> {
  await selectBackend("wasm");
  const compiled = compileModel(introModel([32, 32, 3]), lessonCompile());
  const { x, y } = batchFor(compiled, IMAGES, [32, 32, 3], INDICES, 10);
  for (let i = 0; i < 3; i++) await compiled.model.trainOnBatch(x, y);
  const totals = new Map<string, number>();
  const rounds = 5;
  for (let i = 0; i < rounds; i++) {
    const info = await tf.profile(async () => void (await compiled.model.trainOnBatch(x, y)));
    for (const kernel of info.kernels) totals.set(kernel.name, (totals.get(kernel.name) ?? 0) + Number(kernel.kernelTimeMs) / rounds);
  }
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  console.log(`\nwasm profile of one training step (mean of ${rounds}; kernel time ${all.toFixed(1)} ms):`);
  for (const [name, ms] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
    console.log(`  ${name.padEnd(24)} ${ms.toFixed(2).padStart(6)} ms  ${((ms / all) * 100).toFixed(0).padStart(3)} %`);
  }
  // The fit loop checks after every step that no weight overflowed (tfjs's clipped loss can hide it).
  const checks = 50;
  const checkStart = performance.now();
  for (let i = 0; i < checks; i++) weightsFinite(compiled.model, "output");
  const outputMs = (performance.now() - checkStart) / checks;
  const allStart = performance.now();
  for (let i = 0; i < checks; i++) weightsFinite(compiled.model, "all");
  const allMs = (performance.now() - allStart) / checks;
  console.log(`  divergence check: output layer (every step) ${outputMs.toFixed(2)} ms, all weights (each epoch's last step) ${allMs.toFixed(2)} ms`);
  tf.dispose([x, y]);
  compiled.model.dispose();
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
  const run = spawnSync(python, [path.join(__dirname, "torch_reference.py"), "--threads", String(threads), "--steps", String(steps)], { encoding: "utf8" });
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

async function main(): Promise<void> {
  console.log(`Intro model (79,530 parameters), 32×32×3, batch 32, Adam; ${steps} steps after 3 warm-up steps; ${os.cpus().length} CPU core(s).`);
  const results = new Map<BackendName, StepTiming>();
  for (const backend of BACKEND_ORDER) {
    const result = await imagesPerSecond(backend);
    if (typeof result === "string") console.log(`  ${backend.padEnd(15)} not available: ${result}`);
    else {
      results.set(backend, result);
      console.log(`  ${backend.padEnd(15)} ${result.imagesPerSecond.toFixed(0).padStart(6)} images/s  (${result.msPerStep.toFixed(1)} ms/step, CPU ${result.cpuMsPerStep.toFixed(1)} ms/step)`);
    }
  }
  for (const threads of [1, 0]) {
    const torch = torchReference(threads);
    if (typeof torch === "string") {
      console.log(`  pytorch         skipped: ${torch}`);
      break;
    }
    const wasm = results.get("wasm");
    const ratio = wasm
      ? ` — wasm reaches ${((wasm.imagesPerSecond / torch.images_per_second) * 100).toFixed(0)} % of it (${((torch.cpu_ms_per_step / wasm.cpuMsPerStep) * 100).toFixed(0)} % by CPU time)`
      : "";
    const label = threads === 0 ? `default, ${torch.threads}` : String(torch.threads);
    console.log(`  pytorch (${label} thread${torch.threads === 1 ? "" : "s"}) ${torch.images_per_second.toFixed(0).padStart(6)} images/s  (${torch.ms_per_step.toFixed(1)} ms/step, CPU ${torch.cpu_ms_per_step.toFixed(1)} ms/step)${ratio}`);
  }
  await profileWasm();
  if (measureRss) await peakRss();
}

void main();
