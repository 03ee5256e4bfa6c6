/**
 * The predictions panel: test images with their true and predicted labels and top-3 probabilities,
 * or (Classify Image…) one image of the learner's with the model's probabilities.
 */
import type * as vscode from "vscode";
import {
  PredictionsProtocol,
  type DidChangePredictionsNotification,
  type PredictionFilter,
  type PredictionsViewState,
  type PredictionsWebviewMessage,
  type SetPredictionFilterCommand,
} from "../../protocol/panels";
import { trackResultPanel } from "./resultsGroup";
import { PanelHost, PanelSlot, createResultPanel, type PanelEnvironment } from "../panels/webviewHost";

/** The learner's own images kept in the panel; the oldest go first. */
const MAX_OWN_IMAGES = 12;

export class PredictionsPanel extends PanelHost<PredictionsWebviewMessage, DidChangePredictionsNotification> {
  static readonly viewType = "dlLessons.predictions";
  private static readonly slot = new PanelSlot<PredictionsPanel>();

  private constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    private state: PredictionsViewState,
    private runId: string | undefined,
  ) {
    super(panel, env, { bundle: "predictions", icon: "predictions", protocol: PredictionsProtocol });
    trackResultPanel(panel, () => this.runId);
  }

  /** Items come from `EvaluationResult.predictions` with each image attached (see `encodePanelImage`). */
  static show(env: PanelEnvironment, content: Omit<PredictionsViewState, "filter" | "ownImage">, filter: PredictionFilter = "all", runId?: string): PredictionsPanel {
    return PredictionsPanel.open(env, { ...content, filter }, "Predictions", runId);
  }

  /**
   * Classify Image…: adds the learner's image (see `ownImageViewState`) above what the panel shows
   * of the same run (its test images, earlier images of the learner's); another run's are replaced.
   */
  static showOwnImage(env: PanelEnvironment, content: Omit<PredictionsViewState, "filter">, runId?: string): PredictionsPanel {
    const open = PredictionsPanel.slot.open;
    const added = content.ownImage;
    const sameRun = open !== undefined && open.runId === runId;
    const earlier = sameRun ? [...(open.state.ownImages ?? []), ...(open.state.ownImage ? [open.state.ownImage] : [])] : [];
    const state: PredictionsViewState = {
      runLabel: content.runLabel,
      classNames: content.classNames,
      items: sameRun ? open.state.items : [],
      filter: sameRun ? open.state.filter : "all",
      ownImages: [...(added ? [added] : []), ...earlier].slice(0, MAX_OWN_IMAGES),
    };
    return PredictionsPanel.open(env, state, "Predictions", runId);
  }

  private static open(env: PanelEnvironment, state: PredictionsViewState, title: string, runId: string | undefined): PredictionsPanel {
    return PredictionsPanel.slot.show(
      (open) => {
        open.state = state;
        open.runId = runId;
        open.panel.title = title;
      },
      () => new PredictionsPanel(createResultPanel(PredictionsPanel.viewType, title, env), env, state, runId),
    );
  }

  protected snapshot(): DidChangePredictionsNotification {
    return { type: "didChangePredictions", state: this.state };
  }

  protected handleMessage(message: SetPredictionFilterCommand): void {
    this.state = { ...this.state, filter: message.filter };
    this.refresh();
  }
}
