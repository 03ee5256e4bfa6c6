/**
 * Loads the WebAssembly SIMD training kernels (wasm/training_kernels.c, built by
 * scripts/build-kernels.mjs) into the tfjs wasm backend's own memory: the module imports the
 * backend's Memory, so its functions take tensors' heap offsets and nothing is copied. One
 * instance per backend (the threaded backend's memory is shared and needs the threaded build).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type * as tf from "@tensorflow/tfjs-core";

export interface SimdKernels {
  conv2dBackpropFilter(x: number, dy: number, dw: number, ...geometry: number[]): void;
  /** `scratch` holds the filter rearranged to [fh, fw, cout, cin] while the kernel runs. */
  conv2dBackpropInput(dy: number, filter: number, scratch: number, dx: number, ...geometry: number[]): void;
  maxPoolGrad2x2(x: number, dy: number, dx: number, batch: number, inHeight: number, inWidth: number, channels: number, outHeight: number, outWidth: number): void;
  sumLeading(x: number, out: number, rows: number, columns: number): void;
  addRowVector(x: number, vector: number, out: number, rows: number, columns: number): void;
  reluGrad(dy: number, x: number, dx: number, count: number): void;
  matmul(a: number, b: number, c: number, batch: number, m: number, n: number, k: number, transposeA: number, transposeB: number): void;
  /** Heap offsets of x, m, v, g, then of the new x, m, v; then the count and Adam's scalars. */
  adamUpdate(...args: number[]): void;
}

/** The kernels' own stack, allocated from the backend's heap (they use little or none). */
const STACK_BYTES = 64 * 1024;

/** Where the built kernels are: next to the bundle (dist/wasm) or, from source, in out/wasm. */
export function kernelDirectory(): string {
  const bundled = path.join(__dirname, "wasm");
  if (fs.existsSync(path.join(bundled, "training-kernels.wasm"))) return bundled;
  return path.join(__dirname, "..", "..", "..", "out", "wasm");
}

interface EmscriptenHeap {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
}

const instances = new WeakMap<object, SimdKernels | Error>();

/** The kernels bound to `backend`'s heap, or the reason they cannot be (reported once, then cached). */
export function simdKernelsFor(backend: BackendWasm): SimdKernels | Error {
  const cached = instances.get(backend);
  if (cached) return cached;
  let result: SimdKernels | Error;
  try {
    result = instantiate(backend);
  } catch (error) {
    result = error instanceof Error ? error : new Error(String(error));
  }
  instances.set(backend, result);
  return result;
}

function instantiate(backend: BackendWasm): SimdKernels {
  const heap = backend.wasm as unknown as EmscriptenHeap;
  const memory = heap.wasmMemory ?? heap.asm?.memory;
  if (!memory) throw new Error("the wasm backend's memory is not reachable");
  const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
  const file = path.join(kernelDirectory(), shared ? "training-kernels-threaded.wasm" : "training-kernels.wasm");
  if (!fs.existsSync(file)) throw new Error(`${path.basename(file)} is not built (npm run build)`);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), { env: { memory } });
  const exports = instance.exports as Record<string, unknown>;
  const stack = exports["__stack_pointer"] as WebAssembly.Global;
  // The stack grows down from the end of its block; 16-byte aligned as clang expects.
  stack.value = ((heap._malloc(STACK_BYTES) + STACK_BYTES) & ~15) >>> 0;
  // A binary built from an older training_kernels.c lacks the newer kernels: then none is used.
  const fn = (name: string) => {
    const kernel = exports[name];
    if (typeof kernel !== "function") throw new Error(`${path.basename(file)} has no ${name}: it was built from an older training_kernels.c (npm run build)`);
    return kernel as (...args: number[]) => void;
  };
  const filter = fn("conv2d_backprop_filter");
  const input = fn("conv2d_backprop_input");
  const pool = fn("max_pool_grad_2x2");
  const sum = fn("sum_leading");
  const addRow = fn("add_row_vector");
  const reluGrad = fn("relu_grad");
  const product = fn("matmul");
  const adam = fn("adam_update");
  return {
    conv2dBackpropFilter: (x, dy, dw, ...geometry) => filter(x, dy, dw, ...geometry),
    conv2dBackpropInput: (dy, w, scratch, dx, ...geometry) => input(dy, w, scratch, dx, ...geometry),
    maxPoolGrad2x2: (x, dy, dx, batch, inHeight, inWidth, channels, outHeight, outWidth) => pool(x, dy, dx, batch, inHeight, inWidth, channels, outHeight, outWidth),
    sumLeading: (x, out, rows, columns) => sum(x, out, rows, columns),
    addRowVector: (x, vector, out, rows, columns) => addRow(x, vector, out, rows, columns),
    reluGrad: (dy, x, dx, count) => reluGrad(dy, x, dx, count),
    matmul: (a, b, c, batch, m, n, k, transposeA, transposeB) => product(a, b, c, batch, m, n, k, transposeA, transposeB),
    adamUpdate: (...args) => adam(...args),
  };
}

/** A float32 tensor's byte offset on the backend's heap. */
export function heapOffset(backend: BackendWasm, info: tf.TensorInfo): number {
  return (backend.dataIdMap.get(info.dataId) as { memoryOffset: number }).memoryOffset;
}

const threadCounts = new WeakMap<object, number>();

/**
 * Whether `backend` runs XNNPACK on one thread. The SIMD kernels run on the calling thread
 * only, so those that replace an XNNPACK kernel (the convolution input gradient, which the
 * composed kernel runs through XNNPACK's Conv2D, and BatchMatMul) are used on one thread alone; on the threaded build XNNPACK's own share the
 * work among the threads.
 */
export function singleThreaded(backend: BackendWasm): boolean {
  let threads = threadCounts.get(backend);
  if (threads === undefined) {
    const count = (backend.wasm as { tfjs: { getThreadsCount?: () => number } }).tfjs.getThreadsCount?.();
    threads = typeof count === "number" && count > 0 ? count : 1;
    threadCounts.set(backend, threads);
  }
  return threads === 1;
}
