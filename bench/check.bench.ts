/**
 * `npm run bench:check`: latency of a full check (parse, evaluate, every blank) of the longest
 * challenge file of the shipped lesson, over 200 runs after a warm-up. Goal: p95 under 10 ms.
 *
 * Two scenarios, both editing one character of a comment on every run so that no analysis of the
 * learner's text is reused:
 * - "solution": the solution file, every blank right (the common case while a learner types
 *   elsewhere in the file);
 * - "one blank wrong": the first blank holds `None`, which forces the checker to analyse the file
 *   again with the expected answer in that blank to explain the difference.
 *
 * Garbage collections that overlap a run are counted, to tell GC pauses from slow code.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { checkChallenge } from "../src/checker";
import { findBlanks, parsePython } from "../src/checker/source";
import { parseEpisode } from "../src/lessons";
import type { Challenge } from "../src/protocol/lesson";

const LESSON = join(import.meta.dirname, "../lessons/intro-image-classification-cnn");
const RUNS = 200;
const WARM_UP_RUNS = 50;

const challenges = readdirSync(join(LESSON, "episodes"))
  .filter((file) => file.endsWith(".md"))
  .flatMap((file, index) => parseEpisode(readFileSync(join(LESSON, "episodes", file), "utf8"), file, file.slice(0, -3), index).episode.challenges)
  .filter((challenge) => challenge.check && challenge.starterFile && challenge.solutionFile);
const longest = challenges.reduce((best, challenge) => (statSync(join(LESSON, challenge.starterFile ?? "")).size > statSync(join(LESSON, best.starterFile ?? "")).size ? challenge : best));
const starter = readFileSync(join(LESSON, longest.starterFile ?? ""), "utf8");
const solution = readFileSync(join(LESSON, longest.solutionFile ?? ""), "utf8");

/** The starter with its first blank set to `None` and every other blank to its expected answer. */
function firstBlankWrong(challenge: Challenge): string {
  const blanks = findBlanks(parsePython(starter));
  let text = starter;
  for (let index = blanks.length - 1; index >= 0; index--) {
    const blank = blanks[index];
    const answer = index === 0 ? "None" : challenge.check?.blanks[index]?.expect;
    if (blank && answer !== undefined) text = text.slice(0, blank.from) + answer + text.slice(blank.to);
  }
  return text;
}

const collections: PerformanceEntry[] = [];
const observer = new PerformanceObserver((list) => collections.push(...list.getEntries()));
observer.observe({ entryTypes: ["gc"] });

interface Timing {
  started: number;
  elapsed: number;
}

function measure(base: string, expected: "correct" | "wrong", runOffset: number): Timing[] {
  const timings: Timing[] = [];
  for (let run = 0; run < WARM_UP_RUNS + RUNS; run++) {
    const text = `${base}\n# run ${runOffset + run}\n`;
    const started = performance.now();
    const verdict = checkChallenge(text, starter, longest.check!);
    const elapsed = performance.now() - started;
    if (verdict.status !== expected) throw new Error(`${longest.id}: expected ${expected}, got ${verdict.status}`);
    // The warm-up runs let the JIT compile the checker; they are not counted.
    if (run >= WARM_UP_RUNS) timings.push({ started, elapsed });
  }
  return timings;
}

/** Lets the observer deliver the GC entries of the runs just measured. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

function report(name: string, timings: Timing[]): void {
  const sorted = timings.map((timing) => timing.elapsed).sort((a, b) => a - b);
  const percentile = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const p95 = percentile(95);
  const overlapsGc = (timing: Timing): boolean =>
    collections.some((gc) => gc.startTime < timing.started + timing.elapsed && gc.startTime + gc.duration > timing.started);
  const slow = timings.filter((timing) => timing.elapsed >= p95);
  const gcMillis = collections
    .filter((gc) => timings.some((timing) => gc.startTime >= timing.started && gc.startTime < timing.started + timing.elapsed))
    .reduce((sum, gc) => sum + gc.duration, 0);
  console.log(`  ${name.padEnd(16)} p50 ${percentile(50).toFixed(2)} ms   p95 ${p95.toFixed(2)} ms   p99 ${percentile(99).toFixed(2)} ms   max ${(sorted[sorted.length - 1] ?? NaN).toFixed(2)} ms`);
  console.log(`  ${"".padEnd(16)} runs at or above p95 that overlap a GC: ${slow.filter(overlapsGc).length} of ${slow.length}; GC inside runs: ${gcMillis.toFixed(1)} ms in all`);
}

async function main(): Promise<void> {
  console.log(`check ${longest.id} (${solution.split("\n").length} lines, ${longest.check!.blanks.length} blanks), ${RUNS} runs after ${WARM_UP_RUNS} warm-up runs:`);
  const solutionTimings = measure(solution, "correct", 0);
  await settle();
  report("solution", solutionTimings);
  const wrongTimings = measure(firstBlankWrong(longest), "wrong", WARM_UP_RUNS + RUNS);
  await settle();
  report("one blank wrong", wrongTimings);
  observer.disconnect();
}

void main();
