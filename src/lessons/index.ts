/**
 * The lesson format's public face: load a lesson folder into the typed `Lesson` model with every
 * problem found on the way, lint it, find lesson folders, and render lesson markdown to HTML.
 *
 * Loading never throws on bad content: a lesson with problems still loads as far as it can,
 * and the problems say where and what (`file:line:column`), for `dl-lessons lint-lesson` and for
 * the extension alike.
 */
import { readFile, readdir } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import type { Episode, Lesson, LessonProblem } from "../protocol/lesson";
import { parseEpisode, parseLessonYaml, type ParsedEpisode } from "./parse";
import { isInside, validateLesson } from "./validate";
import { lintProseRuns } from "./prose";
import { lintComputedValues, loadValueContext } from "./values";

export { createMarkdownRenderer, lessonFigurePath, type ImageResolver, type MarkdownRenderer, type MarkdownRendererOptions } from "./markdown";
export { expandComputedValues, loadValueContext, solutionModels, withComputedValues, type ValueContext } from "./values";
export { parseEpisode, type ParsedEpisode } from "./parse";

export const LESSON_FILE = "lesson.yaml";

export interface LoadedLesson {
  lesson: Lesson;
  problems: LessonProblem[];
}

/** Per-episode numbers for `lint-lesson --stats` and the lesson's notes. */
export interface EpisodeStats {
  id: string;
  title: string;
  words: number;
  challenges: number;
  codeChallenges: number;
  teachingMinutes: number;
  exerciseMinutes: number;
  /** 0 for an episode that trains nothing. */
  trainingMinutes: number;
}

interface ParsedLesson extends LoadedLesson {
  parsedEpisodes: ParsedEpisode[];
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

async function load(dir: string): Promise<ParsedLesson> {
  const root = resolve(dir);
  const problems: LessonProblem[] = [];
  const lessonFile = join(root, LESSON_FILE);
  const yamlSource = await readText(lessonFile);
  const lesson: Lesson = { id: basename(root), title: "", dataset: "cifar10", root, episodes: [] };
  const parsedEpisodes: ParsedEpisode[] = [];
  if (yamlSource === undefined) {
    problems.push({ location: { file: lessonFile, line: 1, column: 1 }, message: `no ${LESSON_FILE} in ${root}: this is not a lesson folder`, severity: "error" });
    return { lesson, problems, parsedEpisodes };
  }
  const { meta, problems: yamlProblems } = parseLessonYaml(yamlSource, lessonFile, basename(root));
  problems.push(...yamlProblems);
  lesson.id = meta.id;
  lesson.title = meta.title;
  lesson.dataset = meta.dataset;

  const listed = new Set<string>();
  const sources: { source: string; path: string }[] = [];
  for (const [n, entry] of meta.episodes.entries()) {
    // Entries are file names in episodes/ (the documented form) or paths from the lesson folder.
    const path = entry.name.includes("/") ? resolve(root, entry.name) : join(root, "episodes", entry.name);
    listed.add(path);
    if (!isInside(root, path)) {
      problems.push({ location: entry.location, message: `episode \`${entry.name}\` is outside the lesson folder`, severity: "error" });
      continue;
    }
    const source = await readText(path);
    if (source === undefined) {
      problems.push({
        location: entry.location,
        message: `episode file \`${entry.name}\` does not exist (looked for ${relative(root, path)})`,
        severity: "error",
      });
      continue;
    }
    const name = basename(path);
    if (!/^\d\d-[a-z0-9-]+\.md$/.test(name)) {
      problems.push({ location: entry.location, message: `episode file \`${name}\` should be named NN-<slug>.md, e.g. 01-introduction.md`, severity: "warning" });
    }
    const parsed = parseEpisode(source, path, name.replace(/\.md$/, ""), n + 1);
    parsedEpisodes.push(parsed);
    sources.push({ source, path });
    lesson.episodes.push(parsed.episode);
    problems.push(...parsed.problems);
  }

  // An episode file that lesson.yaml does not list is one learners never see.
  try {
    for (const name of (await readdir(join(root, "episodes"))).filter((f) => f.endsWith(".md")).sort()) {
      const path = join(root, "episodes", name);
      if (!listed.has(path)) {
        problems.push({ location: { file: path, line: 1, column: 1 }, message: `episode \`${name}\` is not listed in ${LESSON_FILE}`, severity: "warning" });
      }
    }
  } catch {
    // No episodes folder: every listed episode was already reported missing.
  }

  problems.push(...(await validateLesson({ root, episodes: parsedEpisodes })));
  // Computed values need the solution models, so they are checked once every episode is read.
  const context = await loadValueContext(lesson, lesson.dataset);
  for (const { source, path } of sources) problems.push(...lintComputedValues(source, path, context), ...lintProseRuns(source, path));
  return { lesson, problems: sortProblems(problems), parsedEpisodes };
}

function sortProblems(problems: LessonProblem[]): LessonProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.location.file}\0${p.location.line}\0${p.location.column}\0${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(
      (a, b) =>
        (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0) ||
        a.location.line - b.location.line ||
        a.location.column - b.location.column,
    );
}

/**
 * Loads the lesson in `dir` (the folder holding lesson.yaml). Never throws on bad content: what
 * cannot be read is left out of the model and described in `problems`, sorted by file and line.
 */
export async function loadLesson(dir: string): Promise<LoadedLesson> {
  const { lesson, problems } = await load(dir);
  return { lesson, problems };
}

/** Only the problems of the lesson in `dir`: what `dl-lessons lint-lesson` prints. */
export async function lintLesson(dir: string): Promise<LessonProblem[]> {
  return (await load(dir)).problems;
}

/** Words, challenges and minutes per episode, in reading order. */
export async function lessonStats(dir: string): Promise<{ lesson: Lesson; episodes: EpisodeStats[]; problems: LessonProblem[] }> {
  const { lesson, problems, parsedEpisodes } = await load(dir);
  const episodes = parsedEpisodes.map((p): EpisodeStats => statsOf(p.episode, p.words));
  return { lesson, episodes, problems };
}

function statsOf(episode: Episode, words: number): EpisodeStats {
  return {
    id: episode.id,
    title: episode.title,
    words,
    challenges: episode.challenges.length,
    codeChallenges: episode.challenges.filter((c) => c.starterFile !== undefined).length,
    teachingMinutes: episode.teachingMinutes,
    exerciseMinutes: episode.exerciseMinutes,
    trainingMinutes: episode.trainingMinutes ?? 0,
  };
}

const SKIP_DIRS = new Set(["node_modules", "dist", "out", "test-output"]);

/**
 * The lesson folders (those holding lesson.yaml) at or below `root`, sorted; `root` itself when it
 * is one. Looks at most four levels deep and skips hidden folders and build output.
 */
export async function findLessonDirectories(root: string, maxDepth = 4): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.isFile() && e.name === LESSON_FILE)) {
      found.push(dir);
      return;
    }
    if (depth >= maxDepth) return;
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith(".") || SKIP_DIRS.has(entry.name)) continue;
      await visit(join(dir, entry.name), depth + 1);
    }
  };
  await visit(resolve(root), 0);
  return found.sort();
}
