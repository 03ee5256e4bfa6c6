/**
 * The checker's side of the Keras 3 registry (`src/keras/`): the evaluator's values as the Python
 * values Keras receives, and a learner's call bound onto a registry signature. Every Keras rule
 * lives in the registry; this file only translates.
 */
import { bindCall, signature as pythonSignature, type ArgumentSource, type CallArguments as PyCall, type PyValue } from "../keras/python";
import type { KerasProblem } from "../keras/arguments";
import type { Value } from "./values";

export { defaultLayerName, inferLayer, LAYER_NAMES } from "../keras/layers";
export type { KerasProblem } from "../keras/arguments";

export interface CallArguments {
  positional: Value[];
  keyword: Map<string, Value>;
  /** `f(a=1, a=2)`: the second and later keywords of a name, which the map cannot hold. */
  repeatedKeywords?: [string, Value][];
}

/** Kept for the evaluator's learner-function calls: a problem of binding a call. */
export type LayerProblem = KerasProblem;

/** The evaluator's value as the Python value Keras would receive. */
export function toPy(value: Value): PyValue {
  switch (value.kind) {
    case "number":
      return value.float ? { kind: "float", value: value.value } : Number.isInteger(value.value) ? { kind: "int", value: value.value } : { kind: "float", value: value.value };
    case "string":
      return { kind: "str", value: value.value };
    case "bool":
      return { kind: "bool", value: value.value };
    case "none":
      return { kind: "none" };
    case "tuple":
    case "list":
      return { kind: value.kind, items: value.items.map(toPy) };
    case "dict":
      return { kind: "dict", entries: [...value.entries].map(([key, item]) => [key, toPy(item)]) };
    case "activation":
      return { kind: "function", module: "activations", name: value.name };
    case "loss":
      if (value.object && value.fromLogits) return { kind: "object", module: "losses", className: value.name, fromLogits: true };
      return value.object ? { kind: "object", module: "losses", className: value.name } : { kind: "function", module: "losses", name: value.name };
    case "metric":
      return value.object ? { kind: "object", module: "metrics", className: value.name } : { kind: "function", module: "metrics", name: value.name };
    case "optimizer":
      return { kind: "object", module: "optimizers", className: value.className };
    case "unknown":
      return { kind: "unknown" };
    case "layer":
      return { kind: "other", description: `a ${value.layer.class_name} layer` };
    case "model":
      return { kind: "other", description: "a model" };
    case "tensor":
      return { kind: "other", description: "a tensor" };
    case "array":
      return { kind: "other", description: "an array" };
    case "classifier":
    case "function":
    case "grid":
    case "history":
    case "method":
    case "module":
    case "sequential":
      return { kind: "other", description: `a ${value.kind}` };
    default: {
      const unhandled: never = value;
      return unhandled;
    }
  }
}

/** The call's arguments, in the registry's terms. */
export function toPyCall(args: CallArguments): PyCall<PyValue> {
  const keywords: [string, PyValue][] = [...args.keyword].map(([name, value]) => [name, toPy(value)]);
  for (const [name, value] of args.repeatedKeywords ?? []) keywords.push([name, toPy(value)]);
  return { positional: args.positional.map(toPy), keywords };
}

/**
 * Binds a call of one of the learner's own functions (`def build(filters, size=3)`) or of a
 * library function the checker follows onto the parameters it knows, with Python's TypeErrors
 * for too many positionals and a value given twice; other keywords are kept as they are. A parameter left out stays unknown rather than an error: the checker also
 * analyses functions nobody calls, with no arguments at all.
 */
export function bindArguments(names: string[], args: CallArguments, problems: LayerProblem[], callee: string): Map<string, Value> {
  // `kwargs: true`: keywords beyond `names` are kept (GridSearchCV's cv=), not a TypeError.
  const signature = { ...pythonSignature(callee, callee, names.map((name) => `${name}=`)), method: false, kwargs: true };
  const result = bindCall<Value>(signature, { positional: args.positional, keywords: [...args.keyword, ...(args.repeatedKeywords ?? [])] });
  if (result.error) problems.push({ severity: "error", message: result.error.message, raises: result.error.raises, ...(result.error.at?.kind === "keyword" ? { argument: result.error.at.name } : {}) });
  return new Map([...result.bound, ...result.extra].map(([name, argument]) => [name, argument.value]));
}

/** Where a parameter's value sits in a call: `from`/`to` offsets of the argument's value. */
export interface BoundArgumentInfo {
  /** The parameter's name in the Keras signature (`kernel_size`), whatever form the call used. */
  param: string;
  by: ArgumentSource["kind"];
  from: number;
  to: number;
}
