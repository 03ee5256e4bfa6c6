/**
 * Getting a dataset onto the machine and choosing the one Train uses: Download Dataset (with
 * progress and Cancel), Import Dataset (a file a workshop hands out), the monitor's dataset choice,
 * and the dataset preview panel. Every look at the disk is a request to the training process.
 */
import * as vscode from "vscode";
import { DISPLAY_NAMES, formatBytes, IMAGE_SHAPES } from "../../protocol/datasets";
import type { DatasetName } from "../../protocol/modelSpec";
import { DATASET_NAMES } from "../../protocol/modelSpec";
import type { DatasetChoiceCommand, MonitorDatasetView } from "../../protocol/panels";
import type { TrainingEvent } from "../../protocol/training";
import type { LessonCatalog } from "../lesson/lessonCatalog";
import { DatasetPreviewPanel, type PanelEnvironment } from "../panels";
import type { TrainingProcess } from "../training/trainingProcess";
import { datasetChoiceView, datasetChoiceWords, decideDataset, type DatasetDecision, type DatasetSituation } from "./datasetChoice";
import type { DatasetImages } from "./datasetImages";

/** Where the dataset chosen for this workspace is kept (workspace state), when the lesson's is not on this computer. */
const DATASET_CHOICE_KEY = "dlLessons.datasetChoice";

export class DatasetCommands {
  constructor(
    private readonly env: PanelEnvironment,
    private readonly catalog: LessonCatalog,
    private readonly training: TrainingProcess,
    private readonly images: DatasetImages,
    private readonly settings: () => { dataDirectory: string; configured: "lesson" | DatasetName },
    private readonly workspaceState: vscode.Memento,
    private readonly showDatasetView: (view: MonitorDatasetView) => void,
  ) {}

  /** The dataset a Train press uses for a lesson written for `lesson` (the lesson's own while the learner has yet to choose). */
  async trainingDatasetFor(lesson?: DatasetName): Promise<DatasetName> {
    // A file of no lesson trains as the catalog's lesson would.
    const written = lesson ?? (await this.lessonDataset());
    const decision = decideDataset(await this.datasetSituation(written));
    return decision.kind === "choose" ? written : decision.name;
  }

  /** What Train would do for the lesson's dataset now, without asking or fetching anything. */
  async decision(): Promise<{ lesson: DatasetName; decision: DatasetDecision }> {
    const lesson = await this.lessonDataset();
    return { lesson, decision: decideDataset(await this.datasetSituation(lesson)) };
  }

  /** Looks which datasets are on this computer and tells the monitor which one Train uses; after every change of them. */
  async refreshDatasetView(): Promise<void> {
    this.showDatasetView(datasetChoiceView(await this.datasetSituation(await this.lessonDataset())));
  }

  /** A button of the monitor's dataset choice. */
  async onDatasetChoice(command: Omit<DatasetChoiceCommand, "type">): Promise<void> {
    if (command.action === "use") {
      await this.workspaceState.update(DATASET_CHOICE_KEY, command.dataset);
      void vscode.window.showInformationMessage(`Train uses ${DISPLAY_NAMES[command.dataset]} in this workspace from now on.`);
    } else if (command.action === "download") {
      if (await this.download(command.dataset)) await this.forgetChoiceFor(command.dataset);
    } else if (await this.importFile(command.dataset)) {
      await this.forgetChoiceFor(command.dataset);
    }
    await this.refreshDatasetView();
  }

  async downloadDatasetCommand(): Promise<void> {
    const name = await this.pickDataset("Download Dataset");
    if (name && (await this.download(name))) await this.forgetChoiceFor(name);
    await this.refreshDatasetView();
  }

  async importDatasetCommand(): Promise<void> {
    const name = await this.pickDataset("Import Dataset");
    if (name && (await this.importFile(name))) await this.forgetChoiceFor(name);
    await this.refreshDatasetView();
  }

  async showDatasetPreview(): Promise<void> {
    const dataset = await this.datasetForTraining(await this.lessonDataset());
    if (!dataset) return;
    const name = dataset.name;
    await DatasetPreviewPanel.show(this.env, { title: `${DISPLAY_NAMES[name]} training images`, classNames: this.images.classNames(name) }, (count) => this.images.sample(name, count));
  }

  /**
   * The dataset to train on, once it is on this computer: the setting's, the workspace's choice or
   * the lesson's. When the lesson's is missing and nothing is chosen, one modal choice lists the
   * datasets that are here beside Download and Import (the monitor shows the same choice until it
   * is made). Undefined when the learner chose nothing or fetching failed.
   */
  async datasetForTraining(lesson: DatasetName): Promise<{ name: DatasetName; why: string } | undefined> {
    const decision = decideDataset(await this.datasetSituation(lesson));
    if (decision.kind === "use") return decision;
    if (decision.kind === "fetch") return (await this.ensureDataset(decision.name)) ? decision : undefined;
    await this.refreshDatasetView();
    const words = datasetChoiceWords(decision.lesson, decision.alternatives);
    const choice = await vscode.window.showWarningMessage(words.message, { modal: true, detail: words.detail }, ...words.useButtons.map((button) => button.label), words.download, words.importFile);
    const use = words.useButtons.find((button) => button.label === choice);
    let picked: { name: DatasetName; why: string } | undefined;
    if (use) {
      await this.workspaceState.update(DATASET_CHOICE_KEY, use.name);
      picked = { name: use.name, why: `you chose ${DISPLAY_NAMES[use.name]} for this workspace, as ${DISPLAY_NAMES[lesson]} is not on this computer` };
    } else if (choice === words.download) {
      picked = (await this.download(lesson)) ? { name: lesson, why: "" } : undefined;
    } else if (choice === words.importFile) {
      picked = (await this.importFile(lesson)) ? { name: lesson, why: "" } : undefined;
    }
    await this.refreshDatasetView();
    return picked;
  }

  /** The dataset the lesson trains on. */
  async lessonDataset(): Promise<DatasetName> {
    return (await this.catalog.lessons())[0]?.dataset ?? "cifar10";
  }

  /** True when the dataset is on this machine, after offering to download or import it. */
  private async ensureDataset(name: DatasetName): Promise<boolean> {
    if ((await this.present()).has(name)) return true;
    const download = "Download";
    const importFile = "Import File…";
    const choice = await vscode.window.showWarningMessage(
      `${DISPLAY_NAMES[name]} is not on this computer yet. Download it from its publisher, or import the file your workshop handed out.`,
      download,
      importFile,
    );
    if (choice === download) return this.download(name);
    if (choice === importFile) return this.importFile(name);
    return false;
  }

  private async download(name: DatasetName): Promise<boolean> {
    const abort = new AbortController();
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Downloading ${DISPLAY_NAMES[name]}`, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        let shown = 0;
        await this.followingProgress(name, (event) => {
          const fraction = event.totalBytes ? event.receivedBytes / event.totalBytes : undefined;
          const message = `${event.phase}: ${formatBytes(event.receivedBytes)}${event.totalBytes ? ` of ${formatBytes(event.totalBytes)}` : ""}`;
          if (event.phase === "download" && fraction !== undefined) {
            progress.report({ increment: Math.max(0, fraction - shown) * 100, message });
            shown = Math.max(shown, fraction);
          } else {
            progress.report({ message });
          }
        }, () => this.training.get().downloadDataset({ dataset: name, dataDirectory: this.settings().dataDirectory }, abort.signal));
      });
      this.images.forget(name);
      void vscode.window.showInformationMessage(`${DISPLAY_NAMES[name]} is downloaded and checked.`);
      return true;
    } catch (error) {
      if (!abort.signal.aborted) void vscode.window.showErrorMessage(`${messageOf(error)} You can also import the dataset from a file (Lessons: Import Dataset…).`);
      return false;
    }
  }

  private async importFile(name: DatasetName): Promise<boolean> {
    const picked = await vscode.window.showOpenDialog({
      title: `Import ${DISPLAY_NAMES[name]}: the downloaded archive, or the folder it was unpacked into`,
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: false,
    });
    const source = picked?.[0];
    if (!source) return false;
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Importing ${DISPLAY_NAMES[name]}` }, (progress) =>
        this.followingProgress(
          name,
          (event) => progress.report({ message: `${event.phase}: ${formatBytes(event.receivedBytes)}` }),
          () => this.training.get().importDataset({ dataset: name, source: source.fsPath, dataDirectory: this.settings().dataDirectory }),
        ),
      );
      this.images.forget(name);
      void vscode.window.showInformationMessage(`${DISPLAY_NAMES[name]} is imported and checked.`);
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(messageOf(error));
      return false;
    }
  }

  /** Runs a fetch of `name`, handing its `dataset-progress` events to `onProgress` while it lasts. */
  private async followingProgress(name: DatasetName, onProgress: (event: Extract<TrainingEvent, { kind: "dataset-progress" }>) => void, fetch: () => Promise<void>): Promise<void> {
    const unsubscribe = this.training.onEvent((event) => {
      if (event.kind === "dataset-progress" && event.dataset === name) onProgress(event);
    });
    try {
      await fetch();
    } finally {
      unsubscribe();
    }
  }

  private async present(): Promise<ReadonlySet<DatasetName>> {
    return new Set(await this.training.get().datasetsPresent(this.settings().dataDirectory));
  }

  private async datasetSituation(lesson: DatasetName): Promise<DatasetSituation> {
    const remembered = this.workspaceState.get<DatasetName>(DATASET_CHOICE_KEY);
    return {
      lesson,
      configured: this.settings().configured,
      remembered: remembered !== undefined && DATASET_NAMES.includes(remembered) ? remembered : undefined,
      present: await this.present(),
    };
  }

  /** Once the lesson's dataset is here, a choice made while it was missing no longer applies. */
  private async forgetChoiceFor(fetched: DatasetName): Promise<void> {
    if (fetched === (await this.lessonDataset())) await this.workspaceState.update(DATASET_CHOICE_KEY, undefined);
  }

  private async pickDataset(title: string): Promise<DatasetName | undefined> {
    const decision = decideDataset(await this.datasetSituation(await this.lessonDataset()));
    const suggested = decision.kind === "choose" ? decision.lesson : decision.name;
    const items = [...DATASET_NAMES].sort((a, b) => Number(b === suggested) - Number(a === suggested)).map((name) => ({ label: DISPLAY_NAMES[name], description: `${IMAGE_SHAPES[name].join("×")} images${name === suggested ? " · used by the lesson" : ""}`, name }));
    return (await vscode.window.showQuickPick(items, { title, placeHolder: "Which dataset?" }))?.name;
  }
}

/** The process words dataset failures for the learner already (the file, what is wrong, what to try): shown as they are. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
