/**
 * Runs training in the training process, one run at a time, and fans its events out to the
 * sidebar monitor, the curves panel, a status bar item and a progress notification with Cancel.
 * Runs are saved under the extension's global storage and listed in the monitor; the test-set
 * evaluation of each run feeds the confusion matrix and predictions panels. A crashed training
 * process is reported in the learner's terms and started afresh on the next Train.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import { estimateIsReady, runProgress, sweepTimeLeft, type MonitorSweepView, type PastRunView } from "../../protocol/panels";
import { formatTrainingNumber, TRAINING_THREADS_ENV, type BackendPreference, type BackendReport, type EvaluationResult, type Prediction, type SweepResult, type TrainingEvent, type TrainResult } from "../../protocol/training";
import { TrainingClient, TrainingProcessExitedError } from "../../training/client";
import { GpuTrainerHost } from "./gpuTrainerHost";
import { nativeModulesFolder } from "./gpuNativeInstall";
import { NATIVE_MODULES_ENV } from "../../training/gpuNative";
import { recoverInterruptedRun } from "../../training/runJournal";
import { CLASS_NAMES, DISPLAY_NAMES } from "../../training/datasets/catalog";
import { pastRunFromResult, type CurvesPanel, type TrainingMonitorViewProvider } from "../panels";
import { describeTrainingError, type LearnerError } from "./trainingErrors";
import type { GridSearchPlan, TrainingPlan } from "./trainingPlan";

export interface TrainingSettings {
  backend: BackendPreference;
  dataDirectory: string;
  /** Threads for WebAssembly training; 0 picks them from the machine. Read when the process starts. */
  trainingThreads: number;
}

/** A finished run as the extension remembers it (in global state), newest first. */
export interface SavedRun extends PastRunView {
  runDirectory: string;
  datasetName: TrainingPlan["dataset"]["name"];
  testLimit?: number;
  history: TrainResult["history"];
  /** Input shape of the model, for Classify Image. */
  inputShape: number[];
  /** The model as trained (its input adapted to the dataset); absent in runs saved before it was kept. */
  model?: TrainingPlan["model"];
  /** What training changed from the learner's code and why, one sentence each. */
  adjustments?: string[];
}

/** The run in progress. */
interface RunningRun {
  plan: TrainingPlan;
  /** Where this run is in a sweep, when it is one of several. */
  sweep?: MonitorSweepView;
  cancel: AbortController;
  runId?: string;
}

const RUNS_KEY = "dlLessons.runs";
const MAX_SAVED_RUNS = 30;

export class TrainingController implements vscode.Disposable {
  private client: TrainingClient | undefined;
  private running: RunningRun | undefined;
  private readonly evaluations = new Map<string, EvaluationResult>();
  private readonly statusBar = vscode.window.createStatusBarItem("dlLessons.training", vscode.StatusBarAlignment.Left, 20);
  private readonly finishedEmitter = new vscode.EventEmitter<SavedRun>();
  /** Fires when a run completed or was cancelled and has been saved. */
  readonly onDidFinishRun = this.finishedEmitter.event;
  private lastBackend: BackendReport | undefined;
  /** The webview the webgl and webgpu backends train in. */
  private readonly gpuTrainer: GpuTrainerHost;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly monitor: TrainingMonitorViewProvider,
    private readonly curves: CurvesPanel,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: () => TrainingSettings,
  ) {
    this.gpuTrainer = new GpuTrainerHost(context.extensionUri, log);
    this.statusBar.name = "Deep Learning Lessons: Training";
    this.statusBar.command = "dlLessons.trainingMonitor.focus";
    monitor.setPastRuns(this.savedRuns());
    for (const run of this.savedRuns().slice().reverse()) this.curves.addRun({ runId: run.runId, label: run.label, status: run.status, epochs: run.epochs, history: run.history });
  }

  get isTraining(): boolean {
    return this.running !== undefined;
  }

  get backend(): BackendReport | undefined {
    return this.lastBackend;
  }

  savedRuns(): SavedRun[] {
    return this.context.globalState.get<SavedRun[]>(RUNS_KEY) ?? [];
  }

  latestRun(): SavedRun | undefined {
    return this.savedRuns()[0];
  }

  run(runId: string): SavedRun | undefined {
    return this.savedRuns().find((r) => r.runId === runId);
  }

  /**
   * Trains the plan; resolves when the run ends. Only one run at a time: a second Train is refused.
   * `sweep` says where the run is in a sweep, shown in the monitor, the status bar and the notification.
   */
  async train(plan: TrainingPlan, sweep?: MonitorSweepView): Promise<SavedRun | undefined> {
    if (this.running) {
      void vscode.window.showWarningMessage(`"${this.running.plan.label}" is still training. Stop it first (Lessons: Stop Training), or wait until it finishes.`);
      return undefined;
    }
    const cancel = new AbortController();
    const running: RunningRun = { plan, cancel, ...(sweep ? { sweep } : {}) };
    this.monitor.setSweep(sweep);
    this.running = running;
    const startedAt = new Date();
    const runDirectory = path.join(this.context.globalStorageUri.fsPath, "runs", `${stamp(startedAt)}-${slug(plan.label)}`);
    for (const adjustment of plan.adjustments) this.log.info(adjustment);
    this.monitor.preparing(plan.label, `Loading ${DISPLAY_NAMES[plan.dataset.name]}`);
    this.showStatus(`$(loading~spin) Loading ${DISPLAY_NAMES[plan.dataset.name]}…`, plan.label);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Training ${plan.label}${sweep ? ` (run ${sweep.run} of ${sweep.runs})` : ""}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => cancel.abort());
          let reported = 0;
          const onEvent = (event: TrainingEvent): void => {
            if (event.kind === "started") running.runId = event.runId;
            const done = this.progressOf(event);
            if (done !== undefined) {
              progress.report({ increment: Math.max(0, done - reported) * 100, message: this.progressMessage(event) });
              reported = Math.max(reported, done);
            }
          };
          const client = this.ensureClient();
          const unsubscribe = client.onEvent(onEvent);
          try {
            const result = await client.train(
              { model: plan.model, compile: plan.compile, fit: plan.fit, dataset: plan.dataset, dataDirectory: this.settings().dataDirectory, runDirectory, backend: this.settings().backend, label: plan.label },
              cancel.signal,
            );
            // A sweep ends with its last run, or with a run stopped on the way.
            if (sweep && (sweep.run >= sweep.runs || result.status !== "completed")) this.monitor.setSweep(undefined);
            return await this.finish(plan, result, startedAt);
          } finally {
            unsubscribe();
          }
        },
      );
    } catch (error) {
      this.monitor.setSweep(undefined);
      this.fail(plan, running.runId, describeTrainingError(error));
      // A process that died mid-run leaves its finished epochs on disk: keep them in the past runs.
      const interrupted = error instanceof TrainingProcessExitedError && running.runId ? await recoverInterruptedRun(path.join(path.dirname(runDirectory), running.runId)) : undefined;
      return interrupted ? await this.finish(plan, interrupted, startedAt) : undefined;
    } finally {
      this.running = undefined;
    }
  }

  /**
   * Runs a grid search as GridSearchCV does: every combination trained once per fold, each fold a
   * run of its own on the curves and in the monitor. The comparison table goes to the output
   * channel, the best combination to a notification. Resolves when the search ends.
   */
  async gridSearch(search: GridSearchPlan): Promise<SweepResult | undefined> {
    const first = search.plans[0];
    if (!first) return undefined;
    if (this.running) {
      void vscode.window.showWarningMessage(`"${this.running.plan.label}" is still training. Stop it first (Lessons: Stop Training), or wait until it finishes.`);
      return undefined;
    }
    const cancel = new AbortController();
    const running: RunningRun = { plan: first, cancel };
    this.running = running;
    const startedAt = new Date();
    const runsDirectory = path.join(this.context.globalStorageUri.fsPath, "runs", `${stamp(startedAt)}-grid-${slug(search.parameter)}`);
    const totalRuns = search.plans.length * search.folds;
    const title = `Grid search over ${search.parameter} (${search.folds}-fold, ${totalRuns} runs)`;
    for (const adjustment of first.adjustments) this.log.info(adjustment);
    this.monitor.preparing(title, `Loading ${DISPLAY_NAMES[first.dataset.name]}`);
    this.showStatus(`$(loading~spin) Loading ${DISPLAY_NAMES[first.dataset.name]}…`, title);
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => cancel.abort());
        let runsDone = 0;
        let reported = 0;
        let runStartedAt = startedAt;
        // Runs are saved one at a time so that two finishing close together both stay in the list.
        let saving = Promise.resolve();
        const finishedSeconds: number[] = [];
        const onEvent = (event: TrainingEvent): void => {
          if (event.kind === "started") {
            if (running.runId !== undefined) finishedSeconds.push((Date.now() - runStartedAt.getTime()) / 1000);
            running.runId = event.runId;
            runStartedAt = new Date();
            running.sweep = { run: runsDone + 1, runs: totalRuns, ...(finishedSeconds.length > 0 ? { secondsPerRun: mean(finishedSeconds) } : {}) };
            this.monitor.setSweep(running.sweep);
          }
          const done = this.progressOf(event);
          if (done !== undefined) {
            const overall = (runsDone + done) / totalRuns;
            progress.report({ increment: Math.max(0, overall - reported) * 100, message: `run ${runsDone + 1} of ${totalRuns}, ${this.progressMessage(event)}` });
            reported = Math.max(reported, overall);
          }
        };
        const client = this.ensureClient();
        const unsubscribe = client.onEvent(onEvent);
        try {
          const result = await client.sweep(
            {
              variants: search.plans.map((plan) => ({ label: plan.label, model: plan.model, compile: plan.compile, fit: plan.fit })),
              parameter: search.parameter,
              dataset: first.dataset,
              dataDirectory: this.settings().dataDirectory,
              runsDirectory,
              backend: this.settings().backend,
              folds: search.folds,
            },
            cancel.signal,
            (finished) => {
              runsDone += 1;
              const plan = { ...(search.plans[finished.variant] ?? first), label: finished.label };
              const finishedAt = runStartedAt;
              saving = saving.then(async () => void (await this.finish(plan, finished.result, finishedAt)));
            },
          );
          await saving;
          this.reportGridSearch(search, result);
          return result;
        } finally {
          unsubscribe();
        }
      });
    } catch (error) {
      this.fail(running.plan, running.runId, describeTrainingError(error));
      return undefined;
    } finally {
      this.running = undefined;
      this.monitor.setSweep(undefined);
    }
  }

  private reportGridSearch(search: GridSearchPlan, result: SweepResult): void {
    this.log.info(`Grid search over ${search.parameter}, mean over ${search.folds} folds${result.status === "cancelled" ? " (stopped before the end; finished combinations only)" : ""}:`);
    for (const line of result.table.split("\n")) this.log.info(line);
    const best = result.best;
    if (!best) return;
    const verdict =
      result.status === "cancelled"
        ? `Grid search stopped. Best so far: ${search.parameter} ${best.value}`
        : `Grid search done: the best ${search.parameter} is ${best.value}`;
    void vscode.window
      .showInformationMessage(`${verdict} (mean val_loss ${formatTrainingNumber(best.valLoss)}, val_accuracy ${(best.valAccuracy * 100).toFixed(1)} %).`, "Show Table")
      .then((choice) => {
        if (choice) this.log.show(true);
      });
  }

  /** Stops the current run within one batch; what it learned so far is kept as a cancelled run. */
  stop(): void {
    if (!this.running) {
      void vscode.window.showInformationMessage("Nothing is training right now.");
      return;
    }
    this.running.cancel.abort();
    this.showStatus("$(debug-stop) Stopping…", this.running.plan.label);
  }

  /** Evaluates a run on the test set (cached per run), showing progress. */
  async evaluate(run: SavedRun): Promise<EvaluationResult | undefined> {
    const known = this.evaluations.get(run.runId);
    if (known) return known;
    try {
      const evaluation = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Evaluating "${run.label}" on the ${DISPLAY_NAMES[run.datasetName]} test set…` },
        () =>
          this.ensureClient().evaluate({
            runDirectory: run.runDirectory,
            dataDirectory: this.settings().dataDirectory,
            backend: this.settings().backend,
            ...(run.testLimit === undefined ? {} : { testLimit: run.testLimit }),
            predictionCount: 48,
          }),
      );
      this.evaluations.set(run.runId, evaluation);
      this.log.info(`Test accuracy of "${run.label}": ${(evaluation.accuracy * 100).toFixed(1)} % (loss ${formatTrainingNumber(evaluation.loss)}).`);
      return evaluation;
    } catch (error) {
      this.report(describeTrainingError(error));
      return undefined;
    }
  }

  /** Class probabilities of images already resized to the run's input. */
  async predict(run: SavedRun, image: { width: number; height: number; channels: number; data: Uint8Array }): Promise<Prediction["top"] | undefined> {
    try {
      const result = await this.ensureClient().predict({
        runDirectory: run.runDirectory,
        backend: this.settings().backend,
        images: [{ width: image.width, height: image.height, channels: image.channels, data: Array.from(image.data) }],
        topK: CLASS_NAMES[run.datasetName].length,
      });
      return result.predictions[0]?.top;
    } catch (error) {
      this.report(describeTrainingError(error));
      return undefined;
    }
  }

  async backends(): Promise<BackendReport | undefined> {
    try {
      this.lastBackend = await this.ensureClient().backends(this.settings().backend);
      return this.lastBackend;
    } catch (error) {
      this.report(describeTrainingError(error));
      return undefined;
    }
  }

  dispose(): void {
    this.running?.cancel.abort();
    this.client?.dispose();
    this.gpuTrainer.dispose();
    this.statusBar.dispose();
    this.finishedEmitter.dispose();
  }

  /** The training process, started on first use and again after it stopped or crashed. */
  private ensureClient(): TrainingClient {
    if (this.client) return this.client;
    const client = TrainingClient.start(path.join(this.context.extensionPath, "dist", "training-process.js"), {
      env: { ...process.env, [TRAINING_THREADS_ENV]: String(this.settings().trainingThreads), [NATIVE_MODULES_ENV]: nativeModulesFolder(this.context) },
    });
    client.onEvent((event) => this.fanOut(event));
    this.gpuTrainer.attach(client);
    // The client starts a fresh process after a crash; say so once each time.
    client.onRestart((notice) => {
      this.log.info(notice);
      void vscode.window.showInformationMessage(notice);
    });
    this.client = client;
    return client;
  }

  private fanOut(event: TrainingEvent): void {
    const running = this.running;
    // Evaluations and predictions report progress too; the monitor and the curves follow training runs only.
    if (running) {
      this.monitor.onTrainingEvent(event);
      this.curves.onTrainingEvent(event);
    }
    switch (event.kind) {
      case "started":
        this.lastBackend = event.backend;
        this.log.info(`Training "${event.label ?? event.runId}" on ${event.trainCount} images (${event.validationCount} for validation), backend ${event.backend.active}.`);
        this.showStatus(`$(loading~spin) Epoch 1/${event.epochs}`, `Training on the ${event.backend.active} backend`);
        break;
      case "batch": {
        // The same progress as the monitor's bar: of the whole run, not of the epoch.
        const epochs = running?.plan.fit.epochs ?? 1;
        const done = runProgress(event.epoch, epochs, event.batch, event.batchesPerEpoch);
        const sweep = running?.sweep;
        const ready = estimateIsReady(event.epoch, event.batch, event.batchesPerEpoch, event.etaSeconds);
        const left = !ready ? "estimating the time left" : sweep ? `about ${formatSeconds(sweepTimeLeft(sweep, event.etaSeconds, done))} left for the whole sweep` : `about ${formatSeconds(event.etaSeconds)} left`;
        this.showStatus(`$(loading~spin) ${sweep ? `Run ${sweep.run}/${sweep.runs} · ` : ""}Epoch ${event.epoch}/${epochs} · ${Math.round(done * 100)}%`, `${Math.round(event.imagesPerSecond)} images/s, ${left}. Click for the Training Monitor.`);
        break;
      }
      case "epoch":
        this.log.info(`Epoch ${event.epoch}/${event.epochs}: ${Object.entries(event.metrics).map(([k, v]) => `${k} ${formatTrainingNumber(v)}`).join(" · ")} (${event.seconds.toFixed(1)} s, ${Math.round(event.imagesPerSecond)} images/s)`);
        break;
      case "log":
        if (event.level === "error") this.log.error(event.message);
        else if (event.level === "warning") this.log.warn(event.message);
        else this.log.info(event.message);
        break;
      case "dataset-progress":
        break;
    }
  }

  /** Fraction of the whole run done after this event, if it says. Epochs count from 1, as Keras prints them. */
  private progressOf(event: TrainingEvent): number | undefined {
    const running = this.running;
    if (!running) return undefined;
    const epochs = running.plan.fit.epochs;
    if (event.kind === "batch") return (event.epoch - 1 + event.batch / event.batchesPerEpoch) / epochs;
    if (event.kind === "epoch") return event.epoch / epochs;
    return undefined;
  }

  private progressMessage(event: TrainingEvent): string {
    const epochs = this.running?.plan.fit.epochs ?? 1;
    if (event.kind === "batch") {
      const loss = event.metrics["loss"];
      return `epoch ${event.epoch}/${epochs}, batch ${event.batch}/${event.batchesPerEpoch}${loss === undefined ? "" : `, loss ${formatTrainingNumber(loss, 3)}`}`;
    }
    return event.kind === "epoch" ? `epoch ${event.epoch}/${epochs} done` : "";
  }

  private async finish(plan: TrainingPlan, result: TrainResult, startedAt: Date): Promise<SavedRun> {
    this.lastBackend = result.backend;
    this.monitor.onRunFinished(result);
    this.curves.onRunFinished(result);
    const input = plan.model.layers[0];
    const saved: SavedRun = {
      ...pastRunFromResult(result, plan.label, startedAt),
      runDirectory: result.runDirectory,
      datasetName: plan.dataset.name,
      ...(plan.dataset.testLimit === undefined ? {} : { testLimit: plan.dataset.testLimit }),
      history: result.history,
      inputShape: input?.class_name === "InputLayer" ? input.config.shape : [],
      model: plan.model,
      adjustments: plan.adjustments,
    };
    const runs = [saved, ...this.savedRuns().filter((r) => r.runId !== saved.runId)].slice(0, MAX_SAVED_RUNS);
    await this.context.globalState.update(RUNS_KEY, runs);
    this.monitor.setPastRuns(runs);
    const accuracy = saved.finalValAccuracy === undefined ? "" : `, validation accuracy ${(saved.finalValAccuracy * 100).toFixed(1)} %`;
    this.showStatus(result.status === "completed" ? `$(pass) Trained${accuracy}` : "$(circle-slash) Training stopped", `${plan.label} on ${result.backend.active}`, 15_000);
    this.finishedEmitter.fire(saved);
    return saved;
  }

  private fail(plan: TrainingPlan, runId: string | undefined, error: LearnerError): void {
    this.monitor.onRunFailed(error.message);
    if (runId) this.curves.onRunFailed(runId);
    this.showStatus("$(error) Training failed", error.message, 15_000);
    this.log.error(`Training "${plan.label}" failed: ${error.detail ?? error.message}`);
    this.report(error);
  }

  private report(error: LearnerError): void {
    if (error.cancelled) return;
    void vscode.window.showErrorMessage(error.message, "Show Log").then((choice) => {
      if (choice) this.log.show(true);
    });
  }

  private hideTimer: NodeJS.Timeout | undefined;

  private showStatus(text: string, tooltip: string, hideAfterMs?: number): void {
    clearTimeout(this.hideTimer);
    this.statusBar.text = text;
    this.statusBar.tooltip = tooltip;
    this.statusBar.show();
    if (hideAfterMs !== undefined) this.hideTimer = setTimeout(() => this.statusBar.hide(), hideAfterMs);
  }
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

function slug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "run";
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "a while";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}
