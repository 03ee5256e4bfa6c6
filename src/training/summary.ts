/**
 * The Keras `model.summary()` table, computed from a ModelSpec alone: shape inference and
 * parameter counts without TensorFlow.js, so the checker and the extension host can show it on
 * every keystroke. `test/unit/training-summary.test.ts` holds it to the numbers Keras prints and
 * to the tfjs model's own counts.
 */
import type { LayerSpec, ModelSpec } from "../protocol/modelSpec";
import type { ModelSummary, SummaryRow } from "../protocol/training";
import { ModelSpecError } from "./errors";
import { normalizeModelSpec } from "./spec";

/** One layer's output shape (no batch dimension) and its weights. */
export interface LayerShape {
  name: string;
  className: string;
  outputShape: number[];
  trainableParams: number;
  nonTrainableParams: number;
}

/** Output length of a convolution or pooling window along one axis, as Keras computes it. */
export function windowOutputLength(input: number, window: number, stride: number, padding: "valid" | "same", dilation = 1): number {
  if (padding === "same") return Math.ceil(input / stride);
  const extent = (window - 1) * dilation + 1;
  return Math.floor((input - extent) / stride) + 1;
}

function spatial(layer: LayerSpec, input: number[], window: [number, number], strides: [number, number], padding: "valid" | "same", dilation: [number, number]): [number, number] {
  if (input.length !== 3) {
    throw new ModelSpecError(
      `${layer.class_name} layer '${layer.name}' needs an image-shaped input (height, width, channels), but it gets (None, ${input.join(", ")}).`,
      layer.name,
    );
  }
  const height = windowOutputLength(input[0]!, window[0], strides[0], padding, dilation[0]);
  const width = windowOutputLength(input[1]!, window[1], strides[1], padding, dilation[1]);
  if (height <= 0 || width <= 0) {
    throw new ModelSpecError(
      `${layer.class_name} layer '${layer.name}' gets a ${input[0]}×${input[1]} input, smaller than its ${window[0]}×${window[1]} window: ` +
        `remove a layer before it or use padding='same'.`,
      layer.name,
    );
  }
  return [height, width];
}

/** Output shape and parameter count of one layer given its input shape (no batch dimension). */
function inferLayer(layer: LayerSpec, input: number[]): Omit<LayerShape, "name" | "className"> {
  const none = { trainableParams: 0, nonTrainableParams: 0 };
  switch (layer.class_name) {
    case "InputLayer":
      return { outputShape: [...layer.config.shape], ...none };
    case "Conv2D": {
      const c = layer.config;
      const [h, w] = spatial(layer, input, c.kernel_size, c.strides, c.padding, c.dilation_rate);
      const weights = c.kernel_size[0] * c.kernel_size[1] * input[2]! * c.filters + (c.use_bias ? c.filters : 0);
      return { outputShape: [h, w, c.filters], trainableParams: weights, nonTrainableParams: 0 };
    }
    case "MaxPooling2D":
    case "AveragePooling2D": {
      const c = layer.config;
      const [h, w] = spatial(layer, input, c.pool_size, c.strides, c.padding, [1, 1]);
      return { outputShape: [h, w, input[2]!], ...none };
    }
    case "Flatten":
      return { outputShape: [input.reduce((a, b) => a * b, 1)], ...none };
    case "GlobalAveragePooling2D":
      if (input.length !== 3) throw new ModelSpecError(`GlobalAveragePooling2D layer '${layer.name}' needs an image-shaped input.`, layer.name);
      return { outputShape: [input[2]!], ...none };
    case "Dense": {
      const c = layer.config;
      const inUnits = input[input.length - 1]!;
      return { outputShape: [...input.slice(0, -1), c.units], trainableParams: inUnits * c.units + (c.use_bias ? c.units : 0), nonTrainableParams: 0 };
    }
    case "BatchNormalization": {
      const channels = input[input.length - 1]!;
      // gamma and beta are trained; the moving mean and variance are not.
      return { outputShape: [...input], trainableParams: 2 * channels, nonTrainableParams: 2 * channels };
    }
    case "Dropout":
    case "Activation":
    case "LeakyReLU":
      return { outputShape: [...input], ...none };
  }
}

/** Shapes and parameter counts of every layer, in the spec's order. Throws ModelSpecError. */
export function inferShapes(rawSpec: ModelSpec): LayerShape[] {
  const spec = normalizeModelSpec(rawSpec);
  const shapes = new Map<string, number[]>();
  return spec.layers.map((layer) => {
    const input = layer.inbound.length > 0 ? shapes.get(layer.inbound[0]!)! : [];
    const inferred = inferLayer(layer, input);
    shapes.set(layer.name, inferred.outputShape);
    return { name: layer.name, className: layer.class_name, ...inferred };
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
