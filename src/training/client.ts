/**
 * The host's side of the training process: forks it, offers its requests as typed methods, fans
 * out its events, and turns the process dying (crash, out-of-memory kill, exit) into a rejected
 * promise for every request still waiting — never a hang.
 */
import { fork, type ChildProcess } from "node:child_process";
import { CancellationTokenSource, createMessageConnection, IPCMessageReader, IPCMessageWriter, ResponseError, type MessageConnection } from "vscode-jsonrpc/node";
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
import { TrainingMethods } from "../protocol/training";

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

export class TrainingClient {
  private readonly listeners = new Set<(event: TrainingEvent) => void>();
  private readonly sweepRunListeners = new Set<(finished: SweepRunFinished) => void>();
  private exited: TrainingProcessExitedError | undefined;
  private readonly exitWaiters = new Set<(error: TrainingProcessExitedError) => void>();

  private constructor(
    readonly child: ChildProcess,
    private readonly connection: MessageConnection,
  ) {
    connection.onNotification(TrainingMethods.event, (event: TrainingEvent) => {
      for (const listener of this.listeners) listener(event);
    });
    connection.onNotification(TrainingMethods.sweepRunFinished, (finished: SweepRunFinished) => {
      for (const listener of this.sweepRunListeners) listener(finished);
    });
    child.once("exit", (code, signal) => {
      this.exited = new TrainingProcessExitedError(code, signal);
      for (const reject of this.exitWaiters) reject(this.exited);
      this.exitWaiters.clear();
      connection.dispose();
    });
    connection.listen();
  }

  /** Forks the training process from its entry file (dist/training-process.js, or the .ts with tsx). */
  static start(processEntryPath: string, options: StartOptions = {}): TrainingClient {
    const child = fork(processEntryPath, [], {
      execArgv: options.execArgv ?? [],
      env: options.env ?? process.env,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    return new TrainingClient(child, connection);
  }

  /** Subscribes to progress events; returns the unsubscribe function. */
  onEvent(listener: (event: TrainingEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  train(params: TrainParams, signal?: AbortSignal): Promise<TrainResult> {
    return this.request(TrainingMethods.train, params, signal);
  }

  /**
   * Trains a sweep's variants (with `folds`: k-fold cross-validation, each fold a run). Every run's
   * events arrive through `onEvent`; `onRunFinished` hears of each run as soon as it is saved.
   */
  async sweep(params: SweepParams, signal?: AbortSignal, onRunFinished?: (finished: SweepRunFinished) => void): Promise<SweepResult> {
    if (onRunFinished) this.sweepRunListeners.add(onRunFinished);
    try {
      return await this.request<SweepResult>(TrainingMethods.sweep, params, signal);
    } finally {
      if (onRunFinished) this.sweepRunListeners.delete(onRunFinished);
    }
  }

  evaluate(params: EvaluateParams, signal?: AbortSignal): Promise<EvaluationResult> {
    return this.request(TrainingMethods.evaluate, params, signal);
  }

  predict(params: PredictParams): Promise<PredictResult> {
    return this.request(TrainingMethods.predict, params);
  }

  summary(params: SummaryParams): Promise<ModelSummary> {
    return this.request(TrainingMethods.summary, params);
  }

  backends(preference: BackendPreference = "auto"): Promise<BackendReport> {
    return this.request(TrainingMethods.backends, preference);
  }

  /** Stops the process. Waiting requests reject with TrainingProcessExitedError. */
  dispose(): void {
    if (this.exited) return;
    this.connection.dispose();
    this.child.kill();
  }

  private request<T>(method: string, params: unknown, signal?: AbortSignal): Promise<T> {
    if (this.exited) return Promise.reject(this.exited);
    const source = new CancellationTokenSource();
    const onAbort = () => source.cancel();
    if (signal?.aborted) source.cancel();
    signal?.addEventListener("abort", onAbort, { once: true });
    let onExit: ((error: TrainingProcessExitedError) => void) | undefined;
    const exit = new Promise<never>((_, reject) => {
      onExit = reject;
      this.exitWaiters.add(reject);
    });
    exit.catch(() => undefined); // Observed through the race below; never an unhandled rejection.
    const reply = this.connection.sendRequest<T>(method, params, source.token);
    return Promise.race([reply, exit]).finally(() => {
      signal?.removeEventListener("abort", onAbort);
      if (onExit) this.exitWaiters.delete(onExit);
      source.dispose();
    });
  }
}

export { ResponseError };
