/** The confusion matrix panel; a click on a cell asks the host for the test images behind it. */
import type { CellImagesRequest, CellImagesResponse, ConfusionViewState, ConfusionWebviewMessage, PanelImage } from "../../protocol/panels";
import { confusionViewState } from "../panels/viewStates";
import type { EvaluationResult } from "../../protocol/training";
import { isConfusionWebviewMessage } from "../panels/guards";
import { PanelHost, createResultPanel, type PanelEnvironment } from "../panels/webviewHost";
import type * as vscode from "vscode";
import { trackResultPanel } from "./resultsGroup";

/**
 * Finds the test images whose true class is `trueLabel` and predicted class `predictedLabel`, from
 * the `offset`-th on, at most `limit`; with the predicted class's probability of each.
 */
export type CellImageProvider = (
  trueLabel: number,
  predictedLabel: number,
  offset: number,
  limit: number,
) => Promise<{ images: PanelImage[]; probabilities: number[]; total: number; offset: number }>;

/** How many images one page of a cell shows; enough to see a pattern, small enough to send at once. */
const CELL_PAGE_SIZE = 48;

export class ConfusionPanel extends PanelHost<ConfusionWebviewMessage> {
  static readonly viewType = "dlLessons.confusionMatrix";
  private static current: ConfusionPanel | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    private state: ConfusionViewState,
    private imageProvider: CellImageProvider,
    private runId: string | undefined,
  ) {
    // The guard reads the class count at the time each message arrives.
    super(panel, env, { bundle: "confusion", isMessage: (value): value is ConfusionWebviewMessage => isConfusionWebviewMessage(value, this.state.classNames.length) }, "confusion");
    trackResultPanel(panel, () => this.runId);
    this.onDidDispose(() => {
      if (ConfusionPanel.current === this) ConfusionPanel.current = undefined;
    });
  }

  /** `run` names the run evaluated: its id (for the commands that act on the run in view) and its dataset. */
  static show(env: PanelEnvironment, evaluation: EvaluationResult, run: { runId?: string; label: string; dataset?: string }, imageProvider: CellImageProvider): ConfusionPanel {
    const state = confusionViewState(evaluation, run.label, run.dataset);
    const open = ConfusionPanel.current;
    if (open) {
      open.state = state;
      open.imageProvider = imageProvider;
      open.runId = run.runId;
      open.connection.postSnapshot();
      open.reveal();
      return open;
    }
    const panel = createResultPanel(ConfusionPanel.viewType, "Confusion Matrix", env);
    ConfusionPanel.current = new ConfusionPanel(panel, env, state, imageProvider, run.runId);
    return ConfusionPanel.current;
  }

  protected snapshot(): unknown {
    return { type: "didChangeConfusion", state: this.state };
  }

  protected async handleMessage(request: CellImagesRequest): Promise<void> {
    const { requestId, trueLabel, predictedLabel } = request;
    let response: CellImagesResponse;
    try {
      const page = await this.imageProvider(trueLabel, predictedLabel, request.offset ?? 0, CELL_PAGE_SIZE);
      response = {
        type: "cellImagesResponse",
        requestId,
        trueLabel,
        predictedLabel,
        images: page.images.slice(0, CELL_PAGE_SIZE),
        probabilities: page.probabilities.slice(0, CELL_PAGE_SIZE),
        total: page.total,
        offset: page.offset,
        pageSize: CELL_PAGE_SIZE,
      };
    } catch (error) {
      response = { type: "cellImagesResponse", requestId, trueLabel, predictedLabel, images: [], total: 0, error: `The test images could not be loaded: ${String(error)}` };
    }
    this.connection.post(response);
  }
}
