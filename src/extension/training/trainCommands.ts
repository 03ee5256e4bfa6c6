/**
 * The commands around training and its results: Train Model, Stop, Evaluate, the model summary,
 * curves, confusion matrix, predictions and dataset preview panels, Classify Image…, and getting
 * a dataset onto the machine (download with progress, or import a file a workshop hands out).
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import * as vscode from "vscode";
import { describeShape, type GridSearchInfo, type ModelInfo } from "../../checker";
import type { DatasetName } from "../../protocol/modelSpec";
import { DATASET_NAMES } from "../../protocol/modelSpec";
import type { DatasetChoiceCommand, MonitorDatasetView } from "../../protocol/panels";
import type { BackendName } from "../../protocol/training";
import { DISPLAY_NAMES, IMAGE_SHAPES } from "../../training/datasets/catalog";
import { downloadDataset, importDatasetArchive, locateDataset } from "../../training/datasets/store";
import { formatBytes } from "../../training/datasets/errors";
import { lessonCompile, lessonFit } from "../../training/models";
import { summarizeModel } from "../../training/summary";
import type { DatasetImages } from "../datasets/datasetImages";
import { datasetChoiceView, datasetChoiceWords, decideDataset, modelExpects, type DatasetSituation } from "../datasets/datasetChoice";
import type { EditorChecking } from "../editor/editorChecking";
import { decodeImage, ImageFormatError, letterboxToInput, resizeToInput, type RgbaImage } from "../results/imageInput";
import type { LessonCatalog } from "../lesson/lessonCatalog";
import { cellPage, ConfusionPanel, PredictionsPanel, SummaryPanel, DatasetPreviewPanel, focusedResultRunId, ownImageViewState, type CurvesPanel, type PanelEnvironment } from "../panels";
import type { SavedRun, TrainingController } from "./trainingController";
import { planGridSearch, planTraining, sweepComparisonRow, sweepLabels, sweepParameter, type TrainingOverrides } from "./trainingPlan";

/** Epochs the lesson trains its intro model for, used when a file builds a model but never calls fit. */
const LESSON_EPOCHS = 10;
const PREDICTIONS_SHOWN = 60;
/** The longer side of the original picture shown beside what the model sees, in pixels. */
const ORIGINAL_THUMBNAIL = 160;
/** Where the dataset chosen for this workspace is kept (workspace state), when the lesson's is not on this computer. */
const DATASET_CHOICE_KEY = "dlLessons.datasetChoice";

const BACKEND_WORDS: Record<BackendName, string> = {
  "tensorflow-gpu": "native TensorFlow on the GPU",
  webgpu: "WebGPU on the GPU, in the editor's GPU Trainer tab",
  webgl: "WebGL on the GPU, in the editor's GPU Trainer tab",
  tensorflow: "native TensorFlow on the CPU",
  wasm: "WebAssembly on the CPU",
  cpu: "plain JavaScript on the CPU (slow)",
};

export class TrainCommands {
  constructor(
    private readonly env: PanelEnvironment,
    private readonly catalog: LessonCatalog,
    private readonly checking: EditorChecking,
    private readonly training: TrainingController,
    private readonly curves: CurvesPanel,
    private readonly images: DatasetImages,
    private readonly settings: () => { dataDirectory: string; overrides: TrainingOverrides },
    private readonly workspaceState: vscode.Memento,
    private readonly showDatasetView: (view: MonitorDatasetView) => void,
  ) {}

  /** The dataset a Train press uses for a lesson written for `lesson` (the lesson's own while the learner has yet to choose). */
  async trainingDatasetFor(lesson: DatasetName): Promise<DatasetName> {
    const decision = decideDataset(await this.datasetSituation(lesson));
    return decision.kind === "choose" ? lesson : decision.name;
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

  /** Trains the model of a challenge file or of any Python file whose model the checker understands. */
  async trainModel(target: unknown): Promise<void> {
    const doc = await this.pythonDocument(target, "Train Model");
    if (!doc) return;
    const result = await this.checking.resultFor(doc);
    if (!result) return;
    const name = path.basename(doc.uri.fsPath);
    const blanksLeft = result.check?.verdict.blanks.some((b) => b.status === "todo");
    if (blanksLeft) {
      void vscode.window.showWarningMessage(`${name} still has blanks (_____) to fill in. Fill them in, then train.`);
      return;
    }
    const lessonDataset = result.challenge?.lesson.dataset ?? (await this.lessonDataset());
    const grids = result.analysis.grids.filter((grid) => grid.runs.length > 0);
    const picked = await this.pickRuns(result.analysis.runs.map((run) => ({ model: run.model, compile: run.compile, fit: run.fit })), result.analysis.models, grids, name);
    if ("runs" in picked && picked.runs.length === 0) return;
    const dataset = await this.datasetForTraining(lessonDataset);
    if (!dataset) return;
    const overrides: TrainingOverrides = { ...this.settings().overrides, dataset: dataset.name, ...(dataset.why ? { datasetWhy: dataset.why } : {}) };
    const datasetTitle = DISPLAY_NAMES[dataset.name];
    if ("grid" in picked) {
      const search = planGridSearch(picked.grid, lessonDataset, overrides);
      this.curves.show();
      await this.training.gridSearch(search);
      return;
    }
    const chosen = picked.runs;
    const differences = sweepLabels(chosen.map((choice) => choice.model));
    // Every label names the dataset, so the monitor, the curves' legend and the result panels all say what the run learned from.
    const plans = chosen.map((choice, index) => {
      const label = chosen.length > 1 ? `${differences[index] || `run ${index + 1} of ${chosen.length}`} · ${name} · ${datasetTitle}` : `${choice.model.name} · ${name} · ${datasetTitle}`;
      return planTraining(label, choice.model, choice.compile, choice.fit, lessonDataset, overrides);
    });
    if (plans.length === 1) {
      this.curves.show();
      const run = await this.training.train(plans[0]!);
      if (run?.status === "completed") await this.training.evaluate(run);
      return;
    }
    await this.trainSweep(plans, sweepParameter(differences));
  }

  /**
   * A sweep (the lesson's dropout-rate and activation loops): one run after another, overlaid on
   * the curves on their own (earlier runs are hidden, so each run of the sweep has its own colour),
   * with the comparison chart of the swept value against final validation loss and accuracy
   * growing as each run ends.
   */
  private async trainSweep(plans: ReturnType<typeof planTraining>[], swept: { parameter: string; values: string[] }): Promise<void> {
    this.curves.show([]);
    this.curves.setComparison(undefined);
    const seconds: number[] = [];
    const finished: SavedRun[] = [];
    for (const [index, plan] of plans.entries()) {
      const startedAt = Date.now();
      const secondsPerRun = seconds.length > 0 ? seconds.reduce((a, b) => a + b, 0) / seconds.length : undefined;
      const run = await this.training.train(plan, { run: index + 1, runs: plans.length, ...(secondsPerRun === undefined ? {} : { secondsPerRun }) });
      if (!run) return;
      seconds.push((Date.now() - startedAt) / 1000);
      finished.push(run);
      this.curves.setComparison({ parameter: swept.parameter, rows: finished.map((done, i) => sweepComparisonRow(done.runId, swept.values[i] ?? done.label, done.history)) });
      if (run.status !== "completed") return;
    }
    // Evaluated after the sweep, not between its runs, so the time left said for the sweep holds.
    const last = finished.at(-1);
    if (last) await this.training.evaluate(last);
  }

  /**
   * The model summary the learner means: of the file given (a menu on a Python file); else of the
   * run whose result panel is in front of them, as it was trained; else of the Python file in the
   * active editor, straight from the checker (no training needed); else of the latest run.
   */
  async showModelSummary(target: unknown): Promise<void> {
    if (!(target instanceof vscode.Uri)) {
      const focusedRun = focusedResultRunId();
      const run = focusedRun === undefined ? undefined : this.training.run(focusedRun);
      if (run) return this.showRunSummary(run);
      if (vscode.window.activeTextEditor?.document.languageId !== "python") {
        const latest = this.training.latestRun();
        if (latest?.model) return this.showRunSummary(latest);
      }
    }
    const doc = await this.pythonDocument(target, "Show Model Summary");
    if (!doc) return;
    const result = await this.checking.resultFor(doc);
    const models = (result?.analysis.models ?? []).filter((m) => m.complete);
    const model = models.length <= 1 ? models[0] : (await vscode.window.showQuickPick(models.map((m) => ({ label: m.spec.name, description: describeModel(m), model: m })), { title: "Show Model Summary" }))?.model;
    if (!model) {
      if (models.length === 0) void vscode.window.showWarningMessage(`No complete model in ${path.basename(doc.uri.fsPath)} yet: the summary needs a keras.Model(...) whose layers the checker understands. Fix what is underlined first.`);
      return;
    }
    const source = `${model.builtBy ? `${model.builtBy}() in ` : ""}${path.basename(doc.uri.fsPath)}`;
    SummaryPanel.show(this.env, summarizeModel(model.spec), { source, notes: await this.trainingNotes(model.spec) });
  }

  /** The summary of a run's model as it was trained, with what training changed and why. */
  private showRunSummary(run: SavedRun): void {
    const datasetTitle = DISPLAY_NAMES[run.datasetName];
    if (!run.model) {
      void vscode.window.showInformationMessage(`"${run.label}" was trained before runs kept their model. Train it again to see its summary as trained, or run Show Model Summary from its Python file.`);
      return;
    }
    const notes = [`Trained on ${datasetTitle} (${IMAGE_SHAPES[run.datasetName].join("×")} images).`, ...(run.adjustments ?? [])];
    SummaryPanel.show(this.env, summarizeModel(run.model), { source: `As trained in "${run.label}"`, notes, runId: run.runId });
  }

  /** For a model straight from a file: what Train would change in it on this workspace's dataset, and its size then. */
  private async trainingNotes(model: ModelInfo["spec"]): Promise<string[]> {
    const lesson = await this.lessonDataset();
    const decision = decideDataset(await this.datasetSituation(lesson));
    if (decision.kind === "choose" || decision.name === lesson) return [];
    const overrides: TrainingOverrides = { ...this.settings().overrides, dataset: decision.name, trainLimit: 0, maxEpochs: 0, datasetWhy: decision.why };
    const plan = planTraining(model.name, model, lessonCompile(), lessonFit(1), lesson, overrides);
    if (plan.adjustments.length === 0) return [];
    const adapted = summarizeModel(plan.model);
    return [...plan.adjustments, `Trained on ${DISPLAY_NAMES[decision.name]}, this model has ${adapted.totalParams.toLocaleString("en-US")} parameters; the table shows it as the code writes it.`];
  }

  showTrainingCurves(): void {
    this.curves.show();
  }

  async evaluateModel(runId: unknown): Promise<void> {
    const run = this.runOrLatest(runId);
    if (!run) return;
    const evaluation = await this.training.evaluate(run);
    if (!evaluation) return;
    void vscode.window.showInformationMessage(`"${run.label}": test accuracy ${(evaluation.accuracy * 100).toFixed(1)} % on ${evaluation.confusionMatrix.flat().reduce((a, b) => a + b, 0).toLocaleString("en-US")} test images.`);
    this.openConfusion(run, evaluation);
  }

  async showConfusionMatrix(runId: unknown): Promise<void> {
    const run = this.runOrLatest(runId);
    const evaluation = run ? await this.training.evaluate(run) : undefined;
    if (run && evaluation) this.openConfusion(run, evaluation);
  }

  async showPredictions(runId: unknown): Promise<void> {
    const run = this.runOrLatest(runId);
    const evaluation = run ? await this.training.evaluate(run) : undefined;
    if (!run || !evaluation) return;
    const items = [];
    for (const prediction of evaluation.predictions.slice(0, PREDICTIONS_SHOWN)) {
      items.push({ index: prediction.index, image: await this.images.testImage(run.datasetName, run.testLimit, prediction.index), trueLabel: prediction.trueLabel, top: prediction.top });
    }
    PredictionsPanel.show(this.env, { runLabel: run.label, classNames: evaluation.classNames, items }, "all", run.runId);
  }

  async showDatasetPreview(): Promise<void> {
    const dataset = await this.datasetForTraining(await this.lessonDataset());
    if (!dataset) return;
    const name = dataset.name;
    await DatasetPreviewPanel.show(this.env, { title: `${DISPLAY_NAMES[name]} training images`, classNames: this.images.classNames(name) }, (count) => this.images.sample(name, count));
  }

  /**
   * Classify Image…: a PNG or JPEG, fitted into the model's input without distortion (letterboxed),
   * shown beside the original as the model sees it, with what the model expects and its answer.
   */
  async classifyImage(target: unknown): Promise<void> {
    const run = this.runOrLatest(undefined);
    if (!run) return;
    let uri = target instanceof vscode.Uri ? target : undefined;
    uri ??= (await vscode.window.showOpenDialog({ title: "Classify Image", canSelectMany: false, filters: { Images: ["png", "jpg", "jpeg"] } }))?.[0];
    if (!uri) return;
    const [height, width, channels] = run.inputShape;
    if (height === undefined || width === undefined || (channels !== 1 && channels !== 3)) {
      void vscode.window.showWarningMessage(`The model of "${run.label}" does not take images, so it cannot classify one.`);
      return;
    }
    const fileName = path.basename(uri.fsPath);
    let decoded: RgbaImage;
    try {
      decoded = decodeImage(await readFile(uri.fsPath));
    } catch (error) {
      const reason = error instanceof ImageFormatError ? error.message : `It could not be opened (${error instanceof Error ? error.message : String(error)}).`;
      void vscode.window.showErrorMessage(`${fileName}: ${reason} Choose a PNG or JPEG image.`);
      return;
    }
    const boxed = letterboxToInput(decoded, height, width, channels);
    const pixels = boxed.pixels;
    const top = await this.training.predict(run, { width, height, channels, data: pixels });
    if (!top) return;
    const classNames = this.images.classNames(run.datasetName);
    // The grey datasets hold light things on black: a photo on a light background looks inverted to such a model.
    const note =
      channels === 1 && boxed.borderBrightness > 128
        ? `This picture's background is light; the model only ever saw light things on a dark background, so to it this one is drawn inverted. Try a picture on a dark background.`
        : undefined;
    const thumbnailScale = Math.min(1, ORIGINAL_THUMBNAIL / Math.max(decoded.width, decoded.height));
    const thumbnailWidth = Math.max(1, Math.round(decoded.width * thumbnailScale));
    const thumbnailHeight = Math.max(1, Math.round(decoded.height * thumbnailScale));
    const state = ownImageViewState({
      fileName,
      runLabel: run.label,
      classNames,
      width,
      height,
      channels,
      pixels,
      originalWidth: decoded.width,
      originalHeight: decoded.height,
      top,
      original: { width: thumbnailWidth, height: thumbnailHeight, pixels: resizeToInput(decoded, thumbnailHeight, thumbnailWidth, 3) },
      expects: `"${run.label}" learned from ${DISPLAY_NAMES[run.datasetName]}: ${modelExpects(run.datasetName)}.`,
      ...(note ? { note } : {}),
    });
    PredictionsPanel.showOwnImage(this.env, state, run.runId);
    const best = state.ownImage?.top[0];
    if (best) void vscode.window.showInformationMessage(`${fileName}: most likely ${classNames[best.label] ?? best.label} (${(best.probability * 100).toFixed(1)} %), by "${run.label}".`);
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

  async showBackend(): Promise<void> {
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "Checking training backends…" }, () => this.training.backends());
    if (!report) return;
    const others = report.attempts.filter((a) => a.backend !== report.active).map((a) => `${a.backend}: ${a.loaded ? "available" : (a.reason ?? "not available")}`);
    const detail = report.attempts.find((a) => a.backend === report.active)?.detail;
    void vscode.window.showInformationMessage(`Training runs on ${report.active} (${BACKEND_WORDS[report.active]}${detail ? `, ${detail}` : ""}).${others.length > 0 ? ` Others: ${others.join("; ")}.` : ""} Change it with the dlLessons.backend setting.`);
  }

  /** True when the dataset is on this machine, after offering to download or import it. */
  async ensureDataset(name: DatasetName): Promise<boolean> {
    if (await locateDataset(name, this.settings().dataDirectory)) return true;
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
        await downloadDataset(name, this.settings().dataDirectory, {
          signal: abort.signal,
          onProgress: (event) => {
            const fraction = event.totalBytes ? event.receivedBytes / event.totalBytes : undefined;
            const message = `${event.phase}: ${formatBytes(event.receivedBytes)}${event.totalBytes ? ` of ${formatBytes(event.totalBytes)}` : ""}`;
            if (event.phase === "download" && fraction !== undefined) {
              progress.report({ increment: Math.max(0, fraction - shown) * 100, message });
              shown = Math.max(shown, fraction);
            } else {
              progress.report({ message });
            }
          },
        });
      });
      void vscode.window.showInformationMessage(`${DISPLAY_NAMES[name]} is downloaded and checked.`);
      return true;
    } catch (error) {
      if (!abort.signal.aborted) void vscode.window.showErrorMessage(`${error instanceof Error ? error.message : String(error)} You can also import the dataset from a file (Lessons: Import Dataset…).`);
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
        importDatasetArchive(name, source.fsPath, this.settings().dataDirectory, (event) => progress.report({ message: `${event.phase}: ${formatBytes(event.receivedBytes)}` })),
      );
      void vscode.window.showInformationMessage(`${DISPLAY_NAMES[name]} is imported and checked.`);
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
      return false;
    }
  }

  private openConfusion(run: SavedRun, evaluation: NonNullable<Awaited<ReturnType<TrainingController["evaluate"]>>>): void {
    ConfusionPanel.show(this.env, evaluation, { runId: run.runId, label: run.label, dataset: DISPLAY_NAMES[run.datasetName] }, async (trueLabel, predictedLabel, offset, limit) => {
      const page = cellPage(evaluation, trueLabel, predictedLabel, offset, limit);
      const images = await Promise.all(page.indices.map((index) => this.images.testImage(run.datasetName, run.testLimit, index)));
      return { images, probabilities: page.probabilities, total: page.total, offset: page.offset };
    });
  }

  /** The run named (a monitor button), else the one whose result panel the learner is looking at, else the latest. */
  private runOrLatest(runId: unknown): SavedRun | undefined {
    const focused = focusedResultRunId();
    const run = typeof runId === "string" ? this.training.run(runId) : ((focused === undefined ? undefined : this.training.run(focused)) ?? this.training.latestRun());
    if (!run) void vscode.window.showInformationMessage("No model is trained yet. Open a challenge file with a model and use Lessons: Train Model first.");
    return run;
  }

  /** The dataset the lesson trains on. */
  private async lessonDataset(): Promise<DatasetName> {
    return (await this.catalog.lessons())[0]?.dataset ?? "cifar10";
  }

  private async datasetSituation(lesson: DatasetName): Promise<DatasetSituation> {
    const dataDirectory = this.settings().dataDirectory;
    const found = await Promise.all(DATASET_NAMES.map(async (name) => ((await locateDataset(name, dataDirectory)) ? name : undefined)));
    const remembered = this.workspaceState.get<DatasetName>(DATASET_CHOICE_KEY);
    return {
      lesson,
      configured: this.settings().overrides.dataset,
      remembered: remembered !== undefined && DATASET_NAMES.includes(remembered) ? remembered : undefined,
      present: new Set(found.filter((name): name is DatasetName => name !== undefined)),
    };
  }

  /**
   * The dataset to train on, once it is on this computer: the setting's, the workspace's choice or
   * the lesson's. When the lesson's is missing and nothing is chosen, one modal choice lists the
   * datasets that are here beside Download and Import (the monitor shows the same choice until it
   * is made). Undefined when the learner chose nothing or fetching failed.
   */
  private async datasetForTraining(lesson: DatasetName): Promise<{ name: DatasetName; why: string } | undefined> {
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

  private async pythonDocument(target: unknown, purpose: string): Promise<vscode.TextDocument | undefined> {
    if (target instanceof vscode.Uri) return vscode.workspace.openTextDocument(target);
    // With a panel focused there is no active editor: the Python file beside it is the one meant.
    const editors = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
    const python = editors.find((editor) => editor?.document.languageId === "python")?.document;
    if (python) return python;
    // Else the Python file of the active editor group's most recent tab, though a panel covers it.
    const tab = vscode.window.tabGroups.activeTabGroup.tabs.find((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.endsWith(".py"));
    if (tab?.input instanceof vscode.TabInputText) return vscode.workspace.openTextDocument(tab.input.uri);
    void vscode.window.showInformationMessage(`${purpose}: open a challenge file (or another Python file with a Keras model) in the editor first.`);
    return undefined;
  }

  /**
   * What to train: the file's fit calls, or the models it builds with the lesson's compile and fit
   * settings. With several, the learner picks one, or all of them in turn (a sweep); a file with a
   * GridSearchCV also offers its grid search.
   */
  private async pickRuns(
    runs: { model: ModelInfo["spec"]; compile: NonNullable<ModelInfo["compile"]>; fit: ReturnType<typeof lessonFit> }[],
    models: ModelInfo[],
    grids: GridSearchInfo[],
    fileName: string,
  ): Promise<{ runs: typeof runs } | { grid: GridSearchInfo }> {
    const complete = models.filter((m) => m.complete);
    // Without a fit call, only a model that ends in one value per class can learn from labels.
    const classifiers = complete.filter((m) => m.outputShapes.at(-1)?.length === 2);
    const candidates = runs.length > 0 ? runs : classifiers.map((m) => ({ model: m.spec, compile: m.compile ?? lessonCompile(), fit: lessonFit(LESSON_EPOCHS) }));
    if (candidates.length === 0 && grids.length === 0) {
      const unfinished = complete.at(-1)?.outputShapes.at(-1);
      void vscode.window.showWarningMessage(
        unfinished
          ? `The model in ${fileName} ends with output shape ${describeShape(unfinished)}: it needs to end in one probability per class (Flatten, then Dense layers) before it can be trained. The later challenges of episode 3 build that.`
          : `${fileName} has no model the checker understands yet: Train needs a keras.Model(...) built from the lesson's layers. Fix what is underlined first.`,
      );
      return { runs: [] };
    }
    if (candidates.length === 1 && grids.length === 0) return { runs: candidates };
    const labels = sweepLabels(candidates.map((candidate) => candidate.model));
    const gridItems = grids.map((grid) => ({
      label: `$(beaker) Run the grid search (${grid.cv}-fold, ${grid.runs.length * grid.cv} runs)`,
      description: `GridSearchCV over ${grid.runs.map((run) => Object.values(run.params).join(", ")).join(" · ")}`,
      grid,
    }));
    const all = candidates.length > 1 ? [{ label: `$(run-all) All ${candidates.length}, one after another`, description: "compare their curves", indices: candidates.map((_, index) => index) }] : [];
    const picked = await vscode.window.showQuickPick(
      [
        ...gridItems,
        ...all,
        ...candidates.map((candidate, index) => ({
          label: `${index + 1}. ${labels[index] || candidate.model.name}`,
          description: `${candidate.fit.epochs} epochs, ${candidate.compile.optimizer.name}`,
          indices: [index],
        })),
      ],
      { title: "Train Model", placeHolder: `${fileName} trains ${candidates.length + grids.length > 1 ? "several models" : "a model"}: which?` },
    );
    if (picked && "grid" in picked) return { grid: picked.grid };
    return { runs: (picked?.indices ?? []).flatMap((index) => candidates[index] ?? []) };
  }
}

function describeModel(model: ModelInfo): string {
  return `${model.totalParams.toLocaleString("en-US")} params${model.builtBy ? ` · ${model.builtBy}()` : ""}`;
}
