/**
 * The commands that show what a model is and what it learned: the model summary (of a file's
 * model, or of a run as trained), the training curves, Evaluate, the confusion matrix, the
 * predictions, and Classify Image… on a picture of the learner's own.
 */
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import * as vscode from "vscode";
import type { ModelInfo } from "../../checker";
import { DISPLAY_NAMES, IMAGE_SHAPES } from "../../protocol/datasets";
import { lessonCompile, lessonFit, type EvaluationResult } from "../../protocol/training";
import type { DatasetCommands } from "../datasets/datasetCommands";
import { modelExpects } from "../datasets/datasetChoice";
import type { DatasetImages } from "../datasets/datasetImages";
import type { EditorChecking } from "../editor/editorChecking";
import { pythonDocument } from "../editor/pythonDocument";
import { cellPage, ConfusionPanel, focusedResultRunId, ownImageViewState, PredictionsPanel, SummaryPanel, type CurvesPanel, type PanelEnvironment } from "../panels";
import type { SavedRun, TrainingController } from "../training/trainingController";
import { planTraining, type TrainingOverrides } from "../training/trainingPlan";
import { decodeImage, ImageFormatError, letterboxToInput, resizeToInput, type RgbaImage } from "./imageInput";

const PREDICTIONS_SHOWN = 60;
/** The longer side of the original picture shown beside what the model sees, in pixels. */
const ORIGINAL_THUMBNAIL = 160;

export class ResultCommands {
  constructor(
    private readonly env: PanelEnvironment,
    private readonly checking: EditorChecking,
    private readonly training: TrainingController,
    private readonly curves: CurvesPanel,
    private readonly images: DatasetImages,
    private readonly datasets: DatasetCommands,
    private readonly overrides: () => TrainingOverrides,
  ) {}

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
    const doc = await pythonDocument(target, "Show Model Summary");
    if (!doc) return;
    const result = await this.checking.resultFor(doc);
    const models = (result?.analysis.models ?? []).filter((m) => m.complete);
    const model = models.length <= 1 ? models[0] : (await vscode.window.showQuickPick(models.map((m) => ({ label: m.spec.name, description: describeModel(m), model: m })), { title: "Show Model Summary" }))?.model;
    if (!model) {
      if (models.length === 0) void vscode.window.showWarningMessage(`No complete model in ${path.basename(doc.uri.fsPath)} yet: the summary needs a keras.Model(...) whose layers the checker understands. Fix what is underlined first.`);
      return;
    }
    const source = `${model.builtBy ? `${model.builtBy}() in ` : ""}${path.basename(doc.uri.fsPath)}`;
    const summary = await this.training.summary(model.spec);
    if (summary) SummaryPanel.show(this.env, summary, { source, notes: await this.trainingNotes(model.spec) });
  }

  /** The summary of a run's model as it was trained, with what training changed and why. */
  private async showRunSummary(run: SavedRun): Promise<void> {
    const datasetTitle = DISPLAY_NAMES[run.datasetName];
    if (!run.model) {
      void vscode.window.showInformationMessage(`"${run.label}" was trained before runs kept their model. Train it again to see its summary as trained, or run Show Model Summary from its Python file.`);
      return;
    }
    const notes = [`Trained on ${datasetTitle} (${IMAGE_SHAPES[run.datasetName].join("×")} images).`, ...(run.adjustments ?? [])];
    const summary = await this.training.summary(run.model);
    if (summary) SummaryPanel.show(this.env, summary, { source: `As trained in "${run.label}"`, notes, runId: run.runId });
  }

  /** For a model straight from a file: what Train would change in it on this workspace's dataset, and its size then. */
  private async trainingNotes(model: ModelInfo["spec"]): Promise<string[]> {
    const { lesson, decision } = await this.datasets.decision();
    if (decision.kind === "choose" || decision.name === lesson) return [];
    const overrides: TrainingOverrides = { ...this.overrides(), dataset: decision.name, trainLimit: 0, maxEpochs: 0, datasetWhy: decision.why };
    const plan = planTraining(model.name, model, lessonCompile(), lessonFit(1), lesson, overrides);
    if (plan.adjustments.length === 0) return [];
    const adapted = await this.training.summary(plan.model);
    if (!adapted) return plan.adjustments;
    return [...plan.adjustments, `Trained on ${DISPLAY_NAMES[decision.name]}, this model has ${adapted.totalParams.toLocaleString("en-US")} parameters; the table shows it as the code writes it.`];
  }

  showTrainingCurves(): void {
    this.curves.show();
  }

  async evaluateModel(runId: unknown): Promise<void> {
    const evaluated = await this.evaluatedRun(runId);
    if (!evaluated) return;
    const { run, evaluation } = evaluated;
    void vscode.window.showInformationMessage(`"${run.label}": test accuracy ${(evaluation.accuracy * 100).toFixed(1)} % on ${evaluation.confusionMatrix.flat().reduce((a, b) => a + b, 0).toLocaleString("en-US")} test images.`);
    this.openConfusion(run, evaluation);
  }

  async showConfusionMatrix(runId: unknown): Promise<void> {
    const evaluated = await this.evaluatedRun(runId);
    if (evaluated) this.openConfusion(evaluated.run, evaluated.evaluation);
  }

  async showPredictions(runId: unknown): Promise<void> {
    const evaluated = await this.evaluatedRun(runId);
    if (!evaluated) return;
    const { run, evaluation } = evaluated;
    const shown = evaluation.predictions.slice(0, PREDICTIONS_SHOWN);
    const images = await this.images.testImagesAt(
      run.datasetName,
      run.testLimit,
      shown.map((prediction) => prediction.index),
    );
    const items = shown.map((prediction, i) => ({ index: prediction.index, image: images[i]!, trueLabel: prediction.trueLabel, top: prediction.top }));
    PredictionsPanel.show(this.env, { runLabel: run.label, classNames: evaluation.classNames, items }, "all", run.runId);
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

  private openConfusion(run: SavedRun, evaluation: EvaluationResult): void {
    ConfusionPanel.show(this.env, evaluation, { runId: run.runId, label: run.label, dataset: DISPLAY_NAMES[run.datasetName] }, async (trueLabel, predictedLabel, offset, limit) => {
      const page = cellPage(evaluation, trueLabel, predictedLabel, offset, limit);
      const images = await this.images.testImagesAt(run.datasetName, run.testLimit, page.indices);
      return { images, probabilities: page.probabilities, total: page.total, offset: page.offset };
    });
  }

  /** The run meant (see `runOrLatest`) and its evaluation on the test images; undefined when there is no run or its evaluation failed. */
  private async evaluatedRun(runId: unknown): Promise<{ run: SavedRun; evaluation: EvaluationResult } | undefined> {
    const run = this.runOrLatest(runId);
    const evaluation = run ? await this.training.evaluate(run) : undefined;
    return run && evaluation ? { run, evaluation } : undefined;
  }

  /** The run named (a monitor button), else the one whose result panel the learner is looking at, else the latest. */
  private runOrLatest(runId: unknown): SavedRun | undefined {
    const focused = focusedResultRunId();
    const run = typeof runId === "string" ? this.training.run(runId) : ((focused === undefined ? undefined : this.training.run(focused)) ?? this.training.latestRun());
    if (!run) void vscode.window.showInformationMessage("No model is trained yet. Open a challenge file with a model and use Lessons: Train Model first.");
    return run;
  }
}

function describeModel(model: ModelInfo): string {
  return `${model.totalParams.toLocaleString("en-US")} params${model.builtBy ? ` · ${model.builtBy}()` : ""}`;
}
