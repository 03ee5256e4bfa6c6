/**
 * Starts the threaded-SIMD build of the tfjs wasm backend under Node (plain Node 20, or Electron
 * run as Node), where the package itself refuses to: it reports no thread support under Node, and
 * forcing it fails because it hands Emscripten's workers `blob:` URLs, which `worker_threads`
 * rejects (ERR_WORKER_PATH). Here the workers get real files instead: the worker script written
 * to a file and the glue script passed by its path, which each worker reads and evaluates (both
 * written to a temporary folder of the process, the glue with its worker pool sized to the
 * threads asked for).
 *
 * The thread count is the learner's physical cores minus one, left for the editor, unless the
 * `dlLessons.trainingThreads` setting (passed to the training process in TRAINING_THREADS_ENV)
 * names fewer (see `requestedThreads`). One thread, or a threaded start that fails, uses the
 * package's own single-threaded SIMD build, and the reason is reported.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { BackendWasm, setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { TRAINING_THREADS_ENV } from "../protocol/training";

export const THREADED_GLUE = "tfjs-backend-wasm-threaded-simd.js";
export const THREADED_WORKER = "tfjs-backend-wasm-threaded-simd.worker.js";
export const THREADED_BINARY = "tfjs-backend-wasm-threaded-simd.wasm";

/** How the wasm backend started: which build, on how many threads, and why not more. */
export interface WasmStart {
  threads: number;
  /** Why training runs on fewer threads than the machine could give it, in the learner's terms. */
  note?: string;
}

/**
 * Physical cores: on Linux the distinct (package, core) pairs of the CPUs this process may use; on
 * Apple silicon every core (no SMT); elsewhere half the logical ones (SMT is the rule on x64).
 */
export function physicalCores(): number {
  const logical = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  if (process.platform === "linux") {
    try {
      const cores = new Set<string>();
      let physicalId = "0";
      for (const line of fs.readFileSync("/proc/cpuinfo", "utf8").split("\n")) {
        const [key, value] = line.split(":").map((part) => part.trim());
        if (key === "physical id") physicalId = value ?? "0";
        if (key === "core id") cores.add(`${physicalId}:${value ?? ""}`);
      }
      if (cores.size > 0) return Math.max(1, Math.min(cores.size, logical));
    } catch {
      // No /proc (a sandbox): fall through to the estimate.
    }
    return logical;
  }
  if (process.platform === "darwin" && process.arch === "arm64") return logical;
  return Math.max(1, Math.floor(logical / 2));
}

/** Set (to anything) to let the setting put a thread on every core, to measure it (`npm run bench:train`). */
export const MEASURE_ALL_THREADS_ENV = "DL_LESSONS_MEASURE_ALL_THREADS";

/**
 * The thread count to start: the setting when it is a positive whole number, else cores − 1;
 * never more than cores − 1 (at least 1). A thread on every core measured slower than one
 * thread on two cores (`bench:train`: ×0.52–0.83 over five runs, about twice the CPU time per step), since XNNPACK's
 * threads spin waiting for each other whenever the editor or V8's own background threads
 * (garbage collection, compilation) take a core. `asked` is the setting when it was lowered.
 */
export function requestedThreads(environment: NodeJS.ProcessEnv = process.env, cores = physicalCores()): { threads: number; fromSetting: boolean; asked?: number } {
  const most = Math.max(1, cores - 1);
  const setting = Number(environment[TRAINING_THREADS_ENV]);
  if (Number.isInteger(setting) && setting > 0) {
    const asked = Math.min(setting, 64);
    if (asked > most && !environment[MEASURE_ALL_THREADS_ENV]) return { threads: most, fromSetting: true, asked };
    return { threads: asked, fromSetting: true };
  }
  return { threads: most, fromSetting: false };
}

/** Why the setting was lowered, in the learner's terms. */
function loweredNote(asked: number, threads: number): string {
  const cores = physicalCores();
  return `the dlLessons.trainingThreads setting asks for ${asked}, but this computer has ${cores} core${cores === 1 ? "" : "s"}: with a thread on every core training is slower (its threads wait whenever the editor takes a core), so it uses ${threads}`;
}

/** Emscripten's module object, as far as this loader uses it. */
interface EmscriptenModule {
  cwrap(name: string, returnType: string | null, argumentTypes: string[]): (...args: number[]) => number;
  tfjs?: Record<string, unknown>;
  /** Emscripten's pool of Node worker threads. */
  PThread?: { unusedWorkers: { unref?(): void }[]; runningWorkers: { unref?(): void }[] };
}

type ModuleFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

/**
 * The worker script's source from the package's string export. Its string literals hold "\n"
 * escapes that the export's template literal turned into real newlines; they are escaped back, as
 * the package does before making its blob.
 */
export function workerSource(wasmWorkerContents: string): string {
  return wasmWorkerContents.replace(/\n/g, "\\n");
}

/** The glue's fixed pool of workers, all started with the module whatever the thread count. */
const FIXED_POOL = "var pthreadPoolSize=8;";

/**
 * The glue with its worker pool sized by the module's `pthreadPoolSize` (threads − 1: XNNPACK's
 * pool counts the calling thread), instead of eight workers that each load the whole module.
 */
export function glueSource(glue: string): string {
  if (glue.split(FIXED_POOL).length !== 2) throw new Error("the threaded glue is not the one this loader knows (tfjs 4.22)");
  return glue.replace(FIXED_POOL, 'var pthreadPoolSize=Module["pthreadPoolSize"]||8;');
}

let runtimeFolder: string | undefined;

/**
 * The glue and the worker script as real files, written once per process to a temporary folder:
 * the worker reads the glue by its path, and Node's workers start only from files.
 */
function runtimeScripts(directory: string): { glue: string; worker: string } {
  if (!runtimeFolder || !fs.existsSync(runtimeFolder)) {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "dl-lessons-wasm-"));
    process.once("exit", () => fs.rmSync(folder, { recursive: true, force: true }));
    // The package ships the worker script only as a string export, for its blob: URL.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { wasmWorkerContents } = require(path.join(directory, THREADED_WORKER)) as { wasmWorkerContents: string };
    fs.writeFileSync(path.join(folder, THREADED_WORKER), workerSource(wasmWorkerContents));
    fs.writeFileSync(path.join(folder, THREADED_GLUE), glueSource(fs.readFileSync(path.join(directory, THREADED_GLUE), "utf8")));
    runtimeFolder = folder;
  }
  return { glue: path.join(runtimeFolder, THREADED_GLUE), worker: path.join(runtimeFolder, THREADED_WORKER) };
}

/**
 * Instantiates the threaded build from `directory` (which holds its glue, worker script and
 * binary) and returns a wasm backend on `threads` threads. Rejects when it cannot start.
 */
export async function startThreadedWasm(directory: string, threads: number): Promise<BackendWasm> {
  if (typeof SharedArrayBuffer === "undefined") throw new Error("this Node has no SharedArrayBuffer");
  const binary = path.join(directory, THREADED_BINARY);
  for (const file of [THREADED_GLUE, THREADED_WORKER, THREADED_BINARY]) if (!fs.existsSync(path.join(directory, file))) throw new Error(`${file} is missing`);
  const { glue, worker } = runtimeScripts(directory);
  // A plain require of a path in a variable: esbuild leaves it alone, and the worker threads load
  // the same file by the same path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const factory = require(glue) as ModuleFactory;
  const module = await new Promise<EmscriptenModule>((resolve, reject) => {
    factory({
      mainScriptUrlOrBlob: glue,
      pthreadPoolSize: Math.max(1, threads - 1),
      locateFile: (file: string) => (file.endsWith(".worker.js") ? worker : file.endsWith(".wasm") ? binary : path.join(directory, file)),
      onAbort: (message: unknown) => reject(new Error(`the threaded build aborted: ${String(message)}`)),
      // tfjs caps XNNPACK's pool at half of what this import says (logical cores, assuming two
      // per physical core: backend.cc `num_cores`), read once when the module starts. It is
      // told twice the count chosen here, which has already counted physical cores.
      instantiateWasm: (imports: { env: Record<string, unknown> }, receiveInstance: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
        imports.env["emscripten_num_logical_cores"] = () => 2 * threads;
        WebAssembly.instantiate(fs.readFileSync(binary), imports as WebAssembly.Imports).then(({ instance, module: compiled }) => receiveInstance(instance, compiled), reject);
        return {};
      },
    }).then(resolve, reject);
  });
  // The same bridge the package's own loader (backend_wasm.ts `init`) builds.
  module.tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
  setThreadsCount(threads);
  const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  // XNNPACK's threads now wait in their workers; unreferenced, they do not keep a finished
  // program (the CLI, a test) alive. The training process exits on its own terms anyway.
  const pool = module.PThread;
  if (pool) for (const worker of [...pool.unusedWorkers, ...pool.runningWorkers]) worker.unref?.();
  return backend;
}

/**
 * Replaces the wasm backend's factory with one that starts the threaded build when more than
 * one thread is asked for, and the package's single-threaded one otherwise or when that fails.
 * `onStart` learns which happened. Call before the first `tf.setBackend("wasm")`.
 */
export function registerThreadedWasmFactory(directory: string, onStart: (start: WasmStart) => void): void {
  const singleThreaded = tf.findBackendFactory("wasm");
  if (!singleThreaded) throw new Error("the wasm backend is not registered");
  const { threads, fromSetting, asked } = requestedThreads();
  tf.removeBackend("wasm");
  tf.registerBackend(
    "wasm",
    async () => {
      let note: string | undefined;
      if (threads > 1) {
        try {
          const backend = await startThreadedWasm(directory, threads);
          onStart({ threads: backend.wasm.tfjs.getThreadsCount(), ...(asked ? { note: loweredNote(asked, threads) } : {}) });
          return backend;
        } catch (error) {
          note = `the threaded build did not start (${error instanceof Error ? error.message : String(error)}), so training uses one thread`;
        }
      } else {
        note = asked
          ? loweredNote(asked, 1)
          : fromSetting
            ? "one thread, as the dlLessons.trainingThreads setting asks"
            : `one thread: this computer has ${physicalCores()} core${physicalCores() === 1 ? "" : "s"} and one is left for the editor`;
      }
      setThreadsCount(1);
      const backend = await singleThreaded();
      onStart({ threads: 1, ...(note ? { note } : {}) });
      return backend;
    },
    2,
  );
}
