/**
 * Convolution gradients composed from a backend's fast forward Conv2D (XNNPACK on wasm) plus
 * Transpose, Reverse, PadV2, Reshape and Slice. The wasm backend has no Conv2DBackpropFilter at
 * all, and its Conv2DBackpropInput is a plain loop several times slower than its Conv2D.
 *
 * Filter gradient: dW[i, j, c, k] = Σ_{n, y, x} X[n, y·s + i·d − pad, x·s + j·d − pad, c] · dY[n, y, x, k].
 * Read with the channels `c` as the batch and the images `n` as the channels, that is a Conv2D of
 * the transposed input with the transposed output gradient as its filter, where the forward
 * stride becomes the dilation and the forward dilation the stride.
 *
 * Input gradient: the forward convolution's transpose — dY with stride-1 zeros between its rows
 * and columns, convolved (stride 1, the forward dilation) with the filter flipped in space and
 * with its in/out channels swapped.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { compose } from "./compose";
import { heapOffset, simdKernelsFor, singleThreaded } from "./simd";

type Pair = [number, number];

function pair(value: unknown, fallback: number): Pair {
  if (typeof value === "number") return [value, value];
  if (Array.isArray(value) && value.length === 2) return [Number(value[0]), Number(value[1])];
  return [fallback, fallback];
}

interface ConvGeometry {
  strides: Pair;
  dilations: Pair;
  info: tf.backend_util.Conv2DInfo;
}

function geometry(xShape: number[], filterShape: number[], attrs: tf.NamedAttrMap): ConvGeometry {
  const dataFormat = (attrs["dataFormat"] as string | undefined) ?? "NHWC";
  if (dataFormat !== "NHWC") throw new Error(`Composed convolution gradients support NHWC only, not ${dataFormat}.`);
  const strides = pair(attrs["strides"], 1);
  const dilations = pair(attrs["dilations"], 1);
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    attrs["pad"] as "valid" | "same" | number,
    attrs["dimRoundingMode"] as "floor" | "round" | "ceil" | undefined,
  );
  return { strides, dilations, info };
}

/**
 * `simd` (wasm only): the filter gradient in one pass of WebAssembly SIMD over the input and the
 * output gradient (wasm/training_kernels.c) when it loads, without the two transposes.
 */
export function conv2dBackpropFilterKernel(backendName: string, simd = false): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, backend, attrs = {} }) => {
      const x = inputs["x"]!;
      const dy = inputs["dy"]!;
      const filterShape = attrs["filterShape"] as number[];
      const { strides, dilations, info } = geometry(x.shape, filterShape, attrs);
      const [filterHeight, filterWidth, inChannels, outChannels] = filterShape as [number, number, number, number];
      const kernels = simd ? simdKernelsFor(backend as BackendWasm) : undefined;
      if (kernels && !(kernels instanceof Error)) {
        const wasm = backend as BackendWasm;
        const out = wasm.makeOutput(filterShape, "float32");
        const [batch, inHeight, inWidth] = x.shape as [number, number, number, number];
        const [, outHeight, outWidth] = dy.shape as [number, number, number, number];
        kernels.conv2dBackpropFilter(
          heapOffset(wasm, x),
          heapOffset(wasm, dy),
          heapOffset(wasm, out),
          ...[batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth],
          ...[strides[0], strides[1], dilations[0], dilations[1], info.padInfo.top, info.padInfo.left],
        );
        return out;
      }
      return compose(backendName, backend as tf.KernelBackend, (k) => {
        const xT = k.run(tf.Transpose, { x }, { perm: [3, 1, 2, 0] }); // [Cin, H, W, N]
        const dyT = k.run(tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] }); // [OH, OW, N, Cout]
        const pad = [
          [0, 0],
          [info.padInfo.top, info.padInfo.bottom],
          [info.padInfo.left, info.padInfo.right],
          [0, 0],
        ];
        const grad = k.run(tf.Conv2D, { x: xT, filter: dyT }, { strides: dilations, dilations: strides, pad, dataFormat: "NHWC" }); // [Cin, >=FH, >=FW, Cout]
        const exact =
          grad.shape[1] === filterHeight && grad.shape[2] === filterWidth
            ? grad
            : k.run(tf.Slice, { x: grad }, { begin: [0, 0, 0, 0], size: [inChannels, filterHeight, filterWidth, outChannels] });
        return k.run(tf.Transpose, { x: exact }, { perm: [1, 2, 0, 3] });
      });
    },
  };
}

/**
 * `simd` (wasm only): the input gradient gathered in one pass of WebAssembly SIMD
 * (wasm/training_kernels.c) when it loads and the backend runs on one thread, without the padded zeros the composed convolution
 * multiplies (a third of its work for the lesson's 3×3 filters on 13×13 maps).
 */
export function conv2dBackpropInputKernel(backendName: string, simd = false): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName,
    kernelFunc: ({ inputs, backend, attrs = {} }) => {
      const dy = inputs["dy"]!;
      const filter = inputs["filter"]!;
      const inputShape = attrs["inputShape"] as [number, number, number, number];
      const { strides, dilations, info } = geometry(inputShape, filter.shape, attrs);
      const [batch, outHeight, outWidth, outChannels] = dy.shape as [number, number, number, number];
      const [, inHeight, inWidth] = inputShape;
      const [filterHeight, filterWidth, inChannels] = filter.shape as [number, number, number, number];
      const fits = simd && dy.dtype === "float32" && filter.dtype === "float32" && singleThreaded(backend as BackendWasm);
      const kernels = fits ? simdKernelsFor(backend as BackendWasm) : undefined;
      if (kernels && !(kernels instanceof Error)) {
        const wasm = backend as BackendWasm;
        const dx = wasm.makeOutput(inputShape, "float32");
        const scratch = wasm.makeOutput(filter.shape, "float32");
        try {
          kernels.conv2dBackpropInput(
            heapOffset(wasm, dy),
            heapOffset(wasm, filter),
            heapOffset(wasm, scratch),
            heapOffset(wasm, dx),
            ...[batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth],
            ...[strides[0], strides[1], dilations[0], dilations[1], info.padInfo.top, info.padInfo.left],
          );
        } finally {
          wasm.disposeData(scratch.dataId);
        }
        return dx;
      }
      return compose(backendName, backend as tf.KernelBackend, (k) => {
        let spread = dy;
        if (strides[0] > 1 || strides[1] > 1) {
          // Put stride−1 zeros after every row and column, then drop the trailing ones.
          const grid = k.run(tf.Reshape, { x: dy }, { shape: [batch, outHeight, 1, outWidth, 1, outChannels] });
          const padded = k.run(tf.PadV2, { x: grid }, { paddings: [[0, 0], [0, 0], [0, strides[0] - 1], [0, 0], [0, strides[1] - 1], [0, 0]], constantValue: 0 });
          const flat = k.run(tf.Reshape, { x: padded }, { shape: [batch, outHeight * strides[0], outWidth * strides[1], outChannels] });
          spread = k.run(tf.Slice, { x: flat }, { begin: [0, 0, 0, 0], size: [batch, (outHeight - 1) * strides[0] + 1, (outWidth - 1) * strides[1] + 1, outChannels] });
        }
        const flipped = k.run(tf.Reverse, { x: filter }, { dims: [0, 1] });
        const swapped = k.run(tf.Transpose, { x: flipped }, { perm: [0, 1, 3, 2] }); // [FH, FW, Cout, Cin]
        const top = dilations[0] * (filterHeight - 1) - info.padInfo.top;
        const left = dilations[1] * (filterWidth - 1) - info.padInfo.left;
        const bottom = inHeight + dilations[0] * (filterHeight - 1) - spread.shape[1]! - top;
        const right = inWidth + dilations[1] * (filterWidth - 1) - spread.shape[2]! - left;
        const pad = [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ];
        return k.run(tf.Conv2D, { x: spread, filter: swapped }, { strides: [1, 1], dilations, pad, dataFormat: "NHWC" });
      });
    },
  };
}
