/**
 * The Adam that kerasToTfjs.ts builds where the backend has the `FusedAdamUpdate` kernel (wasm
 * with this project's kernels, adam.ts): tfjs-core's AdamOptimizer runs about a dozen
 * elementwise kernels per variable, this one kernel. No Node modules here: the GPU webview
 * builds its models with kerasToTfjs.ts too.
 */
import * as tf from "@tensorflow/tfjs-core";

export const FUSED_ADAM_UPDATE = "FusedAdamUpdate";

/** Attributes of one fused step; `c1`, `c2` are 1 − β1^t and 1 − β2^t. */
export interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  c1: number;
  c2: number;
  epsilon: number;
  learningRate: number;
}

/** Whether the active backend runs FusedAdamUpdate (registered for wasm with the SIMD kernel set). */
export function fusedAdamAvailable(): boolean {
  return tf.getKernel(FUSED_ADAM_UPDATE, tf.getBackend()) !== undefined;
}

/** The fields of tfjs-core 4.22's AdamOptimizer that its applyGradients uses (TypeScript-private there). */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

/**
 * tfjs-core's Adam with its update fused into one kernel per variable. Everything else (moments'
 * names and order, saving and restoring them, the config, `className` "Adam") is the parent's,
 * and where the fused kernel is not there (another backend became active) the parent's own
 * update runs.
 *
 * Against Keras 3 (keras/src/optimizers/adam.py): Keras steps by
 *   x −= m'·α / (√v' + ε)   with α = lr·√(1 − β2^t) / (1 − β1^t),
 * adding ε to √v' itself, where tfjs (and this) adds it to √v̂ = √(v' / (1 − β2^t)): the same
 * update with Keras's ε scaled by 1 / √(1 − β2^t) (about 32× on the first step, 1× late in
 * training). It changes the step only while √v̂ is as small as ε, i.e. for near-zero gradients.
 * Keras also updates the moments as m += (g − m)·(1 − β1), equal to tfjs's m·β1 + g·(1 − β1)
 * up to float32 rounding.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer["applyGradients"]>[0]): void {
    const state = this as unknown as AdamState;
    if (!fusedAdamAvailable()) {
      super.applyGradients(variableGradients);
      return;
    }
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    // Read once per step, as float32 like the tensors they come from; 1 − β^t as tfjs's float32 `sub`.
    const c1 = Math.fround(1 - state.accBeta1.dataSync()[0]!);
    const c2 = Math.fround(1 - state.accBeta2.dataSync()[0]!);
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        // Created as the parent creates them (names, order, not trainable), so saved optimizer weights are the same.
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
        if (gradient === null || gradient === undefined) return;
        const m = state.accumulatedFirstMoment[i]!.variable;
        const v = state.accumulatedSecondMoment[i]!.variable;
        if (value.dtype !== "float32" || gradient.dtype !== "float32") throw new Error(`Adam on ${value.dtype} weights`);
        const attrs: FusedAdamAttrs = { beta1: this.beta1, beta2: this.beta2, c1, c2, epsilon: this.epsilon, learningRate: this.learningRate };
        const [newValue, newM, newV] = tf.engine().runKernel(FUSED_ADAM_UPDATE, { x: value, m, v, g: gradient }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(newM!);
        v.assign(newV!);
        value.assign(newValue!);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}
