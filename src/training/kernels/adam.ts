/**
 * A fused Adam update for the wasm backend. tfjs-core's AdamOptimizer.applyGradients runs about
 * a dozen elementwise kernels per variable (each a pass over memory and a new tensor); on the
 * lesson's model they take several milliseconds of a step. Here one kernel, `FusedAdamUpdate`
 * (WebAssembly SIMD, wasm/training_kernels.c), computes the new value and both moments in one
 * pass with the same float32 arithmetic in the same order.
 *
 * The optimizer is tfjs-core's own class (built where the Keras compile spec is turned into a
 * tfjs model); its `applyGradients` is wrapped so that while the wasm backend with these kernels
 * is active, it takes the fused path, and otherwise the original. The moments are created as the
 * original creates them (same names and order), so saving and restoring optimizer weights is
 * unchanged.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapOffset, simdKernelsFor } from "./simd";

export const FUSED_ADAM_UPDATE = "FusedAdamUpdate";

/** Attributes of one fused step; `c1`, `c2` are 1 − β1^t and 1 − β2^t. */
interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  c1: number;
  c2: number;
  epsilon: number;
  learningRate: number;
}

export function fusedAdamKernel(): tf.KernelConfig {
  return {
    kernelName: FUSED_ADAM_UPDATE,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const kernels = simdKernelsFor(wasm);
      if (kernels instanceof Error) throw kernels;
      const { x, m, v, g } = inputs as Record<"x" | "m" | "v" | "g", tf.TensorInfo>;
      const a = attrs as unknown as FusedAdamAttrs;
      const outputs = [wasm.makeOutput(x!.shape, "float32"), wasm.makeOutput(x!.shape, "float32"), wasm.makeOutput(x!.shape, "float32")];
      kernels.adamUpdate(
        ...[x!, m!, v!, g!, ...outputs].map((info) => heapOffset(wasm, info)),
        tf.util.sizeFromShape(x!.shape),
        ...[a.beta1, a.beta2, 1 - a.beta1, 1 - a.beta2, a.c1, a.c2, a.epsilon, a.learningRate],
      );
      return outputs;
    },
  };
}

/** The fields of tfjs-core 4.22's AdamOptimizer that its applyGradients uses. */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

type ApplyGradients = tf.AdamOptimizer["applyGradients"];
let original: ApplyGradients | undefined;
let fusedEnabled = false;

/** Turns the fused path on or off (the benchmark measures both); installs the wrapper once. */
export function useFusedAdam(enabled: boolean): void {
  fusedEnabled = enabled;
  if (original) return;
  const prototype = tf.AdamOptimizer.prototype;
  original = prototype.applyGradients;
  const unfused = original;
  prototype.applyGradients = function (this: tf.AdamOptimizer, variableGradients) {
    const state = this as unknown as AdamState;
    if (!fusedEnabled || tf.getBackend() !== "wasm" || !state.accBeta1 || simdKernelsFor(tf.backend() as BackendWasm) instanceof Error) {
      return unfused.call(this, variableGradients);
    }
    fusedStep(state, variableGradients);
  };
}

function fusedStep(state: AdamState, variableGradients: Parameters<ApplyGradients>[0]): void {
  const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
  // Read once per step, as float32 like the tensors they come from; 1 − β^t as tfjs's float32 `sub`.
  const c1 = Math.fround(1 - state.accBeta1.dataSync()[0]!);
  const c2 = Math.fround(1 - state.accBeta2.dataSync()[0]!);
  tf.tidy(() => {
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name]!;
      state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
      if (gradient === null || gradient === undefined) return;
      const m = state.accumulatedFirstMoment[i]!.variable;
      const v = state.accumulatedSecondMoment[i]!.variable;
      if (value.dtype !== "float32" || gradient.dtype !== "float32") throw new Error(`Adam on ${value.dtype} weights`);
      const attrs: FusedAdamAttrs = { beta1: state.beta1, beta2: state.beta2, c1, c2, epsilon: state.epsilon, learningRate: state.learningRate };
      const [newValue, newM, newV] = tf.engine().runKernel(FUSED_ADAM_UPDATE, { x: value, m, v, g: gradient }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      m.assign(newM!);
      v.assign(newV!);
      value.assign(newValue!);
    });
    state.accBeta1.assign(tf.mul(state.accBeta1, state.beta1));
    state.accBeta2.assign(tf.mul(state.accBeta2, state.beta2));
  });
  state.incrementIterations();
}
