/**
 * The predictions panel: test images with their true and predicted labels and top-3 probabilities,
 * or (Classify Image…) one image of the learner's with the model's probabilities.
 */
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
  static show(env: PanelEnvironment, content: Omit<PredictionsViewState, "filter" | "ownImage">, filter: PredictionFilter = "all"): PredictionsPanel {
    return PredictionsPanel.open(env, { ...content, filter }, "Predictions");
  }

  /** Classify Image…: the learner's one image and the model's answer (see `ownImageViewState`), titled with the file name. */
  static showOwnImage(env: PanelEnvironment, content: Omit<PredictionsViewState, "filter">): PredictionsPanel {
    return PredictionsPanel.open(env, { ...content, filter: "all" }, content.ownImage?.fileName ?? "Predictions");
  }

  private static open(env: PanelEnvironment, state: PredictionsViewState, title: string): PredictionsPanel {
    const open = PredictionsPanel.current;
    if (open) {
      open.state = state;
      open.panel.title = title;
      open.connection.postSnapshot();
      open.reveal();
      return open;
    }
    const panel = createWebviewPanel(PredictionsPanel.viewType, title, vscode.ViewColumn.Beside, env);
    PredictionsPanel.current = new PredictionsPanel(panel, env, state);
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
