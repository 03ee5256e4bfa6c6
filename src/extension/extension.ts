/**
 * Extension entry point: wires the lessons, the progress store, the checker in the editor, the
 * training controller and the panels to the commands of package.json. Activation stays cheap:
 * nothing here loads TensorFlow.js (training runs in a separate process, started for the first
 * dataset lookup just after activation, which loads tfjs only for the first Train), lessons are
 * parsed on first use, and the Activated line in the log says how long it took.
 */
import * as path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import * as vscode from "vscode";
import type { DatasetName } from "../protocol/modelSpec";
import type { CheckReport } from "../protocol/panels";
import { isBackendPreference, type BackendPreference } from "../protocol/training";
import { defaultDataDirectory } from "../protocol/dataDirectory";
import { DatasetCommands } from "./datasets/datasetCommands";
import { DatasetImages } from "./datasets/datasetImages";
import { EditorChecking } from "./editor/editorChecking";
import { LessonCatalog, type ChallengeRef } from "./lesson/lessonCatalog";
import { LessonController } from "./lesson/lessonController";
import { LessonsTreeProvider } from "./lesson/lessonsTree";
import type { CommandId } from "./commandIds";
import { CurvesPanel, registerSerializers, TrainingMonitorViewProvider } from "./panels";
import { ProgressStore } from "./lesson/progress";
import { ResultCommands } from "./results/resultCommands";
import { TrainCommands } from "./training/trainCommands";
import { installNativeTensorflow, nativeModulesFolder } from "./training/gpuNativeInstall";
import { TrainingController, type TrainingSettings } from "./training/trainingController";
import type { TrainingOverrides } from "./training/trainingPlan";
import { TrainingProcess } from "./training/trainingProcess";

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel("Deep Learning Lessons", { log: true });
  context.subscriptions.push(log);
  const env = { extensionUri: context.extensionUri, log };
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration("dlLessons");
  const lessonsFolder = (): string => config().get<string>("lessonsFolder") || "dl-lessons";
  const dataDirectory = (): string => config().get<string>("dataDirectory") || defaultDataDirectory();
  const trainingSettings = (): TrainingSettings => ({
    backend: backendSetting(config().get<unknown>("backend")),
    dataDirectory: dataDirectory(),
  });
  const overrides = (): TrainingOverrides => ({
    dataset: config().get<"lesson" | DatasetName>("trainDataset") ?? "lesson",
    trainLimit: Math.max(0, Math.floor(config().get<number>("trainLimit") ?? 0)),
    maxEpochs: Math.max(0, Math.floor(config().get<number>("maxEpochs") ?? 0)),
  });

  const catalog = new LessonCatalog(path.join(context.extensionPath, "lessons"));
  const progress = new ProgressStore(context.workspaceState);
  const lessons = new LessonController(env, catalog, progress, () => checking, lessonsFolder, log);
  // The episode's dataset-dependent numbers follow the dataset the workspace trains on.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("dlLessons.trainDataset")) void lessons.refreshPanel();
    }),
  );
  const checking = new EditorChecking(catalog, lessonsFolder, (ref, report) => recordLiveCheck(progress, ref, report), log);
  const tree = new LessonsTreeProvider(catalog, progress);
  const curves = new CurvesPanel(env);
  const trainingProcess = new TrainingProcess(context.extensionUri, log, () => Math.max(0, Math.floor(config().get<number>("trainingThreads") ?? 0)), nativeModulesFolder(context));
  const monitor: TrainingMonitorViewProvider = new TrainingMonitorViewProvider(env, {
    onStop: () => training.stop(),
    onOpenCurves: (runId) => curves.show([runId]),
    onCompare: (runIds) => curves.show(runIds),
    onEvaluate: (runId) => results.evaluateModel(runId),
    onDatasetChoice: (choice) => datasets.onDatasetChoice(choice),
  });
  const training: TrainingController = new TrainingController(context, trainingProcess, monitor, curves, log, trainingSettings);
  lessons.runCount = () => training.savedRuns().length;
  const images = new DatasetImages(trainingProcess, dataDirectory);
  const datasets: DatasetCommands = new DatasetCommands(
    env,
    catalog,
    trainingProcess,
    images,
    () => ({ dataDirectory: dataDirectory(), configured: overrides().dataset }),
    context.workspaceState,
    (view) => {
      monitor.setDatasetView(view);
      // The episode's dataset-dependent numbers and the editor's layer hints follow the dataset Train now uses.
      void lessons.refreshPanel();
      checking.refreshHints();
    },
  );
  const results: ResultCommands = new ResultCommands(env, checking, training, curves, images, datasets, overrides);
  const trainCommands = new TrainCommands(checking, training, curves, datasets, overrides);
  lessons.trainingDataset = (lessonDataset) => datasets.trainingDatasetFor(lessonDataset);
  // The editor's layer hints show the model Train will build, on the dataset Train will use.
  checking.trainingDataset = (lessonDataset) => datasets.trainingDatasetFor(lessonDataset);
  checking.summarize = (model) => trainingProcess.get().summary({ model });

  context.subscriptions.push(
    checking,
    curves,
    monitor,
    training,
    trainingProcess,
    progress.onDidChange(() => {
      tree.refresh();
      void lessons.refreshPanel();
    }),
    vscode.window.registerTreeDataProvider("dlLessons.lessons", tree),
    vscode.window.registerWebviewViewProvider(TrainingMonitorViewProvider.viewType, monitor),
  );
  registerSerializers(context, {
    env,
    restoreEpisode: async (episodeId) => {
      const found = await catalog.episode(episodeId);
      if (!found) return undefined;
      return { render: await lessons.episodeState(found.lesson, found.episode), lessonRoot: vscode.Uri.file(found.lesson.root), callbacks: lessons.callbacks };
    },
  });

  /** Runs a challenge command on the challenge named, the active file's, or one the learner picks. */
  const onChallenge =
    (purpose: string, action: (ref: ChallengeRef) => Promise<unknown>) =>
    async (challengeId?: unknown): Promise<void> => {
      const ref = await lessons.resolveChallenge(challengeId, purpose);
      if (ref) await action(ref);
    };
  // One handler per id of COMMAND_IDS, no more and no fewer (the drift test holds that list to package.json).
  const commands: Record<CommandId, (...args: unknown[]) => unknown> = {
    "dlLessons.openLesson": (lessonId?: unknown) => lessons.openLesson(typeof lessonId === "string" ? lessonId : undefined),
    "dlLessons.openEpisode": (episodeId?: unknown) => (typeof episodeId === "string" ? lessons.openEpisode(episodeId) : lessons.openLesson()),
    "dlLessons.nextEpisode": () => lessons.stepEpisode(1),
    "dlLessons.previousEpisode": () => lessons.stepEpisode(-1),
    "dlLessons.startChallenge": onChallenge("Start Challenge", (ref) => lessons.startChallenge(ref)),
    "dlLessons.checkChallenge": onChallenge("Check Challenge", (ref) => lessons.checkChallenge(ref)),
    "dlLessons.showHint": onChallenge("Show Hint", (ref) => lessons.showHint(ref)),
    "dlLessons.revealSolution": onChallenge("Reveal Solution", (ref) => lessons.revealSolution(ref)),
    "dlLessons.resetChallenge": onChallenge("Reset Challenge", (ref) => lessons.resetChallenge(ref)),
    "dlLessons.trainModel": (target?: unknown) => trainCommands.trainModel(target),
    "dlLessons.stopTraining": () => training.stop(),
    "dlLessons.evaluateModel": (runId?: unknown) => results.evaluateModel(runId),
    "dlLessons.showModelSummary": (target?: unknown) => results.showModelSummary(target),
    "dlLessons.showTrainingCurves": () => results.showTrainingCurves(),
    "dlLessons.showConfusionMatrix": (runId?: unknown) => results.showConfusionMatrix(runId),
    "dlLessons.showPredictions": (runId?: unknown) => results.showPredictions(runId),
    "dlLessons.showDatasetPreview": () => datasets.showDatasetPreview(),
    "dlLessons.classifyImage": (target?: unknown) => results.classifyImage(target),
    "dlLessons.importDataset": () => datasets.importDatasetCommand(),
    "dlLessons.downloadDataset": () => datasets.downloadDatasetCommand(),
    "dlLessons.exportPythonScript": () => lessons.exportScript(),
    "dlLessons.showBackend": () => trainCommands.showBackend(),
    "dlLessons.installNativeTensorflow": () => installNativeTensorflow(context, log),
    "dlLessons.measureResponsiveness": () => measureResponsiveness(log, training.isTraining),
  };
  for (const [id, handler] of Object.entries(commands)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => runSafely(id, log, () => handler(...args))));
  }

  // Which datasets are here is a few file lookups: done after activation, so the monitor can offer the choice before the first Train.
  setTimeout(() => void runSafely("datasetView", log, () => datasets.refreshDatasetView()), 0);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("dlLessons.trainDataset") || event.affectsConfiguration("dlLessons.dataDirectory")) void datasets.refreshDatasetView();
    }),
  );
  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms.`);
  const startupLesson = config().get<string>("openLessonOnStartup");
  if (startupLesson) void runSafely("openLessonOnStartup", log, () => openLessonVisibly(() => lessons.openLesson(startupLesson)));
}

/**
 * Opening the lesson at start-up takes a while on a slow laptop (the lesson is parsed, the panel
 * built): the Lessons view comes up at once saying so, and a notification shows progress, so the
 * learner never looks at an empty window wondering whether anything happens.
 */
async function openLessonVisibly(open: () => Promise<void>): Promise<void> {
  await vscode.commands.executeCommand("setContext", "dlLessons.openingLesson", true);
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Deep Learning Lessons: opening the lesson…" }, async () => {
      await vscode.commands.executeCommand("workbench.view.extension.dlLessons");
      await open();
    });
  } finally {
    await vscode.commands.executeCommand("setContext", "dlLessons.openingLesson", false);
  }
}

/** `dlLessons.backend`, where a value VS Code let through unchecked (settings.json is free text) means `auto`. */
function backendSetting(value: unknown): BackendPreference {
  return isBackendPreference(value) ? value : "auto";
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

/**
 * Records a check made while typing, only when its outcome or feedback changed: the tree and the
 * episode panel redraw on every record, and most keystrokes change neither.
 */
async function recordLiveCheck(progress: ProgressStore, ref: ChallengeRef, report: CheckReport): Promise<void> {
  const previous = progress.challenge(ref.lesson.id, ref.challenge.id).lastCheck;
  const same = previous && previous.outcome === report.outcome && previous.message === report.message && JSON.stringify(previous.blanks) === JSON.stringify(report.blanks);
  if (!same) await progress.recordCheck(ref.lesson.id, ref.challenge.id, report);
}

/** A command that fails tells the learner in one sentence and logs the details, never a stack trace in their face. */
async function runSafely(id: string, log: vscode.LogOutputChannel, run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (error) {
    log.error(`${id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const choice = await vscode.window.showErrorMessage(`Something went wrong: ${error instanceof Error ? error.message : String(error)}`, "Show Log");
    if (choice) log.show(true);
  }
}

/**
 * How quickly the extension host answers while training runs in its own process: the delay of
 * the host's event loop over half a second, and one command round trip inside the host.
 */
async function measureResponsiveness(log: vscode.LogOutputChannel, training: boolean): Promise<void> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const roundTripStart = performance.now();
  await vscode.commands.executeCommand("dlLessons.lessons.focus");
  const roundTrip = performance.now() - roundTripStart;
  await new Promise((resolve) => setTimeout(resolve, 500));
  histogram.disable();
  const p99 = histogram.percentile(99) / 1e6;
  const max = histogram.max / 1e6;
  const message = `Extension host ${training ? "while training" : "(not training)"}: command round trip ${roundTrip.toFixed(1)} ms, event loop delay p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms.`;
  log.info(message);
  void vscode.window.showInformationMessage(message);
}
