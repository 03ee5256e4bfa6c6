/**
 * `dl-lessons check FILE.py [--challenge ID] [--lesson DIR] [--json]`: the checker's verdicts
 * on the command line, from the same core the editor uses. Without --challenge it prints each
 * layer's shape and parameters and the file's diagnostics; with it, the verdict of each blank.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { analyzePython, checkChallenge, describeShape, type Analysis, type ChallengeVerdict } from "../checker";
import { loadLesson } from "../lessons";

const USAGE = "Usage: dl-lessons check FILE.py [--challenge ID] [--lesson DIR] [--json]";

function printAnalysis(analysis: Analysis, file: string): void {
  for (const model of analysis.models) {
    const name = `model ${model.spec.name}${model.builtBy ? ` (built by ${model.builtBy})` : ""}`;
    // Shapes computed from placeholders for unfilled arguments would be made up: say so instead.
    if (!model.complete) {
      console.log(`${name}: shapes and parameters once every blank of its layers is filled in`);
      continue;
    }
    console.log(`${name}: ${model.totalParams.toLocaleString("en-US")} params`);
    model.spec.layers.forEach((layer, index) => {
      console.log(`  ${layer.name.padEnd(20)} ${layer.class_name.padEnd(14)} ${describeShape(model.outputShapes[index] ?? []).padEnd(22)} ${model.params[index] ?? 0}`);
    });
  }
  for (const diagnostic of analysis.diagnostics) {
    console.log(`${file}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}: ${diagnostic.severity}: ${diagnostic.message}`);
  }
}

function printVerdict(verdict: ChallengeVerdict, file: string): void {
  for (const blank of verdict.blanks) {
    console.log(`${file}:${blank.range.start.line + 1}:${blank.range.start.character + 1}: ${blank.status.padEnd(7)} ${blank.id}: ${blank.message}`);
  }
  for (const check of verdict.modelChecks) console.log(`model: ${check.status}: ${check.message}`);
  console.log(`challenge: ${verdict.status}`);
}

export async function run(argv: string[]): Promise<number> {
  let file: string | undefined;
  let challengeId: string | undefined;
  let lessonDir: string | undefined;
  let json = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    } else if (arg === "--json") json = true;
    else if (arg === "--challenge") challengeId = argv[++index];
    else if (arg === "--lesson") lessonDir = argv[++index];
    else if (arg !== undefined && !arg.startsWith("--") && file === undefined) file = arg;
    else {
      console.error(`dl-lessons check: unexpected argument '${arg}'.\n${USAGE}`);
      return 2;
    }
  }
  if (!file) {
    console.error(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    console.error(`dl-lessons check: cannot read ${file}.`);
    return 2;
  }
  if (!challengeId) {
    const analysis = analyzePython(text);
    if (json) console.log(JSON.stringify({ models: analysis.models, layerCalls: analysis.layerCalls, runs: analysis.runs, grids: analysis.grids, diagnostics: analysis.diagnostics }, null, 2));
    else printAnalysis(analysis, file);
    return analysis.diagnostics.some((diagnostic) => diagnostic.severity === "error") ? 1 : 0;
  }
  // A challenge file usually sits in <lesson>/challenges/ or a copy of it: look one folder up.
  const { lesson, problems } = await loadLesson(lessonDir ?? dirname(dirname(file)));
  const challenge = lesson?.episodes.flatMap((episode) => episode.challenges).find((candidate) => candidate.id === challengeId);
  if (!challenge?.check || !challenge.starterFile) {
    console.error(`dl-lessons check: no code challenge '${challengeId}' in the lesson${lessonDir ? ` at ${lessonDir}` : ""}${problems.length ? ` (${problems.length} problems loading it)` : ""}. Pass --lesson DIR.`);
    return 2;
  }
  const starter = await readFile(join(lesson.root, challenge.starterFile), "utf8");
  const verdict = checkChallenge(text, starter, challenge.check);
  if (json) {
    console.log(JSON.stringify({ status: verdict.status, blanks: verdict.blanks, modelChecks: verdict.modelChecks, summary: verdict.summary, diagnostics: verdict.diagnostics }, null, 2));
  } else {
    printVerdict(verdict, file);
    printAnalysis(verdict.analysis, file);
  }
  return verdict.status === "correct" ? 0 : 1;
}
