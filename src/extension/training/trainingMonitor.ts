/** The sidebar Training Monitor: the current run and the past ones. */
import * as vscode from "vscode";
import {
  MonitorProtocol,
  type DatasetChoiceCommand,
  type DidChangeMonitorNotification,
  type MonitorDatasetView,
  type MonitorRunState,
  type MonitorSweepView,
  type MonitorWebviewMessage,
  type PastRunView,
} from "../../protocol/panels";
import type { TrainResult, TrainingEvent } from "../../protocol/training";
import { monitorStateAfterEvent, monitorStateAfterFailure, monitorStateAfterResult } from "./monitorState";
import { WebviewConnection, type PanelCommand, type PanelEnvironment } from "../panels/webviewHost";

export interface TrainingMonitorCallbacks {
  onStop(): void | Promise<void>;
  onOpenCurves(runId: string): void | Promise<void>;
  onCompare(runIds: string[]): void | Promise<void>;
  onEvaluate(runId: string): void | Promise<void>;
  onDatasetChoice(choice: Omit<DatasetChoiceCommand, "type">): void | Promise<void>;
}

export class TrainingMonitorViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewType = "dlLessons.trainingMonitor";
  private current: MonitorRunState = { kind: "idle" };
  private pastRuns: PastRunView[] = [];
  private dataset: MonitorDatasetView | undefined;
  private sweep: MonitorSweepView | undefined;
  private connection: WebviewConnection<MonitorWebviewMessage, DidChangeMonitorNotification> | undefined;

  constructor(
    private readonly env: PanelEnvironment,
    private readonly callbacks: TrainingMonitorCallbacks,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.connection?.dispose();
    const connection = new WebviewConnection(view.webview, {
      env: this.env,
      bundle: "monitor",
      title: "Training Monitor",
      toHost: () => MonitorProtocol.toHost,
      onMessage: (message) => this.handleMessage(message),
      snapshot: () => this.snapshot(),
    });
    this.connection = connection;
    view.onDidDispose(() => {
      connection.dispose();
      if (this.connection === connection) this.connection = undefined;
    });
  }

  get state(): MonitorRunState {
    return this.current;
  }

  /** Before the training process reports anything: e.g. "Dropout rate 0.4", "Loading CIFAR-10". */
  preparing(label: string, message: string): void {
    this.setCurrent({ kind: "preparing-data", label, message });
  }

  onTrainingEvent(event: TrainingEvent): void {
    this.setCurrent(monitorStateAfterEvent(this.current, event));
  }

  onRunFinished(result: TrainResult): void {
    this.setCurrent(monitorStateAfterResult(this.current, result));
  }

  /** `message` is shown to the learner as it is: say what went wrong and what to try. */
  onRunFailed(message: string): void {
    this.setCurrent(monitorStateAfterFailure(this.current, message));
  }

  /** Newest first. */
  setPastRuns(runs: PastRunView[]): void {
    this.pastRuns = runs;
    this.connection?.postSnapshot();
  }

  /** Which dataset Train uses, and the choice while the lesson's is missing. */
  setDatasetView(view: MonitorDatasetView): void {
    this.dataset = view;
    this.connection?.postSnapshot();
  }

  /** Where the sweep in progress is ("run 2 of 5"); undefined when a single run trains or the sweep ended. */
  setSweep(sweep: MonitorSweepView | undefined): void {
    this.sweep = sweep;
    this.connection?.postSnapshot();
  }

  dispose(): void {
    this.connection?.dispose();
  }

  private setCurrent(state: MonitorRunState): void {
    this.current = state;
    this.connection?.postSnapshot();
  }

  private snapshot(): DidChangeMonitorNotification {
    return { type: "didChangeMonitor", current: this.current, pastRuns: this.pastRuns, ...(this.dataset ? { dataset: this.dataset } : {}), ...(this.sweep ? { sweep: this.sweep } : {}) };
  }

  private handleMessage(message: PanelCommand<MonitorWebviewMessage>): void | Promise<void> {
    if (message.type === "stopTraining") return this.callbacks.onStop();
    if (message.type === "datasetChoice") return this.callbacks.onDatasetChoice({ action: message.action, dataset: message.dataset });
    const [first] = message.runIds;
    switch (message.action) {
      case "compare":
        return this.callbacks.onCompare(message.runIds);
      case "openCurves":
        return first === undefined ? undefined : this.callbacks.onOpenCurves(first);
      case "evaluate":
        return first === undefined ? undefined : this.callbacks.onEvaluate(first);
    }
  }
}
