/**
 * The Python side of the registry: the values a Keras call can receive, how Python prints them,
 * and how Python binds a call's arguments onto a signature (positionals, then keywords), with
 * the TypeErrors CPython raises when that fails, said plainly.
 *
 * The registry reads arguments from two places: the checker (Python source evaluated as data,
 * where `1` and `1.0` differ, as they do for Keras) and spec files or RPC requests (JSON, where
 * they cannot: `1.0` arrives as `1`). `ReadMode` says which.
 */

/** A value as Keras receives it. `unknown`: not known yet (a blank, a parameter nobody set). */
export type PyValue =
  | { kind: "int"; value: number }
  | { kind: "float"; value: number }
  | { kind: "str"; value: string }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "tuple"; items: PyValue[] }
  | { kind: "list"; items: PyValue[] }
  | { kind: "dict"; entries: [string, PyValue][] }
  /** A Keras function by its registered name, such as `keras.activations.relu`. */
  | { kind: "function"; module: "activations" | "losses" | "metrics"; name: string }
  /** A Keras object built by a call: `keras.losses.CategoricalCrossentropy()`. */
  | { kind: "object"; module: "losses" | "metrics" | "optimizers"; className: string; fromLogits?: true }
  /** Something Keras would receive but the registry does not read (a layer, a model, data). */
  | { kind: "other"; description: string }
  | { kind: "unknown" };

/** `"python"`: values come from Python source; `"json"`: from a spec, where 1.0 and 1 are one number. */
export type ReadMode = "python" | "json";

export const PY_NONE: PyValue = { kind: "none" };
export const PY_UNKNOWN: PyValue = { kind: "unknown" };

export function pyInt(value: number): PyValue {
  return { kind: "int", value };
}

export function pyFloat(value: number): PyValue {
  return { kind: "float", value };
}

export function pyStr(value: string): PyValue {
  return { kind: "str", value };
}

export function pyTuple(...items: PyValue[]): PyValue {
  return { kind: "tuple", items };
}

/** A JSON value (a spec file, an RPC request) as the Python value it stands for. */
export function fromJson(value: unknown): PyValue {
  if (value === null || value === undefined) return PY_NONE;
  if (typeof value === "number") return Number.isInteger(value) ? pyInt(value) : pyFloat(value);
  if (typeof value === "string") return pyStr(value);
  if (typeof value === "boolean") return { kind: "bool", value };
  if (Array.isArray(value)) return { kind: "list", items: value.map(fromJson) };
  if (typeof value === "object") return { kind: "dict", entries: Object.entries(value).map(([key, item]) => [key, fromJson(item)]) };
  return { kind: "other", description: typeof value };
}

/** Python's `repr()` of a float: `0.001`, `10.0`, `1e-07`, `nan`, `inf`. */
export function floatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value.toFixed(1);
  const text = String(value);
  // JavaScript writes 1e-7 as "1e-7"; Python as "1e-07".
  return text.replace(/e([+-])(\d)$/, "e$10$2");
}

/** How Python prints a value, for messages that quote what Keras received. */
export function pyRepr(value: PyValue): string {
  switch (value.kind) {
    case "int":
      return String(value.value);
    case "float":
      return floatRepr(value.value);
    case "str":
      return `'${value.value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
    case "bool":
      return value.value ? "True" : "False";
    case "none":
      return "None";
    case "tuple":
      return `(${value.items.map(pyRepr).join(", ")}${value.items.length === 1 ? "," : ""})`;
    case "list":
      return `[${value.items.map(pyRepr).join(", ")}]`;
    case "dict":
      return `{${value.entries.map(([key, item]) => `'${key}': ${pyRepr(item)}`).join(", ")}}`;
    case "function":
      return `keras.${value.module}.${value.name}`;
    case "object":
      return `keras.${value.module}.${value.className}()`;
    case "other":
      return value.description;
    case "unknown":
      return "?";
  }
}

/** Python's type name, as a TypeError names it. */
export function pyTypeName(value: PyValue): string {
  switch (value.kind) {
    case "none":
      return "NoneType";
    case "function":
      return "function";
    case "object":
      return value.className;
    case "other":
      return value.description;
    case "unknown":
      return "unknown";
    // These kinds are named as Python names their types.
    case "bool":
    case "dict":
    case "float":
    case "int":
    case "list":
    case "str":
    case "tuple":
      return value.kind;
    default: {
      const unhandled: never = value;
      return unhandled;
    }
  }
}

export interface Parameter {
  name: string;
  /** False: Python requires it (it has no default). */
  optional: boolean;
  /** After `*` in the Python signature: it can only be given as `name=`. */
  keywordOnly?: boolean;
}

/**
 * A Python signature. `callee` is how CPython names the function in its TypeErrors
 * (`Conv2D.__init__()`, `Model.fit()`), `method` whether CPython counts `self` in them, and
 * `kwargs` whether the function takes `**kwargs` (then an unknown keyword is not Python's
 * error but whatever the function does with it, see `BindResult.extra`).
 */
export interface Signature {
  callee: string;
  /** How the learner writes the callable: `keras.layers.Conv2D`, `model.fit`. */
  display: string;
  params: readonly Parameter[];
  method: boolean;
  kwargs: boolean;
}

/** Where a bound value came from in the call: the n-th positional, or `name=`. */
export type ArgumentSource = { kind: "positional"; index: number } | { kind: "keyword"; name: string };

export interface BoundArgument<T> {
  value: T;
  from: ArgumentSource;
}

export interface CallArguments<T> {
  positional: readonly T[];
  /** In the order written; a keyword repeated in the source appears twice. */
  keywords: readonly (readonly [string, T])[];
}

export interface BindError {
  /** The exception Python raises, in its own words. */
  raises: string;
  /** The same, said in the learner's terms. */
  message: string;
  /** The argument to point at. */
  at?: ArgumentSource;
}

export interface BindResult<T> {
  /** Each parameter the call gives a value, by parameter name. */
  bound: Map<string, BoundArgument<T>>;
  /** Keywords that are not parameters but go to `**kwargs`. */
  extra: Map<string, BoundArgument<T>>;
  /** At most one: Python raises at the first problem. */
  error?: BindError;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function quoteList(names: readonly string[]): string {
  const quoted = names.map((name) => `'${name}'`);
  if (quoted.length <= 1) return quoted.join("");
  if (quoted.length === 2) return `${quoted[0]} and ${quoted[1]}`;
  return `${quoted.slice(0, -1).join(", ")}, and ${quoted[quoted.length - 1]}`;
}

/**
 * Binds a call onto a signature the way CPython does (Python/ceval.c, `initialize_locals`):
 * positionals fill the parameters in order, then each keyword takes its parameter; a keyword
 * that names a parameter already filled, or none at all, is a TypeError, and so are too many
 * positionals and a required parameter left without a value.
 */
/** The parameters a signature binds by position, in order; asked on every call, so kept per signature. */
function positionalParamsOf(signature: Signature): Signature["params"] {
  let params = positionalParamsBySignature.get(signature);
  if (!params) {
    params = signature.params.filter((param) => !param.keywordOnly);
    positionalParamsBySignature.set(signature, params);
  }
  return params;
}

const positionalParamsBySignature = new WeakMap<Signature, Signature["params"]>();

export function bindCall<T>(signature: Signature, args: CallArguments<T>): BindResult<T> {
  const bound = new Map<string, BoundArgument<T>>();
  const extra = new Map<string, BoundArgument<T>>();
  const result: BindResult<T> = { bound, extra };
  const positionalParams = positionalParamsOf(signature);
  args.positional.forEach((value, index) => {
    const param = positionalParams[index];
    if (param) bound.set(param.name, { value, from: { kind: "positional", index } });
  });
  const selfCount = signature.method ? 1 : 0;
  for (const [name, value] of args.keywords) {
    const from: ArgumentSource = { kind: "keyword", name };
    const param = signature.params.find((candidate) => candidate.name === name);
    const previous = bound.get(name) ?? extra.get(name);
    if (previous) {
      result.error ??=
        previous.from.kind === "keyword"
          ? {
              raises: `SyntaxError: keyword argument repeated: ${name}`,
              message: `\`${name}=\` is given twice in this call; Python stops with a SyntaxError. Keep one of them.`,
              at: from,
            }
          : {
              raises: `TypeError: ${signature.callee} got multiple values for argument '${name}'`,
              message: `${signature.display} gets \`${name}\` twice: once by position (argument ${previous.from.index + 1}) and once as \`${name}=\`; Python raises a TypeError. Give it once.`,
              at: from,
            };
      continue;
    }
    if (param) bound.set(name, { value, from });
    else if (signature.kwargs) extra.set(name, { value, from });
    else {
      result.error ??= {
        raises: `TypeError: ${signature.callee} got an unexpected keyword argument '${name}'`,
        message: `${signature.display} has no argument called \`${name}\`; Python raises a TypeError. Check the spelling against the Keras documentation.`,
        at: from,
      };
    }
  }
  if (args.positional.length > positionalParams.length) {
    const required = positionalParams.filter((param) => !param.optional).length + selfCount;
    const most = positionalParams.length + selfCount;
    const given = args.positional.length + selfCount;
    const takes = required === most ? plural(most, "positional argument") : `from ${required} to ${most} positional arguments`;
    result.error ??= {
      raises: `TypeError: ${signature.callee} takes ${takes} but ${given} ${given === 1 ? "was" : "were"} given`,
      message: `${signature.display} takes at most ${plural(positionalParams.length, "argument")} by position, but this call gives ${args.positional.length}; Python raises a TypeError. Write the extra ones as name=value.`,
      at: { kind: "positional", index: positionalParams.length },
    };
  }
  const missing = signature.params.filter((param) => !param.optional && !bound.has(param.name));
  const missingPositional = missing.filter((param) => !param.keywordOnly).map((param) => param.name);
  const missingKeyword = missing.filter((param) => param.keywordOnly).map((param) => param.name);
  if (missingPositional.length > 0 || missingKeyword.length > 0) {
    const names = missingPositional.length > 0 ? missingPositional : missingKeyword;
    const kind = missingPositional.length > 0 ? "positional" : "keyword-only";
    result.error ??= {
      raises: `TypeError: ${signature.callee} missing ${names.length} required ${kind} argument${names.length === 1 ? "" : "s"}: ${quoteList(names)}`,
      message: `${signature.display} needs ${names.map((name) => `\`${name}\``).join(" and ")}, which has no default; Python raises a TypeError without it.`,
    };
  }
  return result;
}

/** Shorthand for signatures written as Python writes them: `["filters", "kernel_size", "strides=", "*", "name="]`. */
export function signature(callee: string, display: string, spec: readonly string[], options: { method?: boolean; kwargs?: boolean } = {}): Signature {
  const params: Parameter[] = [];
  let keywordOnly = false;
  for (const entry of spec) {
    if (entry === "*") {
      keywordOnly = true;
      continue;
    }
    const optional = entry.endsWith("=");
    const param: Parameter = { name: optional ? entry.slice(0, -1) : entry, optional };
    if (keywordOnly) param.keywordOnly = true;
    params.push(param);
  }
  return { callee, display, params, method: options.method ?? true, kwargs: options.kwargs ?? false };
}
