/**
 * Training curves. `CurvesPanel` keeps the runs whether or not the panel is open (it is fed every
 * training event), so opening it mid-run shows the run so far.
 */
import * as vscode from "vscode";
import type { CurveRun, CurvesWebviewMessage, SweepComparisonView } from "../../protocol/panels";
import type { TrainResult, TrainingEvent } from "../../protocol/training";
import { curvesAfterEvent, curvesAfterFailure, curvesAfterReload, curvesAfterResult, curvesWithRun } from "./curvesState";
import { isCurvesPersistedState, isCurvesWebviewMessage } from "../panels/guards";
import { trackResultPanel } from "./resultsGroup";
import { PanelHost, createResultPanel, type PanelEnvironment } from "../panels/webviewHost";

export class CurvesPanel implements vscode.Disposable {
  static readonly viewType = "dlLessons.trainingCurves";
  private runs: CurveRun[] = [];
  private comparison: SweepComparisonView | undefined;
  private webviewPanel: CurvesWebviewPanel | undefined;
  private readonly serializer: vscode.Disposable;

  /** Create one, in activate(): it registers the panel's serializer (`onWebviewPanel:dlLessons.trainingCurves`). */
  constructor(private readonly env: PanelEnvironment) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(CurvesPanel.viewType, {
      deserializeWebviewPanel: (panel: vscode.WebviewPanel, persisted: unknown) => {
        this.restore(panel, persisted);
        return Promise.resolve();
      },
    });
  }

  /** Opens or reveals the panel; with `only`, shows just those runs (Compare, Open Curves). */
  show(only?: readonly string[]): void {
    if (only) this.runs = this.runs.map((run) => ({ ...run, hidden: !only.includes(run.runId) }));
    if (this.webviewPanel) {
      this.webviewPanel.reveal();
      this.changed();
      return;
    }
    this.adopt(createResultPanel(CurvesPanel.viewType, "Training Curves", this.env));
  }

  /** Adopts the panel VS Code restored after a window reload, with the runs its webview last showed. */
  private restore(panel: vscode.WebviewPanel, persisted: unknown): void {
    if (this.webviewPanel || !isCurvesPersistedState(persisted)) {
      panel.dispose();
      return;
    }
    this.runs = curvesAfterReload(this.runs, persisted.runs);
    this.adopt(panel);
  }

  private adopt(panel: vscode.WebviewPanel): void {
    trackResultPanel(panel, () => this.runInView());
    this.webviewPanel = new CurvesWebviewPanel(panel, this.env, this);
    this.webviewPanel.onDidDispose(() => (this.webviewPanel = undefined));
  }

  /** A saved run (from disk) to overlay, e.g. each run of a sweep. */
  addRun(run: Omit<CurveRun, "hidden">): void {
    this.runs = curvesWithRun(this.runs, run);
    this.changed();
  }

  /** The run the learner sees: the newest one shown on the chart. */
  runInView(): string | undefined {
    return this.runs.filter((run) => !run.hidden).at(-1)?.runId;
  }

  hasRun(runId: string): boolean {
    return this.runs.some((run) => run.runId === runId);
  }

  onTrainingEvent(event: TrainingEvent): void {
    if (event.kind !== "started" && event.kind !== "epoch") return;
    this.runs = curvesAfterEvent(this.runs, event);
    this.changed();
  }

  onRunFinished(result: TrainResult): void {
    this.runs = curvesAfterResult(this.runs, result);
    this.changed();
  }

  onRunFailed(runId: string): void {
    this.runs = curvesAfterFailure(this.runs, runId);
    this.changed();
  }

  /** The latest sweep's comparison chart (swept value against final validation loss and accuracy). */
  setComparison(comparison: SweepComparisonView | undefined): void {
    this.comparison = comparison;
    this.changed();
  }

  /** @internal The snapshot the webview panel sends; the comparison only while one of its runs is on the chart. */
  snapshot(): unknown {
    const comparison = this.comparison;
    const shown = comparison && comparison.rows.some((row) => this.runs.some((run) => run.runId === row.runId && !run.hidden));
    return { type: "didChangeCurves", runs: this.runs, ...(shown ? { comparison } : {}) };
  }

  /** @internal Applies a command from the webview. */
  apply(message: Exclude<CurvesWebviewMessage, { type: "ready" }>): void {
    switch (message.type) {
      case "setRunVisibility":
        this.runs = this.runs.map((run) => (run.runId === message.runId ? { ...run, hidden: !message.visible } : run));
        break;
      case "removeRun":
        this.runs = this.runs.filter((run) => run.runId !== message.runId);
        break;
    }
    this.changed();
  }

  dispose(): void {
    this.serializer.dispose();
    this.webviewPanel?.dispose();
  }

  private changed(): void {
    this.webviewPanel?.refresh();
  }
}

class CurvesWebviewPanel extends PanelHost<CurvesWebviewMessage> {
  constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    private readonly owner: CurvesPanel,
  ) {
    super(panel, env, { bundle: "curves", isMessage: isCurvesWebviewMessage }, "curves");
  }

  refresh(): void {
    this.connection.postSnapshot();
  }

  protected snapshot(): unknown {
    return this.owner.snapshot();
  }

  protected handleMessage(message: Exclude<CurvesWebviewMessage, { type: "ready" }>): void {
    this.owner.apply(message);
  }
}
