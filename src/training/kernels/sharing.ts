/**
 * Identity and same-dtype Cast for the wasm backend that share the input's memory instead of
 * copying it. The engine clones every tensor a gradient saves (an Identity per saved tensor) and
 * the ReLU gradient casts float32 to float32: on wasm each was a full copy, about 2 ms per step of
 * the lesson's model. Tensors are immutable, and the wasm backend already counts references to
 * shared memory for Reshape, so sharing is safe; the cpu backend does the same.
 */
import * as tf from "@tensorflow/tfjs-core";

function share(x: tf.TensorInfo, backend: tf.KernelBackend): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function identityKernel(copying: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Identity,
    backendName: "wasm",
    kernelFunc: (args) => {
      const x = args.inputs["x"]!;
      return x.dtype === "string" ? copying.kernelFunc(args) : share(x, args.backend as tf.KernelBackend);
    },
  };
}

export function castKernel(converting: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Cast,
    backendName: "wasm",
    kernelFunc: (args) => {
      const x = args.inputs["x"]!;
      return x.dtype === args.attrs?.["dtype"] ? share(x, args.backend as tf.KernelBackend) : converting.kernelFunc(args);
    },
  };
}
