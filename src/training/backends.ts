/**
 * Picks the TensorFlow.js backend: native GPU → native CPU → wasm → plain JS, or the one the
 * learner's setting names, and reports why each one tried did or did not load. The two native
 * packages are optional dependencies (they download libtensorflow when installed, which fails
 * offline), so they are loaded with a guarded `require` and the bundle keeps them external.
 */
import * as path from "node:path";
import * as fs from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { version_cpu } from "@tensorflow/tfjs-backend-cpu";
// Training needs every op's gradient; tfjs-core registers them only when asked.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { BackendName, BackendPreference, BackendReport } from "../protocol/training";
import { BackendUnavailableError } from "./errors";
import { registerWasmTrainingKernels } from "./kernels";
import { registerThreadedWasmFactory, type WasmStart } from "./wasmThreads";
import { GPU_BACKENDS, type GpuBackendName } from "../protocol/gpuWebview";
import { gpuHostConnected, startGpuBackendOnHost } from "./gpuRelay";
import { nativeGpuNeeds, nativePackagePath } from "../protocol/nativeTensorflow";

/**
 * The plain-JS backend registers itself when its module runs. Its package marks the Node entry as
 * free of side effects, so a bundler drops the module unless one of its exports is used at run
 * time: the version shown in the backend report is that use.
 */
const CPU_BACKEND_DETAIL = `tfjs-backend-cpu ${version_cpu}`;

export const BACKEND_ORDER: readonly BackendName[] = ["tensorflow-gpu", "webgpu", "webgl", "tensorflow", "wasm", "cpu"];

export function isGpuBackend(backend: BackendName): backend is GpuBackendName {
  return (GPU_BACKENDS as readonly string[]).includes(backend);
}

/**
 * Renderers that draw on the CPU (Chromium's SwiftShader, Mesa's llvmpipe, Windows's Basic Render
 * Driver): WebGL and WebGPU work on them, but slower than WebAssembly, so `auto` passes them by.
 */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|basic render|software/i;
/** Set (to anything) on a machine without a GPU to let `auto` measure its software renderers too. */
export const MEASURE_SOFTWARE_GPU_ENV = "DL_LESSONS_MEASURE_SOFTWARE_GPU";

// The library's console hints ("install the node backend") are not for learners.
tf.env().set("PROD", true);

/**
 * Where the wasm binaries are: next to the bundle (`dist/wasm/`, copied by esbuild.mjs) or, when
 * running from source, in the package itself.
 */
function wasmDirectory(): string {
  const bundled = path.join(__dirname, "wasm");
  if (fs.existsSync(path.join(bundled, "tfjs-backend-wasm-simd.wasm"))) return bundled + path.sep;
  return path.join(wasmPackageDirectory(), "dist") + path.sep;
}

/** Resolved at run time on purpose: from source the binaries are in the package itself. */
function wasmPackageDirectory(): string {
  return path.dirname(require.resolve(["@tensorflow", "tfjs-backend-wasm", "package.json"].join("/")));
}

/** Where the threaded build's glue, worker script and binary are: next to the bundle, or in the package's wasm-out. */
function threadedWasmDirectory(): string {
  const bundled = path.join(__dirname, "wasm");
  if (fs.existsSync(path.join(bundled, "tfjs-backend-wasm-threaded-simd.js"))) return bundled;
  return path.join(wasmPackageDirectory(), "wasm-out");
}

/** How the wasm backend started, once it has (it starts once per process). */
let wasmStart: WasmStart | undefined;
let threadedFactoryRegistered = false;

function wasmDetail(start: WasmStart | undefined): string | undefined {
  if (!start) return undefined;
  const threads = `${start.threads} thread${start.threads === 1 ? "" : "s"}`;
  return start.note ? `${threads} (${start.note})` : threads;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot find module/.test(message)) return "not installed";
  if (/libcud|cuda|cudnn/i.test(message)) return `no CUDA: ${message.split("\n")[0]}`;
  if (/libtensorflow|\.node\b|binding/i.test(message)) return `native library failed to load: ${message.split("\n")[0]}`;
  return message.split("\n")[0] ?? message;
}

/**
 * Loads one native package. Its own copy of tfjs-core registers the backend; when that copy is
 * not the one this code uses (a bundle), the backend and its kernels are registered here too.
 */
function loadNative(pkg: "@tensorflow/tfjs-node-gpu" | "@tensorflow/tfjs-node", name: string): void {
  // A plain require of a name held in a variable: esbuild leaves it alone (the packages are
  // external), and a missing package is an ordinary exception here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nativeTf = require(nativePackagePath(pkg)) as typeof tf;
  if (nativeTf.engine() !== tf.engine()) {
    const backend = nativeTf.findBackend(name);
    if (!backend) throw new Error(`${pkg} did not register the '${name}' backend`);
    tf.registerBackend(name, () => backend);
    for (const kernel of nativeTf.getKernelsForBackend(name)) tf.registerKernel(kernel);
  }
}

/** The GPU each webview backend last started on, for the report. */
const gpuDevices = new Map<GpuBackendName, string>();
/**
 * What starting each webview backend last gave. Once `auto` has measured a CPU backend faster,
 * the report takes these instead of starting them again: the GPU Trainer tab, closed then, does
 * not open on every Train only to be passed by.
 */
const lastGpuAttempts = new Map<GpuBackendName, BackendReport["attempts"][number]>();

async function tryBackend(backend: BackendName, preference: BackendPreference): Promise<void> {
  switch (backend) {
    case "webgpu":
    case "webgl": {
      const start = await startGpuBackendOnHost(backend);
      if (!start.loaded) throw new Error(start.reason);
      if (preference === "auto" && SOFTWARE_RENDERER.test(start.device) && !process.env[MEASURE_SOFTWARE_GPU_ENV]) throw new Error(`${start.device} is a software renderer, slower than WebAssembly on the CPU`);
      gpuDevices.set(backend, start.device);
      // This process keeps a copy of the model for validation, testing and saving (gpuRelay.ts).
      await tryBackend("wasm", "wasm").catch(() => tryBackend("cpu", "cpu"));
      return;
    }
    case "tensorflow-gpu":
      loadNative("@tensorflow/tfjs-node-gpu", "tensorflow");
      if (!(await tf.setBackend("tensorflow"))) throw new Error("no CUDA device could be initialised");
      return;
    case "tensorflow":
      loadNative("@tensorflow/tfjs-node", "tensorflow");
      if (!(await tf.setBackend("tensorflow"))) throw new Error("the native backend did not initialise");
      return;
    case "wasm": {
      // The threaded SIMD build on the learner's cores, or the single-threaded one (wasmThreads.ts).
      setWasmPaths(wasmDirectory());
      if (!threadedFactoryRegistered) {
        threadedFactoryRegistered = true;
        registerThreadedWasmFactory(threadedWasmDirectory(), (start) => (wasmStart = start));
      }
      registerWasmTrainingKernels();
      // The wasm module's loader adds process handlers that rethrow every uncaught error and
      // print its whole minified source with it; errors are this program's to report.
      const exceptionHandlers = process.listeners("uncaughtException");
      const rejectionHandlers = process.listeners("unhandledRejection");
      const ok = await tf.setBackend("wasm");
      for (const listener of process.listeners("uncaughtException")) {
        if (!exceptionHandlers.includes(listener)) process.removeListener("uncaughtException", listener);
      }
      for (const listener of process.listeners("unhandledRejection")) {
        if (!rejectionHandlers.includes(listener)) process.removeListener("unhandledRejection", listener);
      }
      if (!ok) throw new Error("WebAssembly did not initialise");
      return;
    }
    case "cpu":
      if (!tf.findBackendFactory("cpu")) throw new Error(`${CPU_BACKEND_DETAIL} did not register itself`);
      if (!(await tf.setBackend("cpu"))) throw new Error("the JavaScript backend did not initialise");
      return;
  }
}

/** What `auto`'s calibration measured (gpuCalibration.ts): images/s of each backend, and the fastest. */
export interface Calibration {
  imagesPerSecond: Partial<Record<BackendName, number>>;
  chosen: BackendName;
}
let calibration: Calibration | undefined;

export function recordCalibration(result: Calibration): void {
  calibration = result;
}

export function lastCalibration(): Calibration | undefined {
  return calibration;
}

function loadedDetail(backend: BackendName): string | undefined {
  const base = backend === "wasm" ? wasmDetail(wasmStart) : backend === "cpu" ? CPU_BACKEND_DETAIL : isGpuBackend(backend) ? gpuDevices.get(backend) : undefined;
  const measured = calibration?.imagesPerSecond[backend];
  const speed = measured === undefined ? undefined : `measured ${Math.round(measured).toLocaleString("en-US")} images/s`;
  return [base, speed].filter((part) => part !== undefined).join("; ") || undefined;
}

function loadedAttempt(backend: BackendName): BackendReport["attempts"][number] {
  const detail = loadedDetail(backend);
  return { backend, loaded: true, ...(detail ? { detail } : {}) };
}

/**
 * Activates the preferred backend, or for `auto` the first of the process's own chain that loads
 * (native GPU, native CPU, wasm, cpu), after starting the webview's GPU backends (when the editor
 * is there) so that the report names them. A GPU backend becomes `auto`'s choice only once
 * measured faster (gpuCalibration.ts). Throws BackendUnavailableError.
 */
export async function selectBackend(preference: BackendPreference = "auto", options: { probeGpu?: boolean } = {}): Promise<BackendReport> {
  const attempts: BackendReport["attempts"] = [];
  const gpuLoaded: BackendName[] = [];
  const passedByMeasurement = calibration !== undefined && !isGpuBackend(calibration.chosen) && lastGpuAttempts.size > 0;
  // Without the editor around this process (the command line) there is no webview to train in.
  if (preference === "auto" && gpuHostConnected() && options.probeGpu !== false) {
    for (const backend of GPU_BACKENDS) {
      const before = lastGpuAttempts.get(backend);
      if (passedByMeasurement) {
        if (before) attempts.push(before.loaded ? loadedAttempt(backend) : before);
        continue;
      }
      try {
        await tryBackend(backend, preference);
        gpuLoaded.push(backend);
        const attempt = loadedAttempt(backend);
        attempts.push(attempt);
        lastGpuAttempts.set(backend, attempt);
      } catch (error) {
        // A client that serves no GPU requests (not the editor) is no GPU host: nothing to report.
        if (!gpuHostConnected()) continue;
        const attempt = { backend, loaded: false, reason: describe(error) };
        attempts.push(attempt);
        lastGpuAttempts.set(backend, attempt);
      }
    }
  }
  const order = preference === "auto" ? BACKEND_ORDER.filter((backend) => !isGpuBackend(backend)) : [preference];
  for (const backend of order) {
    try {
      await tryBackend(backend, preference);
      attempts.push(loadedAttempt(backend));
      const measuredFaster = calibration && gpuLoaded.includes(calibration.chosen) ? calibration.chosen : undefined;
      return { active: measuredFaster ?? backend, attempts };
    } catch (error) {
      // Where native GPU training did not load, what it needs on this machine and what is missing.
      const reason = backend === "tensorflow-gpu" ? `${describe(error)}. ${nativeGpuNeeds()}` : describe(error);
      attempts.push({ backend, loaded: false, reason });
    }
  }
  const reasons = attempts.map((a) => `${a.backend}: ${a.reason ?? "failed"}`).join("; ");
  throw new BackendUnavailableError(
    preference === "auto"
      ? `No TensorFlow.js backend could be loaded (${reasons}).`
      : `The backend '${preference}' could not be loaded (${reasons}). Set the backend to 'auto' to use the best one available.`,
  );
}
