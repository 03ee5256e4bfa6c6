/**
 * What the natives of the checker (scikit-learn's stand-ins in sklearn.ts, beside the Keras ones
 * in the evaluator) may ask of the interpreter that calls them: report a diagnostic, record an
 * effect in the trace, call one of the learner's functions. Types only, plus the empty argument list.
 */
import type { SyntaxNode } from "@lezer/common";
import type { SourceRange } from "../protocol/modelSpec";
import type { ParsedSource } from "../python";
import type { BoundCallInfo, DiagnosticCode, GridSearchInfo, LayerCallInfo, ModelInfo, Severity, TrainingRun } from "./analysis";
import type { CallArguments } from "./keras";
import type { FunctionValue, ModelValue, Value } from "./values";

/** A call's arguments as values, with the nodes they were written at (for diagnostics at the argument). */
export interface ArgumentNodes extends CallArguments {
  positionalNodes: SyntaxNode[];
  keywordNodes: Map<string, SyntaxNode>;
  /** Nodes of `repeatedKeywords`, in the same order. */
  repeatedKeywordNodes?: SyntaxNode[];
  /** `*args` or `**kwargs`: the call's arguments cannot all be known. */
  splat: boolean;
}

export function noArguments(): ArgumentNodes {
  return { positional: [], keyword: new Map(), positionalNodes: [], keywordNodes: new Map(), splat: false };
}

export interface Interpreter {
  readonly source: ParsedSource;
  /** Grid searches expanded so far, in the order they ran. */
  readonly grids: GridSearchInfo[];
  /** Dicts given to GridSearchCV as param_grid (their effect is the grid's record). */
  readonly paramGrids: Set<Value>;
  report(node: SyntaxNode | SourceRange, severity: Severity, code: DiagnosticCode, message: string): void;
  /** The 1-based line a node starts on, for messages. */
  line(node: SyntaxNode): number;
  /** Adds an entry to the trace: what the file does, in order. */
  record(entry: string): void;
  callFunction(fn: FunctionValue, args: ArgumentNodes, node: SyntaxNode): Value;
  /** A node's children without comments, the same objects on every walk. */
  children(node: SyntaxNode): readonly SyntaxNode[];
  /** What the file does so far, for the Keras natives to add to. */
  readonly layerCalls: Map<number, LayerCallInfo>;
  readonly models: { value: ModelValue; info: ModelInfo }[];
  readonly runs: TrainingRun[];
  readonly boundCalls: Map<number, BoundCallInfo>;
  /** The graph node id → the offset of the layer call that made it. */
  readonly callOfNode: Map<number, number>;
  /** The learner's functions being called, innermost last. */
  readonly functionStack: string[];
  /** The image shape `keras.Input` takes when its own cannot be known. */
  readonly inputShape: number[];
  nextNodeId: number;
}
