/**
 * Training curves. `CurvesPanel` keeps the runs whether or not the panel is open (it is fed every
 * training event), so opening it mid-run shows the run so far.
 */
import * as vscode from "vscode";
import {
  CurvesProtocol,
  type CurveRun,
  type CurvesWebviewMessage,
  type CurvesWebviewPersistedState,
  type DidChangeCurvesNotification,
  type SweepComparisonView,
} from "../../protocol/panels";
import type { TrainResult, TrainingEvent } from "../../protocol/training";
import { curvesAfterEvent, curvesAfterFailure, curvesAfterReload, curvesAfterResult, curvesWithRun } from "./curvesState";
import { trackResultPanel } from "./resultsGroup";
import { PanelHost, PanelSlot, createResultPanel, registerPanelSerializer, type PanelCommand, type PanelEnvironment } from "../panels/webviewHost";

export class CurvesPanel implements vscode.Disposable {
  static readonly viewType = "dlLessons.trainingCurves";
  private runs: CurveRun[] = [];
  private comparison: SweepComparisonView | undefined;
  private readonly slot = new PanelSlot<CurvesWebviewPanel>();
  private readonly serializer: vscode.Disposable;

  /** Create one, in activate(): it registers the panel's serializer (`onWebviewPanel:dlLessons.trainingCurves`). */
  constructor(private readonly env: PanelEnvironment) {
    this.serializer = registerPanelSerializer(CurvesPanel.viewType, CurvesProtocol.state, env, (panel, persisted) => this.restore(panel, persisted));
  }

  /** Opens or reveals the panel; with `only`, shows just those runs (Compare, Open Curves). */
  show(only?: readonly string[]): void {
    if (only) this.runs = this.runs.map((run) => ({ ...run, hidden: !only.includes(run.runId) }));
    this.slot.show(
      () => undefined,
      () => this.webviewPanelFor(createResultPanel(CurvesPanel.viewType, "Training Curves", this.env)),
    );
  }

  /** Adopts the panel VS Code restored after a window reload, with the runs its webview last showed; refused while one is open. */
  private restore(panel: vscode.WebviewPanel, persisted: CurvesWebviewPersistedState): boolean {
    if (this.slot.open) return false;
    this.runs = curvesAfterReload(this.runs, persisted.runs);
    this.slot.adopt(this.webviewPanelFor(panel));
    return true;
  }

  private webviewPanelFor(panel: vscode.WebviewPanel): CurvesWebviewPanel {
    trackResultPanel(panel, () => this.runInView());
    return new CurvesWebviewPanel(panel, this.env, this);
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
  snapshot(): DidChangeCurvesNotification {
    const comparison = this.comparison;
    const shown = comparison && comparison.rows.some((row) => this.runs.some((run) => run.runId === row.runId && !run.hidden));
    return { type: "didChangeCurves", runs: this.runs, ...(shown ? { comparison } : {}) };
  }

  /** @internal Applies a command from the webview. */
  apply(message: PanelCommand<CurvesWebviewMessage>): void {
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
    this.slot.open?.dispose();
  }

  private changed(): void {
    this.slot.open?.refresh();
  }
}

class CurvesWebviewPanel extends PanelHost<CurvesWebviewMessage, DidChangeCurvesNotification, CurvesWebviewPersistedState> {
  constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    private readonly owner: CurvesPanel,
  ) {
    super(panel, env, { bundle: "curves", icon: "curves", protocol: CurvesProtocol });
  }

  protected snapshot(): DidChangeCurvesNotification {
    return this.owner.snapshot();
  }

  protected handleMessage(message: PanelCommand<CurvesWebviewMessage>): void {
    this.owner.apply(message);
  }
}
