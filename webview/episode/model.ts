/** Pure view-model of the episode panel (no DOM), unit-tested. */
import type { ChallengeAction, ChallengeView, EpisodeWebviewPersistedState } from "../../src/protocol/panels";
import type { ChallengeStatus } from "../../src/protocol/lesson";

export const statusText: Record<ChallengeStatus, string> = {
  "not-tried": "Not tried",
  wrong: "Not right yet",
  passed: "Passed",
  revealed: "Solution revealed",
};

export const statusIcon: Record<ChallengeStatus, string> = {
  "not-tried": "circle-large-outline",
  wrong: "error",
  passed: "pass-filled",
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
    { action: "check", text: "Check", icon: "check", primary: challenge.started && challenge.status !== "passed", disabled: !challenge.started, title: challenge.started ? "Check the blanks you filled in" : "Start the challenge first" },
    hint,
    reveal,
    { action: "train", text: "Train", icon: "rocket", primary: challenge.status === "passed", disabled: !challenge.started, title: challenge.started ? "Train the model in your file" : "Start the challenge first" },
  ];
}

/** Something a redraw added at the learner's request, which the panel scrolls to and focuses. */
export type NewlyShown = { challengeId: string; kind: "hint"; hintIndex: number } | { challengeId: string; kind: "solution" };

export type ShownParts = NonNullable<EpisodeWebviewPersistedState["shown"]>;

/** How many hints and whether a solution each challenge shows, as the webview remembers it. */
export function shownParts(challenges: readonly ChallengeView[]): ShownParts {
  return challenges.map((c) => ({ challengeId: c.id, hints: c.hintsShown.length, solution: c.solutionHtml !== undefined }));
}

/**
 * What the new state of the same episode shows that the last drawn one did not: a hint, or a
 * solution the learner revealed. A solution that appears because a check passed is not announced,
 * so a learner typing in the editor keeps their place.
 */
export function newlyShown(before: ShownParts, after: readonly ChallengeView[]): NewlyShown | undefined {
  for (const challenge of after) {
    const previous = before.find((c) => c.challengeId === challenge.id);
    if (!previous) continue;
    if (challenge.status === "revealed" && challenge.solutionHtml !== undefined && !previous.solution) return { challengeId: challenge.id, kind: "solution" };
    if (challenge.hintsShown.length > previous.hints) return { challengeId: challenge.id, kind: "hint", hintIndex: challenge.hintsShown.length - 1 };
  }
  return undefined;
}
