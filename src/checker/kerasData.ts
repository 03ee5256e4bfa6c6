/**
 * Keras's data utilities as the lesson uses them, evaluated as data: `keras.datasets.<name>.load_data()`
 * gives arrays of the shapes Keras 3 documents (src/keras/datasets.ts), and
 * `keras.utils.to_categorical` one-hot labels of `num_classes` columns.
 */
import type { SyntaxNode } from "@lezer/common";
import { KERAS_DATASETS } from "../keras/datasets";
import type { ArgumentNodes, Interpreter } from "./interpreter";
import { bindArguments } from "./keras";
import { UNKNOWN, type Value } from "./values";

/** `keras.datasets.<dataset>.load_data()`: `((train_images, train_labels), (test_images, test_labels))`. */
export function loadData(ev: Interpreter, dataset: string, node: SyntaxNode): Value {
  const info = KERAS_DATASETS[dataset];
  if (!info) {
    ev.report(node, "info", "outside-subset", `The ${dataset} dataset is outside what the lessons check; its shapes are unknown to the checker.`);
    return UNKNOWN;
  }
  const split = (count: number): Value => ({ kind: "tuple", items: [{ kind: "array", shape: [count, ...info.image] }, { kind: "array", shape: [count, ...info.labels] }] });
  return { kind: "tuple", items: [split(info.train), split(info.test)] };
}

/** `keras.utils.to_categorical(y, num_classes)`: one column per class. */
export function toCategorical(ev: Interpreter, args: ArgumentNodes, node: SyntaxNode): Value {
  const bound = bindArguments(["y", "num_classes"], args, [], "to_categorical");
  const labels = bound.get("y");
  const classes = bound.get("num_classes");
  if (classes?.kind === "number" && classes.float) {
    // keras/src/utils/numerical_utils.py builds an array of shape (n, num_classes): a float there is NumPy's TypeError.
    ev.report(args.keywordNodes.get("num_classes") ?? args.positionalNodes[1] ?? node, "error", "shape", `Line ${ev.line(node)}: the number of classes given to keras.utils.to_categorical counts columns, so it is a whole number without a decimal point; Keras 3 raises a TypeError for ${classes.value}.0.`);
    return UNKNOWN;
  }
  if (labels?.kind !== "array") return UNKNOWN;
  return { kind: "array", shape: [labels.shape[0] ?? null, classes?.kind === "number" ? classes.value : null] };
}
