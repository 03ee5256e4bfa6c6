/**
 * The Keras `model.summary()` table, computed from a (validated) ModelSpec alone: shape inference
 * and parameter counts from the Keras 3 registry, without TensorFlow.js, so the checker and the extension host can show it on
 * every keystroke. `test/unit/training-summary.test.ts` holds it to the numbers Keras prints and
 * to the tfjs model's own counts.
 */
import { inferLayer, type Shape } from "../keras/layers";
import type { ModelSpec } from "../protocol/modelSpec";
import type { ModelSummary, SummaryRow } from "../protocol/training";
import { ModelSpecError } from "./errors";

/** One layer's output shape (no batch dimension) and its weights. */
export interface LayerShape {
  name: string;
  className: string;
  outputShape: number[];
  trainableParams: number;
  nonTrainableParams: number;
}

/**
 * Shapes and parameter counts of every layer, in the spec's order, from the Keras 3 registry.
 * Throws ModelSpecError naming the layer when Keras 3 would raise applying it.
 */
export function inferShapes(spec: ModelSpec): LayerShape[] {
  const shapes = new Map<string, Shape>();
  return spec.layers.map((layer) => {
    const input = layer.inbound.length > 0 ? (shapes.get(layer.inbound[0]!) ?? [null]) : [null];
    const inferred = inferLayer(layer, input);
    const problem = inferred.problems.find((entry) => entry.severity === "error");
    if (problem) throw new ModelSpecError(`${layer.class_name} layer '${layer.name}': ${problem.message}`, layer.name);
    shapes.set(layer.name, inferred.outputShape);
    return {
      name: layer.name,
      className: layer.class_name,
      outputShape: inferred.outputShape.slice(1).map((dim) => dim ?? 0),
      trainableParams: inferred.trainableParams,
      nonTrainableParams: inferred.nonTrainableParams,
    };
  });
}

/** `79530` → `79,530`, as Keras prints counts. */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/** Bytes of float32 weights in Keras's units: `310.66 KB`, `0.00 B`. */
export function formatWeightBytes(params: number): string {
  let size = params * 4;
  for (const unit of ["B", "KB", "MB", "GB", "TB"]) {
    if (size < 1024) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

export function formatShape(shape: readonly number[]): string {
  return `(None, ${shape.join(", ")})`;
}

/**
 * The table as Keras prints it. The first column widens to fit long layer names instead of
 * wrapping them onto a second line as Keras 2 does, so each layer stays on one line.
 */
function renderTable(modelName: string, rows: SummaryRow[], total: number, trainable: number, nonTrainable: number): string {
  const cells = rows.map((row) => [` ${row.name} (${row.className})`, formatShape(row.outputShape), formatCount(row.params)] as const);
  const first = Math.max(29, ...cells.map((cell) => cell[0].length + 2));
  const second = Math.max(26, ...cells.map((cell) => cell[1].length + 2));
  const width = Math.max(65, first + second + 10);
  const line = (a: string, b: string, c: string): string => (a.padEnd(first) + b.padEnd(second) + c).trimEnd();
  const out = [`Model: "${modelName}"`, "_".repeat(width), line(" Layer (type)", "Output Shape", "Param #"), "=".repeat(width)];
  cells.forEach((cell, index) => {
    out.push(line(...cell));
    out.push(index === cells.length - 1 ? "=".repeat(width) : "");
  });
  out.push(
    `Total params: ${formatCount(total)} (${formatWeightBytes(total)})`,
    `Trainable params: ${formatCount(trainable)} (${formatWeightBytes(trainable)})`,
    `Non-trainable params: ${formatCount(nonTrainable)} (${formatWeightBytes(nonTrainable)})`,
    "_".repeat(width),
  );
  return out.join("\n");
}

/** The Keras-format summary of a model spec. Throws ModelSpecError for a model that cannot be built. */
export function summarizeModel(spec: ModelSpec): ModelSummary {
  const shapes = inferShapes(spec);
  const rows: SummaryRow[] = shapes.map((s) => ({ name: s.name, className: s.className, outputShape: s.outputShape, params: s.trainableParams + s.nonTrainableParams }));
  const trainableParams = shapes.reduce((sum, s) => sum + s.trainableParams, 0);
  const nonTrainableParams = shapes.reduce((sum, s) => sum + s.nonTrainableParams, 0);
  const totalParams = trainableParams + nonTrainableParams;
  return {
    modelName: spec.name,
    rows,
    totalParams,
    trainableParams,
    nonTrainableParams,
    text: renderTable(spec.name, rows, totalParams, trainableParams, nonTrainableParams),
  };
}
