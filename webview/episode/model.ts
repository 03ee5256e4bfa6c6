/** Pure view-model of the episode panel (no DOM), unit-tested. */
import type { ChallengeAction, ChallengeView, EpisodeFocusRequest, LessonCompletionView } from "../../src/protocol/panels";
import type { ChallengeStatus } from "../../src/protocol/outcome";

export const statusText: Record<ChallengeStatus, string> = {
  todo: "Not done yet",
  correct: "Passed",
  wrong: "Not right yet",
  invalid: "Not valid Python yet",
  revealed: "Solution revealed",
};

export const statusIcon: Record<ChallengeStatus, string> = {
  todo: "circle-large-outline",
  correct: "pass-filled",
  wrong: "error",
  invalid: "warning",
  revealed: "eye",
};

export interface ChallengeButton {
  action: ChallengeAction;
  text: string;
  icon: string;
  primary: boolean;
  disabled: boolean;
  title: string;
}

/**
 * The buttons of a challenge box, in order. A code challenge starts with "Start challenge" as the
 * one primary action; once started, "Check" is. Training makes sense once the model is complete.
 */
export function challengeButtons(challenge: ChallengeView): ChallengeButton[] {
  const hintsLeft = challenge.hintCount - challenge.hintsShown.length;
  const revealed = challenge.solutionHtml !== undefined;
  const hint: ChallengeButton = {
    action: "hint",
    text: challenge.hintsShown.length === 0 ? "Hint" : "Another hint",
    icon: "lightbulb",
    primary: false,
    disabled: hintsLeft <= 0,
    title: hintsLeft > 0 ? `${hintsLeft} hint${hintsLeft === 1 ? "" : "s"} left` : "No more hints",
  };
  const reveal: ChallengeButton = { action: "reveal", text: "Reveal solution", icon: "eye", primary: false, disabled: revealed, title: revealed ? "The solution is shown below" : "Show the solution" };
  if (challenge.kind === "question") return [...(challenge.hintCount > 0 ? [hint] : []), reveal];
  return [
    { action: "start", text: challenge.started ? "Open starter file" : "Start challenge", icon: challenge.started ? "go-to-file" : "play", primary: !challenge.started, disabled: false, title: "Open the starter file beside this panel" },
    { action: "check", text: "Check", icon: "check", primary: challenge.started && challenge.status !== "correct", disabled: !challenge.started, title: challenge.started ? "Check the blanks you filled in" : "Start the challenge first" },
    hint,
    reveal,
    { action: "train", text: "Train", icon: "rocket", primary: challenge.status === "correct", disabled: !challenge.started, title: challenge.started ? "Train the model in your file" : "Start the challenge first" },
  ];
}

/** The hint or solution the panel scrolls to and focuses. */
export type FocusTarget = { challengeId: string; kind: "hint"; hintIndex: number } | { challengeId: string; kind: "solution" };

/**
 * Where a focus request from the host points in this state, or nothing when it was handled
 * already (a webview rebuilt after being hidden gets the same request again) or its challenge,
 * hint or solution is not on the page.
 */
export function focusTarget(request: EpisodeFocusRequest | undefined, handledFocusId: string | undefined, challenges: readonly ChallengeView[]): FocusTarget | undefined {
  if (!request || request.id === handledFocusId) return undefined;
  const challenge = challenges.find((c) => c.id === request.challengeId);
  if (!challenge) return undefined;
  if (request.part === "solution") return challenge.solutionHtml === undefined ? undefined : { challengeId: challenge.id, kind: "solution" };
  return challenge.hintsShown.length === 0 ? undefined : { challengeId: challenge.id, kind: "hint", hintIndex: challenge.hintsShown.length - 1 };
}

/** The words of the lesson-complete view; `{lesson}` in the summary stands for the lesson's title. */
export function completionWords(completion: LessonCompletionView): { title: string; summary: string; facts: string[] } {
  const { challengeCount, passed, revealed, runs, finished } = completion;
  const open = challengeCount - passed - revealed;
  const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
  return {
    title: finished ? "Lesson complete" : "The end of the lesson",
    summary: finished ? "You have worked through every challenge of {lesson}." : `You have reached the end of {lesson}; ${plural(open, "challenge is", "challenges are")} still open in earlier episodes.`,
    facts: [
      `${passed} of ${plural(challengeCount, "challenge")} passed${revealed > 0 ? `, ${revealed} revealed` : ""}`,
      runs === 0 ? "No model trained yet" : `${plural(runs, "training run")} saved, in the Training Monitor`,
    ],
  };
}
