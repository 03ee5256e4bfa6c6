/**
 * A challenge check as the learner sees it: the checker's verdict turned into the episode panel's
 * `CheckReport` (one sentence and a line per blank) and into editor diagnostics. A blank still
 * `_____` is "not done yet": it gets a decoration, never a red underline. No 'vscode' import.
 */
import { checkChallenge, type ChallengeVerdict } from "../../checker";
import type { CheckSpec } from "../../protocol/lesson";
import type { SourceRange } from "../../protocol/modelSpec";
import type { CheckReport } from "../../protocol/panels";

export interface ChallengeFileCheck {
  verdict: ChallengeVerdict;
  report: CheckReport;
  /** Feedback on the learner's answers, at their exact ranges. */
  diagnostics: { range: SourceRange; severity: "error" | "warning" | "info"; message: string }[];
}

export function checkChallengeSource(text: string, starter: string, spec: CheckSpec, now: Date = new Date()): ChallengeFileCheck {
  const verdict = checkChallenge(text, starter, spec);
  return { verdict, report: reportOf(verdict, now), diagnostics: diagnosticsOf(verdict) };
}

export function reportOf(verdict: ChallengeVerdict, now: Date): CheckReport {
  const blanks = verdict.blanks.map((blank) => ({
    id: blank.id,
    verdict: blank.status,
    ...(blank.status === "correct" ? {} : { message: blank.message }),
    line: blank.range.start.line + 1,
  }));
  const right = blanks.filter((b) => b.verdict === "correct").length;
  // A blank that cannot be read is not right: it counts with the wrong ones.
  const wrong = blanks.filter((b) => b.verdict === "wrong" || b.verdict === "invalid").length;
  const empty = blanks.filter((b) => b.verdict === "todo").length;
  const wrongChecks = verdict.modelChecks.filter((check) => check.status === "wrong");
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  let outcome: CheckReport["outcome"];
  let message: string;
  const syntaxError = verdict.diagnostics.find((diagnostic) => diagnostic.code === "syntax" && diagnostic.severity === "error");
  if (verdict.status === "invalid" && syntaxError) {
    outcome = "invalid";
    message = `Python cannot read the file yet, so nothing after it is checked. ${syntaxError.message}`;
  } else if (verdict.status === "invalid") {
    outcome = "invalid";
    message = "The checker cannot find every blank any more: was code around a blank changed or deleted? Reset Challenge brings the starter back (your file is backed up first).";
  } else if (wrong > 0) {
    outcome = "wrong";
    message = `${plural(right, "blank")} of ${blanks.length} right; ${plural(wrong, "blank")} ${wrong === 1 ? "needs" : "need"} another look${empty > 0 ? `, ${empty} still to fill in` : ""}.`;
  } else if (empty > 0) {
    outcome = "todo";
    message = `${plural(empty, "blank")} still to fill in${right > 0 ? `; the ${plural(right, "blank")} you filled ${right === 1 ? "is" : "are"} right` : ""}.`;
  } else if (wrongChecks.length > 0) {
    outcome = "wrong";
    message = wrongChecks.map((check) => check.message).join(" ");
  } else {
    outcome = "correct";
    message = blanks.length === 1 ? "Your answer is right. Well done!" : `All ${blanks.length} blanks are right. Well done!`;
  }
  return { outcome, message, blanks, checkedAt: now.toISOString() };
}

function diagnosticsOf(verdict: ChallengeVerdict): ChallengeFileCheck["diagnostics"] {
  const items: ChallengeFileCheck["diagnostics"] = [];
  for (const blank of verdict.blanks) {
    if (blank.status === "wrong" || blank.status === "invalid") items.push({ range: blank.range, severity: "error", message: blank.message });
  }
  const top: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  for (const check of verdict.modelChecks) {
    if (check.status === "wrong") items.push({ range: check.range ?? top, severity: "error", message: check.message });
  }
  return items;
}
