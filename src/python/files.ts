/**
 * What the lesson format needs to know about its Python files, read with the project's Python
 * reader (`src/python`) rather than with regular expressions: where the blanks are (a blank is
 * a name spelled exactly `_____`, so one inside a string or a comment is not a blank), whether
 * a file parses (and CPython's error if not), and
 * whether a solution is its starter with the blanks filled in and nothing else changed.
 */
import { CLOSERS, lineTokens, OPENERS, textPosition, type PythonToken, type TextPosition } from "./lines";
import { pythonSyntaxError } from "./syntaxError";
import { parsePython, syntaxErrors } from "./tree";

/** The 1-based line and column of an offset of `source` (a scan: no parse for one position). */
export function textPositionIn(source: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

export interface PythonFile {
  source: string;
  tokens: PythonToken[];
  blanks: TextPosition[];
  /** Names made only of underscores that are not exactly five: probably mistyped blanks. */
  nearBlanks: TextPosition[];
  /** The error CPython would report, if any (CPython reports one): where, and what it says. */
  syntaxErrors: (TextPosition & { message: string })[];
}

/** Reads a Python file into its tokens (see `lineTokens`), its blanks and its syntax error. */
export function readPython(source: string): PythonFile {
  const parsed = parsePython(source);
  const { tokens, blanks, nearBlanks } = lineTokens(parsed);
  const error = pythonSyntaxError(parsed);
  const syntaxErrors = error ? [{ ...textPosition(parsed, error.from), message: error.message }] : [];
  return { source, tokens, blanks, nearBlanks, syntaxErrors };
}

/** The 1-based positions of the blanks of a Python source. */
export function blankPositions(source: string): TextPosition[] {
  return readPython(source).blanks;
}

export type FillResult =
  | {
      ok: true;
      /** The code that fills each blank, in order, and where it is in the solution. */
      fills: string[];
      fillOffsets: number[];
    }
  | {
      ok: false;
      /** Where the two files part: offsets into the starter and into the solution. */
      starterOffset: number;
      solutionOffset: number;
      message: string;
    };

/**
 * Whether `solution` is `starter` with each blank replaced by some code and nothing else
 * changed. Token streams are compared with each blank as a wildcard for one or more tokens with
 * balanced brackets that stays on its logical line. The fills are found lazily (shortest first,
 * which is what a reader expects and gives a precise place when the files differ), with a full
 * backtracking match as a fallback for the rare fill that contains the token after its blank.
 */
export function matchStarterAndSolution(starter: PythonFile, solution: PythonFile): FillResult {
  const s = starter.tokens;
  const t = solution.tokens;
  const fillEnds = (j: number): number[] => {
    // Every k > j such that t[j..k) is a possible fill.
    const ends: number[] = [];
    let depth = 0;
    for (let k = j; k < t.length; k++) {
      const tok = t[k]!;
      if (tok.newline && depth === 0) break;
      if (CLOSERS.has(tok.text)) {
        if (depth === 0) break;
        depth--;
      } else if (OPENERS.has(tok.text)) depth++;
      if (depth === 0) ends.push(k + 1);
    }
    return ends;
  };

  // Lazy pass: remembers where it failed.
  const fills: string[] = [];
  const fillOffsets: number[] = [];
  let i = 0;
  let j = 0;
  let failure: FillResult | undefined;
  while (i < s.length) {
    const tok = s[i]!;
    if (tok.blank) {
      const next = s[i + 1];
      const ends = fillEnds(j);
      const end =
        next === undefined
          ? ends.find((k) => k === t.length)
          : ends.find((k) => t[k] !== undefined && t[k]!.text === next.text && !next.blank);
      if (end === undefined) {
        failure = {
          ok: false,
          starterOffset: tok.from,
          solutionOffset: t[j]?.from ?? solution.source.length,
          message:
            ends.length === 0
              ? "the solution leaves this blank empty"
              : `the code after this blank differs between the starter and the solution`,
        };
        break;
      }
      fills.push(solution.source.slice(t[j]!.from, t[end - 1]!.to));
      fillOffsets.push(t[j]!.from);
      j = end;
      i++;
      continue;
    }
    const other = t[j];
    if (other === undefined || other.text !== tok.text) {
      failure = {
        ok: false,
        starterOffset: tok.from,
        solutionOffset: other?.from ?? solution.source.length,
        message: describeDifference(tok, other),
      };
      break;
    }
    i++;
    j++;
  }
  if (!failure && j < t.length) {
    const extra = t[j]!.newline ? (t[j + 1] ?? t[j]!) : t[j]!;
    failure = {
      ok: false,
      starterOffset: starter.source.length,
      solutionOffset: extra.from,
      message: `the solution has code the starter does not: \`${shorten(extra.text)}\``,
    };
  }
  if (!failure) return { ok: true, fills, fillOffsets };

  // Backtracking pass: exact answer to "is there any assignment of fills?".
  const memo = new Map<number, number[][] | null>();
  /** The token ranges [from, to) of the fills of blanks a.. when s[a..] matches t[b..]. */
  const solve = (a: number, b: number): number[][] | null => {
    const key = a * (t.length + 1) + b;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: number[][] | null = null;
    if (a === s.length) result = b === t.length ? [] : null;
    else if (s[a]!.blank) {
      for (const end of fillEnds(b)) {
        const rest = solve(a + 1, end);
        if (rest) {
          result = [[b, end], ...rest];
          break;
        }
      }
    } else if (b < t.length && t[b]!.text === s[a]!.text) result = solve(a + 1, b + 1);
    memo.set(key, result);
    return result;
  };
  const any = s.length * t.length < 4_000_000 ? solve(0, 0) : null;
  if (!any) return failure;
  return {
    ok: true,
    fills: any.map(([from, to]) => solution.source.slice(t[from!]!.from, t[to! - 1]!.to)),
    fillOffsets: any.map(([from]) => t[from!]!.from),
  };
}

function describeDifference(expected: PythonToken, actual: PythonToken | undefined): string {
  if (actual === undefined) return `the solution ends where the starter continues with \`${shorten(expected.text)}\``;
  if (expected.newline && actual.newline) return "the indentation differs between the starter and the solution";
  if (expected.newline) return `the starter starts a new line here but the solution continues with \`${shorten(actual.text)}\``;
  if (actual.newline) return `the starter continues with \`${shorten(expected.text)}\` but the solution starts a new line`;
  return `the starter has \`${shorten(expected.text)}\` where the solution has \`${shorten(actual.text)}\``;
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}

/**
 * A Python expression reduced to a comparable form: its tokens joined by single spaces, with
 * simple string literals rewritten with double quotes, so `'relu'` and `"relu"` compare equal
 * and `(3,3)` equals `(3, 3)`.
 */
export function normalizeExpression(expression: string): string {
  return readPython(expression)
    .tokens.filter((tok) => !tok.newline)
    .map((tok) => {
      const m = /^(['"])([^'"\\]*)\1$/.exec(tok.text);
      return m ? `"${m[2]}"` : tok.text;
    })
    .join(" ");
}

/** Whether `text` is one Python expression (what a check block's `expect` must be). */
export function isPythonExpression(text: string): boolean {
  if (text.trim() === "" || text.includes("\n")) return false;
  const parsed = parsePython(text);
  const top = parsed.tree.topNode.firstChild;
  return syntaxErrors(parsed).length === 0 && top !== null && top.name === "ExpressionStatement" && top.nextSibling === null;
}
