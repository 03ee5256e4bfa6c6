/**
 * What an analysis of a learner's file gives: its diagnostics, layer calls, models, training
 * runs and grid searches, and the trace that tells two files' effects apart. Types only: the
 * evaluator (evaluate.ts) fills them, the blank checker, the editor and the CLI read them.
 */
import type { CompileSpec, FitSpec, LayerClassName, LayerConfig, ModelSpec, SourceRange } from "../protocol/modelSpec";
import type { TrainingMachine } from "./memory";
import type { BoundArgumentInfo } from "./keras";
import type { Shape } from "./values";

export type Severity = "error" | "warning" | "info";

/** Stable identifiers of diagnostics, for tests and for the editor's code actions. */
export type DiagnosticCode =
  | "syntax"
  | "outside-subset"
  | "undefined-name"
  | "layer-argument"
  | "shape"
  | "model"
  | "compile"
  | "fit"
  | "budget"
  | "internal";

export interface Diagnostic {
  range: SourceRange;
  severity: Severity;
  code: DiagnosticCode;
  message: string;
}

/** What the editor shows after a layer call: `→ (None, 30, 30, 16) · 448 params`. */
export interface LayerCallInfo {
  /** The whole call `keras.layers.Conv2D(...)(x)`. */
  range: SourceRange;
  /** Offsets of the same call in the source text. */
  from: number;
  to: number;
  className: LayerClassName;
  layer: LayerConfig;
  outputShape: Shape;
  params: number;
  /** Fingerprint of the tensor the layer is applied to (equal fingerprints: the same tensor). */
  input: string;
  /** True when a model was built with this call's output as its output. */
  isModelOutput: boolean;
  /**
   * Arguments of this layer whose value is not known yet (a blank still `_____`, or a parameter of
   * a function nobody calls). While any remain here or in a layer it depends on (`upstreamKnown`
   * false), `outputShape` and `params` rest on placeholders and must not be shown as facts.
   */
  unknownArguments: string[];
  upstreamKnown: boolean;
  /**
   * Where each parameter of the layer's constructor call sits: `param` is the Keras parameter
   * (`kernel_size`) whatever form the learner used (positional or keyword, any order), with the
   * offsets of the argument's value. Parameters left to their default are absent.
   */
  arguments: BoundArgumentInfo[];
  /**
   * Set when this layer has no activation of its own and its output goes straight into a
   * `keras.layers.Activation(...)`: the activation the pair computes, as `activation=` would.
   */
  activationAfter?: string;
}

/** A call of the Keras API bound onto its Keras 3 signature: which argument holds which parameter. */
export interface BoundCallInfo {
  /** `keras.layers.Conv2D`, `keras.Input`, `keras.Model`, `keras.optimizers.Adam`, `model.compile`, `model.fit`. */
  callee: string;
  range: SourceRange;
  from: number;
  to: number;
  arguments: BoundArgumentInfo[];
}

export interface ModelInfo {
  spec: ModelSpec;
  totalParams: number;
  /** Output shape of each layer of `spec.layers`, batch dimension first. */
  outputShapes: Shape[];
  /** Parameters of each layer of `spec.layers`. */
  params: number[];
  /** False when a layer argument was unknown (the function was analysed without being called). */
  complete: boolean;
  compile?: CompileSpec;
  /** The learner's function whose body built this model, if any. */
  builtBy?: string;
  /** The last module-level variable the model was assigned to, if any. */
  variable?: string;
  range?: SourceRange;
}

/** One `model.fit(...)` call: what `dl-lessons train` runs. */
export interface TrainingRun {
  model: ModelSpec;
  compile: CompileSpec;
  fit: FitSpec;
  range: SourceRange;
}

/** `GridSearchCV(...).fit(...)`: one training run per combination of the parameter grid. */
export interface GridSearchInfo {
  cv: number;
  runs: { params: Record<string, string | number | boolean | null>; model: ModelSpec; compile: CompileSpec; fit: FitSpec }[];
  range: SourceRange;
}

export interface Analysis {
  diagnostics: Diagnostic[];
  layerCalls: LayerCallInfo[];
  models: ModelInfo[];
  runs: TrainingRun[];
  grids: GridSearchInfo[];
  /** Every Keras call bound onto its signature, sorted by position (see BoundCallInfo); absent when nothing was analysed. */
  calls?: BoundCallInfo[];
  /**
   * Fingerprints of everything the file does, in order (layers applied, models built, compile,
   * fit, values returned and the final variables). Two files with equal traces have the same
   * effect; the blank checker uses this to accept answers that differ in text only.
   */
  trace: string[];
  /** True when the budget ran out and the analysis is partial. */
  truncated: boolean;
}

export interface AnalyzeOptions {
  /** Image shape (no batch dimension) to assume when `keras.Input`'s shape cannot be known. */
  inputShape?: number[];
  /** Evaluation steps allowed (default 200,000). */
  maxSteps?: number;
  /** Wall-clock milliseconds allowed (default 200). */
  maxMillis?: number;
  /** Where Train would run, for the warning on a model too big for memory (default: WebAssembly on this machine). */
  trainingMachine?: TrainingMachine;
}
