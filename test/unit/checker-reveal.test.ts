/**
 * Before Reveal, no message gives the answer away: for every corpus answer, no blank message,
 * model check or diagnostic contains the expected answer of a blank the learner has not got right,
 * unless the learner wrote that text themselves (a message may quote the learner's own code).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkChallenge, revealBlank } from "../../src/checker";
import { loadCorpus } from "./corpus";

/** The text an answer gives away: a string's contents without quotes, or the expression as written. */
function giveaway(answer: string): string {
  const quoted = /^\s*(['"])(.*)\1\s*$/.exec(answer);
  return (quoted ? quoted[2] : answer)?.trim() ?? "";
}

/**
 * Long enough to be the answer rather than a coincidence: with a letter and four characters or more
 * (the lesson format's rule for hints), or a number of two digits or more.
 */
function telling(text: string): boolean {
  return (/[A-Za-z]/.test(text) && text.length >= 4) || /^\d{2,}$/.test(text);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Line and blank numbers are not answers: "Line 10:", "line 32", "Blank 10". */
const withoutNumbering = (message: string): string => message.replace(/\b(line|blank|layer) \d+/gi, "");

const cases = loadCorpus();

/** The step budget stays; the time budget is lifted, so that a loaded machine cannot change a verdict. */
const UNHURRIED = { maxMillis: 60_000 };

test("no message names the expected answer of a blank that is not right yet", () => {
  const leaks: string[] = [];
  for (const entry of cases) {
    const verdict = checkChallenge(entry.learner, entry.starter, entry.spec, UNHURRIED);
    const lines = entry.learner.split("\n");
    // A message may quote the code of a line it names (or the line it is on): that text is on the learner's screen.
    const quotedLines = (message: string, at?: number): string => {
      const named = [...message.matchAll(/\bline (\d+)/gi)].map((match) => Number(match[1]) - 1);
      return [...named, ...(at === undefined ? [] : [at])].map((line) => lines[line] ?? "").join("\n");
    };
    const messages = [
      ...verdict.blanks.map((blank) => ({ text: blank.message, quoted: quotedLines(blank.message) })),
      ...verdict.modelChecks.map((check) => ({ text: check.message, quoted: quotedLines(check.message, check.range?.start.line) })),
      ...verdict.diagnostics.map((diagnostic) => ({ text: diagnostic.message, quoted: quotedLines(diagnostic.message, diagnostic.range.start.line) })),
    ];
    verdict.blanks.forEach((blank, index) => {
      if (blank.status === "correct") return;
      const spec = entry.spec.blanks[index];
      if (!spec) return;
      const answer = giveaway(spec.expect);
      if (!telling(answer)) return;
      const written = new RegExp(`(^|[^A-Za-z0-9_])${escape(answer)}([^A-Za-z0-9_]|$)`);
      // The learner's own text may be quoted back to them; the answer only leaks when they did not write it.
      if (written.test(lines[blank.range.start.line] ?? "")) return;
      const leak = messages.find((message) => written.test(withoutNumbering(message.text)) && !written.test(message.quoted));
      if (leak) leaks.push(`${entry.challenge.id} / ${entry.row.id} / ${spec.id}: "${answer}" in ${JSON.stringify(leak.text)}`);
    });
  }
  assert.deepEqual(leaks, []);
});

test("Reveal writes the expected answer, and only when asked", () => {
  for (const entry of cases.filter((candidate) => candidate.row.id === "starter-untouched")) {
    entry.spec.blanks.forEach((blank, index) => {
      const edit = revealBlank(entry.learner, entry.starter, entry.spec, index);
      assert.ok(edit, `${entry.challenge.id}: blank ${index + 1} can be revealed`);
      assert.equal(edit.newText.split("\n")[0], blank.expect.split("\n")[0]);
    });
  }
});
