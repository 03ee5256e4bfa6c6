/**
 * Builds the panels' view states from the lesson and training types. Pure, no 'vscode' import:
 * the extension and the screenshot harness build the same states.
 */
import type { Challenge, ChallengeStatus, Lesson } from "../../protocol/lesson";
import type { CheckReport, ConfusionViewState, EpisodeViewState } from "../../protocol/panels";
import type { EvaluationResult } from "../../protocol/training";

/** The lesson library's renderer (`createMarkdownRenderer()` of src/lessons) or anything like it. */
export interface MarkdownToHtml {
  render(markdown: string): string;
  renderInline(markdown: string): string;
}

/** What the extension remembers of one challenge. */
export interface ChallengeProgress {
  status: ChallengeStatus;
  started: boolean;
  hintsShown: number;
  lastCheck?: CheckReport;
}

export const NO_PROGRESS: ChallengeProgress = { status: "not-tried", started: false, hintsShown: 0 };

/**
 * The episode panel's state. The solution (its explanation, and for a code challenge the solution
 * file's code from `solutionCode`) is included only once the challenge is passed or revealed.
 */
export function episodeViewState(
  lesson: Lesson,
  episodeIndex: number,
  markdown: MarkdownToHtml,
  progress: (challengeId: string) => ChallengeProgress,
  solutionCode: (challenge: Challenge) => string | undefined,
): EpisodeViewState {
  const episode = lesson.episodes[episodeIndex];
  if (!episode) throw new RangeError(`The lesson has no episode ${episodeIndex + 1}.`);
  const neighbour = (index: number): { episodeId: string; title: string } | undefined => {
    const other = lesson.episodes[index];
    return other ? { episodeId: other.id, title: other.title } : undefined;
  };
  const previous = neighbour(episodeIndex - 1);
  const next = neighbour(episodeIndex + 1);
  return {
    lessonTitle: lesson.title,
    episodeId: episode.id,
    episodeNumber: episodeIndex + 1,
    episodeCount: lesson.episodes.length,
    title: episode.title,
    teachingMinutes: episode.teachingMinutes,
    exerciseMinutes: episode.exerciseMinutes,
    questions: episode.questions.map((q) => markdown.renderInline(q)),
    objectives: episode.objectives.map((o) => markdown.renderInline(o)),
    keypoints: episode.keypoints.map((k) => markdown.renderInline(k)),
    blocks: episode.blocks.map((block) => {
      switch (block.kind) {
        case "markdown":
          return { kind: "html", html: markdown.render(block.markdown) };
        case "callout":
          return { kind: "callout", calloutKind: block.calloutKind, title: block.title, html: markdown.render(block.markdown) };
        case "challenge":
          return { kind: "challenge", challengeId: block.challengeId };
      }
    }),
    challenges: episode.challenges.map((challenge) => {
      const state = progress(challenge.id);
      const showSolution = state.status === "passed" || state.status === "revealed";
      const code = showSolution ? solutionCode(challenge) : undefined;
      const solutionMarkdown = code === undefined ? challenge.solutionMarkdown : `${challenge.solutionMarkdown}\n\n\`\`\`python\n${code.trimEnd()}\n\`\`\`\n`;
      return {
        id: challenge.id,
        title: challenge.title,
        html: markdown.render(challenge.markdown),
        kind: challenge.starterFile === undefined ? "question" : "code",
        status: state.status,
        hintsShown: challenge.hints.slice(0, state.hintsShown).map((hint) => markdown.render(hint)),
        hintCount: challenge.hints.length,
        started: state.started,
        ...(showSolution ? { solutionHtml: markdown.render(solutionMarkdown) } : {}),
        ...(state.lastCheck ? { lastCheck: state.lastCheck } : {}),
      };
    }),
    ...(previous ? { previous } : {}),
    ...(next ? { next } : {}),
  };
}

export function confusionViewState(evaluation: EvaluationResult, runLabel: string): ConfusionViewState {
  return {
    runLabel,
    classNames: evaluation.classNames,
    matrix: evaluation.confusionMatrix,
    perClassAccuracy: evaluation.perClassAccuracy,
    accuracy: evaluation.accuracy,
    loss: evaluation.loss,
  };
}
