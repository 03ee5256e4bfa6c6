/**
 * MaxPoolGrad for windows that do not overlap (stride equal to the pool size, no padding: every
 * MaxPooling2D the lessons write), composed from the backend's own kernels. The wasm backend's
 * MaxPoolGrad (tfjs 4.22) sends the gradient of a window whose values are all negative to the
 * wrong place, which silently breaks training after tanh, ELU, SELU or linear layers.
 *
 * Each window becomes one row; ArgMax picks its first maximum, as the reference kernels do, and
 * OneHot × dY puts the gradient there. (MaxPoolWithArgmax + ScatterNd would be shorter, but the
 * wasm MaxPoolWithArgmax has the same fault.) Overlapping windows still use the backend's kernel.
 */
import * as tf from "@tensorflow/tfjs-core";
import { compose } from "./compose";

export function maxPoolGradKernel(backendName: string, fallback: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName,
    // The backend binds its own kernel to the wasm module in this hook; keep it for the fallback.
    ...(fallback.setupFunc ? { setupFunc: fallback.setupFunc } : {}),
    kernelFunc: (args) => {
      const { inputs, backend, attrs = {} } = args;
      const dy = inputs["dy"]!;
      const x = inputs["input"]!;
      const info = tf.backend_util.computePool2DInfo(
        x.shape as [number, number, number, number],
        attrs["filterSize"] as [number, number] | number,
        attrs["strides"] as [number, number] | number,
        1,
        attrs["pad"] as "valid" | "same" | number,
        attrs["dimRoundingMode"] as "floor" | "round" | "ceil" | undefined,
      );
      const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
      const coveredHeight = outHeight * filterHeight;
      const coveredWidth = outWidth * filterWidth;
      const disjoint = strideHeight === filterHeight && strideWidth === filterWidth && padInfo.top === 0 && padInfo.left === 0;
      if (!disjoint || coveredHeight > inHeight || coveredWidth > inWidth) return fallback.kernelFunc(args);
      const window = filterHeight * filterWidth;
      const rows = batchSize * outHeight * outWidth * inChannels;
      const whole = coveredHeight === inHeight && coveredWidth === inWidth;
      return compose(backendName, backend as tf.KernelBackend, (k) => {
        const cropped = whole ? x : k.run(tf.Slice, { x }, { begin: [0, 0, 0, 0], size: [batchSize, coveredHeight, coveredWidth, inChannels] });
        const blocks = k.run(tf.Reshape, { x: cropped }, { shape: [batchSize, outHeight, filterHeight, outWidth, filterWidth, inChannels] });
        const windows = k.run(tf.Transpose, { x: blocks }, { perm: [0, 1, 3, 5, 2, 4] }); // [N, OH, OW, C, FH, FW]
        const flat = k.run(tf.Reshape, { x: windows }, { shape: [rows, window] });
        const winner = k.run(tf.ArgMax, { x: flat }, { axis: 1 });
        // The wasm OneHot writes int32 whatever dtype it is asked for, hence the Cast.
        const hot = k.run(tf.OneHot, { indices: winner }, { depth: window, onValue: 1, offValue: 0, dtype: "int32" });
        const mask = k.run(tf.Cast, { x: hot }, { dtype: "float32" });
        const dyColumn = k.run(tf.Reshape, { x: dy }, { shape: [rows, 1] });
        const spread = k.run(tf.Multiply, { a: mask, b: dyColumn });
        const spreadWindows = k.run(tf.Reshape, { x: spread }, { shape: [batchSize, outHeight, outWidth, inChannels, filterHeight, filterWidth] });
        const back = k.run(tf.Transpose, { x: spreadWindows }, { perm: [0, 1, 4, 2, 5, 3] }); // [N, OH, FH, OW, FW, C]
        const image = k.run(tf.Reshape, { x: back }, { shape: [batchSize, coveredHeight, coveredWidth, inChannels] });
        if (whole) return image;
        const paddings = [[0, 0], [0, inHeight - coveredHeight], [0, inWidth - coveredWidth], [0, 0]];
        return k.run(tf.PadV2, { x: image }, { paddings, constantValue: 0 });
      });
    },
  };
}
