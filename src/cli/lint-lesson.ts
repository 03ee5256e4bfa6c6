/**
 * `dl-lessons lint-lesson <dir>`: validates a lesson folder and prints each problem as
 * `file:line:column: error: message`, the way compilers do, so terminals and editors link them.
 * Exits 1 when there is an error, 0 otherwise (warnings alone do not fail, unless --strict).
 */
import { relative } from "node:path";
import { parseArgs } from "node:util";
import type { LessonProblem } from "../protocol/lesson";
import { findLessonDirectories, lessonStats, type EpisodeStats } from "../lessons";

const HELP = `Usage: dl-lessons lint-lesson <dir> [options]

  <dir>          A lesson folder (the one holding lesson.yaml), or a folder of lessons: every
                 lesson found below it is checked.

Options:
  --stats        Also print words, challenges and minutes per episode.
  --strict       Exit 1 on warnings too.
  -h, --help     Show this help.`;

export function formatProblem(problem: LessonProblem, cwd = process.cwd()): string {
  const { file, line, column } = problem.location;
  const shown = relative(cwd, file) || file;
  return `${shown}:${line}:${column}: ${problem.severity}: ${problem.message}`;
}

function statsTable(episodes: EpisodeStats[]): string {
  const rows = [["Episode", "Words", "Challenges", "Code", "Teaching", "Exercises", "Training"]];
  for (const e of episodes) {
    rows.push([e.id, String(e.words), String(e.challenges), String(e.codeChallenges), `${e.teachingMinutes} min`, `${e.exerciseMinutes} min`, `${e.trainingMinutes} min`]);
  }
  const sum = (pick: (e: EpisodeStats) => number): number => episodes.reduce((total, e) => total + pick(e), 0);
  rows.push([
    "total",
    String(sum((e) => e.words)),
    String(sum((e) => e.challenges)),
    String(sum((e) => e.codeChallenges)),
    `${sum((e) => e.teachingMinutes)} min`,
    `${sum((e) => e.exerciseMinutes)} min`,
    `${sum((e) => e.trainingMinutes)} min`,
  ]);
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join("  ")).join("\n");
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { stats: { type: "boolean" }, strict: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    console.error(`dl-lessons lint-lesson: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(HELP);
    return 0;
  }
  const [dir, ...extra] = parsed.positionals;
  if (dir === undefined || extra.length > 0) {
    console.error(`dl-lessons lint-lesson: give one lesson folder.\n\n${HELP}`);
    return 2;
  }
  const lessons = await findLessonDirectories(dir);
  if (lessons.length === 0) {
    console.error(`dl-lessons lint-lesson: no lesson.yaml in ${dir} or below it.`);
    return 1;
  }
  let errors = 0;
  let warnings = 0;
  for (const lessonDir of lessons) {
    const { lesson, episodes, problems } = await lessonStats(lessonDir);
    for (const problem of problems) console.log(formatProblem(problem));
    const e = problems.filter((p) => p.severity === "error").length;
    errors += e;
    warnings += problems.length - e;
    if (parsed.values.stats) {
      console.log(`\n${lesson.title || lesson.id} (${relative(process.cwd(), lessonDir) || "."})\n${statsTable(episodes)}\n`);
    }
  }
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  const where = lessons.length === 1 ? relative(process.cwd(), lessons[0]!) || "." : `${lessons.length} lessons`;
  console.log(errors + warnings === 0 ? `${where}: no problems` : `${where}: ${count(errors, "error")}, ${count(warnings, "warning")}`);
  return errors > 0 || (parsed.values.strict === true && warnings > 0) ? 1 : 0;
}
