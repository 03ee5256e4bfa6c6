/**
 * The one Python reader, on @lezer/python, shared by the lesson format and the checker: parse
 * (incremental, optionally within a time budget), positions, node text, blanks, tokens, and
 * the syntax error CPython would report. No 'vscode', no Keras, no lessons here.
 */
export {
  BLANK,
  childrenOf,
  findBlanks,
  isBlank,
  isTrailingDotNumber,
  nodeRange,
  nodeText,
  parsePython,
  parsePythonWithin,
  positionAt,
  rangeOf,
  syntaxErrors,
  tokensOf,
  type ParsedSource,
} from "./tree";
export { pythonSyntaxError, type PythonErrorKind, type PythonSyntaxError } from "./syntaxError";
export { CLOSERS, lineTokens, OPENERS, textPosition, type LineTokens, type PythonToken, type TextPosition } from "./lines";
export { blankPositions, isPythonExpression, matchStarterAndSolution, normalizeExpression, readPython, textPositionIn, type FillResult, type PythonFile } from "./files";
