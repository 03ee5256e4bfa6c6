/**
 * The abstract values the evaluator computes instead of running Python. Anything it cannot or
 * need not know (a plot, a print, an argument of a function nobody called) is `unknown`, which
 * flows through every operation without raising an error.
 */
import type { SyntaxNode } from "@lezer/common";
import type { CompileSpec, FitSpec, LayerConfig, ModelSpec, OptimizerSpec, SourceRange } from "../protocol/modelSpec";
import type { Shape } from "../keras/layers";
import { optimizerNameKey } from "../keras/training";
import type { BoundArgumentInfo } from "./keras";

export type { Shape } from "../keras/layers";
export { describeShape } from "../keras/layers";

/** One layer applied to its inputs: a node of the functional graph Keras builds. */
export interface GraphNode {
  id: number;
  layer: LayerConfig;
  /** The learner's `name=` argument, when given. */
  name?: string;
  inbound: GraphNode[];
  outputShape: Shape;
  params: number;
  /** Arguments whose value the checker could not know (a parameter of a function never called). */
  unknownArguments: string[];
  source?: SourceRange;
  /** A description of the layer and everything it depends on; equal fingerprints mean equal graphs. */
  fingerprint: string;
}

export interface ModelValue {
  kind: "model";
  spec: ModelSpec;
  /** Graph nodes in `spec.layers` order. */
  nodes: GraphNode[];
  totalParams: number;
  /** False when some layer argument was unknown: the spec holds Keras defaults in its place. */
  complete: boolean;
  compile?: CompileSpec;
  /** compile() was called, even if some of its arguments could not be known. */
  compileCalled?: boolean;
  source?: SourceRange;
  /** The function whose call built the model, when it was built inside one. */
  builtBy?: string;
  fingerprint: string;
}

export interface FunctionValue {
  kind: "function";
  name: string;
  node: SyntaxNode;
  params: { name: string; defaultValue?: Value }[];
}

/** `keras.Sequential([...])`: its layers in order, and the functional model they build once used. */
export interface SequentialValue {
  kind: "sequential";
  entries: { value: Value; node: SyntaxNode }[];
  name: string;
  node: SyntaxNode;
  /** The learner's function that created it, when one did. */
  createdBy?: string;
  built?: Value;
}

export interface ClassifierValue {
  kind: "classifier";
  build: FunctionValue | null;
  options: Map<string, Value>;
}

export type Value =
  /** `float`: a Python float (`1.0`, `1e-3`, `a / b`), which Keras tells from an int (`learning_rate=1` raises). */
  | { kind: "number"; value: number; float?: true }
  | { kind: "string"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "tuple"; items: Value[] }
  | { kind: "list"; items: Value[] }
  | { kind: "dict"; entries: Map<string, Value> }
  /** A module or a name inside one, by its canonical dotted path (`keras.layers`, `numpy`). */
  | { kind: "module"; path: string }
  /**
   * Data: images or labels with a known shape, like a NumPy array. `made` records the arithmetic
   * and the splits applied to it (`/255`, `split(0.2,42)`), so that dividing by the wrong number
   * or splitting with another seed is a different effect even though the shape is the same.
   */
  | { kind: "array"; shape: Shape; made?: string }
  | { kind: "tensor"; node: GraphNode }
  | { kind: "layer"; layer: LayerConfig; name?: string; unknownArguments: string[]; source: SourceRange; arguments: BoundArgumentInfo[] }
  | ModelValue
  | SequentialValue
  /** `keras.optimizers.X(...)`; `spec` null when Keras 3 raises or training cannot run it. */
  | { kind: "optimizer"; className: string; spec: OptimizerSpec | null }
  /** A Keras loss or metric by its registered name: a function, or an `object` built from a class. */
  | { kind: "loss"; name: string; object: boolean; fromLogits?: true }
  | { kind: "metric"; name: string; object: boolean }
  /** A function of `keras.activations`, by its Keras name. */
  | { kind: "activation"; name: string }
  | FunctionValue
  | { kind: "method"; self: Value; name: string }
  | ClassifierValue
  | { kind: "grid"; estimator: ClassifierValue | null; paramGrid: Map<string, Value[]>; cv: number }
  | { kind: "history"; fit: FitSpec }
  | { kind: "unknown" };

export const UNKNOWN: Value = { kind: "unknown" };
export const NONE: Value = { kind: "none" };

export function num(value: number): Value {
  return { kind: "number", value };
}

/** A Python float: `1.0`, `float(x)`, `a / b`. */
export function float(value: number): Value {
  return { kind: "number", value, float: true };
}

/** A stable text for a value, used to decide whether two pieces of code have the same effect. */
export function fingerprint(value: Value): string {
  switch (value.kind) {
    case "number":
      return value.float && Number.isInteger(value.value) ? `${value.value}.0` : String(value.value);
    case "string":
      return JSON.stringify(value.value);
    case "bool":
      return value.value ? "True" : "False";
    case "none":
      return "None";
    case "tuple":
    case "list":
      // Keras 3 and scikit-learn take a list wherever the lesson passes a tuple and the other way
      // round (kernel_size, validation_data, metrics, a parameter grid), so both have one effect.
      return `[${value.items.map(fingerprint).join(",")}]`;
    case "dict":
      return `{${[...value.entries].map(([key, item]) => `${JSON.stringify(key)}:${fingerprint(item)}`).join(",")}}`;
    case "module":
      return `module:${value.path}`;
    case "array":
      return `array(${value.shape.join(",")})${value.made ?? ""}`;
    case "tensor":
      return value.node.fingerprint;
    case "layer":
      return `layer:${JSON.stringify(value.layer)}:${value.name ?? ""}:${value.unknownArguments.join(",")}`;
    case "model":
      return value.fingerprint + (value.compile ? JSON.stringify(value.compile) : "");
    case "sequential":
      // Once built, a Sequential is the model it built (the same as written with keras.Model).
      if (value.built?.kind === "model") return fingerprint(value.built);
      return `sequential:${value.name}:${value.entries.map((entry) => fingerprint(entry.value)).join(",")}`;
    case "optimizer":
      return `optimizer:${value.className}:${JSON.stringify(value.spec)}`;
    case "loss":
      return `loss:${value.name}${value.object ? (value.fromLogits ? "(from_logits=True)" : "()") : ""}`;
    case "metric":
      return `metric:${value.name}${value.object ? "()" : ""}`;
    case "activation":
      return JSON.stringify(value.name);
    case "function":
      return `function:${value.name}`;
    case "method":
      return `method:${value.name}:${fingerprint(value.self)}`;
    case "classifier":
      return `classifier:${value.build?.name ?? "?"}:${[...value.options].map(([key, item]) => `${key}=${fingerprint(item)}`).join(",")}`;
    case "grid":
      return `grid:${value.cv}:${[...value.paramGrid].map(([key, items]) => `${key}=${items.map((item) => gridOptionFingerprint(key, item)).join("|")}`).join(",")}`;
    case "history":
      return `history:${JSON.stringify(value.fit)}`;
    case "unknown":
      return "?";
  }
}

/**
 * A value a grid search tries, as what it does: scikeras hands an `optimizer` option to Keras 3,
 * which reads 'RMSProp' and 'rmsprop' as one optimizer (keras/src/optimizers/__init__.py).
 */
function gridOptionFingerprint(key: string, item: Value): string {
  const canonical = key === "optimizer" && item.kind === "string" ? optimizerNameKey(item.value) : undefined;
  return canonical === undefined ? fingerprint(item) : `optimizer:${canonical}`;
}
