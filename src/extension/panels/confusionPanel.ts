/** The confusion matrix panel; a click on a cell asks the host for the test images behind it. */
import * as vscode from "vscode";
import type { CellImagesRequest, CellImagesResponse, ConfusionViewState, ConfusionWebviewMessage, PanelImage } from "../../protocol/panels";
import { confusionViewState } from "./viewStates";
import type { EvaluationResult } from "../../protocol/training";
import { isConfusionWebviewMessage } from "./guards";
import { PanelHost, createWebviewPanel, type PanelEnvironment } from "./webviewHost";

/** Finds the test images whose true class is `trueLabel` and predicted class `predictedLabel`. */
export type CellImageProvider = (trueLabel: number, predictedLabel: number, limit: number) => Promise<{ images: PanelImage[]; total: number }>;

/** How many images one cell shows; enough to see a pattern, small enough to send at once. */
const CELL_IMAGE_LIMIT = 48;

export class ConfusionPanel extends PanelHost<ConfusionWebviewMessage> {
  static readonly viewType = "dlLessons.confusionMatrix";
  private static current: ConfusionPanel | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    private state: ConfusionViewState,
    private imageProvider: CellImageProvider,
  ) {
    // The guard reads the class count at the time each message arrives.
    super(panel, env, { bundle: "confusion", isMessage: (value): value is ConfusionWebviewMessage => isConfusionWebviewMessage(value, this.state.classNames.length) }, "confusion");
    this.onDidDispose(() => {
      if (ConfusionPanel.current === this) ConfusionPanel.current = undefined;
    });
  }

  static show(env: PanelEnvironment, evaluation: EvaluationResult, runLabel: string, imageProvider: CellImageProvider): ConfusionPanel {
    const state = confusionViewState(evaluation, runLabel);
    const open = ConfusionPanel.current;
    if (open) {
      open.state = state;
      open.imageProvider = imageProvider;
      open.connection.postSnapshot();
      open.reveal();
      return open;
    }
    const panel = createWebviewPanel(ConfusionPanel.viewType, "Confusion Matrix", vscode.ViewColumn.Beside, env);
    ConfusionPanel.current = new ConfusionPanel(panel, env, state, imageProvider);
    return ConfusionPanel.current;
  }

  protected snapshot(): unknown {
    return { type: "didChangeConfusion", state: this.state };
  }

  protected async handleMessage(request: CellImagesRequest): Promise<void> {
    const { requestId, trueLabel, predictedLabel } = request;
    let response: CellImagesResponse;
    try {
      const { images, total } = await this.imageProvider(trueLabel, predictedLabel, CELL_IMAGE_LIMIT);
      response = { type: "cellImagesResponse", requestId, trueLabel, predictedLabel, images: images.slice(0, CELL_IMAGE_LIMIT), total };
    } catch (error) {
      response = { type: "cellImagesResponse", requestId, trueLabel, predictedLabel, images: [], total: 0, error: `The test images could not be loaded: ${String(error)}` };
    }
    this.connection.post(response);
  }
}
