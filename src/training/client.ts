/**
 * The host's side of the training process: forks it, offers its requests as typed methods, fans
 * out its events, turns the process dying (crash, out-of-memory kill, exit) into a rejected
 * promise for every request still waiting — never a hang — and starts a fresh process for the
 * next request.
 */
import { fork, type ChildProcess } from "node:child_process";
import { CancellationTokenSource, createMessageConnection, IPCMessageReader, IPCMessageWriter, ResponseError, type MessageConnection, type RequestType } from "vscode-jsonrpc/node";
import type { DatasetName } from "../protocol/modelSpec";
import type {
  BackendPreference,
  BackendReport,
  EvaluateParams,
  EvaluationResult,
  ModelSummary,
  PredictParams,
  PredictResult,
  SummaryParams,
  SweepParams,
  SweepResult,
  SweepRunFinished,
  TrainingEvent,
  TrainParams,
  TrainResult,
} from "../protocol/training";
import { TrainingNotifications, TrainingRequests, type DatasetImagesParams, type DatasetImagesResult, type DownloadDatasetParams, type ImportDatasetParams } from "../protocol/trainingRpc";

/** The training process stopped while requests were waiting on it. */
export class TrainingProcessExitedError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(
      `The training process stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${exitCode}`}). ` +
        (signal === "SIGKILL" ? "It may have run out of memory: try a smaller batch size or model. " : "") +
        "Start the training again; the runs saved so far are kept.",
    );
    this.name = "TrainingProcessExitedError";
  }
}

export interface StartOptions {
  /** Node options for the child, e.g. `["--import", "tsx"]` to run the .ts entry from source. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** One training process and the connection to it. */
interface ProcessSlot {
  child: ChildProcess;
  connection: MessageConnection;
  exited?: TrainingProcessExitedError;
  exitWaiters: Set<(error: TrainingProcessExitedError) => void>;
}

/**
 * A training process that heals: when it has died (a crash, an out-of-memory kill, or its own exit
 * after a fatal backend error) the next request starts a fresh one, and `onRestart` listeners
 * hear of it once per restart. Requests that were waiting on the dead process reject.
 */
export class TrainingClient {
  private readonly listeners = new Set<(event: TrainingEvent) => void>();
  private readonly sweepRunListeners = new Set<(finished: SweepRunFinished) => void>();
  private readonly restartListeners = new Set<(notice: string) => void>();
  /** Handlers of the process's own requests to the host (GPU training), set up on every process. */
  private readonly servers: ((connection: MessageConnection) => void)[] = [];
  private slot: ProcessSlot;
  private disposed = false;

  private constructor(
    private readonly processEntryPath: string,
    private readonly options: StartOptions,
  ) {
    this.slot = this.spawn();
  }

  /** Forks the training process from its entry file (dist/training-process.js, or the .ts with tsx). */
  static start(processEntryPath: string, options: StartOptions = {}): TrainingClient {
    return new TrainingClient(processEntryPath, options);
  }

  /** The current training process (a new one after each restart). */
  get child(): ChildProcess {
    return this.slot.child;
  }

  /** Hears, once per restart, that the process had stopped and a fresh one was started; returns the unsubscribe function. */
  onRestart(listener: (notice: string) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  private spawn(): ProcessSlot {
    const child = fork(this.processEntryPath, [], {
      execArgv: this.options.execArgv ?? [],
      env: this.options.env ?? process.env,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const slot: ProcessSlot = { child, connection, exitWaiters: new Set() };
    connection.onNotification(TrainingNotifications.event, (event) => {
      for (const listener of this.listeners) listener(event);
    });
    connection.onNotification(TrainingNotifications.sweepRunFinished, (finished) => {
      for (const listener of this.sweepRunListeners) listener(finished);
    });
    for (const setup of this.servers) setup(connection);
    child.once("exit", (code, signal) => {
      slot.exited = new TrainingProcessExitedError(code, signal);
      for (const reject of slot.exitWaiters) reject(slot.exited);
      slot.exitWaiters.clear();
      connection.dispose();
    });
    connection.listen();
    return slot;
  }

  /** The live process, started afresh when the last one has died. */
  private live(): ProcessSlot {
    const previous = this.slot.exited;
    if (!previous || this.disposed) return this.slot;
    this.slot = this.spawn();
    const how = previous.signal ? `signal ${previous.signal}` : `exit code ${previous.exitCode}`;
    const notice = `The training process had stopped (${how}) and was started again. Runs saved so far are kept.`;
    for (const listener of this.restartListeners) listener(notice);
    return this.slot;
  }

  /**
   * Registers handlers for requests the training process sends the host (src/protocol/gpu.ts), on
   * the process running now and on each one started after a crash.
   */
  serve(setup: (connection: MessageConnection) => void): void {
    this.servers.push(setup);
    if (!this.slot.exited) setup(this.slot.connection);
  }

  /** Subscribes to progress events; returns the unsubscribe function. */
  onEvent(listener: (event: TrainingEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  train(params: TrainParams, signal?: AbortSignal): Promise<TrainResult> {
    return this.request(TrainingRequests.train, params, signal);
  }

  /**
   * Trains a sweep's variants (with `folds`: k-fold cross-validation, each fold a run). Every run's
   * events arrive through `onEvent`; `onRunFinished` hears of each run as soon as it is saved.
   */
  async sweep(params: SweepParams, signal?: AbortSignal, onRunFinished?: (finished: SweepRunFinished) => void): Promise<SweepResult> {
    if (onRunFinished) this.sweepRunListeners.add(onRunFinished);
    try {
      return await this.request(TrainingRequests.sweep, params, signal);
    } finally {
      if (onRunFinished) this.sweepRunListeners.delete(onRunFinished);
    }
  }

  evaluate(params: EvaluateParams, signal?: AbortSignal): Promise<EvaluationResult> {
    return this.request(TrainingRequests.evaluate, params, signal);
  }

  predict(params: PredictParams): Promise<PredictResult> {
    return this.request(TrainingRequests.predict, params);
  }

  summary(params: SummaryParams): Promise<ModelSummary> {
    return this.request(TrainingRequests.summary, params);
  }

  backends(backend: BackendPreference = "auto"): Promise<BackendReport> {
    return this.request(TrainingRequests.backends, { backend });
  }

  /**
   * What a run kept when the process writing it died: its finished epochs as a cancelled result
   * (undefined when it kept none). Read by a fresh process, since the one that wrote it is gone.
   */
  async recoverRun(runDirectory: string): Promise<TrainResult | undefined> {
    return (await this.request(TrainingRequests.recoverRun, { runDirectory })) ?? undefined;
  }

  /** The datasets on this computer. */
  datasetsPresent(dataDirectory: string): Promise<DatasetName[]> {
    return this.request(TrainingRequests.datasetsPresent, { dataDirectory });
  }

  /** Downloads and checks a dataset; its progress arrives through `onEvent` as `dataset-progress` events. */
  downloadDataset(params: DownloadDatasetParams, signal?: AbortSignal): Promise<void> {
    return this.request(TrainingRequests.downloadDataset, params, signal);
  }

  /** Imports and checks a dataset from an archive or folder; progress as for a download. */
  importDataset(params: ImportDatasetParams): Promise<void> {
    return this.request(TrainingRequests.importDataset, params);
  }

  datasetImages(params: DatasetImagesParams): Promise<DatasetImagesResult> {
    return this.request(TrainingRequests.datasetImages, params);
  }

  /** Stops the process for good (no restart). Waiting requests reject with TrainingProcessExitedError. */
  dispose(): void {
    this.disposed = true;
    if (this.slot.exited) return;
    this.slot.connection.dispose();
    this.slot.child.kill();
  }

  /** `NoInfer`: the parameter type is the descriptor's alone (vscode-jsonrpc would also infer it from `params`, accepting a wider one). */
  private request<P, R>(type: RequestType<P, R, void>, params: NoInfer<P>, signal?: AbortSignal): Promise<R> {
    const slot = this.live();
    if (slot.exited) return Promise.reject(slot.exited);
    const source = new CancellationTokenSource();
    const onAbort = () => source.cancel();
    if (signal?.aborted) source.cancel();
    signal?.addEventListener("abort", onAbort, { once: true });
    let onExit: ((error: TrainingProcessExitedError) => void) | undefined;
    const exit = new Promise<never>((_, reject) => {
      onExit = reject;
      slot.exitWaiters.add(reject);
    });
    exit.catch(() => undefined); // Observed through the race below; never an unhandled rejection.
    const reply = slot.connection.sendRequest(type, params, source.token);
    return Promise.race([reply, exit]).finally(() => {
      signal?.removeEventListener("abort", onAbort);
      if (onExit) slot.exitWaiters.delete(onExit);
      source.dispose();
    });
  }
}

export { ResponseError };
