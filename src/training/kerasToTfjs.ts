/**
 * ModelSpec / CompileSpec (Keras's snake_case) → a TensorFlow.js LayersModel, optimizer, loss and
 * metrics. This is the only place where Keras names become tfjs camelCase names; everything
 * before it speaks Keras, everything after it speaks tfjs.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import type { CompileSpec, LayerSpec, MetricName, ModelSpec } from "../protocol/modelSpec";
import { ModelSpecError } from "./errors";
import { normalizeCompileSpec, normalizeModelSpec } from "./spec";
import { inferShapes } from "./summary";

/** tfjs spells the activations exactly as Keras does, so they are passed on unchanged. */
function buildLayer(layer: LayerSpec): tfl.layers.Layer {
  const name = layer.name;
  switch (layer.class_name) {
    case "Conv2D": {
      const c = layer.config;
      return tfl.layers.conv2d({
        name,
        filters: c.filters,
        kernelSize: c.kernel_size,
        strides: c.strides,
        padding: c.padding,
        dilationRate: c.dilation_rate,
        activation: c.activation,
        useBias: c.use_bias,
      });
    }
    case "MaxPooling2D":
      return tfl.layers.maxPooling2d({ name, poolSize: layer.config.pool_size, strides: layer.config.strides, padding: layer.config.padding });
    case "AveragePooling2D":
      return tfl.layers.averagePooling2d({ name, poolSize: layer.config.pool_size, strides: layer.config.strides, padding: layer.config.padding });
    case "Flatten":
      return tfl.layers.flatten({ name });
    case "GlobalAveragePooling2D":
      return tfl.layers.globalAveragePooling2d({ name });
    case "Dense":
      return tfl.layers.dense({ name, units: layer.config.units, activation: layer.config.activation, useBias: layer.config.use_bias });
    case "Dropout":
      // Keras's `seed` advances between batches; tfjs's would draw the same mask every batch
      // and stop dropout from regularising, so it is not passed on.
      return tfl.layers.dropout({ name, rate: layer.config.rate });
    case "BatchNormalization":
      return tfl.layers.batchNormalization({ name, momentum: layer.config.momentum, epsilon: layer.config.epsilon });
    case "Activation":
      return tfl.layers.activation({ name, activation: layer.config.activation });
    case "LeakyReLU":
      return tfl.layers.leakyReLU({ name, alpha: layer.config.negative_slope });
    case "InputLayer":
      throw new ModelSpecError(`Only the first layer may be an Input layer ('${name}').`, name);
  }
}

/**
 * Builds the tfjs model. Shapes are checked first with the same inference the summary uses, so a
 * model that does not fit fails with a message naming the layer rather than a tfjs stack trace.
 */
export function buildModel(rawSpec: ModelSpec): tfl.LayersModel {
  const spec = normalizeModelSpec(rawSpec);
  inferShapes(spec);
  const [first, ...rest] = spec.layers;
  if (first === undefined || first.class_name !== "InputLayer") throw new ModelSpecError("The model must start with an Input layer.");
  const input = tfl.input({ shape: first.config.shape, name: first.name });
  const outputs = new Map<string, tfl.SymbolicTensor>([[first.name, input]]);
  for (const layer of rest) {
    const source = outputs.get(layer.inbound[0]!)!;
    outputs.set(layer.name, buildLayer(layer).apply(source) as tfl.SymbolicTensor);
  }
  return tfl.model({ inputs: input, outputs: outputs.get(spec.output)!, name: spec.name });
}

export function buildOptimizer(compile: CompileSpec): tf.Optimizer {
  const optimizer = compile.optimizer;
  switch (optimizer.name) {
    case "adam":
      // Keras's defaults: beta_1 0.9, beta_2 0.999, epsilon 1e-7.
      return tf.train.adam(optimizer.learning_rate, 0.9, 0.999, 1e-7);
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
export function compileModel(spec: ModelSpec, rawCompile: CompileSpec): CompiledModel {
  const compile = normalizeCompileSpec(rawCompile);
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
