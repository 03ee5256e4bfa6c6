/**
 * A Python file as a stream of tokens in source order, for comparing two files token by token
 * (a starter and its solution): the leaves of the syntax tree, the literal text between leaves
 * that is not whitespace (the literal parts of an f-string), and at the start of each logical
 * line a synthetic newline token carrying its indentation, so that a changed indentation counts
 * as a change while a re-wrapped bracket does not.
 */
import { BLANK, positionAt, type ParsedSource } from "./tree";

/** A 0-based offset turned into the 1-based line and column that compiler messages use. */
export interface TextPosition {
  offset: number;
  line: number;
  column: number;
}

export interface PythonToken {
  text: string;
  from: number;
  to: number;
  /** A synthetic token for the start of a logical line; its text holds the indentation. */
  newline: boolean;
  blank: boolean;
}

export interface LineTokens {
  tokens: PythonToken[];
  blanks: TextPosition[];
  /** Names made only of underscores that are not exactly five: probably mistyped blanks. */
  nearBlanks: TextPosition[];
}

export const OPENERS: ReadonlySet<string> = new Set(["(", "[", "{"]);
export const CLOSERS: ReadonlySet<string> = new Set([")", "]", "}"]);

/** The 1-based line and column of an offset. */
export function textPosition(source: ParsedSource, offset: number): TextPosition {
  const { line, character } = positionAt(source, offset);
  return { offset, line: line + 1, column: character + 1 };
}

export function lineTokens(source: ParsedSource): LineTokens {
  const text = source.text;
  const leaves: { text: string; from: number; to: number; name: string }[] = [];
  const cursor = source.tree.cursor();
  do {
    if (cursor.type.isError) continue;
    if (!cursor.node.firstChild && cursor.to > cursor.from) {
      leaves.push({ text: text.slice(cursor.from, cursor.to), from: cursor.from, to: cursor.to, name: cursor.name });
    }
  } while (cursor.next());

  const tokens: PythonToken[] = [];
  const blanks: TextPosition[] = [];
  const nearBlanks: TextPosition[] = [];
  let depth = 0;
  let lastLine = -1;
  let previousEnd = 0;
  const pushToken = (tokenText: string, from: number, to: number, blank: boolean): void => {
    const line = positionAt(source, from).line;
    const lineStart = source.lineStarts[line] as number;
    if (depth === 0 && line !== lastLine) {
      const indent = text.slice(lineStart, from);
      tokens.push({ text: `\n${/^[ \t]*$/.test(indent) ? indent : ""}`, from, to: from, newline: true, blank: false });
    }
    lastLine = positionAt(source, Math.max(from, to - 1)).line;
    tokens.push({ text: tokenText, from, to, newline: false, blank });
  };
  for (const leaf of leaves) {
    const gap = text.slice(previousEnd, leaf.from);
    if (gap.trim() !== "") {
      const lead = gap.length - gap.trimStart().length;
      const from = previousEnd + lead;
      pushToken(gap.trim(), from, from + gap.trim().length, false);
    }
    const isName = leaf.name !== "String" && leaf.name !== "Comment" && /^_+$/.test(leaf.text);
    const blank = isName && leaf.text === BLANK;
    if (blank) blanks.push(textPosition(source, leaf.from));
    else if (isName && leaf.text.length >= 3) nearBlanks.push(textPosition(source, leaf.from));
    const tokenText = leaf.name === "Comment" ? leaf.text.trimEnd() : leaf.text;
    if (CLOSERS.has(tokenText)) depth = Math.max(0, depth - 1);
    pushToken(tokenText, leaf.from, leaf.to, blank);
    if (OPENERS.has(tokenText)) depth++;
    previousEnd = leaf.to;
  }
  return { tokens, blanks, nearBlanks };
}
