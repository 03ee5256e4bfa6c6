/**
 * The checker reads Python through `src/python`, the project's one Python reader; this module
 * keeps the names the checker's modules import.
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
  positionAt,
  rangeOf,
  syntaxErrors,
  tokensOf,
  type ParsedSource,
} from "../python";
export { pythonSyntaxError, type PythonSyntaxError } from "../python";
