/**
 * ModelSpec / CompileSpec (Keras's snake_case, already validated by `spec.ts`) → a TensorFlow.js
 * LayersModel, optimizer, loss and metrics. Each layer's tfjs factory and camelCase arguments come
 * from the Keras 3 registry (`src/keras/layers.ts`, `tfjs` of each layer), the one place where
 * Keras names become tfjs names.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { tfjsLayer, type TfjsLayer } from "../keras/layers";
import { FusedAdamOptimizer, fusedAdamAvailable } from "./kernels/fusedAdamOptimizer";
import type { CompileSpec, MetricName, ModelSpec } from "../protocol/modelSpec";
import { ModelSpecError } from "./errors";
import { inferShapes } from "./summary";

/**
 * Builds the tfjs model from a validated spec (see `spec.ts`). Shapes are checked first with the
 * same registry inference the summary uses, so a model that does not fit fails with a message
 * naming the layer rather than a tfjs stack trace.
 */
export function buildModel(spec: ModelSpec): tfl.LayersModel {
  const shapes = new Map(inferShapes(spec).map((layer) => [layer.name, [null, ...layer.outputShape]]));
  const [first, ...rest] = spec.layers;
  if (first === undefined || first.class_name !== "InputLayer") throw new ModelSpecError("The model must start with an Input layer.");
  const input = tfl.input({ shape: first.config.shape, name: first.name });
  const outputs = new Map<string, tfl.SymbolicTensor>([[first.name, input]]);
  for (const layer of rest) {
    if (layer.class_name === "InputLayer") throw new ModelSpecError(`Only the first layer may be an Input layer ('${layer.name}').`, layer.name);
    const source = outputs.get(layer.inbound[0]!)!;
    const inputShape = shapes.get(layer.inbound[0]!) ?? [null];
    outputs.set(layer.name, tfjsLayerOf(tfjsLayer(layer, layer.name, inputShape)).apply(source) as tfl.SymbolicTensor);
  }
  return tfl.model({ inputs: input, outputs: outputs.get(spec.output)!, name: spec.name });
}

/** The registry gives the factory's name and camelCase arguments; this calls the factory. */
function tfjsLayerOf(layer: TfjsLayer): tfl.layers.Layer {
  // Each `args` was typed against its own factory in the registry; the union loses that link.
  const factory = tfl.layers[layer.factory] as (args: TfjsLayer["args"]) => tfl.layers.Layer;
  return factory(layer.args);
}

export function buildOptimizer(compile: CompileSpec): tf.Optimizer {
  const optimizer = compile.optimizer;
  switch (optimizer.name) {
    case "adam":
      // Keras's defaults: beta_1 0.9, beta_2 0.999, epsilon 1e-7. Where the backend has the fused
      // update (wasm with the SIMD kernels), the same Adam in one kernel per variable (fusedAdamOptimizer.ts,
      // which also says where Keras 3's Adam and tfjs's differ).
      return fusedAdamAvailable() ? new FusedAdamOptimizer(optimizer.learning_rate, 0.9, 0.999, 1e-7) : tf.train.adam(optimizer.learning_rate, 0.9, 0.999, 1e-7);
    case "sgd":
      return optimizer.momentum > 0 ? tf.train.momentum(optimizer.learning_rate, optimizer.momentum) : tf.train.sgd(optimizer.learning_rate);
    case "rmsprop":
      // Keras's defaults: rho 0.9, momentum 0, epsilon 1e-7, not centered.
      return tf.train.rmsprop(optimizer.learning_rate, 0.9, 0, 1e-7, false);
  }
}

export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export interface CompiledModel {
  model: tfl.LayersModel;
  optimizer: tf.Optimizer;
  /** Whether labels are fed as class indices (sparse loss) rather than one-hot rows. */
  sparseLabels: boolean;
  /** Keras's history names of the compiled metrics, in order: `categorical_accuracy`, `accuracy`. */
  metricNames: MetricName[];
}

function metricFunction(sparse: boolean): MetricFn {
  // Keras's `accuracy` and `categorical_accuracy` both compare the arg-max of the prediction
  // with the label; with integer labels it is the sparse variant that does so.
  return sparse ? tfl.metrics.sparseCategoricalAccuracy : tfl.metrics.categoricalAccuracy;
}

/** Builds and compiles the model as `model.compile(optimizer=..., loss=..., metrics=[...])` would. */
export function compileModel(spec: ModelSpec, compile: CompileSpec): CompiledModel {
  const model = buildModel(spec);
  const optimizer = buildOptimizer(compile);
  const sparseLabels = compile.loss === "sparse_categorical_crossentropy";
  model.compile({
    optimizer,
    loss: sparseLabels ? "sparseCategoricalCrossentropy" : "categoricalCrossentropy",
    metrics: compile.metrics.map(() => metricFunction(sparseLabels)),
  });
  return { model, optimizer, sparseLabels, metricNames: compile.metrics };
}
