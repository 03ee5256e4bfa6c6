/**
 * Finds each blank of a starter file in the learner's edited copy by aligning the two syntax
 * trees: children lists are aligned level by level (a sequence alignment in which unchanged code
 * and comments are anchors), and a blank takes whatever the learner wrote between its anchors.
 * A blank that is a whole statement may become several statements.
 */
import type { SyntaxNode } from "@lezer/common";
import { BLANK, findBlanks, isBlank, nodeText, tokensOf, type ParsedSource } from "../python";

export interface BlankLocation {
  /** Position of the blank in the starter (its index in the check spec). */
  index: number;
  /** Learner offsets of what fills the blank; `from === to` when nothing does. */
  from: number;
  to: number;
  /** False when the code around the blank was changed so much that it cannot be found. */
  found: boolean;
  /**
   * Set when the blank was (part of) the argument `name=` of a call and the learner's call no longer
   * has that argument, by keyword or by position (then its number, from 1); `from`/`to` are then the
   * learner's closing bracket.
   */
  removedArgument?: string | number;
  /**
   * Set when the starter wraps the blank in brackets (`metrics=[_____]`) and the learner replaced the
   * whole bracketed value (`metrics='accuracy'`): `from`/`to` then cover the learner's whole value,
   * and an answer stands in that place inside these brackets.
   */
  wrapper?: { open: string; close: string };
}

/**
 * The positional parameters of a callable, by how the learner writes it (`keras.layers.Conv2D`,
 * `model_intro.fit`): the names positional arguments bind to. Unknown callables return undefined.
 */
export type PositionalParameters = (callee: string) => readonly string[] | undefined;

/** One argument of a call: `value` (positional), `name=value`, `*value` or `**value`. */
interface Argument {
  keyword?: string;
  splat: boolean;
  value: SyntaxNode;
}

/** The arguments of an `ArgList` node, in the order written (lezer keeps them flat: `name`, `=`, value, `,`). */
function argumentsOf(source: ParsedSource, argList: SyntaxNode): Argument[] {
  const result: Argument[] = [];
  let group: SyntaxNode[] = [];
  const flush = (): void => {
    const [first, second, third] = group;
    if (first && second?.name === "AssignOp" && third) result.push({ keyword: nodeText(source, first), splat: false, value: third });
    else if (first && (first.name === "*" || first.name === "**") && second) result.push({ splat: true, value: second });
    else if (first && group.length === 1) result.push({ splat: false, value: first });
    group = [];
  };
  for (const child of allChildren(argList)) {
    if (child.name === "(" || child.name === ")" || child.name === "Comment") continue;
    if (child.name === ",") flush();
    else group.push(child);
  }
  flush();
  return result;
}

/** The callee of the call an `ArgList` belongs to, as written (`keras.layers.Conv2D`). */
function calleeOf(source: ParsedSource, argList: SyntaxNode): string | undefined {
  const call = argList.parent;
  if (call?.name !== "CallExpression" || !call.firstChild || call.firstChild === argList) return undefined;
  return tokensOf(source, call.firstChild).join("");
}

interface Side {
  source: ParsedSource;
  tokens: Map<number, string[]>;
}

/** What the similarity of a starter node to any learner node needs of it, worked out once per node. */
interface StarterNodeFacts {
  kind: string;
  tokens: string[];
  /** The bracket-normalised text of a leaf; undefined for a node with children. */
  leafText: string | undefined;
  hasBlank: boolean;
}

const TOKEN_WINDOW = 12;
/** Above any score of shared starts and ends (at most 1 + 2 × TOKEN_WINDOW). */
const FILLED_IN_SCORE = 2 * TOKEN_WINDOW + 2;

/**
 * Whether `learner` is `starter` with each blank token replaced by any run of tokens (a glob
 * match, `_____` for `*`), by the usual greedy walk that backs up to the last blank.
 */
function fillsBlanks(starter: readonly string[], learner: readonly string[]): boolean {
  let s = 0;
  let l = 0;
  let lastBlank = -1;
  let resumeAt = 0;
  while (l < learner.length) {
    if (s < starter.length && starter[s] === BLANK) {
      lastBlank = s++;
      resumeAt = l;
    } else if (s < starter.length && starter[s] === learner[l]) {
      s++;
      l++;
    } else if (lastBlank >= 0) {
      s = lastBlank + 1;
      l = ++resumeAt;
    } else return false;
  }
  while (s < starter.length && starter[s] === BLANK) s++;
  return s === starter.length;
}

function allChildren(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  return children;
}

function tokens(side: Side, node: SyntaxNode): string[] {
  let cached = side.tokens.get(node.from * 65536 + (node.to - node.from));
  if (!cached) {
    cached = node.name === "Comment" ? [nodeText(side.source, node)] : tokensOf(side.source, node);
    side.tokens.set(node.from * 65536 + (node.to - node.from), cached);
  }
  return cached;
}

export function locateBlanks(starter: ParsedSource, learner: ParsedSource, positionalParameters: PositionalParameters = () => undefined): BlankLocation[] {
  const blanks = findBlanks(starter);
  const locations: BlankLocation[] = blanks.map((_, index) => ({ index, from: 0, to: 0, found: false }));
  const blankIndex = new Map(blanks.map((blank, index) => [blank.from, index]));
  const starterSide: Side = { source: starter, tokens: new Map() };
  const learnerSide: Side = { source: learner, tokens: new Map() };

  const containsBlank = (node: SyntaxNode): boolean => blanks.some((blank) => blank.from >= node.from && blank.to <= node.to);
  /** The blank a wildcard child stands for: a blank name, or a statement that is only a blank. */
  const wildcardOf = (node: SyntaxNode): number | undefined => {
    if (isBlank(starter, node)) return blankIndex.get(node.from);
    if (node.name === "ExpressionStatement" && node.firstChild && node.firstChild === node.lastChild && isBlank(starter, node.firstChild)) return blankIndex.get(node.firstChild.from);
    return undefined;
  };

  /** `[_____]` or `(_____,)`: a list or tuple whose one element is a blank. */
  const wrappedBlank = (node: SyntaxNode): { index: number; open: string; close: string } | undefined => {
    if (node.name !== "ArrayExpression" && node.name !== "TupleExpression") return undefined;
    const children = allChildren(node);
    const inner = children.filter((child) => !["[", "]", "(", ")", ","].includes(child.name));
    const only = inner[0];
    if (inner.length !== 1 || !only || !isBlank(starter, only)) return undefined;
    const index = blankIndex.get(only.from);
    if (index === undefined) return undefined;
    const open = starter.text.slice(node.from, only.from).trim();
    const close = starter.text.slice(only.to, node.to).trim();
    return { index, open, close };
  };
  const isBracketed = (node: SyntaxNode): boolean => node.name === "ArrayExpression" || node.name === "TupleExpression";

  // An opening or closing bracket anchors its side whatever its kind: `(x, y)` and `[x, y]`.
  const bracket = (text: string): string => (text === "(" || text === "[" ? "open" : text === ")" || text === "]" ? "close" : text);
  const factsOf = (node: SyntaxNode): StarterNodeFacts => {
    const nodeTokens = tokens(starterSide, node);
    const leaf = !node.firstChild || node.name === "Comment";
    return { kind: bracket(node.name), tokens: nodeTokens, leafText: leaf ? bracket(nodeTokens.join(" ")) : undefined, hasBlank: containsBlank(node) };
  };
  const similarity = (starterNode: StarterNodeFacts, learnerNode: SyntaxNode): number => {
    if (starterNode.kind !== bracket(learnerNode.name)) return 0;
    const a = starterNode.tokens;
    const b = tokens(learnerSide, learnerNode);
    if (starterNode.leafText !== undefined) return starterNode.leafText === bracket(b.join(" ")) ? 3 : 0;
    // A learner node that is the starter's with its blanks filled in is the surest anchor: it wins
    // over a neighbour that only shares a longer start or end (`x = keras.layers.Dense(...)` after
    // a syntax error has cut the statements that follow a blank `x = _____(x)` away).
    if (starterNode.hasBlank && fillsBlanks(a, b)) return FILLED_IN_SCORE;
    // Tokens that agree from the start and from the end; a blank token agrees with anything.
    let score = 1;
    for (let i = 0; i < Math.min(a.length, b.length, TOKEN_WINDOW); i++) {
      if (a[i] !== b[i] && a[i] !== "_____") break;
      score++;
    }
    for (let i = 1; i <= Math.min(a.length, b.length, TOKEN_WINDOW); i++) {
      if (a[a.length - i] !== b[b.length - i] && a[a.length - i] !== "_____") break;
      score++;
    }
    return score;
  };

  /** Every blank inside `node` is gone with the argument `name` it belonged to. */
  const markRemoved = (node: SyntaxNode, name: string | number, at: number): void => {
    for (const blank of blanks) {
      const location = locations[blankIndex.get(blank.from) ?? -1];
      if (!location || blank.from < node.from || blank.to > node.to) continue;
      Object.assign(location, { from: at, to: at, found: true, removedArgument: name });
    }
  };

  /**
   * Arguments are matched the way Python binds them, not by their order in the text: the blank of
   * `kernel_size=_____` is whatever the learner's call binds to kernel_size, as `kernel_size=` in
   * any order or as the positional argument in that parameter's place.
   */
  const alignArguments = (starterList: SyntaxNode, learnerList: SyntaxNode): void => {
    const starterArgs = argumentsOf(starter, starterList);
    const learnerArgs = argumentsOf(learner, learnerList);
    // Without a known signature, the starter's own keywords are taken to be in the signature's
    // order (the lesson writes them that way: `confusion_matrix(y_true=..., y_pred=...)`).
    const writtenOrder = starterArgs.every((arg) => arg.keyword !== undefined) ? starterArgs.map((arg) => arg.keyword as string) : [];
    const starterParams = positionalParameters(calleeOf(starter, starterList) ?? "") ?? writtenOrder;
    const learnerParams = positionalParameters(calleeOf(learner, learnerList) ?? "") ?? starterParams;
    const learnerPositional = learnerArgs.filter((arg) => !arg.keyword && !arg.splat);
    const starterPositional = starterArgs.filter((arg) => !arg.keyword && !arg.splat);
    const closing = learnerList.lastChild?.name === ")" ? learnerList.lastChild.from : learnerList.to;
    for (const arg of starterArgs) {
      if (arg.splat || !containsBlank(arg.value)) continue;
      const position = arg.keyword === undefined ? starterPositional.indexOf(arg) : -1;
      const name = arg.keyword ?? starterParams[position];
      const byKeyword = name === undefined ? undefined : learnerArgs.find((other) => other.keyword === name);
      const index = name === undefined ? position : learnerParams.indexOf(name);
      const byPosition = index >= 0 && (arg.keyword === undefined || learnerParams.length > 0) ? learnerPositional[index] : undefined;
      // Python binds the positionals first; a keyword for the same parameter is the one it refuses.
      const match = byPosition ?? byKeyword;
      if (!match) {
        markRemoved(arg.value, name ?? position + 1, closing);
        continue;
      }
      const wrapped = wrappedBlank(arg.value);
      if (wrapped !== undefined && !isBracketed(match.value)) {
        const location = locations[wrapped.index];
        if (location) Object.assign(location, { from: match.value.from, to: match.value.to, found: true, wrapper: { open: wrapped.open, close: wrapped.close } });
        continue;
      }
      const wildcard = wildcardOf(arg.value);
      if (wildcard !== undefined) {
        const location = locations[wildcard];
        if (location) Object.assign(location, { from: match.value.from, to: match.value.to, found: true });
      } else alignNodes(arg.value, match.value);
    }
  };

  const alignNodes = (starterNode: SyntaxNode, learnerNode: SyntaxNode): void => {
    if (starterNode.name === "ArgList" && learnerNode.name === "ArgList") {
      alignArguments(starterNode, learnerNode);
      return;
    }
    const s = allChildren(starterNode);
    const l = allChildren(learnerNode);
    const n = s.length;
    const m = l.length;
    // best[i][j] (at i * width + j): best score aligning s[i..] with l[j..]; filled backwards so
    // the walk is forwards. One flat array per table: a typed array per row costs more to make
    // than the alignment of a row does.
    const width = m + 1;
    const best = new Float64Array((n + 1) * width);
    const scores = new Float64Array(n * width);
    for (let i = 0; i < n; i++) {
      const si = s[i] as SyntaxNode;
      if (wildcardOf(si) !== undefined) continue;
      const facts = factsOf(si);
      for (let j = 0; j < m; j++) scores[i * width + j] = similarity(facts, l[j] as SyntaxNode);
    }
    const at = (table: Float64Array, i: number, j: number): number => table[i * width + j] as number;
    for (let i = n; i >= 0; i--) {
      for (let j = m; j >= 0; j--) {
        if (i === n && j === m) continue;
        let value = 0;
        if (i < n) value = Math.max(value, at(best, i + 1, j));
        if (j < m) value = Math.max(value, at(best, i, j + 1));
        if (i < n && j < m && at(scores, i, j) > 0) value = Math.max(value, at(scores, i, j) + at(best, i + 1, j + 1));
        best[i * width + j] = value;
      }
    }
    // Walk the alignment; remember which learner child each starter child took.
    const matchOf: (number | undefined)[] = new Array(n);
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (at(scores, i, j) > 0 && at(best, i, j) === at(scores, i, j) + at(best, i + 1, j + 1)) {
        matchOf[i] = j;
        i++;
        j++;
      } else if (at(best, i, j) === at(best, i + 1, j)) i++;
      else j++;
    }
    // Wildcards take the learner children between the anchors around them.
    let k = 0;
    while (k < n) {
      if (wildcardOf(s[k] as SyntaxNode) === undefined) {
        const match = matchOf[k];
        if (match !== undefined && containsBlank(s[k] as SyntaxNode)) alignNodes(s[k] as SyntaxNode, l[match] as SyntaxNode);
        k++;
        continue;
      }
      // A run of wildcards (unanchored) between two anchors shares the gap.
      let end = k;
      while (end < n && matchOf[end] === undefined) end++;
      const before = [...matchOf.slice(0, k)].reverse().find((match) => match !== undefined);
      const after = matchOf.slice(end).find((match) => match !== undefined);
      const gap = l.slice(before === undefined ? 0 : before + 1, after ?? m).filter((child) => child.name !== "Comment");
      const wildcards = s.slice(k, end).map(wildcardOf).filter((index): index is number => index !== undefined);
      wildcards.forEach((index, position) => {
        const location = locations[index];
        if (!location) return;
        const last = position === wildcards.length - 1;
        let taken = last ? gap.slice(position) : gap.slice(position, position + 1);
        // A trailing comma (`('accuracy',)`) is the container's punctuation, not part of the answer.
        if (taken.length > 1 && taken[taken.length - 1]?.name === ",") taken = taken.slice(0, -1);
        const first = taken[0];
        const final = taken[taken.length - 1];
        location.found = true;
        if (first && final) {
          location.from = first.from;
          location.to = final.to;
        } else {
          const anchor = before === undefined ? learnerNode.from : (l[before] as SyntaxNode).to;
          location.from = anchor;
          location.to = anchor;
        }
      });
      k = end;
    }
  };

  alignNodes(starter.tree.topNode, learner.tree.topNode);
  return locations;
}
