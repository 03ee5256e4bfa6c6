/**
 * `npm run bench:check`: latency of a full check (parse, evaluate, every blank) of the longest
 * challenge file of the shipped lesson, filled with its solution, over 200 runs. Each run edits
 * one character of a comment so that no cached result is reused. Goal: p95 under 10 ms.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { checkChallenge } from "../src/checker";
import { parseEpisode } from "../src/lessons";

const LESSON = join(import.meta.dirname, "../lessons/intro-image-classification-cnn");
const RUNS = 200;

const challenges = readdirSync(join(LESSON, "episodes"))
  .filter((file) => file.endsWith(".md"))
  .flatMap((file, index) => parseEpisode(readFileSync(join(LESSON, "episodes", file), "utf8"), file, file.slice(0, -3), index).episode.challenges)
  .filter((challenge) => challenge.check && challenge.starterFile && challenge.solutionFile);
const longest = challenges.reduce((best, challenge) => (statSync(join(LESSON, challenge.starterFile ?? "")).size > statSync(join(LESSON, best.starterFile ?? "")).size ? challenge : best));
const starter = readFileSync(join(LESSON, longest.starterFile ?? ""), "utf8");
const solution = readFileSync(join(LESSON, longest.solutionFile ?? ""), "utf8");

const times: number[] = [];
for (let run = 0; run < RUNS + 20; run++) {
  const text = `${solution}\n# run ${run}\n`;
  const started = performance.now();
  const verdict = checkChallenge(text, starter, longest.check!);
  const elapsed = performance.now() - started;
  if (verdict.status !== "correct") throw new Error(`the solution of ${longest.id} does not pass: ${verdict.status}`);
  // The first runs warm up the JIT; they are not counted.
  if (run >= 20) times.push(elapsed);
}
times.sort((a, b) => a - b);
const percentile = (p: number): number => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
console.log(`check ${longest.id} (${solution.split("\n").length} lines, ${longest.check!.blanks.length} blanks), ${RUNS} runs:`);
console.log(`  p50 ${percentile(50).toFixed(2)} ms   p95 ${percentile(95).toFixed(2)} ms   max ${(times[times.length - 1] ?? NaN).toFixed(2)} ms`);
