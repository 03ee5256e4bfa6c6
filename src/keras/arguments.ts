/**
 * Reading bound arguments into a layer's or optimizer's config, with Keras 3's own checks. Each
 * reader cites the Keras function whose behaviour it copies.
 */
import { lookupActivation } from "./activations";
import { pyRepr, pyTypeName, PY_UNKNOWN, type PyValue, type ReadMode } from "./python";
import type { ActivationName } from "../protocol/modelSpec";

export type ProblemSeverity = "error" | "warning" | "info";

/** Something Keras 3 would say about a call, in the learner's terms. */
export interface KerasProblem {
  /** "error": Keras 3 raises; "warning": it runs but not as meant, or training here cannot; "info": not followed. */
  severity: ProblemSeverity;
  message: string;
  /** The parameter the problem is about, to point at the argument that holds it. */
  argument?: string;
  /** The exception Keras 3 raises, in its own words, when it does. */
  raises?: string;
}

/** A parameter's value in a call: given by the learner, or the signature's default. */
export class ArgumentReader {
  readonly problems: KerasProblem[] = [];
  /** Parameters whose value is not known (a blank, a function parameter): placeholders stand in. */
  readonly unknown: string[] = [];

  constructor(
    /** How the learner writes the callable: `keras.layers.Conv2D`. */
    readonly display: string,
    /** Keras's class name, as its messages use it. */
    readonly className: string,
    private readonly given: ReadonlyMap<string, PyValue>,
    private readonly defaults: ReadonlyMap<string, PyValue>,
    readonly mode: ReadMode,
  ) {}

  has(name: string): boolean {
    return this.given.has(name);
  }

  value(name: string): PyValue {
    return this.given.get(name) ?? this.defaults.get(name) ?? PY_UNKNOWN;
  }

  raise(name: string | undefined, raises: string, message: string): void {
    const problem: KerasProblem = { severity: "error", message, raises };
    if (name !== undefined) problem.argument = name;
    this.problems.push(problem);
  }

  warn(name: string | undefined, message: string, severity: ProblemSeverity = "warning"): void {
    const problem: KerasProblem = { severity, message };
    if (name !== undefined) problem.argument = name;
    this.problems.push(problem);
  }

  /** Marks a parameter as not known; returns the placeholder. */
  placeholder<T>(name: string, fallback: T): T {
    if (!this.unknown.includes(name)) this.unknown.push(name);
    return fallback;
  }

  /** An int, as `isinstance(value, int)` sees it (a bool is an int in Python; Keras takes True as 1). */
  private asInt(value: PyValue): number | undefined {
    if (value.kind === "int") return value.value;
    if (value.kind === "bool") return value.value ? 1 : 0;
    // A spec file cannot tell 3 from 3.0; a whole number there is an int.
    if (this.mode === "json" && value.kind === "float" && Number.isInteger(value.value)) return value.value;
    return undefined;
  }

  private asFloat(value: PyValue): number | undefined {
    if (value.kind === "float" || value.kind === "int") return value.value;
    if (value.kind === "bool") return value.value ? 1 : 0;
    return undefined;
  }

  /**
   * A strictly positive int: `filters` (keras/src/layers/convolutional/base_conv.py raises for
   * `filters <= 0`; a float fails later, when the kernel is built, as "Cannot convert ... to a
   * shape") and `units` (keras/src/layers/core/dense.py: `not isinstance(units, int) or units <= 0`).
   */
  positiveInt(name: string, raises: (value: string) => string, fallback = 1): number {
    const value = this.value(name);
    if (value.kind === "unknown") return this.placeholder(name, fallback);
    const int = this.asInt(value);
    if (int !== undefined && int > 0) return int;
    const shown = pyRepr(value);
    const what =
      value.kind === "float"
        ? `${shown} is a float, and Keras 3 wants a whole number here (write it without the decimal point)`
        : int !== undefined
          ? `${shown} is not above 0`
          : `${shown} is not a number`;
    this.raise(name, raises(shown), `\`${name}\` of ${this.display} must be a whole number above 0: ${what}, so Keras 3 raises a ValueError.`);
    return this.placeholder(name, fallback);
  }

  /**
   * keras/src/utils/argument_validation.py `standardize_tuple(value, 2, name, allow_zero)`: an
   * int means (n, n); anything else must be a sequence of 2 ints, each > 0 (>= 0 with
   * `allow_zero`, as pooling strides are).
   */
  pair(name: string, { allowZero = false, fallback = [1, 1] as [number, number] } = {}): [number, number] {
    const value = this.value(name);
    if (value.kind === "unknown") return this.placeholder(name, fallback);
    const shown = pyRepr(value);
    const base = `The \`${name}\` argument must be a tuple of 2 integers. Received ${name}=${shown}`;
    const fail = (detail: string, raises = base): [number, number] => {
      this.raise(name, `ValueError: ${raises}`, `\`${name}\` of ${this.display} must be a whole number or a pair of whole numbers (height, width); ${detail}, so Keras 3 raises a ValueError.`);
      return this.placeholder(name, fallback);
    };
    let items: number[];
    const single = this.asInt(value);
    if (single !== undefined && value.kind !== "bool") items = [single, single];
    else if (value.kind === "tuple" || value.kind === "list") {
      if (value.items.some((item) => item.kind === "unknown")) return this.placeholder(name, fallback);
      if (value.items.length !== 2) return fail(`${shown} has ${value.items.length} item${value.items.length === 1 ? "" : "s"}`);
      const ints = value.items.map((item) => (item.kind === "float" && Number.isInteger(item.value) ? item.value : this.asInt(item)));
      if (ints.some((item) => item === undefined)) return fail(`${shown} holds something that is not a whole number`);
      items = ints as number[];
    } else if (value.kind === "float") return fail(`${shown} is a float`);
    else return fail(`${shown} is neither`);
    const bad = items.filter((item) => (allowZero ? item < 0 : item <= 0));
    if (bad.length > 0) {
      return fail(`${[...new Set(bad)].join(" and ")} is ${allowZero ? "below 0" : "not above 0"}`, `${base}, including values {${[...new Set(bad)].join(", ")}} that do not satisfy \`value ${allowZero ? ">= 0" : "> 0"}\``);
    }
    return [items[0]!, items[1]!];
  }

  /**
   * Conv layers: keras/src/backend/common/backend_utils.py `standardize_padding` lower-cases the
   * string, then wants 'valid' or 'same' ('causal' only in 1-D). Pooling layers keep the string
   * as given and their op raises "Argument `padding` must be either 'valid' or 'same'" when the
   * layer is called (`exact`), so 'SAME' fails there.
   */
  padding({ exact = false }: { exact?: boolean } = {}): "valid" | "same" {
    const name = "padding";
    const value = this.value(name);
    if (value.kind === "unknown") return this.placeholder(name, "valid");
    if (value.kind === "str") {
      const lower = exact ? value.value : value.value.toLowerCase();
      if (lower === "valid" || lower === "same") return lower;
      this.raise(
        name,
        exact
          ? `ValueError: Argument \`padding\` must be either 'valid' or 'same'. Received: padding=${value.value}`
          : `ValueError: The \`padding\` argument must be a list/tuple or one of {'valid', 'same'}. Received: ${lower}`,
        `\`padding\` of ${this.display} is either 'valid' (no border: the output shrinks) or 'same' (a border of zeros: the output keeps its size)${exact ? ", in lower case" : ""}; Keras 3 raises a ValueError for ${pyRepr(value)}.`,
      );
      return this.placeholder(name, "valid");
    }
    this.warn(name, `The checker follows \`padding\` of ${this.display} only as 'valid' or 'same'.`, "info");
    return this.placeholder(name, "valid");
  }

  /** keras/src/activations/__init__.py `get`: see activations.ts. */
  activation(name = "activation"): ActivationName {
    const lookup = lookupActivation(this.value(name));
    switch (lookup.kind) {
      case "ok":
        return lookup.name;
      case "unknown":
        return this.placeholder(name, "linear");
      case "untrainable":
        this.warn(name, `Keras 3 knows the activation '${lookup.name}', but training in this extension cannot run it; the checker treats this layer as linear.`);
        return this.placeholder(name, "linear");
      case "raises":
        this.raise(name, lookup.raises, lookup.message);
        return this.placeholder(name, "linear");
      case "not-modelled":
        this.warn(name, lookup.message, "info");
        return this.placeholder(name, "linear");
    }
  }

  /** Keras does not check these (`use_bias`, `center`): Python's truth value decides. */
  bool(name: string): boolean {
    const value = this.value(name);
    if (value.kind === "unknown") return this.placeholder(name, true);
    if (value.kind === "bool") return value.value;
    if (value.kind === "int" || value.kind === "float") {
      this.warn(name, `\`${name}\` of ${this.display} is True or False; Keras 3 reads ${pyRepr(value)} as ${value.value !== 0 ? "True" : "False"}.`);
      return value.value !== 0;
    }
    this.warn(name, `\`${name}\` of ${this.display} is True or False, not ${pyRepr(value)}.`);
    return this.placeholder(name, true);
  }

  /**
   * A number Keras converts with `float(value)` (BatchNormalization's momentum and epsilon,
   * keras/src/layers/normalization/batch_normalization.py): a string that is not a number
   * raises "could not convert string to float".
   */
  float(name: string, fallback: number): number {
    const value = this.value(name);
    if (value.kind === "unknown") return this.placeholder(name, fallback);
    const number = this.asFloat(value);
    if (number !== undefined) return number;
    if (value.kind === "str" && value.value.trim() !== "" && !Number.isNaN(Number(value.value))) return Number(value.value);
    this.raise(
      name,
      value.kind === "str" ? `ValueError: could not convert string to float: ${pyRepr(value)}` : `TypeError: float() argument must be a string or a real number, not '${pyTypeName(value)}'`,
      `\`${name}\` of ${this.display} is a number, not ${pyRepr(value)}; Keras 3 cannot convert it.`,
    );
    return this.placeholder(name, fallback);
  }

  /** A value Keras compares with numbers (`0 <= rate <= 1`): a non-number raises a TypeError there. */
  comparable(name: string, fallback: number): number | undefined {
    const value = this.value(name);
    if (value.kind === "unknown") return this.placeholder(name, fallback);
    const number = this.asFloat(value);
    if (number !== undefined) return number;
    this.raise(
      name,
      `TypeError: '<=' not supported between instances of 'int' and '${pyTypeName(value)}'`,
      `\`${name}\` of ${this.display} is a number, not ${pyRepr(value)}; Keras 3 raises a TypeError when it compares it.`,
    );
    return this.placeholder(name, fallback);
  }

  /** keras/src/backend/config.py `standardize_data_format`: only channels_last is modelled. */
  dataFormat(name = "data_format"): void {
    const value = this.value(name);
    if (value.kind === "none" || value.kind === "unknown") return;
    const text = value.kind === "str" ? value.value.toLowerCase() : pyRepr(value);
    if (text === "channels_last") return;
    if (text === "channels_first") {
      this.warn(name, `data_format='channels_first' puts the channels before height and width; the lesson's images are channels last, and the checker and training here only follow that.`);
      return;
    }
    this.raise(
      name,
      `ValueError: The \`data_format\` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=${text}`,
      `\`data_format\` of ${this.display} is 'channels_last' or 'channels_first'; Keras 3 raises a ValueError for ${pyRepr(value)}.`,
    );
  }

  /** A parameter Keras accepts but the checker and training do not model: say so when it is changed. */
  notModelled(name: string): void {
    if (!this.given.has(name)) return;
    const value = this.value(name);
    const fallback = this.defaults.get(name);
    if (value.kind === "unknown" || (fallback !== undefined && pyRepr(value) === pyRepr(fallback))) return;
    this.warn(name, `Keras 3 accepts \`${name}\` of ${this.display}, but the checker and training here leave it out and use Keras's default, ${fallback === undefined ? "none" : pyRepr(fallback)}.`, "info");
  }
}
