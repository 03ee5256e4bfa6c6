/** The confusion matrix panel; a click on a cell asks the host for the test images behind it. */
import type * as v from "valibot";
import {
  ConfusionProtocol,
  confusionWebviewMessageSchema,
  type CellImagesRequest,
  type CellImagesResponse,
  type ConfusionHostMessage,
  type ConfusionViewState,
  type ConfusionWebviewMessage,
  type ConfusionWebviewPersistedState,
  type DidChangeConfusionNotification,
  type PanelImage,
} from "../../protocol/panels";
import { confusionViewState } from "../panels/viewStates";
import type { EvaluationResult } from "../../protocol/training";
import { PanelHost, PanelSlot, createResultPanel, type PanelEnvironment } from "../panels/webviewHost";
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

export class ConfusionPanel extends PanelHost<ConfusionWebviewMessage, ConfusionHostMessage, ConfusionWebviewPersistedState> {
  static readonly viewType = "dlLessons.confusionMatrix";
  private static readonly slot = new PanelSlot<ConfusionPanel>();

  private constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    private state: ConfusionViewState,
    private imageProvider: CellImageProvider,
    private runId: string | undefined,
  ) {
    super(panel, env, { bundle: "confusion", icon: "confusion", protocol: ConfusionProtocol });
    trackResultPanel(panel, () => this.runId);
  }

  /** `run` names the run evaluated: its id (for the commands that act on the run in view) and its dataset. */
  static show(env: PanelEnvironment, evaluation: EvaluationResult, run: { runId?: string; label: string; dataset?: string }, imageProvider: CellImageProvider): ConfusionPanel {
    const state = confusionViewState(evaluation, run.label, run.dataset);
    return ConfusionPanel.slot.show(
      (open) => {
        open.state = state;
        open.imageProvider = imageProvider;
        open.runId = run.runId;
      },
      () => new ConfusionPanel(createResultPanel(ConfusionPanel.viewType, "Confusion Matrix", env), env, state, imageProvider, run.runId),
    );
  }

  /** A cell request is bounded by the matrix shown when it arrives: a class it does not have is invalid. */
  protected override toHostSchema(): v.GenericSchema<unknown, ConfusionWebviewMessage> {
    return confusionWebviewMessageSchema(this.state.classNames.length);
  }

  protected snapshot(): DidChangeConfusionNotification {
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
    this.post(response);
  }
}
