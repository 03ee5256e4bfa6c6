/**
 * What Reveal shows first: only the lines of the learner's file that hold blanks, as they are and
 * as they are with the answers filled in, like a diff. The whole solution file stays a click away.
 * No 'vscode' import: unit-tested.
 */
import { revealBlank } from "../../checker";
import type { CheckSpec } from "../../protocol/lesson";

/** One changed line: 1-based number in the learner's file, the line now, and with the answers. */
export interface AnswerLine {
  line: number;
  before: string;
  after: string;
}

/** The learner's lines with blanks (empty or wrong), each with every blank on it filled in. */
export function answerLines(learnerSource: string, starter: string, spec: CheckSpec): AnswerLine[] {
  const lines = learnerSource.split("\n");
  const edits = spec.blanks.flatMap((_, index) => revealBlank(learnerSource, starter, spec, index) ?? []);
  // Edits on one line are applied right to left, so the columns of the others stay valid.
  const byLine = new Map<number, { from: number; to: number; endLine: number; text: string }[]>();
  for (const edit of edits) {
    const list = byLine.get(edit.range.start.line) ?? [];
    list.push({ from: edit.range.start.character, to: edit.range.end.character, endLine: edit.range.end.line, text: edit.newText });
    byLine.set(edit.range.start.line, list);
  }
  const changed: AnswerLine[] = [];
  for (const [lineIndex, list] of [...byLine.entries()].sort((a, b) => a[0] - b[0])) {
    const endLine = Math.max(...list.map((edit) => edit.endLine));
    const before = lines.slice(lineIndex, endLine + 1).join("\n");
    let after = before;
    for (const edit of list.sort((a, b) => b.from - a.from)) {
      // Offsets within `before`: an edit ending on a later line counts that line's characters too.
      const endOffset = edit.endLine === lineIndex ? edit.to : lines.slice(lineIndex, edit.endLine).join("\n").length + 1 + edit.to;
      after = after.slice(0, edit.from) + edit.text + after.slice(endOffset);
    }
    if (after !== before) changed.push({ line: lineIndex + 1, before, after });
  }
  return changed;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The answer lines as a small diff, in HTML for the episode panel: `-` the line now, `+` with the answer. */
export function answerDiffHtml(changed: readonly AnswerLine[]): string {
  const rows = changed.flatMap(({ line, before, after }) => [
    `<span class="diff-line removed"><span class="diff-number">${line}</span><span class="diff-sign">-</span>${escapeHtml(before.trim())}</span>`,
    `<span class="diff-line added"><span class="diff-number">${line}</span><span class="diff-sign">+</span>${escapeHtml(after.trim())}</span>`,
  ]);
  // Each line is a block of its own: no newlines between them, or the pre would show empty lines.
  return `<pre class="answer-diff"><code>${rows.join("")}</code></pre>`;
}
