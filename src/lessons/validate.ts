/**
 * Validation across files: what one episode file cannot tell on its own. Challenge ids unique in
 * the lesson; starter and solution files present, parsing, and agreeing with each other and with
 * the check block; images present inside the lesson folder; files nobody uses.
 *
 * Every problem carries `file:line:column`, in the file where the fix belongs.
 */
import { readFile, readdir, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { LessonLocation, LessonProblem } from "../protocol/lesson";
import type { ParsedChallenge, ParsedEpisode } from "./parse";
import { BLANK, matchStarterAndSolution, normalizeExpression, readPython, textPositionIn, type PythonFile } from "../python";

export interface ValidationInput {
  /** Absolute path of the lesson folder. */
  root: string;
  episodes: ParsedEpisode[];
}

const IMAGE_FILE = /\.(svg|png|jpe?g|gif|webp)$/i;

const error = (location: LessonLocation, message: string): LessonProblem => ({ location, message, severity: "error" });
const warning = (location: LessonLocation, message: string): LessonProblem => ({ location, message, severity: "warning" });

async function readText(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, "utf8")).replace(/\r\n?/g, "\n");
  } catch {
    return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Whether `path` stays inside `root` (a lesson may not reach outside its own folder). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && rel.split(sep)[0] !== ".." && !isAbsolute(rel);
}

export async function validateLesson(input: ValidationInput): Promise<LessonProblem[]> {
  const problems: LessonProblem[] = [];
  const { root } = input;

  // Challenge ids are unique in the lesson: progress is stored by id.
  const firstById = new Map<string, LessonLocation>();
  for (const episode of input.episodes) {
    for (const parsed of episode.challenges) {
      const id = parsed.challenge.id;
      if (!id) continue;
      const first = firstById.get(id);
      if (first) {
        problems.push(error(parsed.idLocation, `challenge id \`${id}\` is already used at ${relative(root, first.file)}:${first.line}:${first.column}`));
      } else firstById.set(id, parsed.idLocation);
    }
  }

  const usedFiles = new Set<string>();
  const shownImages = new Set<string>();
  for (const episode of input.episodes) {
    for (const parsed of episode.challenges) {
      problems.push(...(await validateCodeChallenge(root, parsed, usedFiles)));
    }
    for (const image of episode.images) {
      problems.push(...(await validateImage(root, image.src, image.location)));
      shownImages.add(resolve(dirname(image.location.file), image.src.split(/[?#]/)[0]!));
    }
  }

  // A figure no episode shows is dead weight in the package, or a reference that was lost.
  try {
    for (const name of (await readdir(join(root, "figures"))).filter((n) => IMAGE_FILE.test(n)).sort()) {
      const path = join(root, "figures", name);
      if (!shownImages.has(path)) problems.push(warning({ file: path, line: 1, column: 1 }, `figure \`figures/${name}\` is not shown by any episode`));
    }
  } catch {
    // A lesson without figures.
  }

  // Starter and solution files that no challenge names: probably a renamed or forgotten one.
  for (const folder of ["challenges", "solutions"]) {
    let names: string[] = [];
    try {
      names = (await readdir(join(root, folder))).filter((n) => n.endsWith(".py")).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(root, folder, name);
      if (!usedFiles.has(path)) problems.push(warning({ file: path, line: 1, column: 1 }, `\`${folder}/${name}\` is not named by any challenge`));
    }
  }
  return problems;
}

async function validateCodeChallenge(root: string, parsed: ParsedChallenge, usedFiles: Set<string>): Promise<LessonProblem[]> {
  const problems: LessonProblem[] = [];
  const { challenge } = parsed;
  const label = challenge.id ? `challenge \`${challenge.id}\`` : "this challenge";

  const load = async (
    relPath: string | undefined,
    where: LessonLocation | undefined,
    role: "starter" | "solution",
  ): Promise<{ path: string; file: PythonFile } | undefined> => {
    if (relPath === undefined || where === undefined) return undefined;
    const path = resolve(root, relPath);
    if (!isInside(root, path)) {
      problems.push(error(where, `the ${role} file \`${relPath}\` is outside the lesson folder; name it relative to the folder that holds lesson.yaml`));
      return undefined;
    }
    usedFiles.add(path);
    const text = await readText(path);
    if (text === undefined) {
      problems.push(error(where, `the ${role} file \`${relPath}\` of ${label} does not exist`));
      return undefined;
    }
    const file = readPython(text);
    for (const e of file.syntaxErrors.slice(0, 1)) {
      problems.push(error({ file: path, line: e.line, column: e.column }, `the ${role} file of ${label} is not valid Python here`));
    }
    for (const near of file.nearBlanks) {
      problems.push(
        warning({ file: path, line: near.line, column: near.column }, `this name looks like a blank, but a blank is exactly five underscores (\`${BLANK}\`)`),
      );
    }
    return { path, file };
  };

  const starter = await load(challenge.starterFile, parsed.starterLocation, "starter");
  const solution = await load(challenge.solutionFile, parsed.solutionLocation, "solution");
  const spec = parsed.check?.spec;

  if (starter && spec) {
    const have = starter.file.blanks.length;
    const want = spec.blanks.length;
    if (have === 0) {
      problems.push(error({ file: starter.path, line: 1, column: 1 }, `the starter file of ${label} has no blanks (\`${BLANK}\`) to fill`));
    } else if (have !== want) {
      const rel = relative(root, starter.path);
      const extra = have > want ? starter.file.blanks[want] : undefined;
      problems.push(
        error(
          parsed.check!.blanksLocation,
          `the starter \`${rel}\` has ${have} blank${have === 1 ? "" : "s"} but the check block lists ${want}` +
            (extra ? `; the first one without an entry is at ${rel}:${extra.line}:${extra.column}` : ""),
        ),
      );
    }
  }

  if (solution) {
    for (const blank of solution.file.blanks) {
      problems.push(error({ file: solution.path, line: blank.line, column: blank.column }, `the solution of ${label} still contains a blank (\`${BLANK}\`)`));
    }
  }

  if (starter && solution && starter.file.syntaxErrors.length === 0 && solution.file.syntaxErrors.length === 0) {
    const match = matchStarterAndSolution(starter.file, solution.file);
    if (!match.ok) {
      const at = textPositionIn(solution.file.source, match.solutionOffset);
      const s = textPositionIn(starter.file.source, match.starterOffset);
      problems.push(
        error(
          { file: solution.path, line: at.line, column: at.column },
          `the solution of ${label} is not its starter with the blanks filled: ${match.message} (starter ${relative(root, starter.path)}:${s.line}:${s.column})`,
        ),
      );
    } else if (spec && match.fills.length === spec.blanks.length) {
      // The solution is what "reveal" shows, so it should show the canonical answer (or one the
      // check block accepts as well), not merely an equivalent one.
      match.fills.forEach((fill, n) => {
        const blank = spec.blanks[n]!;
        if (!blank.expect || readPython(fill).blanks.length > 0) return;
        const options = [blank.expect, ...(blank.accept ?? [])].map(normalizeExpression);
        if (!options.includes(normalizeExpression(fill))) {
          const pos = textPositionIn(solution.file.source, match.fillOffsets[n]!);
          problems.push(
            warning(
              { file: solution.path, line: pos.line, column: pos.column },
              `the solution of ${label} fills blank ${n + 1} (\`${blank.id}\`) with \`${fill}\`, but its check block expects \`${blank.expect}\``,
            ),
          );
        }
      });
    }
  }

  // Messages, hints and explanations never give the answer away: the learner asks to reveal it.
  if (spec) {
    spec.blanks.forEach((blank, n) => {
      const where = parsed.check!.blankLocations[n] ?? parsed.check!.blanksLocation;
      const normalized = normalizeExpression(blank.expect);
      for (const mistake of blank.mistakes ?? []) {
        if (normalizeExpression(mistake.answer) === normalized) {
          problems.push(error(where, `blank \`${blank.id}\` lists its own expected answer \`${mistake.answer}\` as a mistake`));
        }
        if (statesAnswer(mistake.message, blank.expect)) {
          problems.push(warning(where, `the message for mistake \`${mistake.answer}\` of blank \`${blank.id}\` states the expected answer`));
        }
      }
      if (blank.hint !== undefined && statesAnswer(blank.hint, blank.expect)) {
        problems.push(warning(where, `the hint of blank \`${blank.id}\` states the expected answer`));
      }
      if (blank.explain !== undefined && statesAnswer(blank.explain, blank.expect)) {
        problems.push(warning(where, `\`explain\` of blank \`${blank.id}\` states the expected answer`));
      }
    });
  }
  return problems;
}

/**
 * Whether `text` states the answer `expect`: the expression itself, or the text of a string
 * answer, appears as a whole word. Answers shorter than four characters or without a letter
 * (`16`, `(3, 3)`) are too common in prose to judge.
 */
export function statesAnswer(text: string, expect: string): boolean {
  const candidates = new Set<string>([expect.trim()]);
  const str = /^(['"])(.*)\1$/.exec(expect.trim());
  if (str?.[2]) candidates.add(str[2]);
  for (const candidate of candidates) {
    if (candidate.length < 4 || !/[A-Za-z]/.test(candidate)) continue;
    const escaped = candidate.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (new RegExp(`(^|[^\\w.])${escaped}($|[^\\w(])`).test(text)) return true;
  }
  return false;
}

async function validateImage(root: string, src: string, location: LessonLocation): Promise<LessonProblem[]> {
  if (src === "") return [error(location, "this image has no file name")];
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith("//")) {
    return [error(location, `image \`${src}\` is not a file in the lesson; the episode panel loads nothing from the network`)];
  }
  const path = resolve(dirname(location.file), src.split(/[?#]/)[0]!);
  if (!isInside(root, path)) return [error(location, `image \`${src}\` is outside the lesson folder`)];
  if (!(await isFile(path))) return [error(location, `image \`${src}\` does not exist (looked for ${relative(root, path)})`)];
  // The episode panel serves the lesson's figures folder and nothing else (`lessonFigurePath`).
  if (relative(root, path).split(sep)[0] !== "figures") return [error(location, `image \`${src}\` is not in the lesson's \`figures/\` folder, the only one the episode panel shows images from`)];
  return [];
}
