/**
 * The learner's progress through a lesson: each challenge's status, the hints asked for, the
 * latest check, and the episode last read. Kept in a `Memento` (the workspace's state, so a
 * workshop machine shared by several learners keeps one record per workspace) and therefore
 * survives window reloads. No 'vscode' import: the transitions are unit-tested.
 */
import { isChallengeDone, readChallengeStatus, readCheckOutcome, type ChallengeStatus, type CheckOutcome } from "../../protocol/outcome";
import type { CheckReport } from "../../protocol/panels";

/** The part of `vscode.Memento` this store uses. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export interface ChallengeProgress {
  status: ChallengeStatus;
  /** How many of the challenge's hints the learner has asked for. */
  hintsShown: number;
  lastCheck?: CheckReport;
}

export interface LessonProgress {
  challenges: Record<string, ChallengeProgress>;
  lastEpisodeId?: string;
}

const NOT_TRIED: ChallengeProgress = { status: "todo", hintsShown: 0 };

/**
 * The status after a check. Revealed is final (the learner saw the answer); a finished check
 * (correct, wrong or invalid) sets the status; a check with blanks still to fill in leaves it as
 * it was, so typing half an answer never turns a passed challenge into a wrong one.
 */
export function statusAfterCheck(previous: ChallengeStatus, outcome: CheckOutcome): ChallengeStatus {
  if (previous === "revealed" || outcome === "todo") return previous;
  return outcome;
}

/**
 * Progress as saved, read into today's words: a record an earlier version wrote ("passed",
 * "not-tried", a report "incomplete") keeps its meaning, and an entry no version wrote is dropped
 * rather than shown wrong.
 */
function readProgress(saved: unknown): LessonProgress {
  if (!isRecord(saved) || !isRecord(saved.challenges)) return { challenges: {} };
  const challenges: Record<string, ChallengeProgress> = {};
  for (const [id, entry] of Object.entries(saved.challenges)) {
    const status = isRecord(entry) ? readChallengeStatus(entry.status) : undefined;
    if (!isRecord(entry) || !status) continue;
    const read: ChallengeProgress = { status, hintsShown: typeof entry.hintsShown === "number" ? entry.hintsShown : 0 };
    const lastCheck = readReport(entry.lastCheck);
    if (lastCheck) read.lastCheck = lastCheck;
    challenges[id] = read;
  }
  return typeof saved.lastEpisodeId === "string" ? { challenges, lastEpisodeId: saved.lastEpisodeId } : { challenges };
}

function readReport(saved: unknown): CheckReport | undefined {
  if (!isRecord(saved) || typeof saved.message !== "string" || typeof saved.checkedAt !== "string" || !Array.isArray(saved.blanks)) return undefined;
  const outcome = readCheckOutcome(saved.outcome);
  if (!outcome) return undefined;
  const blanks = (saved.blanks as unknown[]).filter(isRecord).map((blank) => {
    const read: CheckReport["blanks"][number] = { id: String(blank.id), verdict: readCheckOutcome(blank.verdict) ?? "wrong" };
    if (typeof blank.message === "string") read.message = blank.message;
    if (typeof blank.line === "number") read.line = blank.line;
    return read;
  });
  return { outcome, message: saved.message, blanks, checkedAt: saved.checkedAt };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class ProgressStore {
  private readonly listeners = new Set<(lessonId: string, challengeId: string | undefined) => void>();

  constructor(private readonly store: KeyValueStore) {}

  /** Called after every change with the lesson and, when one changed, the challenge. */
  onDidChange(listener: (lessonId: string, challengeId: string | undefined) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  lesson(lessonId: string): LessonProgress {
    return readProgress(this.store.get<unknown>(key(lessonId)));
  }

  challenge(lessonId: string, challengeId: string): ChallengeProgress {
    return this.lesson(lessonId).challenges[challengeId] ?? NOT_TRIED;
  }

  async recordCheck(lessonId: string, challengeId: string, report: CheckReport): Promise<ChallengeProgress> {
    return this.updateChallenge(lessonId, challengeId, (current) => ({ ...current, status: statusAfterCheck(current.status, report.outcome), lastCheck: report }));
  }

  /** One more hint shown, up to `hintCount`; returns the new number shown. */
  async showNextHint(lessonId: string, challengeId: string, hintCount: number): Promise<number> {
    const updated = await this.updateChallenge(lessonId, challengeId, (current) => ({ ...current, hintsShown: Math.min(hintCount, current.hintsShown + 1) }));
    return updated.hintsShown;
  }

  async markRevealed(lessonId: string, challengeId: string): Promise<void> {
    await this.updateChallenge(lessonId, challengeId, (current) => ({ ...current, status: "revealed" }));
  }

  async setLastEpisode(lessonId: string, episodeId: string): Promise<void> {
    const progress = this.lesson(lessonId);
    if (progress.lastEpisodeId === episodeId) return;
    await this.store.update(key(lessonId), { ...progress, lastEpisodeId: episodeId });
    this.fire(lessonId, undefined);
  }

  private async updateChallenge(lessonId: string, challengeId: string, change: (current: ChallengeProgress) => ChallengeProgress): Promise<ChallengeProgress> {
    const progress = this.lesson(lessonId);
    const before = progress.challenges[challengeId] ?? NOT_TRIED;
    const after = change(before);
    if (JSON.stringify(after) === JSON.stringify(before)) return before;
    await this.store.update(key(lessonId), { ...progress, challenges: { ...progress.challenges, [challengeId]: after } });
    this.fire(lessonId, challengeId);
    return after;
  }

  private fire(lessonId: string, challengeId: string | undefined): void {
    for (const listener of this.listeners) listener(lessonId, challengeId);
  }
}

function key(lessonId: string): string {
  return `dlLessons.progress.${lessonId}`;
}

/**
 * The episode to open when the learner comes back to a lesson: the first one with a code or
 * question challenge not yet passed or revealed, else the last episode read, else the first.
 */
export function firstUnfinishedEpisode(
  episodes: readonly { id: string; challengeIds: readonly string[] }[],
  progress: LessonProgress,
): string | undefined {
  const done = (challengeId: string): boolean => isChallengeDone(progress.challenges[challengeId]?.status);
  const unfinished = episodes.find((episode) => episode.challengeIds.some((id) => !done(id)));
  return unfinished?.id ?? progress.lastEpisodeId ?? episodes[0]?.id;
}
