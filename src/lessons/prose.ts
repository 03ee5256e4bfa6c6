/**
 * Long stretches of plain prose. A reader loses the thread in a wall of text, so an episode breaks
 * every run of more than `MAX_PROSE_RUN` words of paragraphs with something else: a figure, a
 * list, a table, code, or a div (callout, question, challenge). Headings do not count as a break.
 */
import type { LessonProblem } from "../protocol/lesson";
import { createLessonMarkdownIt } from "./markdown";

export const MAX_PROSE_RUN = 300;

const BREAKS = new Set(["div_open", "div_close", "bullet_list_open", "ordered_list_open", "table_open", "fence", "code_block", "blockquote_open"]);
const markdownIt = createLessonMarkdownIt();

/** A warning for each run of paragraphs longer than MAX_PROSE_RUN words. */
export function lintProseRuns(source: string, file: string): LessonProblem[] {
  const problems: LessonProblem[] = [];
  let words = 0;
  let start = 0;
  let depth = 0;
  const close = (): void => {
    if (words > MAX_PROSE_RUN) {
      problems.push({
        location: { file, line: start + 1, column: 1 },
        message: `${words} words of prose in a row from here; break the run (at most ${MAX_PROSE_RUN} words) with a figure, a list, a callout or a question`,
        severity: "warning",
      });
    }
    words = 0;
  };
  for (const token of markdownIt.parse(source, {})) {
    // Lists and block quotes break a run once; what is inside them is not prose of the run.
    if (BREAKS.has(token.type)) close();
    if (token.type === "bullet_list_open" || token.type === "ordered_list_open" || token.type === "blockquote_open" || token.type === "table_open") depth++;
    if (token.type === "bullet_list_close" || token.type === "ordered_list_close" || token.type === "blockquote_close" || token.type === "table_close") depth--;
    if (token.type !== "inline" || depth > 0) continue;
    if ((token.children ?? []).some((child) => child.type === "image")) {
      close();
      continue;
    }
    if (words === 0) start = token.map?.[0] ?? 0;
    words += token.content.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
  }
  close();
  return problems;
}
