/**
 * The syntax error CPython would report for a file, at the place CPython reports it, with its
 * message and the same message made plain for a learner.
 *
 * CPython reports one error, not one per recovery point of a parser: its tokenizer stops at
 * the first bad token, and its parser at the first statement it cannot read. @lezer/python's
 * error recovery is good for reading the rest of a broken file, but its error nodes sit where
 * recovery happened (a missing ')' shows up two lines below the '(' it belongs to), and it
 * accepts some code CPython rejects (an indented line under a line that opens no block).
 * So the error here is decided the way CPython 3.11/3.12 decides it, from a tokenizer written
 * after CPython's (Parser/tokenizer.c) and the parser's first error node:
 *
 * 1. A tokenizer error before the parser's first error stops the parse there and is the error
 *    (unterminated string, unmatched or mismatched bracket, invalid character, inconsistent
 *    dedent, tabs mixed with spaces).
 * 2. Otherwise the parser's error stands, unless, as `_PyPegen_tokenize_full_source_to_check_for_errors`
 *    (Parser/pegen_errors.c) does, tokenizing the rest of the file finds a string or bracket
 *    error that raises at once (that one wins), or ends inside a bracket opened on a line
 *    before the error's line: then the error is "'(' was never closed" at that bracket.
 * 3. "unexpected indent" (an INDENT token the grammar does not expect) is reported before that
 *    scan, as `_PyPegen_set_syntax_error` does.
 *
 * The messages and positions are checked against CPython 3.11 by a table-driven test.
 */
import type { TreeCursor } from "@lezer/common";
import { syntaxErrors, type ParsedSource } from "./tree";

export type PythonErrorKind = "SyntaxError" | "IndentationError" | "TabError";

export interface PythonSyntaxError {
  kind: PythonErrorKind;
  /** CPython's own message, word for word. */
  pythonMessage: string;
  /** What a learner reads: the line, what is wrong in plain words, what to try, then Python's words. */
  message: string;
  /** Where CPython puts the error: its `lineno` and `offset` (both 1-based). */
  line: number;
  column: number;
  /** Offsets of the code to underline: the code the error is about, never empty where the line has code. */
  from: number;
  to: number;
}

const OPEN_TO_CLOSE: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const CLOSE_TO_OPEN: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/** Keywords that start a compound statement, and how CPython names the statement. */
const BLOCK_STATEMENTS: Record<string, string> = {
  if: "'if' statement",
  elif: "'elif' statement",
  else: "'else' statement",
  for: "'for' statement",
  while: "'while' statement",
  with: "'with' statement",
  try: "'try' statement",
  except: "'except' statement",
  finally: "'finally' statement",
  def: "function definition",
  class: "class definition",
};

const KEYWORDS = new Set([
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
  "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
  "while", "with", "yield",
]);

type TokenKind = "name" | "number" | "string" | "op" | "newline" | "indent" | "dedent" | "end";

interface Token {
  kind: TokenKind;
  from: number;
  to: number;
  text: string;
  /** Bracket depth before this token. */
  depth: number;
}

interface OpenBracket {
  char: string;
  offset: number;
  line: number;
}

interface TokenizerError {
  kind: PythonErrorKind;
  pythonMessage: string;
  plain: string;
  from: number;
  to: number;
  /** CPython's position when it is not `from`. */
  at?: number;
  /** CPython raises these at once (the full-source scan after a parser error reports them). */
  immediate: boolean;
}

interface Tokens {
  tokens: Token[];
  /** The first error of the tokenizer; tokens stop there. */
  error?: TokenizerError;
  /** Brackets still open where the tokens end. */
  open: OpenBracket[];
  /** The tokenizer's state at each start of a logical line outside brackets, in order. */
  lineStates: LineState[];
}

/**
 * All the tokenizer knows at the start of a logical line outside brackets (`at`): the tokens
 * before it and the indentation stack. What it read before depends only on the text before `at`,
 * so another text with the same text up to `at` can be tokenized on from here.
 */
interface LineState {
  at: number;
  tokenCount: number;
  indents: readonly number[];
  altIndents: readonly number[];
}

// Operators of two or three characters are read before their first character alone (`**=`, not `*`).
const LONG_OPERATORS: ReadonlySet<string> = new Set(["**=", "//=", ">>=", "<<=", "...", "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=", ":=", "<<", "<=", "==", ">=", ">>", "@=", "^=", "|="]);
const SHORT_OPERATORS: ReadonlySet<string> = new Set([..."+-*/%@&|^~<>=.,:;!"]);
const STRING_START = /(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])?(['"])/y;
const NAME = /[\p{ID_Start}_][\p{ID_Continue}]*/uy;
const NUMBER = /(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?)/y;

/**
 * The tokens of a file, read the way CPython's tokenizer reads them (Parser/tokenizer.c). With
 * `resume`, the tokenization of a text equal to this one up to `resume.states[resume.index].at`,
 * the tokens before that point are taken from it and only the rest of the text is read.
 */
function tokenize(text: string, lineOf: (offset: number) => number, resume?: { from: Tokens; index: number }): Tokens {
  const start = resume?.from.lineStates[resume.index];
  const tokens: Token[] = start && resume ? resume.from.tokens.slice(0, start.tokenCount) : [];
  const lineStates: LineState[] = start && resume ? resume.from.lineStates.slice(0, resume.index) : [];
  const open: OpenBracket[] = [];
  // Indentation columns with tabs to 8 and, to detect mixed tabs and spaces, tabs to 1.
  const indents = start ? [...start.indents] : [0];
  const altIndents = start ? [...start.altIndents] : [0];
  // A copy of the two stacks for the line states, made again only after they change.
  let stacks: { indents: readonly number[]; altIndents: readonly number[] } | undefined;
  let at = start?.at ?? 0;
  let lineStart = true;
  let continued = false;
  const fail = (error: TokenizerError): Tokens => ({ tokens, error, open, lineStates });
  const push = (kind: TokenKind, from: number, to: number): void => {
    tokens.push({ kind, from, to, text: text.slice(from, to), depth: open.length });
  };
  while (at < text.length) {
    // Indentation counts only at the start of a logical line (not inside brackets, not after '\\').
    const startsLogicalLine = lineStart && open.length === 0 && !continued;
    lineStart = false;
    if (startsLogicalLine) {
      stacks ??= { indents: [...indents], altIndents: [...altIndents] };
      lineStates.push({ at, tokenCount: tokens.length, indents: stacks.indents, altIndents: stacks.altIndents });
      let column = 0;
      let altColumn = 0;
      let scan = at;
      for (; scan < text.length; scan++) {
        const char = text[scan];
        if (char === " ") {
          column++;
          altColumn++;
        } else if (char === "\t") {
          column = (Math.floor(column / 8) + 1) * 8;
          altColumn++;
        } else if (char === "\f") {
          column = 0;
          altColumn = 0;
        } else break;
      }
      const next = text[scan];
      // Blank lines and lines with only a comment do not change the indentation.
      if (next === undefined || next === "\n" || next === "\r" || next === "#") {
        at = scan;
      } else {
        const top = indents[indents.length - 1] as number;
        const altTop = altIndents[altIndents.length - 1] as number;
        const lineEnd = endOfLine(text, scan);
        const tabError = (): Tokens =>
          fail({
            kind: "TabError",
            pythonMessage: "inconsistent use of tabs and spaces in indentation",
            plain: `Line ${lineOf(scan) + 1} is indented with tabs where the lines around it use spaces (or the other way round); indent it with spaces only.`,
            from: scan,
            to: lineEnd,
            at,
            immediate: false,
          });
        if (column > top) {
          if (altColumn <= altTop) return tabError();
          indents.push(column);
          altIndents.push(altColumn);
          stacks = undefined;
          push("indent", scan, scan);
        } else if (column < top) {
          while (indents.length > 1 && column < (indents[indents.length - 1] as number)) {
            indents.pop();
            altIndents.pop();
            stacks = undefined;
            push("dedent", scan, scan);
          }
          if (column !== indents[indents.length - 1]) {
            return fail({
              kind: "IndentationError",
              pythonMessage: "unindent does not match any outer indentation level",
              plain: `Line ${lineOf(scan) + 1} is indented less than the line before it, but not as far back as any line above it; indent it exactly like the block it belongs to.`,
              from: scan,
              to: lineEnd,
              at: lineEnd,
              immediate: false,
            });
          }
          if (altColumn !== altIndents[altIndents.length - 1]) return tabError();
        } else if (altColumn !== altTop) return tabError();
        at = scan;
      }
    }
    continued = false;
    const char = text[at] as string;
    if (char === " " || char === "\t" || char === "\f" || char === "\r") {
      at++;
      continue;
    }
    if (char === "#") {
      at = endOfLine(text, at);
      continue;
    }
    if (char === "\n") {
      // A newline ends a logical line only outside brackets and after some code.
      const last = tokens[tokens.length - 1];
      if (open.length === 0 && last && last.kind !== "newline" && last.kind !== "indent" && last.kind !== "dedent") push("newline", at, at);
      at++;
      lineStart = true;
      continue;
    }
    if (char === "\\" && (text[at + 1] === "\n" || (text[at + 1] === "\r" && text[at + 2] === "\n"))) {
      at += text[at + 1] === "\n" ? 2 : 3;
      continued = true;
      continue;
    }
    STRING_START.lastIndex = at;
    const stringStart = STRING_START.exec(text);
    if (stringStart) {
      const quote = stringStart[1] as string;
      const bodyStart = at + stringStart[0].length;
      const triple = text.startsWith(quote.repeat(3), bodyStart - 1);
      const end = stringEnd(text, triple ? bodyStart + 2 : bodyStart, quote, triple);
      if (end < 0) {
        const detectedAt = triple ? lineOf(text.endsWith("\n") ? text.length - 1 : text.length) : lineOf(at);
        const line = lineOf(at) + 1;
        return fail({
          kind: "SyntaxError",
          pythonMessage: `unterminated ${triple ? "triple-quoted " : ""}string literal (detected at line ${detectedAt + 1})`,
          plain: triple
            ? `Line ${line}: the string opened here with ${quote.repeat(3)} is never closed, so the rest of the file is read as part of it; close it with ${quote.repeat(3)}.`
            : `Line ${line}: this string has no closing ${quote} on its line; add the ${quote} where the text ends.`,
          from: at,
          to: triple ? endOfLine(text, at) : endOfLine(text, at),
          immediate: true,
        });
      }
      push("string", at, end);
      at = end;
      continue;
    }
    NAME.lastIndex = at;
    const name = NAME.exec(text);
    if (name) {
      push("name", at, at + name[0].length);
      at += name[0].length;
      continue;
    }
    NUMBER.lastIndex = at;
    const number = /[0-9.]/.test(char) ? NUMBER.exec(text) : null;
    if (number && number[0] !== "." && number[0].length > 0) {
      const end = at + number[0].length;
      // A name run into a number (`3kernel_size`, `255.e`) is a tokenizer error; a keyword
      // right after a number (`1if x else 2`) is not (Parser/tokenizer.c, verify_end_of_number).
      NAME.lastIndex = end;
      const glued = NAME.exec(text);
      if (glued && !/^(?:and|else|for|if|in|is|not|or)/.test(glued[0])) {
        const base = /^0[xX]/.test(number[0]) ? "hexadecimal" : /^0[oO]/.test(number[0]) ? "octal" : /^0[bB]/.test(number[0]) ? "binary" : "decimal";
        return fail({
          kind: "SyntaxError",
          pythonMessage: `invalid ${base} literal`,
          plain: `Line ${lineOf(at) + 1}: \`${number[0]}\` runs straight into \`${shorten(glued[0])}\`; a number ends where a name starts, so put a space, a comma or an operator between them.`,
          from: at,
          to: end + glued[0].length,
          at: end - 1,
          immediate: true,
        });
      }
      push("number", at, end);
      at = end;
      continue;
    }
    if (char in OPEN_TO_CLOSE) {
      push("op", at, at + 1);
      open.push({ char, offset: at, line: lineOf(at) });
      at++;
      continue;
    }
    if (char in CLOSE_TO_OPEN) {
      const opener = open[open.length - 1];
      if (!opener) {
        return fail({
          kind: "SyntaxError",
          pythonMessage: `unmatched '${char}'`,
          plain: `Line ${lineOf(at) + 1}: this '${char}' closes nothing, because no '${CLOSE_TO_OPEN[char]}' is open before it; remove it, or add the '${CLOSE_TO_OPEN[char]}' it belongs to.`,
          from: at,
          to: at + 1,
          immediate: true,
        });
      }
      if (OPEN_TO_CLOSE[opener.char] !== char) {
        const sameLine = opener.line === lineOf(at);
        return fail({
          kind: "SyntaxError",
          pythonMessage: `closing parenthesis '${char}' does not match opening parenthesis '${opener.char}'${sameLine ? "" : ` on line ${opener.line + 1}`}`,
          plain: `Line ${lineOf(at) + 1}: this '${char}' does not match the '${opener.char}' opened ${sameLine ? "before it on this line" : `on line ${opener.line + 1}`}; close that '${opener.char}' with '${OPEN_TO_CLOSE[opener.char]}' first.`,
          from: at,
          to: at + 1,
          immediate: true,
        });
      }
      open.pop();
      push("op", at, at + 1);
      at++;
      continue;
    }
    const operator = LONG_OPERATORS.has(text.slice(at, at + 3)) ? 3 : LONG_OPERATORS.has(text.slice(at, at + 2)) ? 2 : SHORT_OPERATORS.has(char) ? 1 : 0;
    if (operator > 0) {
      push("op", at, at + operator);
      at += operator;
      continue;
    }
    const code = text.codePointAt(at) as number;
    if (code > 127) {
      const shown = String.fromCodePoint(code);
      const hex = code.toString(16).toUpperCase().padStart(4, "0");
      const quoteLike = /[\u2018\u2019\u201C\u201D\u00AB\u00BB\u2032\u2033]/u.test(shown);
      return fail({
        kind: "SyntaxError",
        pythonMessage: `invalid character '${shown}' (U+${hex})`,
        plain: `Line ${lineOf(at) + 1}: the character ${shown} is not allowed in Python code${quoteLike ? "; a curly quote usually comes from copying text, so type a plain ' or \" instead" : "; type it with the keyboard's plain characters instead"}.`,
        from: at,
        to: at + shown.length,
        immediate: true,
      });
    }
    // Other ASCII characters ($, ?, `) are tokens the parser rejects, as in CPython.
    push("op", at, at + 1);
    at++;
  }
  if (continued) {
    return fail({
      kind: "SyntaxError",
      pythonMessage: "unexpected EOF while parsing",
      plain: `Line ${lineOf(Math.max(0, text.lastIndexOf("\\"))) + 1}: the file ends right after a '\\' that continues the line; remove the '\\' or write the rest of the statement.`,
      from: Math.max(0, text.lastIndexOf("\\")),
      to: text.length,
      at: text.lastIndexOf("\\") + 1,
      immediate: false,
    });
  }
  const last = tokens[tokens.length - 1];
  if (open.length === 0 && last && last.kind !== "newline" && last.kind !== "indent" && last.kind !== "dedent") push("newline", text.length, text.length);
  push("end", text.length, text.length);
  return { tokens, open, lineStates };
}

/** The last few texts tokenized: a check tokenizes the learner's file and copies of it that differ in one blank. */
const recentTokens: { text: string; tokens: Tokens }[] = [];
const RECENT_TOKENS = 4;

/**
 * `tokenize`, reading again only from the last logical line that the text shares with one of the
 * texts tokenized last: a keystroke, or an answer put into a blank, changes the file from one
 * place on. The tokens are those of a tokenization from the start (the state at a line start is
 * all the tokenizer carries over).
 */
function tokenizeReusing(text: string, lineOf: (offset: number) => number): Tokens {
  let base: Tokens | undefined;
  let shared = 0;
  for (const recent of recentTokens) {
    if (recent.text === text) return recent.tokens;
    const limit = Math.min(recent.text.length, text.length);
    let prefix = 0;
    while (prefix < limit && recent.text.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
    if (prefix > shared) {
      shared = prefix;
      base = recent.tokens;
    }
  }
  let index = -1;
  if (base) {
    const states = base.lineStates;
    // The last line state at or before the first changed character.
    let low = 0;
    let high = states.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if ((states[middle] as LineState).at <= shared) {
        index = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
  }
  const tokens = base && index > 0 ? tokenize(text, lineOf, { from: base, index }) : tokenize(text, lineOf);
  recentTokens.unshift({ text, tokens });
  if (recentTokens.length > RECENT_TOKENS) recentTokens.pop();
  return tokens;
}

/** The offset just after the closing quote of a string whose body starts at `from`, or -1. */
function stringEnd(text: string, from: number, quote: string, triple: boolean): number {
  for (let at = from; at < text.length; at++) {
    const char = text[at];
    if (char === "\\") {
      at++;
      continue;
    }
    if (!triple && char === "\n") return -1;
    if (char === quote && (!triple || (text[at + 1] === quote && text[at + 2] === quote))) return at + (triple ? 3 : 1);
  }
  return -1;
}

function endOfLine(text: string, from: number): number {
  const end = text.indexOf("\n", from);
  return end < 0 ? text.length : end;
}

interface ParserError {
  kind: PythonErrorKind;
  pythonMessage: string;
  plain: string;
  from: number;
  to: number;
  /** CPython's position when it is not `from`. */
  at?: number;
  /** The line the parser had read up to: decides whether an unclosed bracket is to blame. */
  line: number;
  /** The parser ran out of file: an open bracket is then always to blame. */
  atEnd?: boolean;
  /** Brackets open around the error's token, where known. */
  depth?: number;
}

/** Errors of the block structure, which @lezer/python's recovery lets through or places late. */
function blockError(tokens: Token[], complete: boolean, lineOf: (offset: number) => number): ParserError | undefined {
  let lineFirst = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if (token.kind === "indent") {
      const before = tokens[index - 2];
      const opensBlock = tokens[index - 1]?.kind === "newline" && before?.kind === "op" && before.text === ":";
      if (!opensBlock) {
        const line = lineOf(token.from);
        return {
          kind: "IndentationError",
          pythonMessage: "unexpected indent",
          plain: `Line ${line + 1} is indented further than the line before it, but nothing there opens a block; line it up with the line above.`,
          from: token.from,
          to: tokens[index + 1] ? lineEnd(tokens, index + 1) : token.to,
          // CPython points at the last character of the indentation.
          at: Math.max(0, token.from - 1),
          line,
        };
      }
      lineFirst = index + 1;
      continue;
    }
    if (token.kind === "dedent") {
      lineFirst = index + 1;
      continue;
    }
    if (token.kind !== "newline") continue;
    const first = tokens[lineFirst];
    const last = tokens[index - 1];
    const startsAt = lineFirst;
    lineFirst = index + 1;
    if (!first || !last || first.kind !== "name") continue;
    const keyword = first.text === "async" && tokens[startsAt + 1]?.kind === "name" ? (tokens[startsAt + 1] as Token).text : first.text;
    const statement = BLOCK_STATEMENTS[keyword];
    if (!statement || (first.text === "async" && !["def", "for", "with"].includes(keyword))) continue;
    const headerLine = lineOf(first.from);
    let colonAtTop = false;
    for (let scan = startsAt; scan < index; scan++) {
      const part = tokens[scan] as Token;
      if (part.depth === 0 && part.kind === "op" && part.text === ":") colonAtTop = true;
    }
    if (!colonAtTop) {
      return {
        kind: "SyntaxError",
        pythonMessage: "expected ':'",
        plain: `Line ${headerLine + 1}: the ${keywordName(keyword)} line needs a ':' at its end, before the indented block under it.`,
        from: last.from,
        to: last.to,
        at: last.to,
        line: headerLine,
      };
    }
    if (last.kind === "op" && last.text === ":" && tokens[index + 1]?.kind !== "indent") {
      const next = tokens[index + 1];
      // Tokens cut short by a tokenizer error say nothing about what follows.
      if (!next && !complete) continue;
      const atEnd = !next || next.kind === "end";
      const where = atEnd ? last : (next as Token);
      const whereIndex = atEnd ? index - 1 : index + 1;
      return {
        kind: "IndentationError",
        pythonMessage: `expected an indented block after ${statement} on line ${headerLine + 1}`,
        plain: atEnd
          ? `Line ${headerLine + 1}: the ${keywordName(keyword)} line ends with ':' but the file ends before its block; write the indented lines that belong under it.`
          : `Line ${lineOf(where.from) + 1} should be indented: the ${keywordName(keyword)} line ${headerLine + 1} ends with ':', so the lines under it that belong to it are indented. Indent this one (4 spaces) to put it inside.`,
        from: where.from,
        to: atEnd ? where.to : lineEnd(tokens, whereIndex),
        at: atEnd ? where.to : where.from,
        line: lineOf(where.from),
      };
    }
  }
  return undefined;
}

function keywordName(keyword: string): string {
  return `'${keyword}'`;
}

/** The end of the code of the logical line that token `index` is on. */
function lineEnd(tokens: Token[], index: number): number {
  let end = (tokens[index] as Token).to;
  for (let scan = index; scan < tokens.length; scan++) {
    const token = tokens[scan] as Token;
    if (token.kind === "newline" || token.kind === "end") break;
    end = token.to;
  }
  return end;
}

function atomEnds(token: Token | undefined): boolean {
  if (!token) return false;
  if (token.kind === "number" || token.kind === "string") return true;
  if (token.kind === "name") return !KEYWORDS.has(token.text) || ["True", "False", "None"].includes(token.text);
  return token.kind === "op" && (token.text === ")" || token.text === "]" || token.text === "}");
}

function atomStarts(token: Token | undefined): boolean {
  if (!token) return false;
  if (token.kind === "number" || token.kind === "string") return true;
  if (token.kind === "name") return !KEYWORDS.has(token.text) || ["True", "False", "None", "lambda", "not", "await"].includes(token.text);
  return token.kind === "op" && (token.text === "(" || token.text === "[" || token.text === "{");
}

/**
 * Rules of CPython's grammar that @lezer/python does not enforce (the `invalid_*` rules of
 * Grammar/python.gram): a positional argument after a keyword argument, Python 2's print.
 */
function ruleError(source: ParsedSource, lineOf: (offset: number) => number): ParserError | undefined {
  // One cursor walks the whole tree and the children of each argument list: no node objects.
  const cursor = source.tree.cursor();
  do {
    if (cursor.name === "PrintStatement") {
      const line = lineOf(cursor.from);
      return {
        kind: "SyntaxError",
        pythonMessage: "Missing parentheses in call to 'print'. Did you mean print(...)?",
        plain: `Line ${line + 1}: print is a function in Python 3, so what it prints goes in brackets: print(...).`,
        from: cursor.from,
        to: cursor.to,
        line,
      };
    }
    if (cursor.name === "ArgList") {
      const found = positionalAfterKeyword(cursor, lineOf);
      if (found) return found;
    }
  } while (cursor.next());
  return undefined;
}

/**
 * A positional argument after a keyword argument in the argument list at `cursor`, which is left
 * where it was. An argument list the parser had to recover (its ')' missing) is not the
 * learner's list: nothing is said about it.
 */
function positionalAfterKeyword(cursor: TreeCursor, lineOf: (offset: number) => number): ParserError | undefined {
  // Arguments are the runs of children between commas; `name = value` is a keyword argument.
  // Of each run, only its first two children's names and its ends matter.
  let keyword: "keyword" | "unpacking" | undefined;
  let count = 0;
  let firstName = "";
  let firstFrom = 0;
  let secondName = "";
  let lastTo = 0;
  let found: ParserError | undefined;
  let lastChild = "";
  const finish = (): void => {
    if (count === 0 || found) return;
    if (count > 1 && secondName === "AssignOp") keyword ??= "keyword";
    else if (firstName === "**") keyword = "unpacking";
    else if (firstName !== "*" && keyword) {
      const line = lineOf(firstFrom);
      found = {
        kind: "SyntaxError",
        pythonMessage: keyword === "keyword" ? "positional argument follows keyword argument" : "positional argument follows keyword argument unpacking",
        plain: `Line ${line + 1}: this argument has no name but comes after a named one (name=value); Python needs the unnamed arguments first, so move it before them or give it its name.`,
        from: firstFrom,
        to: lastTo,
        at: lastTo,
        line,
      };
    }
    count = 0;
  };
  if (!cursor.firstChild()) return undefined;
  do {
    const name = cursor.name;
    lastChild = name;
    if (name === "(" || name === ")" || name === "Comment") continue;
    if (name === ",") {
      finish();
      continue;
    }
    if (count === 0) {
      firstName = name;
      firstFrom = cursor.from;
    } else if (count === 1) secondName = name;
    lastTo = cursor.to;
    count++;
  } while (cursor.nextSibling());
  cursor.parent();
  finish();
  return lastChild === ")" ? found : undefined;
}

/** The parser's first error, from the first error node of the tree, worded like CPython's. */
function treeError(source: ParsedSource, tokens: Token[], lineOf: (offset: number) => number): ParserError | undefined {
  const node = syntaxErrors(source)[0];
  if (!node) return undefined;
  // The token at the error, or the first one after it (an error node is often empty).
  let index = tokens.findIndex((token) => token.to > node.from || (token.from >= node.from && token.kind !== "dedent" && token.kind !== "indent"));
  if (index < 0) index = tokens.length - 1;
  const token = tokens[index];
  const previous = tokens[index - 1];
  const from = token && token.kind !== "end" && token.kind !== "newline" ? token.from : node.from;
  const to = token && token.to > from ? token.to : Math.max(from, endOfLine(source.text, from));
  const line = lineOf(from);
  if (token && previous && token.depth > 0 && atomEnds(previous) && atomStarts(token)) {
    // CPython's range starts at the value before the gap: `(3, 3)` of `(3, 3) y`, `f(x)` of `f(x) y`.
    let start = index - 1;
    if (previous.kind === "op") {
      // The bracket the value before the gap opens with, and the name it calls or indexes.
      start = Math.max(0, enclosingOpener(tokens, index - 1));
      if (tokens[start - 1]?.kind === "name" && !KEYWORDS.has((tokens[start - 1] as Token).text)) start--;
    }
    const valueFrom = (tokens[start] as Token).from;
    return {
      kind: "SyntaxError",
      pythonMessage: "invalid syntax. Perhaps you forgot a comma?",
      plain: `Line ${lineOf(valueFrom) + 1}: two values stand side by side here with nothing between them; a comma is probably missing before \`${shorten(token.text)}\`.`,
      from: valueFrom,
      to,
      line,
      depth: token.depth,
    };
  }
  // `=` where a value is wanted: in an if/while condition, or in brackets that are not a call's
  // arguments (Grammar/python.gram, invalid_named_expression).
  const inGroup = token?.depth !== undefined && token.depth > 0 && !isCallOpener(tokens, enclosingOpener(tokens, index));
  if (token?.text === "=" && previous?.kind === "name" && ((token.depth === 0 && ["if", "elif", "while"].includes(firstOfLine(tokens, index).text)) || inGroup)) {
    return {
      kind: "SyntaxError",
      pythonMessage: "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
      plain: `Line ${line + 1}: a single '=' stores a value and cannot stand where a value is wanted; to compare two values write '=='.`,
      from: previous.from,
      to,
      line,
      depth: token.depth,
    };
  }
  const what = token && token.kind !== "end" && token.kind !== "newline" ? `at \`${shorten(token.text)}\`` : "at the end of the line";
  return {
    atEnd: !/\S/.test(source.text.slice(node.from, node.from + 200)) && node.from + 200 >= source.text.length,
    ...(token ? { depth: token.depth } : {}),
    kind: "SyntaxError",
    pythonMessage: "invalid syntax",
    plain: `Line ${line + 1} is not valid Python yet: something is missing or extra ${what} (a value, an operator, a comma or a bracket).`,
    from,
    to: Math.max(to, from + 1 <= source.text.length ? from + 1 : from),
    line,
  };
}

/** The index of the bracket that encloses token `index`, or -1. */
function enclosingOpener(tokens: Token[], index: number): number {
  const depth = (tokens[index] as Token).depth;
  for (let scan = index - 1; scan >= 0; scan--) {
    const token = tokens[scan] as Token;
    if (token.depth === depth - 1 && token.kind === "op" && token.text in OPEN_TO_CLOSE) return scan;
  }
  return -1;
}

/** Whether the bracket at `index` opens a call's arguments: `f(`, `g()(`, `a[0](`. */
function isCallOpener(tokens: Token[], index: number): boolean {
  const opener = tokens[index];
  if (!opener || opener.text !== "(") return false;
  const before = tokens[index - 1];
  return before !== undefined && (before.kind === "name" ? !KEYWORDS.has(before.text) : before.text === ")" || before.text === "]");
}

function firstOfLine(tokens: Token[], index: number): Token {
  let start = index;
  while (start > 0 && !["newline", "indent", "dedent"].includes((tokens[start - 1] as Token).kind)) start--;
  return tokens[start] as Token;
}

function shorten(text: string): string {
  return text.length > 30 ? `${text.slice(0, 27)}...` : text;
}

const errorOf = new WeakMap<ParsedSource, { error: PythonSyntaxError | undefined }>();

/** The syntax error CPython would report for this file, or undefined when it parses. */
export function pythonSyntaxError(source: ParsedSource): PythonSyntaxError | undefined {
  let known = errorOf.get(source);
  if (!known) {
    known = { error: findSyntaxError(source) };
    errorOf.set(source, known);
  }
  return known.error;
}

function findSyntaxError(source: ParsedSource): PythonSyntaxError | undefined {
  const lineOf = (offset: number): number => lineIndex(source.lineStarts, offset);
  const { tokens, error: tokenError, open } = tokenizeReusing(source.text, lineOf);
  const fromTree = treeError(source, tokens, lineOf);
  const fromBlocks = blockError(tokens, tokenError === undefined, lineOf);
  const fromRules = ruleError(source, lineOf);
  // The earliest line; on one line the more specific error (blocks, then rules) says more.
  let parserError: ParserError | undefined;
  for (const candidate of [fromBlocks, fromRules, fromTree]) {
    if (candidate && (!parserError || candidate.line < parserError.line)) parserError = candidate;
  }
  const result = (error: { kind: PythonErrorKind; pythonMessage: string; plain: string; from: number; to: number; at?: number }): PythonSyntaxError => {
    const at = error.at ?? error.from;
    const line = lineOf(at);
    return {
      kind: error.kind,
      pythonMessage: error.pythonMessage,
      message: `${error.plain} (Python: ${error.kind === "SyntaxError" ? "" : `${error.kind}: `}${error.pythonMessage})`,
      line: line + 1,
      column: at - (source.lineStarts[line] as number) + 1,
      from: error.from,
      to: Math.max(error.to, error.from),
    };
  };
  // A tokenizer error before the parser's, or at the end of a file the parser read to its end.
  if (tokenError && (!parserError || tokenError.from <= parserError.from || parserError.atEnd === true)) return result(tokenError);
  if (parserError?.pythonMessage === "unexpected indent") return result(parserError);
  if (tokenError?.immediate) return result(tokenError);
  const innermost = open[open.length - 1];
  // CPython's parser raises "never closed" as soon as it reads to the end of the file inside a
  // bracket, which it does when the error is right inside a bracket on the file's last line of
  // code (not in a group closed within it: it reads on for the ')'), and its full-source scan
  // does when the error is on a line below the bracket's.
  const insideInnermost = innermost !== undefined && parserError?.depth === open.length && parserError.from > innermost.offset && lastCodeLine(tokens, lineOf) === innermost.line;
  if (!tokenError && innermost && (!parserError || parserError.atEnd === true || innermost.line < parserError.line || insideInnermost)) {
    const close = OPEN_TO_CLOSE[innermost.char] as string;
    return result({
      kind: "SyntaxError",
      pythonMessage: `'${innermost.char}' was never closed`,
      plain: `Line ${innermost.line + 1}: this '${innermost.char}' is never closed, so Python reads on to the end of the file looking for its '${close}'; add the '${close}' where this call or value ends.`,
      from: innermost.offset,
      // Underlined from the bracket to the end of its line: one character is easy to miss.
      to: Math.max(innermost.offset + 1, endOfLine(source.text, innermost.offset)),
    });
  }
  return parserError ? result(parserError) : undefined;
}

/** The line of the last token of code, or -1. */
function lastCodeLine(tokens: Token[], lineOf: (offset: number) => number): number {
  for (let index = tokens.length - 1; index >= 0; index--) {
    const token = tokens[index] as Token;
    if (token.kind !== "end" && token.kind !== "newline" && token.kind !== "dedent" && token.kind !== "indent") return lineOf(token.from);
  }
  return -1;
}

/** The 0-based line of an offset, by binary search over the starts of the lines. */
function lineIndex(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lineStarts[middle] as number) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
