/** The model summary panel: the Keras table of layers, output shapes and parameters. */
import * as vscode from "vscode";
import type { SummaryWebviewMessage } from "../../protocol/panels";
import type { ModelSummary } from "../../protocol/training";
import { isSummaryWebviewMessage } from "./guards";
import { PanelHost, createWebviewPanel, type PanelEnvironment } from "./webviewHost";

export class SummaryPanel extends PanelHost<SummaryWebviewMessage> {
  static readonly viewType = "dlLessons.modelSummary";
  private static current: SummaryPanel | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    private summary: ModelSummary,
    private source: string,
  ) {
    super(panel, env, { bundle: "summary", isMessage: isSummaryWebviewMessage }, "summary");
    this.onDidDispose(() => {
      if (SummaryPanel.current === this) SummaryPanel.current = undefined;
    });
  }

  /** `source` says where the model comes from, e.g. "create_model_intro() in intro.py". */
  static show(env: PanelEnvironment, summary: ModelSummary, source: string): SummaryPanel {
    const open = SummaryPanel.current;
    if (open) {
      open.summary = summary;
      open.source = source;
      open.connection.postSnapshot();
      open.reveal();
      return open;
    }
    const panel = createWebviewPanel(SummaryPanel.viewType, "Model Summary", vscode.ViewColumn.Beside, env);
    SummaryPanel.current = new SummaryPanel(panel, env, summary, source);
    return SummaryPanel.current;
  }

  /** Adopts a panel VS Code restored after a window reload (see `registerSerializers`). */
  static restore(panel: vscode.WebviewPanel, env: PanelEnvironment, summary: ModelSummary, source: string): SummaryPanel {
    SummaryPanel.current?.dispose();
    SummaryPanel.current = new SummaryPanel(panel, env, summary, source);
    return SummaryPanel.current;
  }

  protected snapshot(): unknown {
    return { type: "didChangeSummary", summary: this.summary, source: this.source };
  }

  protected handleMessage(message: never): void {
    // The summary webview sends nothing but `ready`, which the connection answers.
    void message;
  }
}
