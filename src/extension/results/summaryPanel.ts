/** The model summary panel: the Keras table of layers, output shapes and parameters. */
import type * as vscode from "vscode";
import { SummaryProtocol, type DidChangeSummaryNotification, type SummaryWebviewMessage, type SummaryWebviewPersistedState } from "../../protocol/panels";
import type { ModelSummary } from "../../protocol/training";
import { trackResultPanel } from "./resultsGroup";
import { PanelHost, PanelSlot, createResultPanel, type PanelEnvironment } from "../panels/webviewHost";

/** Where a summary's model comes from and what training changed in it. */
export interface SummaryOrigin {
  /** E.g. "create_model_intro() in intro.py", or a run's label. */
  source: string;
  /** What the model as trained differs in from the code, and why; one sentence each. */
  notes?: string[];
  /** The training run whose model this is; absent for a model straight from a file. */
  runId?: string;
}

export class SummaryPanel extends PanelHost<SummaryWebviewMessage, DidChangeSummaryNotification, SummaryWebviewPersistedState> {
  static readonly viewType = "dlLessons.modelSummary";
  private static readonly slot = new PanelSlot<SummaryPanel>();

  private constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    private summary: ModelSummary,
    private origin: SummaryOrigin,
  ) {
    super(panel, env, { bundle: "summary", icon: "summary", protocol: SummaryProtocol });
    trackResultPanel(panel, () => this.origin.runId);
  }

  static show(env: PanelEnvironment, summary: ModelSummary, origin: SummaryOrigin): SummaryPanel {
    return SummaryPanel.slot.show(
      (open) => {
        open.summary = summary;
        open.origin = origin;
      },
      () => new SummaryPanel(createResultPanel(SummaryPanel.viewType, "Model Summary", env), env, summary, origin),
    );
  }

  /** Adopts a panel VS Code restored after a window reload (see `registerSerializers`). */
  static restore(panel: vscode.WebviewPanel, env: PanelEnvironment, summary: ModelSummary, origin: SummaryOrigin): SummaryPanel {
    return SummaryPanel.slot.adopt(new SummaryPanel(panel, env, summary, origin));
  }

  protected snapshot(): DidChangeSummaryNotification {
    return { type: "didChangeSummary", summary: this.summary, source: this.origin.source, ...(this.origin.notes?.length ? { notes: this.origin.notes } : {}) };
  }

  protected handleMessage(message: never): void {
    // The summary webview sends nothing but `ready`, which the connection answers.
    void message;
  }
}
