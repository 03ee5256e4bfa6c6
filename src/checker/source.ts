/**
 * The parsed form of a Python file: the @lezer/python syntax tree plus the helpers every other
 * checker module needs (text of a node, offsets to 0-based line/character ranges, syntax errors).
 */
import type { SyntaxNode, Tree } from "@lezer/common";
import { parser } from "@lezer/python";
import type { SourceRange } from "../protocol/modelSpec";

/** The text a blank is written as in a starter file: five underscores, a valid Python name. */
export const BLANK = "_____";

export interface ParsedSource {
  text: string;
  tree: Tree;
  /** Offset of the first character of each line. */
  lineStarts: number[];
}

export function parsePython(text: string): ParsedSource {
  const lineStarts = [0];
  for (let offset = 0; offset < text.length; offset++) {
    if (text.charCodeAt(offset) === 10) lineStarts.push(offset + 1);
  }
  return { text, tree: parser.parse(text), lineStarts };
}

export function positionAt(source: ParsedSource, offset: number): { line: number; character: number } {
  let low = 0;
  let high = source.lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((source.lineStarts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low, character: offset - (source.lineStarts[low] ?? 0) };
}

export function rangeOf(source: ParsedSource, from: number, to: number): SourceRange {
  return { start: positionAt(source, from), end: positionAt(source, to) };
}

export function nodeRange(source: ParsedSource, node: SyntaxNode): SourceRange {
  return rangeOf(source, node.from, node.to);
}

export function nodeText(source: ParsedSource, node: SyntaxNode): string {
  return source.text.slice(node.from, node.to);
}

/** The children of a node in order, without comments (they carry no meaning for the checker). */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name !== "Comment") children.push(child);
  }
  return children;
}

export function isBlank(source: ParsedSource, node: SyntaxNode): boolean {
  return node.name === "VariableName" && node.to - node.from === BLANK.length && nodeText(source, node) === BLANK;
}

/** Every blank in document order (the n-th is `blanks[n]` of the check spec). */
export function findBlanks(source: ParsedSource): SyntaxNode[] {
  const blanks: SyntaxNode[] = [];
  source.tree.iterate({
    enter: (ref) => {
      if (ref.name === "VariableName" && ref.to - ref.from === BLANK.length && source.text.slice(ref.from, ref.to) === BLANK) {
        blanks.push(ref.node);
      }
    },
  });
  return blanks;
}

/** The error nodes the parser inserted while recovering: each is a place where the code is not valid Python. */
export function syntaxErrors(source: ParsedSource): SyntaxNode[] {
  const errors: SyntaxNode[] = [];
  source.tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) errors.push(ref.node);
    },
  });
  return errors;
}

/** Significant tokens of a node's text (comments and whitespace dropped), for comparing code by text. */
export function tokensOf(source: ParsedSource, node: SyntaxNode | null, from = node?.from ?? 0, to = node?.to ?? 0): string[] {
  const tokens: string[] = [];
  source.tree.iterate({
    from,
    to,
    enter: (ref) => {
      if (ref.from < from || ref.to > to) return true;
      if (ref.name === "Comment") return false;
      if (!ref.node.firstChild && ref.to > ref.from) {
        tokens.push(normaliseToken(source.text.slice(ref.from, ref.to), ref.name));
        return false;
      }
      if (ref.name === "String") {
        tokens.push(normaliseToken(source.text.slice(ref.from, ref.to), ref.name));
        return false;
      }
      return true;
    },
  });
  return tokens;
}

function normaliseToken(text: string, kind: string): string {
  // 'relu' and "relu" are the same string; compare strings by their content.
  const quote = text[0];
  if (kind === "String" && (quote === "'" || quote === '"')) return `"${text.slice(1, -1)}"`;
  return text;
}
