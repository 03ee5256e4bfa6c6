/**
 * The lessons shipped in the extension's `lessons/` folder, parsed once by `src/lessons` and kept,
 * with lookups the commands need: a challenge by id, its episode, its starter and solution code,
 * and the challenge a workspace file belongs to.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { findLessonDirectories, loadLesson } from "../../lessons";
import type { Challenge, Episode, Lesson, LessonProblem } from "../../protocol/lesson";

export interface ChallengeRef {
  lesson: Lesson;
  episode: Episode;
  challenge: Challenge;
}

export class LessonCatalog {
  private loaded: Promise<Lesson[]> | undefined;
  /** Problems found while loading, for the log; a lesson with errors still loads what it can. */
  readonly problems: LessonProblem[] = [];
  private readonly code = new Map<string, string>();

  constructor(private readonly lessonsRoot: string) {}

  lessons(): Promise<Lesson[]> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  async lesson(lessonId: string): Promise<Lesson | undefined> {
    return (await this.lessons()).find((lesson) => lesson.id === lessonId);
  }

  async episode(episodeId: string): Promise<{ lesson: Lesson; episode: Episode } | undefined> {
    for (const lesson of await this.lessons()) {
      const episode = lesson.episodes.find((e) => e.id === episodeId);
      if (episode) return { lesson, episode };
    }
    return undefined;
  }

  async challenge(challengeId: string, lessonId?: string): Promise<ChallengeRef | undefined> {
    for (const lesson of await this.lessons()) {
      if (lessonId !== undefined && lesson.id !== lessonId) continue;
      for (const episode of lesson.episodes) {
        const challenge = episode.challenges.find((c) => c.id === challengeId);
        if (challenge) return { lesson, episode, challenge };
      }
    }
    return undefined;
  }

  /** The starter code of a code challenge (cached: lesson files do not change while VS Code runs). */
  starter(ref: ChallengeRef): Promise<string | undefined> {
    return this.readLessonFile(ref.lesson, ref.challenge.starterFile);
  }

  solution(ref: ChallengeRef): Promise<string | undefined> {
    return this.readLessonFile(ref.lesson, ref.challenge.solutionFile);
  }

  private async readLessonFile(lesson: Lesson, relative: string | undefined): Promise<string | undefined> {
    if (relative === undefined) return undefined;
    const file = path.join(lesson.root, relative);
    const cached = this.code.get(file);
    if (cached !== undefined) return cached;
    const text = await readFile(file, "utf8");
    this.code.set(file, text);
    return text;
  }

  private async load(): Promise<Lesson[]> {
    const lessons: Lesson[] = [];
    for (const dir of await findLessonDirectories(this.lessonsRoot)) {
      const result = await loadLesson(dir);
      this.problems.push(...result.problems);
      lessons.push(result.lesson);
    }
    return lessons;
  }
}
