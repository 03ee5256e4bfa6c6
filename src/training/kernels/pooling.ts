/**
 * MaxPoolGrad for the wasm backend, computed in JavaScript straight on the wasm heap. The
 * backend's own MaxPoolGrad (tfjs 4.22) sends the gradient of a window whose values are all
 * negative to the wrong place, which silently breaks training after tanh, ELU, SELU or linear
 * layers; it is also a plain loop, and a kernel composed from the backend's kernels (window rows,
 * ArgMax, OneHot, Transposes) made eight passes over the data where this makes one.
 *
 * Each window sends its gradient to its first maximum in row-major order, as the reference
 * kernels do; overlapping windows add up, padded positions never win.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapOffset, simdKernelsFor } from "./simd";

/** `simd`: the 2×2, stride-2 case in WebAssembly SIMD (wasm/training_kernels.c) when it loads. */
export function maxPoolGradKernel(simd = true): tf.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs = {} }) => {
      const wasm = backend as BackendWasm;
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
      const twoByTwo = filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2 && padInfo.top === 0 && padInfo.left === 0 && outHeight * 2 <= inHeight && outWidth * 2 <= inWidth;
      const out = wasm.makeOutput(x.shape, "float32");
      const kernels = simd && twoByTwo ? simdKernelsFor(wasm) : undefined;
      if (kernels && !(kernels instanceof Error)) {
        kernels.maxPoolGrad2x2(heapOffset(wasm, x), heapOffset(wasm, dy), heapOffset(wasm, out), batchSize, inHeight, inWidth, inChannels, outHeight, outWidth);
        return out;
      }
      // Views are taken after the allocation: growing the wasm memory detaches older ones.
      const dx = wasm.typedArrayFromHeap(out) as Float32Array;
      const xs = wasm.typedArrayFromHeap(x) as Float32Array;
      const dys = wasm.typedArrayFromHeap(dy) as Float32Array;
      dx.fill(0);
      if (twoByTwo) {
        spreadOverTwoByTwo(xs, dys, dx, batchSize, inHeight, inWidth, inChannels, outHeight, outWidth);
        return out;
      }
      let dyIndex = 0;
      for (let b = 0; b < batchSize; b++) {
        for (let oy = 0; oy < outHeight; oy++) {
          const yStart = oy * strideHeight - padInfo.top;
          const yFrom = Math.max(0, yStart);
          const yTo = Math.min(inHeight, yStart + filterHeight);
          for (let ox = 0; ox < outWidth; ox++) {
            const xStart = ox * strideWidth - padInfo.left;
            const xFrom = Math.max(0, xStart);
            const xTo = Math.min(inWidth, xStart + filterWidth);
            for (let c = 0; c < inChannels; c++, dyIndex++) {
              let best = -Infinity;
              let bestIndex = -1;
              for (let y = yFrom; y < yTo; y++) {
                let index = ((b * inHeight + y) * inWidth + xFrom) * inChannels + c;
                for (let xx = xFrom; xx < xTo; xx++, index += inChannels) {
                  const value = xs[index]!;
                  if (value > best) {
                    best = value;
                    bestIndex = index;
                  }
                }
              }
              if (bestIndex >= 0) dx[bestIndex]! += dys[dyIndex]!;
            }
          }
        }
      }
      return out;
    },
  };
}

/**
 * The lessons' MaxPooling2D(2): the same rule with the window unrolled, about 1.6 times faster
 * than the general loop.
 */
function spreadOverTwoByTwo(xs: Float32Array, dys: Float32Array, dx: Float32Array, batchSize: number, inHeight: number, inWidth: number, channels: number, outHeight: number, outWidth: number): void {
  const down = inWidth * channels;
  let dyIndex = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        let topLeft = ((b * inHeight + oy * 2) * inWidth + ox * 2) * channels;
        for (let c = 0; c < channels; c++, dyIndex++, topLeft++) {
          const right = topLeft + channels;
          const below = topLeft + down;
          const belowRight = below + channels;
          let best = -Infinity;
          let bestIndex = -1;
          if (xs[topLeft]! > best) {
            best = xs[topLeft]!;
            bestIndex = topLeft;
          }
          if (xs[right]! > best) {
            best = xs[right]!;
            bestIndex = right;
          }
          if (xs[below]! > best) {
            best = xs[below]!;
            bestIndex = below;
          }
          if (xs[belowRight]! > best) bestIndex = belowRight;
          if (bestIndex >= 0) dx[bestIndex]! += dys[dyIndex]!;
        }
      }
    }
  }
}
