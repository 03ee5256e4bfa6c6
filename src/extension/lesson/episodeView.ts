/**
 * The episode panel's state from the Lesson model and the learner's progress: markdown rendered,
 * each challenge with its status, the hints asked for and, once revealed or passed, the solution.
 * No 'vscode' import: unit-tested with the real lesson.
 */
import type { Challenge, Episode, Lesson } from "../../protocol/lesson";
import { isChallengeDone, type ChallengeStatus } from "../../protocol/outcome";
import type { ChallengeView, EpisodeBlockView, EpisodeViewState, LessonCompletionView } from "../../protocol/panels";
import type { MarkdownRenderer } from "../../lessons/markdown";
import { answerDiffHtml, type AnswerLine } from "../editor/answerDiff";
import type { LessonProgress } from "./progress";

export interface EpisodeViewInputs {
  lesson: Lesson;
  episode: Episode;
  progress: LessonProgress;
  renderer: MarkdownRenderer;
  /** The solution file's code of each code challenge, by challenge id. */
  solutionCode: (challenge: Challenge) => string | undefined;
  /** Whether the learner's workspace already holds the challenge's file. */
  isStarted: (challenge: Challenge) => boolean;
  /** The lines of the learner's file a revealed answer changes (see `answerLines`); none when absent. */
  answerLines?: (challenge: Challenge) => AnswerLine[];
  /** Training runs saved, for the lesson-complete view. */
  runCount?: number;
}

/** Where the learner stands in the whole lesson: the view after its last episode. */
export function lessonCompletion(lesson: Pick<Lesson, "episodes">, progress: LessonProgress, runCount: number): LessonCompletionView {
  const challenges = lesson.episodes.flatMap((episode) => episode.challenges);
  const statusOf = (id: string): ChallengeStatus => progress.challenges[id]?.status ?? "todo";
  const passed = challenges.filter((c) => statusOf(c.id) === "correct").length;
  const revealed = challenges.filter((c) => statusOf(c.id) === "revealed").length;
  return { challengeCount: challenges.length, passed, revealed, runs: runCount, finished: passed + revealed === challenges.length };
}

export function buildEpisodeViewState(inputs: EpisodeViewInputs): EpisodeViewState {
  const { lesson, episode, renderer } = inputs;
  const position = lesson.episodes.findIndex((e) => e.id === episode.id);
  const previous = lesson.episodes[position - 1];
  const next = lesson.episodes[position + 1];
  const blocks: EpisodeBlockView[] = episode.blocks.map((block) => {
    switch (block.kind) {
      case "markdown":
        return { kind: "html", html: renderer.render(block.markdown) };
      case "callout":
        return { kind: "callout", calloutKind: block.calloutKind, title: renderer.renderInline(block.title), html: renderer.render(block.markdown) };
      case "challenge":
        return { kind: "challenge", challengeId: block.challengeId };
    }
  });
  return {
    lessonTitle: lesson.title,
    episodeId: episode.id,
    episodeNumber: position + 1,
    episodeCount: lesson.episodes.length,
    title: episode.title,
    teachingMinutes: episode.teachingMinutes,
    exerciseMinutes: episode.exerciseMinutes,
    questions: episode.questions.map((q) => renderer.renderInline(q)),
    objectives: episode.objectives.map((o) => renderer.renderInline(o)),
    keypoints: episode.keypoints.map((k) => renderer.renderInline(k)),
    blocks,
    challenges: episode.challenges.map((challenge) => challengeView(challenge, inputs)),
    ...(previous ? { previous: { episodeId: previous.id, title: previous.title } } : {}),
    ...(next ? { next: { episodeId: next.id, title: next.title } } : {}),
    ...(next ? {} : { completion: lessonCompletion(lesson, inputs.progress, inputs.runCount ?? 0) }),
  };
}

/**
 * The one hint ladder of a challenge, shown step by step in the episode panel whether the learner
 * asks from the panel, the CodeLens or the palette: first a hint per blank (the lesson's check
 * gives each blank one, and they never state the answer), then the challenge's written hints.
 * Markdown, in order.
 */
export function hintLadder(challenge: Pick<Challenge, "hints" | "check">): string[] {
  const blankHints = (challenge.check?.blanks ?? []).flatMap((blank, index) => (blank.hint ? [`**Blank ${index + 1}** (\`${blank.id}\`): ${blank.hint}`] : []));
  return [...blankHints, ...challenge.hints];
}

function challengeView(challenge: Challenge, inputs: EpisodeViewInputs): ChallengeView {
  const { renderer } = inputs;
  const progress = inputs.progress.challenges[challenge.id];
  const status = progress?.status ?? "todo";
  const isCode = challenge.starterFile !== undefined;
  const showSolution = isChallengeDone(status);
  return {
    id: challenge.id,
    title: renderer.renderInline(challenge.title),
    html: renderer.render(challenge.markdown),
    kind: isCode ? "code" : "question",
    status,
    hintsShown: hintLadder(challenge).slice(0, progress?.hintsShown ?? 0).map((hint) => renderer.render(hint)),
    hintCount: hintLadder(challenge).length,
    ...(showSolution ? { solutionHtml: solutionHtml(challenge, inputs) } : {}),
    ...(status === "revealed" && (inputs.answerLines?.(challenge).length ?? 0) > 0 ? { answerHtml: answerDiffHtml(inputs.answerLines?.(challenge) ?? []) } : {}),
    ...(progress?.lastCheck ? { lastCheck: progress.lastCheck } : {}),
    started: isCode && inputs.isStarted(challenge),
  };
}

function solutionHtml(challenge: Challenge, inputs: EpisodeViewInputs): string {
  const code = inputs.solutionCode(challenge);
  // A fence longer than any backtick run in the code, so the code cannot close it early.
  const fence = code === undefined ? "" : "`".repeat(Math.max(3, ...[...code.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  const codeMarkdown = code === undefined ? "" : `\n\n${fence}python\n${code.trimEnd()}\n${fence}\n`;
  return inputs.renderer.render(challenge.solutionMarkdown + codeMarkdown);
}
