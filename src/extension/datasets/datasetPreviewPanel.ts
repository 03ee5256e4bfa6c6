/** The dataset preview: a 5×5 grid of training images with their class names. */
import type * as vscode from "vscode";
import { DatasetPreviewProtocol, type DatasetPreviewViewState, type DatasetPreviewWebviewMessage, type DidChangeDatasetPreviewNotification, type PanelImage } from "../../protocol/panels";
import { trackResultPanel } from "../results/resultsGroup";
import { PanelHost, PanelSlot, createResultPanel, warn, type PanelEnvironment } from "../panels/webviewHost";

/** Draws `count` random training images with their labels. */
export type DatasetSampler = (count: number) => Promise<{ image: PanelImage; label: number }[]>;

const GRID_SIZE = 25;

export class DatasetPreviewPanel extends PanelHost<DatasetPreviewWebviewMessage, DidChangeDatasetPreviewNotification> {
  static readonly viewType = "dlLessons.datasetPreview";
  private static readonly slot = new PanelSlot<DatasetPreviewPanel>();

  private state: DatasetPreviewViewState;

  private constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    dataset: { title: string; classNames: string[] },
    private sampler: DatasetSampler,
  ) {
    super(panel, env, { bundle: "dataset", icon: "dataset", protocol: DatasetPreviewProtocol });
    // Shows a dataset, not a run: it joins the results group but names no run.
    trackResultPanel(panel, () => undefined);
    this.state = { ...dataset, samples: [], loading: true };
  }

  static async show(env: PanelEnvironment, dataset: { title: string; classNames: string[] }, sampler: DatasetSampler): Promise<DatasetPreviewPanel> {
    const open = DatasetPreviewPanel.slot.show(
      (open) => {
        open.state = { ...dataset, samples: [], loading: true };
        open.sampler = sampler;
      },
      () => new DatasetPreviewPanel(createResultPanel(DatasetPreviewPanel.viewType, "Dataset Preview", env), env, dataset, sampler),
    );
    await open.resample();
    return open;
  }

  protected snapshot(): DidChangeDatasetPreviewNotification {
    return { type: "didChangeDatasetPreview", state: this.state };
  }

  protected handleMessage(): Promise<void> {
    // The only command is "show another 25".
    return this.resample();
  }

  private async resample(): Promise<void> {
    this.state = { ...this.state, loading: true };
    this.refresh();
    try {
      this.state = { ...this.state, samples: await this.sampler(GRID_SIZE), loading: false };
    } catch (error) {
      warn(this.env, `Could not sample the dataset: ${String(error)}`);
      this.state = { ...this.state, loading: false };
    }
    this.refresh();
  }
}
