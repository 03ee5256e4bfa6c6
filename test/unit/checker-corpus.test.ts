/**
 * The checker corpus: hundreds of learner answers over every code challenge, each with the verdict
 * Keras 3 gives it (blank by blank), what the message must be about, and where it must be. One
 * table-driven test per row.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkChallenge, type ChallengeVerdict } from "../../src/checker";
import type { CheckOutcome } from "../../src/protocol/outcome";
import { codeChallengeIds, loadCorpus, type CorpusCase } from "./corpus";

const cases = loadCorpus();

/** The step budget stays; the time budget is lifted, so that a loaded machine cannot change a verdict. */
const UNHURRIED = { maxMillis: 60_000 };

test("the corpus has at least 200 answers and covers every code challenge", () => {
  assert.ok(cases.length >= 200, `${cases.length} rows`);
  const covered = new Set(cases.map((entry) => entry.challenge.id));
  assert.deepEqual(codeChallengeIds().filter((id) => !covered.has(id)), []);
});

/** The messages that describe what is wrong with the row: its wrong blanks, else its failed checks and error diagnostics. */
function problemMessages(entry: CorpusCase, verdict: ChallengeVerdict): { message: string; line?: number }[] {
  const notCorrect = verdict.blanks.filter((blank) => (entry.row.blanks[blank.id] ?? "correct") !== "correct");
  if (notCorrect.length > 0) return notCorrect.map((blank) => ({ message: blank.message, line: blank.range.start.line + 1 }));
  return [
    ...verdict.modelChecks.filter((check) => check.status === "wrong").map((check) => (check.range ? { message: check.message, line: check.range.start.line + 1 } : { message: check.message })),
    ...verdict.diagnostics.filter((diagnostic) => diagnostic.severity !== "info").map((diagnostic) => ({ message: diagnostic.message, line: diagnostic.range.start.line + 1 })),
  ];
}

const mentionsLine = (message: string, line: number): boolean => new RegExp(`\\bline ${line}\\b`, "i").test(message);

for (const entry of cases) {
  const { row, spec } = entry;
  test(`${entry.challenge.id} / ${row.id}`, row.knownGap === undefined ? {} : { todo: row.knownGap }, () => {
    const verdict = checkChallenge(entry.learner, entry.starter, spec, UNHURRIED);
    const expected: Record<string, CheckOutcome> = Object.fromEntries(spec.blanks.map((blank) => [blank.id, row.blanks[blank.id] ?? "correct"]));
    const actual = Object.fromEntries(verdict.blanks.map((blank) => [blank.id, blank.status]));
    const detail = verdict.blanks.filter((blank) => blank.status !== expected[blank.id]).map((blank) => `${blank.id}: ${blank.message}`);
    assert.deepEqual(actual, expected, `blank verdicts (${row.source})\n${detail.join("\n")}`);
    if (row.status) assert.equal(verdict.status, row.status, `whole-file verdict; checks: ${verdict.modelChecks.map((check) => check.message).join(" | ")}`);
    if (row.model === "wrong") assert.ok(verdict.modelChecks.some((check) => check.status === "wrong"), `a model check must fail: ${verdict.modelChecks.map((check) => check.message).join(" | ")}`);

    const problems = problemMessages(entry, verdict);
    if (row.topic) {
      // A wrong blank's own message must be about the topic; for a file whose blanks are right, one
      // of its failed checks or error diagnostics must be.
      const topic = row.topic.toLowerCase();
      const blankLevel = Object.values(row.blanks).some((status) => status !== "correct");
      const about = blankLevel ? problems.slice(0, 1) : problems;
      assert.ok(about.some((problem) => problem.message.toLowerCase().includes(topic)), `the message must be about "${row.topic}": ${JSON.stringify(about.map((problem) => problem.message))}`);
    }
    if (row.line !== undefined) {
      const line = row.line;
      const placed =
        problems.some((problem) => problem.line === line || mentionsLine(problem.message, line)) ||
        verdict.diagnostics.some((diagnostic) => diagnostic.severity === "error" && diagnostic.range.start.line + 1 === line);
      assert.ok(placed, `the problem must be reported on line ${line}: ${JSON.stringify(problems.map((problem) => `${problem.line}: ${problem.message}`))}`);
    }
    if (row.info) {
      const info = row.info.toLowerCase();
      assert.ok(
        verdict.diagnostics.some((diagnostic) => diagnostic.severity === "info" && diagnostic.message.toLowerCase().includes(info)),
        `an info diagnostic must mention ${row.info}: ${JSON.stringify(verdict.diagnostics.map((diagnostic) => diagnostic.message))}`,
      );
    }
  });
}
