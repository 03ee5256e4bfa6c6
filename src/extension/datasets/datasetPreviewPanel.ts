/** The dataset preview: a 5×5 grid of training images with their class names. */
import type * as vscode from "vscode";
import type { DatasetPreviewViewState, DatasetPreviewWebviewMessage, PanelImage } from "../../protocol/panels";
import { isDatasetPreviewWebviewMessage } from "../panels/guards";
import { trackResultPanel } from "../results/resultsGroup";
import { PanelHost, createResultPanel, warn, type PanelEnvironment } from "../panels/webviewHost";

/** Draws `count` random training images with their labels. */
export type DatasetSampler = (count: number) => Promise<{ image: PanelImage; label: number }[]>;

const GRID_SIZE = 25;

export class DatasetPreviewPanel extends PanelHost<DatasetPreviewWebviewMessage> {
  static readonly viewType = "dlLessons.datasetPreview";
  private static current: DatasetPreviewPanel | undefined;

  private state: DatasetPreviewViewState;

  private constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    dataset: { title: string; classNames: string[] },
    private sampler: DatasetSampler,
  ) {
    super(panel, env, { bundle: "dataset", isMessage: isDatasetPreviewWebviewMessage }, "dataset");
    // Shows a dataset, not a run: it joins the results group but names no run.
    trackResultPanel(panel, () => undefined);
    this.state = { ...dataset, samples: [], loading: true };
    this.onDidDispose(() => {
      if (DatasetPreviewPanel.current === this) DatasetPreviewPanel.current = undefined;
    });
  }

  static async show(env: PanelEnvironment, dataset: { title: string; classNames: string[] }, sampler: DatasetSampler): Promise<DatasetPreviewPanel> {
    let open = DatasetPreviewPanel.current;
    if (open) {
      open.state = { ...dataset, samples: [], loading: true };
      open.sampler = sampler;
      open.reveal();
    } else {
      const panel = createResultPanel(DatasetPreviewPanel.viewType, "Dataset Preview", env);
      open = new DatasetPreviewPanel(panel, env, dataset, sampler);
      DatasetPreviewPanel.current = open;
    }
    await open.resample();
    return open;
  }

  protected snapshot(): unknown {
    return { type: "didChangeDatasetPreview", state: this.state };
  }

  protected handleMessage(): Promise<void> {
    // The only command is "show another 25".
    return this.resample();
  }

  private async resample(): Promise<void> {
    this.state = { ...this.state, loading: true };
    this.connection.postSnapshot();
    try {
      this.state = { ...this.state, samples: await this.sampler(GRID_SIZE), loading: false };
    } catch (error) {
      warn(this.env, `Could not sample the dataset: ${String(error)}`);
      this.state = { ...this.state, loading: false };
    }
    this.connection.postSnapshot();
  }
}
