/** The model summary panel: the Keras table of layers, output shapes and parameters. */
import * as vscode from "vscode";
import type { SummaryWebviewMessage } from "../../protocol/panels";
import type { ModelSummary } from "../../protocol/training";
import { isSummaryWebviewMessage } from "../panels/guards";
import { trackResultPanel } from "./resultsGroup";
import { PanelHost, createResultPanel, type PanelEnvironment } from "../panels/webviewHost";

/** Where a summary's model comes from and what training changed in it. */
export interface SummaryOrigin {
  /** E.g. "create_model_intro() in intro.py", or a run's label. */
  source: string;
  /** What the model as trained differs in from the code, and why; one sentence each. */
  notes?: string[];
  /** The training run whose model this is; absent for a model straight from a file. */
  runId?: string;
}

export class SummaryPanel extends PanelHost<SummaryWebviewMessage> {
  static readonly viewType = "dlLessons.modelSummary";
  private static current: SummaryPanel | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    private summary: ModelSummary,
    private origin: SummaryOrigin,
  ) {
    super(panel, env, { bundle: "summary", isMessage: isSummaryWebviewMessage }, "summary");
    trackResultPanel(panel, () => this.origin.runId);
    this.onDidDispose(() => {
      if (SummaryPanel.current === this) SummaryPanel.current = undefined;
    });
  }

  static show(env: PanelEnvironment, summary: ModelSummary, origin: SummaryOrigin): SummaryPanel {
    const open = SummaryPanel.current;
    if (open) {
      open.summary = summary;
      open.origin = origin;
      open.connection.postSnapshot();
      open.reveal();
      return open;
    }
    const panel = createResultPanel(SummaryPanel.viewType, "Model Summary", env);
    SummaryPanel.current = new SummaryPanel(panel, env, summary, origin);
    return SummaryPanel.current;
  }

  /** Adopts a panel VS Code restored after a window reload (see `registerSerializers`). */
  static restore(panel: vscode.WebviewPanel, env: PanelEnvironment, summary: ModelSummary, origin: SummaryOrigin): SummaryPanel {
    SummaryPanel.current?.dispose();
    SummaryPanel.current = new SummaryPanel(panel, env, summary, origin);
    return SummaryPanel.current;
  }

  protected snapshot(): unknown {
    return { type: "didChangeSummary", summary: this.summary, source: this.origin.source, ...(this.origin.notes?.length ? { notes: this.origin.notes } : {}) };
  }

  protected handleMessage(message: never): void {
    // The summary webview sends nothing but `ready`, which the connection answers.
    void message;
  }
}
