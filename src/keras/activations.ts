/**
 * Keras 3's activations by name, and their TensorFlow.js counterparts.
 *
 * keras/src/activations/__init__.py: `get(identifier)` returns `linear` for None, looks a string
 * up in `ALL_OBJECTS_DICT` (the functions' `__name__`, plus the aliases `swish` and
 * `hard_swish`) *exactly*, so the lookup is case-sensitive ('ReLU' raises), and raises
 * `ValueError: Could not interpret activation function identifier: ...` for anything else that
 * is not callable.
 */
import type { ActivationName } from "../protocol/modelSpec";
import { pyRepr, type PyValue } from "./python";

/** Every name `keras.activations.get` accepts (keras/src/activations/__init__.py, ALL_OBJECTS_DICT). */
export const KERAS_ACTIVATION_NAMES: readonly string[] = [
  "relu",
  "leaky_relu",
  "relu6",
  "softmax",
  "celu",
  "elu",
  "selu",
  "softplus",
  "softsign",
  "squareplus",
  "soft_shrink",
  "sparse_plus",
  "silu",
  "gelu",
  "glu",
  "tanh",
  "tanh_shrink",
  "threshold",
  "sigmoid",
  "sparse_sigmoid",
  "exponential",
  "hard_sigmoid",
  "hard_silu",
  "hard_tanh",
  "hard_shrink",
  "linear",
  "mish",
  "log_softmax",
  "log_sigmoid",
  "sparsemax",
  "swish",
  "hard_swish",
];

/**
 * The Keras activations training can run, each with the tfjs identifier that computes the same
 * function. Keras's `hard_sigmoid` is relu6(x + 3) / 6 (keras/src/activations/activations.py)
 * while tfjs's `hardSigmoid` is 0.2x + 0.5, so it is not here; `gelu` is the exact erf form in
 * both (Keras's default `approximate=False`).
 */
export const TFJS_ACTIVATIONS: Readonly<Record<ActivationName, string>> = {
  relu: "relu",
  sigmoid: "sigmoid",
  tanh: "tanh",
  selu: "selu",
  elu: "elu",
  softmax: "softmax",
  linear: "linear",
  relu6: "relu6",
  softplus: "softplus",
  softsign: "softsign",
  silu: "swish",
  swish: "swish",
  mish: "mish",
  gelu: "gelu",
};

export function isTrainableActivation(name: string): name is ActivationName {
  return Object.hasOwn(TFJS_ACTIVATIONS, name);
}

/** What `activations.get(value)` does with a value: a name, a Keras error, or not known yet. */
export type ActivationLookup =
  | { kind: "ok"; name: ActivationName }
  /** A real Keras activation that training here cannot run. */
  | { kind: "untrainable"; name: string }
  | { kind: "raises"; raises: string; message: string }
  | { kind: "not-modelled"; message: string }
  | { kind: "unknown" };

/** A name in another case than Keras's, to say which one was meant without saying it is right. */
function otherCase(name: string): string | undefined {
  return KERAS_ACTIVATION_NAMES.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
}

export function lookupActivation(value: PyValue): ActivationLookup {
  if (value.kind === "none") return { kind: "ok", name: "linear" };
  if (value.kind === "unknown") return { kind: "unknown" };
  const name = value.kind === "str" ? value.value : value.kind === "function" && value.module === "activations" ? value.name : undefined;
  if (name !== undefined && KERAS_ACTIVATION_NAMES.includes(name)) {
    return isTrainableActivation(name) ? { kind: "ok", name } : { kind: "untrainable", name };
  }
  if (value.kind === "other") {
    return { kind: "not-modelled", message: `The checker does not follow ${value.description} as an activation; it treats this layer as linear.` };
  }
  const raises = `ValueError: Could not interpret activation function identifier: ${value.kind === "str" ? value.value : pyRepr(value)}`;
  if (name !== undefined && otherCase(name) !== undefined) {
    return { kind: "raises", raises, message: `Keras 3 looks activation names up exactly as written, and '${name}' is not one of them in this spelling (names are lower case), so it raises a ValueError.` };
  }
  return { kind: "raises", raises, message: `Keras 3 has no activation called ${pyRepr(value)}, so it raises a ValueError. Check the name against keras.activations.` };
}
