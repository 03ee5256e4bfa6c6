/**
 * What the training process costs before anything trains: the host starts it for its first
 * dataset lookup soon after activation. Prints, for the built process (dist/training-process.js),
 * the time from fork to the first `datasets/present` answer and the process's resident memory
 * then, and the same once a `training/backends` request has loaded TensorFlow.js and its wasm
 * backend. Median of `--repeat N` (default 3) fresh processes. Run `npm run build` first.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { defaultDataDirectory } from "../src/protocol/dataDirectory";
import { TrainingClient } from "../src/training/client";

const ENTRY = path.join(__dirname, "..", "dist", "training-process.js");

function residentMiB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function once(): Promise<{ lookupMs: number; lookupMiB: number; backendMs: number; backendMiB: number }> {
  const started = performance.now();
  const client = TrainingClient.start(ENTRY);
  try {
    await client.datasetsPresent(defaultDataDirectory());
    const lookupMs = performance.now() - started;
    const lookupMiB = residentMiB(client.child.pid);
    const backendStarted = performance.now();
    await client.backends("wasm");
    return { lookupMs, lookupMiB, backendMs: performance.now() - backendStarted, backendMiB: residentMiB(client.child.pid) };
  } finally {
    client.dispose();
  }
}

async function main(): Promise<void> {
  const repeatAt = process.argv.indexOf("--repeat");
  const repeat = repeatAt > 0 ? Number(process.argv[repeatAt + 1]) : 3;
  const samples: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < repeat; i++) samples.push(await once());
  const pick = (key: keyof (typeof samples)[number]) => median(samples.map((sample) => sample[key]));
  console.log(`training process, median of ${repeat}:`);
  console.log(`  fork -> first datasets/present answer: ${pick("lookupMs").toFixed(0)} ms, ${pick("lookupMiB").toFixed(0)} MiB resident`);
  console.log(`  then training/backends (loads TensorFlow.js + wasm): ${pick("backendMs").toFixed(0)} ms more, ${pick("backendMiB").toFixed(0)} MiB resident`);
}

void main();
