/** The predictions panel: test images with their true and predicted labels and top-3 probabilities. */
import * as vscode from "vscode";
import type { PredictionFilter, PredictionsViewState, PredictionsWebviewMessage, SetPredictionFilterCommand } from "../../protocol/panels";
import { isPredictionsWebviewMessage } from "./guards";
import { PanelHost, createWebviewPanel, type PanelEnvironment } from "./webviewHost";

export class PredictionsPanel extends PanelHost<PredictionsWebviewMessage> {
  static readonly viewType = "dlLessons.predictions";
  private static current: PredictionsPanel | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    private state: PredictionsViewState,
  ) {
    super(panel, env, { bundle: "predictions", isMessage: isPredictionsWebviewMessage }, "predictions");
    this.onDidDispose(() => {
      if (PredictionsPanel.current === this) PredictionsPanel.current = undefined;
    });
  }

  /** Items come from `EvaluationResult.predictions` with each image attached (see `encodePanelImage`). */
  static show(env: PanelEnvironment, content: Omit<PredictionsViewState, "filter">, filter: PredictionFilter = "all"): PredictionsPanel {
    const open = PredictionsPanel.current;
    if (open) {
      open.state = { ...content, filter };
      open.connection.postSnapshot();
      open.reveal();
      return open;
    }
    const panel = createWebviewPanel(PredictionsPanel.viewType, "Predictions", vscode.ViewColumn.Beside, env);
    PredictionsPanel.current = new PredictionsPanel(panel, env, { ...content, filter });
    return PredictionsPanel.current;
  }

  protected snapshot(): unknown {
    return { type: "didChangePredictions", state: this.state };
  }

  protected handleMessage(message: SetPredictionFilterCommand): void {
    this.state = { ...this.state, filter: message.filter };
    this.connection.postSnapshot();
  }
}
