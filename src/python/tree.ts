/**
 * The one Python reader of the project, on @lezer/python: the parsed form of a file (its syntax
 * tree and where its lines start), positions, node text, blanks, tokens, and the syntax error
 * CPython would report. The checker and the lesson format both read Python through here.
 * Nothing in this folder knows about Keras, lessons or the editor.
 */
import { TreeFragment, type SyntaxNode, type Tree } from "@lezer/common";
import { parser as lezerPython } from "@lezer/python";
import type { SourceRange } from "../protocol/modelSpec";

/**
 * @lezer/python with smaller leaf buffers than its default 1,024 nodes: the same trees, but an
 * incremental parse reuses every buffer the change does not touch and has to parse again only the
 * one around it. With 128, on the lesson's longest challenge (108 lines), a keystroke at its end
 * reparses in a seventh of the time and an answer put into a blank in half.
 */
const parser = lezerPython.configure({ bufferLength: 128 });

/** The text a blank is written as in a starter file: five underscores, a valid Python name. */
export const BLANK = "_____";

export interface ParsedSource {
  text: string;
  tree: Tree;
  /** Offset of the first character of each line. */
  lineStarts: number[];
}

/**
 * Parses `text`. With `previous`, the parse of a text that differs from this one in a single
 * stretch (a keystroke, or an answer put into a blank), the parser reuses the unchanged parts of
 * the previous tree, which takes a fraction of the time. Error recovery may place its error nodes
 * differently when it reuses nodes, so a text that does not parse cleanly is parsed afresh: the
 * tree is always the one a fresh parse gives.
 *
 * The last parse is kept: asking again for the same text (the editor's worker parses within a
 * time budget, then the checker asks for the same text) returns it, so a check parses once.
 */
export function parsePython(text: string, previous?: ParsedSource): ParsedSource {
  return parsePythonWithin(text, Number.POSITIVE_INFINITY, previous) as ParsedSource;
}

/**
 * `parsePython` that gives up after `maxMillis` of parsing (checked between the parser's steps)
 * and then returns undefined: a huge file must not hold a check for seconds.
 */
export function parsePythonWithin(text: string, maxMillis: number, previous?: ParsedSource): ParsedSource | undefined {
  if (lastParse?.text === text) return lastParse;
  const deadline = performance.now() + maxMillis;
  let tree = previous ? runParser(text, deadline, fragmentsFor(previous, text)) : null;
  if (tree === undefined) return undefined;
  let errors = tree ? errorNodes(tree) : undefined;
  if (!tree || (errors && errors.length > 0)) {
    tree = runParser(text, deadline);
    errors = tree ? errorNodes(tree) : undefined;
  }
  if (!tree || !errors) return undefined;
  const lineStarts = [0];
  for (let offset = 0; offset < text.length; offset++) {
    if (text.charCodeAt(offset) === 10) lineStarts.push(offset + 1);
  }
  lastParse = { text, tree, lineStarts };
  // The walk that looked for error nodes also gives `syntaxErrors` its answer.
  walks(lastParse).errors = errors.filter((node) => !isTrailingDotNumber(node));
  return lastParse;
}

let lastParse: ParsedSource | undefined;

/** Runs the parser step by step; undefined when the deadline passes first. */
function runParser(text: string, deadline: number, fragments?: readonly TreeFragment[]): Tree | undefined {
  const parse = parser.startParse(text, fragments);
  // Steps are small (a few hundred tokens); reading the clock every 64 of them costs nothing.
  for (let step = 0; ; step++) {
    const tree = parse.advance();
    if (tree) return tree;
    if ((step & 63) === 63 && performance.now() > deadline) return undefined;
  }
}

/** Every error node of the tree, in document order (the trailing dot of `255.` among them). */
function errorNodes(tree: Tree): SyntaxNode[] {
  const errors: SyntaxNode[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) errors.push(cursor.node);
  } while (cursor.next());
  return errors;
}

function fragmentsFor(previous: ParsedSource, text: string): readonly TreeFragment[] {
  const old = previous.text;
  const shorter = Math.min(old.length, text.length);
  let prefix = 0;
  while (prefix < shorter && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const change = { fromA: prefix, toA: old.length - suffix, fromB: prefix, toB: text.length - suffix };
  return TreeFragment.applyChanges(TreeFragment.addTree(previous.tree), [change]);
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

/**
 * Results of whole-tree walks, kept per parsed source: the checker asks for the blanks, the
 * syntax errors and the tokens of the same text many times in one check.
 */
interface Walks {
  blanks?: SyntaxNode[];
  errors?: SyntaxNode[];
  tokens?: Token[];
}

interface Token {
  from: number;
  to: number;
  text: string;
  isString: boolean;
}

const walksOf = new WeakMap<ParsedSource, Walks>();

function walks(source: ParsedSource): Walks {
  let found = walksOf.get(source);
  if (!found) {
    found = {};
    walksOf.set(source, found);
  }
  return found;
}

/** Every blank in document order (the n-th is `blanks[n]` of the check spec). The array is shared: do not modify it. */
export function findBlanks(source: ParsedSource): SyntaxNode[] {
  const cached = walks(source);
  if (cached.blanks) return cached.blanks;
  const blanks: SyntaxNode[] = [];
  source.tree.iterate({
    enter: (ref) => {
      if (ref.name === "VariableName" && ref.to - ref.from === BLANK.length && source.text.slice(ref.from, ref.to) === BLANK) {
        blanks.push(ref.node);
      }
    },
  });
  cached.blanks = blanks;
  return blanks;
}

/**
 * The error nodes the parser inserted while recovering: each is a place where the code is not
 * valid Python. The array is shared: do not modify it. (The error CPython would report is
 * `pythonSyntaxError`; these are where the tree is broken.)
 */
export function syntaxErrors(source: ParsedSource): SyntaxNode[] {
  const cached = walks(source);
  if (cached.errors) return cached.errors;
  const errors: SyntaxNode[] = [];
  source.tree.iterate({
    enter: (ref) => {
      if (ref.type.isError && !isTrailingDotNumber(ref.node)) errors.push(ref.node);
    },
  });
  cached.errors = errors;
  return errors;
}

/**
 * @lezer/python reads a float written with a trailing dot (`255.`, valid Python) as a member
 * access with its name missing: `MemberExpression(Number, ".", ⚠)`. That error is not one.
 * (The node is a MemberExpression whose first child is the Number and whose text is `255.`.)
 */
export function isTrailingDotNumber(node: SyntaxNode): boolean {
  const dot = node.prevSibling;
  const number = dot?.prevSibling;
  return node.from === node.to && node.parent?.name === "MemberExpression" && dot?.name === "." && number?.name === "Number" && number.to === dot.from && dot.to === node.from && number.prevSibling === null;
}

/** Significant tokens of a node's text (comments and whitespace dropped), for comparing code by text. */
export function tokensOf(source: ParsedSource, node: SyntaxNode | null, from = node?.from ?? 0, to = node?.to ?? 0): string[] {
  const cached = walks(source);
  cached.tokens ??= walkTokens(source, 0, source.text.length);
  const all = cached.tokens;
  // Tokens do not overlap and are in document order: those inside [from, to] are one run.
  let low = 0;
  let high = all.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((all[middle] as Token).from < from) low = middle + 1;
    else high = middle;
  }
  const before = all[low - 1];
  // A string cut by the range is one token of the file but several of the range: walk it.
  if (before && before.isString && before.to > from) return walkTokens(source, from, to).map((token) => token.text);
  const tokens: string[] = [];
  for (let index = low; index < all.length; index++) {
    const token = all[index] as Token;
    if (token.to > to) {
      if (token.isString && token.from < to) return walkTokens(source, from, to).map((cut) => cut.text);
      break;
    }
    tokens.push(token.text);
  }
  return tokens;
}

function walkTokens(source: ParsedSource, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  const push = (tokenFrom: number, tokenTo: number, kind: string): void => {
    tokens.push({ from: tokenFrom, to: tokenTo, text: normaliseToken(source.text.slice(tokenFrom, tokenTo), kind), isString: kind === "String" });
  };
  // A node is a token when the walk leaves it without having entered a child. Telling that from
  // the walk itself, rather than by asking the node for its first child, makes no node objects:
  // this walk runs over every file the checker reads.
  let leaf = false;
  let leafFrom = 0;
  let leafTo = 0;
  source.tree.iterate({
    from,
    to,
    enter: (ref) => {
      // Whatever was entered last has a child: this one.
      leaf = false;
      if (ref.from < from || ref.to > to) return true;
      if (ref.name === "Comment") return false;
      if (ref.name === "String") {
        push(ref.from, ref.to, ref.name);
        return false;
      }
      leaf = true;
      leafFrom = ref.from;
      leafTo = ref.to;
      return true;
    },
    leave: (ref) => {
      if (leaf && leafTo > leafFrom) push(leafFrom, leafTo, ref.name);
      leaf = false;
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
