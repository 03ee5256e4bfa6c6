/**
 * One word for what a check says, from the checker to the Lessons tree icon: a blank's verdict,
 * a whole file's, the episode panel's report of a check, and (with "revealed") a challenge's
 * standing in the learner's progress all use it.
 *
 * - `todo`: something is still to be filled in (a blank left as `_____`, a challenge not finished).
 * - `correct`: what Keras 3 would accept and what the task asks for.
 * - `wrong`: Python or Keras 3 raises, or the code does something other than the task.
 * - `invalid`: the file is not valid Python, or a blank cannot be found in it any more.
 */
export const CHECK_OUTCOMES = ["todo", "correct", "wrong", "invalid"] as const;
export type CheckOutcome = (typeof CHECK_OUTCOMES)[number];

/**
 * A challenge's standing, persisted by the extension: its last finished check's outcome (`todo`
 * until one), or `revealed` once the learner has asked for the solution, which no check undoes.
 */
export const CHALLENGE_STATUSES = [...CHECK_OUTCOMES, "revealed"] as const;
export type ChallengeStatus = (typeof CHALLENGE_STATUSES)[number];

/**
 * The words progress saved before this vocabulary used ("passed", "not-tried", "incomplete",
 * "error", "empty"), read as the outcome they meant, so that no learner's progress is lost.
 */
const EARLIER_WORDS: Readonly<Record<string, CheckOutcome>> = { passed: "correct", "not-tried": "todo", incomplete: "todo", empty: "todo", error: "invalid" };

/** A saved outcome word as a `CheckOutcome`, reading the earlier words too; undefined for anything else. */
export function readCheckOutcome(word: unknown): CheckOutcome | undefined {
  if (typeof word !== "string") return undefined;
  const outcome = CHECK_OUTCOMES.find((known) => known === word);
  if (outcome) return outcome;
  return EARLIER_WORDS[word];
}

/** A saved challenge status as a `ChallengeStatus`, reading the earlier words too; undefined for anything else. */
export function readChallengeStatus(word: unknown): ChallengeStatus | undefined {
  return CHALLENGE_STATUSES.find((status) => status === word) ?? readCheckOutcome(word);
}

/** A challenge is done once it was answered correctly or its solution was revealed. */
export function isChallengeDone(status: ChallengeStatus | undefined): boolean {
  return status === "correct" || status === "revealed";
}
