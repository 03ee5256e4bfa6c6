/**
 * Train Model (one run, a sweep of runs overlaid on the curves, or a file's grid search) and Show
 * Backend. Which dataset Train uses is the datasets feature's to decide; the run itself is the
 * training controller's.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import { describeShape, type GridSearchInfo, type ModelInfo } from "../../checker";
import { DISPLAY_NAMES } from "../../protocol/datasets";
import { lessonCompile, lessonFit, type BackendName } from "../../protocol/training";
import type { DatasetCommands } from "../datasets/datasetCommands";
import type { EditorChecking } from "../editor/editorChecking";
import { pythonDocument } from "../editor/pythonDocument";
import type { CurvesPanel } from "../panels";
import type { SavedRun, TrainingController } from "./trainingController";
import { planGridSearch, planTraining, sweepComparisonRow, sweepLabels, sweepParameter, type TrainingOverrides } from "./trainingPlan";

/** Epochs the lesson trains its intro model for, used when a file builds a model but never calls fit. */
const LESSON_EPOCHS = 10;

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
    private readonly checking: EditorChecking,
    private readonly training: TrainingController,
    private readonly curves: CurvesPanel,
    private readonly datasets: DatasetCommands,
    private readonly overrides: () => TrainingOverrides,
  ) {}

  /** Trains the model of a challenge file or of any Python file whose model the checker understands. */
  async trainModel(target: unknown): Promise<void> {
    const doc = await pythonDocument(target, "Train Model");
    if (!doc) return;
    const result = await this.checking.resultFor(doc);
    if (!result) return;
    const name = path.basename(doc.uri.fsPath);
    const blanksLeft = result.check?.verdict.blanks.some((b) => b.status === "todo");
    if (blanksLeft) {
      void vscode.window.showWarningMessage(`${name} still has blanks (_____) to fill in. Fill them in, then train.`);
      return;
    }
    const lessonDataset = result.challenge?.lesson.dataset ?? (await this.datasets.lessonDataset());
    const grids = result.analysis.grids.filter((grid) => grid.runs.length > 0);
    const picked = await this.pickRuns(result.analysis.runs.map((run) => ({ model: run.model, compile: run.compile, fit: run.fit })), result.analysis.models, grids, name);
    if ("runs" in picked && picked.runs.length === 0) return;
    const dataset = await this.datasets.datasetForTraining(lessonDataset);
    if (!dataset) return;
    const overrides: TrainingOverrides = { ...this.overrides(), dataset: dataset.name, ...(dataset.why ? { datasetWhy: dataset.why } : {}) };
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

  async showBackend(): Promise<void> {
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "Checking training backends…" }, () => this.training.backends());
    if (!report) return;
    const others = report.attempts.filter((a) => a.backend !== report.active).map((a) => `${a.backend}: ${a.loaded ? "available" : (a.reason ?? "not available")}`);
    const detail = report.attempts.find((a) => a.backend === report.active)?.detail;
    void vscode.window.showInformationMessage(`Training runs on ${report.active} (${BACKEND_WORDS[report.active]}${detail ? `, ${detail}` : ""}).${others.length > 0 ? ` Others: ${others.join("; ")}.` : ""} Change it with the dlLessons.backend setting.`);
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
