/**
 * The messages between the extension host and each webview (the episode panel, the model summary,
 * the training curves, the confusion matrix, the predictions, the dataset preview and the sidebar
 * training monitor).
 *
 * Naming: host -> webview notifications are `DidChange…` and always carry a complete snapshot
 * (a webview that was hidden is rebuilt from scratch and must never depend on deltas it missed);
 * webview -> host fire-and-forget messages are `…Command`; webview -> host messages that get an
 * answer are `…Request`, answered by the matching `…Response` with the same `requestId`.
 * Every message has a `type` tag. The host validates every message from a webview before use
 * (see `src/extension/panels/guards.ts`).
 */
import type { CalloutKind } from "./lesson";
import type { ChallengeStatus, CheckOutcome } from "./outcome";
import type { DatasetName } from "./modelSpec";
import type { BackendReport, EpochLogs, ModelSummary } from "./training";

/** An image as raw uint8 pixels, row-major HWC, base64-encoded so it travels as compact JSON. */
export interface PanelImage {
  width: number;
  height: number;
  /** 1 (grey) or 3 (RGB). */
  channels: 1 | 3;
  pixelsBase64: string;
}

/** Sent by every webview to the host once its script has loaded; the host answers with a `DidChange…` snapshot. */
export interface ReadyCommand {
  type: "ready";
}

// ---------------------------------------------------------------------------------------------
// Episode panel

/** A block of the episode in reading order; markdown is already rendered to HTML by the host. */
export type EpisodeBlockView =
  | { kind: "html"; html: string }
  | { kind: "callout"; calloutKind: CalloutKind; title: string; html: string }
  | { kind: "challenge"; challengeId: string };

/** The latest check of a code challenge, in the learner's terms. */
export interface CheckReport {
  outcome: CheckOutcome;
  /** One sentence, e.g. "2 of 3 blanks are right." */
  message: string;
  blanks: { id: string; verdict: CheckOutcome; message?: string; line?: number }[];
  /** ISO 8601 time of the check. */
  checkedAt: string;
}

export interface ChallengeView {
  id: string;
  title: string;
  /** The task, rendered. */
  html: string;
  /** A code challenge has a starter file and can be checked and trained; an open question cannot. */
  kind: "code" | "question";
  status: ChallengeStatus;
  /** Hints the learner has asked for so far, rendered, in order. */
  hintsShown: string[];
  hintCount: number;
  /** Present once the solution is revealed (or the challenge passed): the explanation and code, rendered. */
  solutionHtml?: string;
  /**
   * Present once revealed while the learner's file still has blanks to fill: only those lines, as
   * they are and with the answers, as a small diff (HTML).
   */
  answerHtml?: string;
  lastCheck?: CheckReport;
  /** Whether the starter file is already in the learner's workspace (the button then says "Open"). */
  started: boolean;
}

export interface EpisodeViewState {
  lessonTitle: string;
  episodeId: string;
  /** 1-based position in the lesson, and the number of episodes. */
  episodeNumber: number;
  episodeCount: number;
  title: string;
  teachingMinutes: number;
  exerciseMinutes: number;
  /** Rendered inline HTML, one per item. */
  questions: string[];
  objectives: string[];
  keypoints: string[];
  blocks: EpisodeBlockView[];
  challenges: ChallengeView[];
  previous?: { episodeId: string; title: string };
  next?: { episodeId: string; title: string };
  /** On the last episode: where the learner stands in the whole lesson, shown after the episode's text. */
  completion?: LessonCompletionView;
}

/** The lesson-complete view: what the learner did across the lesson, and what to do with it. */
export interface LessonCompletionView {
  /** Code challenges and questions of the whole lesson. */
  challengeCount: number;
  passed: number;
  revealed: number;
  /** Training runs saved (those the monitor lists). */
  runs: number;
  /** Whether every challenge is passed or revealed. */
  finished: boolean;
}

/**
 * A hint or solution the learner just asked for (from the panel or the Command Palette). The
 * episode webview scrolls to it and focuses it once per `id`, also when the panel had to be
 * opened or rebuilt first.
 */
export interface EpisodeFocusRequest {
  id: string;
  challengeId: string;
  part: "hint" | "solution";
}

/** Host -> episode webview: the whole episode, every challenge's status and the latest focus request. */
export interface DidChangeEpisodeNotification {
  type: "didChangeEpisode";
  state: EpisodeViewState;
  focus?: EpisodeFocusRequest;
}

/** The challenge buttons. Episode webview -> host. */
export type ChallengeAction = "start" | "check" | "hint" | "reveal" | "train";

/** Episode webview -> host: a challenge box's button was pressed. */
export interface ChallengeCommand {
  type: "challenge";
  action: ChallengeAction;
  challengeId: string;
}

/** Episode webview -> host: the previous/next episode button was pressed. */
export interface NavigateEpisodeCommand {
  type: "navigateEpisode";
  episodeId: string;
}

/** Episode webview -> host: a button of the lesson-complete view. */
export interface LessonActionCommand {
  type: "lessonAction";
  action: "exportScript" | "showRuns";
}

export type EpisodeWebviewMessage = ReadyCommand | ChallengeCommand | NavigateEpisodeCommand | LessonActionCommand;

/** What the episode webview keeps with `setState`, also what the panel serializer receives after a reload. */
export interface EpisodeWebviewPersistedState {
  episodeId: string;
  scrollY: number;
  /** Challenge ids whose solution the learner expanded. */
  openSolutions: string[];
  /** The last focus request acted on, so a webview rebuilt after being hidden does not jump to it again. */
  handledFocusId?: string;
}

// ---------------------------------------------------------------------------------------------
// Model summary

/** Host -> summary webview. */
export interface DidChangeSummaryNotification {
  type: "didChangeSummary";
  /** E.g. "create_model_intro() in 03-build-a-cnn.py". */
  source: string;
  summary: ModelSummary;
  /**
   * What the model as trained differs in from the learner's code and why (an input adapted to
   * another dataset's images, fewer epochs), one sentence each; absent or empty when nothing did.
   */
  notes?: string[];
}

export type SummaryWebviewMessage = ReadyCommand;

/** What the summary webview keeps with `setState`, also what its panel serializer receives after a reload. */
export interface SummaryWebviewPersistedState {
  source: string;
  summary: ModelSummary;
  notes?: string[];
}

// ---------------------------------------------------------------------------------------------
// Training curves

export type CurveRunStatus = "running" | "completed" | "cancelled" | "failed";

export interface CurveRun {
  runId: string;
  label: string;
  status: CurveRunStatus;
  /** Planned epochs, so the x axis does not jump while a run is live. */
  epochs: number;
  history: EpochLogs[];
  /**
   * Running means inside each epoch while the run is live (x = epochs done so far, fractional:
   * 0.5 is halfway through epoch 1), so a one-epoch run shows its loss falling before the epoch
   * ends. Saved runs have none.
   */
  withinEpoch?: { x: number; metrics: Record<string, number> }[];
  /** Hidden by the learner through the legend toggles. */
  hidden: boolean;
}

/** One run of a sweep on the comparison chart: the swept value and the run's final validation numbers. */
export interface SweepComparisonRow {
  runId: string;
  /** The swept value as the learner wrote it, e.g. "0.3" or "tanh". */
  value: string;
  /** The last epoch's; absent while the run has not finished an epoch, or without validation data. */
  valLoss?: number;
  valAccuracy?: number;
}

/** The plot a sweep's challenge asks the learner to read: the swept value against final validation loss and accuracy. */
export interface SweepComparisonView {
  /** What the runs differ in, e.g. "Dropout rate". */
  parameter: string;
  rows: SweepComparisonRow[];
}

/** Host -> curves webview: every run shown, live ones included. */
export interface DidChangeCurvesNotification {
  type: "didChangeCurves";
  runs: CurveRun[];
  /** The latest sweep's comparison, while its runs are on the chart. */
  comparison?: SweepComparisonView;
}

/** Curves webview -> host: show or hide one run. */
export interface SetRunVisibilityCommand {
  type: "setRunVisibility";
  runId: string;
  visible: boolean;
}

/** Curves webview -> host: drop a run from the chart. */
export interface RemoveRunCommand {
  type: "removeRun";
  runId: string;
}

export type CurvesWebviewMessage = ReadyCommand | SetRunVisibilityCommand | RemoveRunCommand;

/** What the curves webview keeps with `setState`, also what its panel serializer receives after a reload. */
export interface CurvesWebviewPersistedState {
  runs: CurveRun[];
  comparison?: SweepComparisonView;
}

// ---------------------------------------------------------------------------------------------
// Confusion matrix

export interface ConfusionViewState {
  runLabel: string;
  /** The dataset the run was tested on, e.g. "Fashion-MNIST"; absent in states saved before it was named. */
  dataset?: string;
  classNames: string[];
  /** rows: true class, columns: predicted class. */
  matrix: number[][];
  perClassAccuracy: number[];
  accuracy: number;
  loss: number;
}

/** Host -> confusion webview. */
export interface DidChangeConfusionNotification {
  type: "didChangeConfusion";
  state: ConfusionViewState;
}

/** Confusion webview -> host: which test images fell into this cell? Answered by `CellImagesResponse`. */
export interface CellImagesRequest {
  type: "cellImages";
  requestId: number;
  trueLabel: number;
  predictedLabel: number;
  /** The cell's images from this one on (a page of them); 0 when absent. */
  offset?: number;
}

/** Host -> confusion webview: the answer to `CellImagesRequest`. */
export interface CellImagesResponse {
  type: "cellImagesResponse";
  requestId: number;
  trueLabel: number;
  predictedLabel: number;
  /** One page of the cell's images, from `offset` on; `total` says how many fell into the cell. */
  images: PanelImage[];
  total: number;
  /** Where this page starts among the cell's images; 0 when absent. */
  offset?: number;
  /** How many images one page holds, so the webview can offer the next and previous pages. */
  pageSize?: number;
  /** The predicted class's probability of each image, in the order of `images`. */
  probabilities?: number[];
  /** Set when the images could not be loaded, in the learner's terms. */
  error?: string;
}

export type ConfusionWebviewMessage = ReadyCommand | CellImagesRequest;

// ---------------------------------------------------------------------------------------------
// Predictions

export type PredictionFilter = "all" | "wrong";

export interface PredictionView {
  index: number;
  image: PanelImage;
  trueLabel: number;
  /** Most likely first; the panel shows the first three. */
  top: { label: number; probability: number }[];
}

/** The learner's own image (Classify Image…): what the model saw and what it answered; no true label. */
export interface OwnImagePrediction {
  fileName: string;
  /** Resized to the model's input, as the model sees it. */
  image: PanelImage;
  /** The file's size before resizing. */
  originalWidth: number;
  originalHeight: number;
  /** Every class the model answered with, most likely first; the panel shows the first five. */
  top: { label: number; probability: number }[];
  /** The file as it is (scaled down to a thumbnail, in colour), shown beside what the model sees. */
  original?: PanelImage;
  /** What images the model learned from, e.g. "28×28 grey images of one piece of clothing, light on a dark background". */
  expects?: string;
  /** Set when the picture does not look like those, e.g. a light background for a model that learned dark ones. */
  note?: string;
}

export interface PredictionsViewState {
  runLabel: string;
  classNames: string[];
  items: PredictionView[];
  filter: PredictionFilter;
  /** Set by Classify Image…: the panel shows this one image instead of `items` (then empty). */
  ownImage?: OwnImagePrediction;
  /** The learner's images classified by this run, newest first, shown above the test images. */
  ownImages?: OwnImagePrediction[];
}

/** Host -> predictions webview. */
export interface DidChangePredictionsNotification {
  type: "didChangePredictions";
  state: PredictionsViewState;
}

/** Predictions webview -> host: show all predictions or only the wrong ones. */
export interface SetPredictionFilterCommand {
  type: "setPredictionFilter";
  filter: PredictionFilter;
}

export type PredictionsWebviewMessage = ReadyCommand | SetPredictionFilterCommand;

// ---------------------------------------------------------------------------------------------
// Dataset preview

export interface DatasetPreviewViewState {
  /** E.g. "CIFAR-10 training images". */
  title: string;
  classNames: string[];
  samples: { image: PanelImage; label: number }[];
  /** True while the host fetches another sample. */
  loading: boolean;
}

/** Host -> dataset preview webview. */
export interface DidChangeDatasetPreviewNotification {
  type: "didChangeDatasetPreview";
  state: DatasetPreviewViewState;
}

/** Dataset preview webview -> host: show another random 25 images. */
export interface ShuffleDatasetCommand {
  type: "shuffleDataset";
}

export type DatasetPreviewWebviewMessage = ReadyCommand | ShuffleDatasetCommand;

// ---------------------------------------------------------------------------------------------
// Training monitor (sidebar webview view)

/** The current run as a state machine; the host derives it from `TrainingEvent`s and the run's end. */
export type MonitorRunState =
  | { kind: "idle" }
  | {
      kind: "preparing-data";
      label: string;
      /** E.g. "Downloading CIFAR-10". */
      message: string;
      receivedBytes?: number;
      totalBytes?: number;
    }
  | {
      kind: "training";
      runId: string;
      label: string;
      backend: BackendReport;
      /** 1-based like `EpochLogs.epoch`; 0 before the first batch ends. */
      epoch: number;
      epochs: number;
      /** Batches finished in this epoch. */
      batch: number;
      batchesPerEpoch: number;
      /** The latest batch's running metrics (`loss`, `accuracy`, …). */
      metrics: Record<string, number>;
      /** The last finished epoch's numbers, `val_` ones included. */
      lastEpoch?: EpochLogs;
      imagesPerSecond: number;
      etaSeconds: number;
    }
  | { kind: "done"; runId: string; label: string; backend: BackendReport; lastEpoch?: EpochLogs; epochs: number }
  | { kind: "cancelled"; runId: string; label: string; backend: BackendReport; lastEpoch?: EpochLogs; epochs: number }
  | { kind: "failed"; label: string; message: string };

export interface PastRunView {
  runId: string;
  label: string;
  /** ISO 8601 start time. */
  startedAt: string;
  epochs: number;
  finalValAccuracy?: number;
  status: "completed" | "cancelled";
}

/**
 * Which dataset Train uses in this workspace, and the choice to make when the lesson's dataset is
 * not on this computer: the datasets that are here, beside downloading or importing the lesson's.
 */
export interface MonitorDatasetView {
  /** The dataset the next Train uses, and why, e.g. "chosen for this workspace: CIFAR-10 is not on this computer". */
  inUse?: { name: DatasetName; title: string; why: string };
  /** The lesson's dataset; `present` is false while it is not on this computer. */
  lesson: { name: DatasetName; title: string; present: boolean };
  /** Datasets on this computer other than the one in use, each with a line on what it holds. */
  alternatives: { name: DatasetName; title: string; description: string }[];
}

/** Host -> monitor webview. */
export interface DidChangeMonitorNotification {
  type: "didChangeMonitor";
  current: MonitorRunState;
  pastRuns: PastRunView[];
  /** Absent until the host has looked which datasets are on this computer. */
  dataset?: MonitorDatasetView;
  /** Set while a sweep (several runs, one after another) trains. */
  sweep?: MonitorSweepView;
}

/** Where a sweep is: "run 2 of 5", and what its finished runs took, for the time left of the whole sweep. */
export interface MonitorSweepView {
  /** 1-based. */
  run: number;
  runs: number;
  /** Mean seconds of the sweep's finished runs; absent during its first run. */
  secondsPerRun?: number;
}

/**
 * Time left for a whole sweep: the current run's estimate, plus the runs after it at the pace of
 * the finished ones (during the first run, at the pace the current run's estimate implies).
 */
export function sweepTimeLeft(sweep: MonitorSweepView, runEtaSeconds: number, runProgressDone: number): number {
  const after = Math.max(0, sweep.runs - sweep.run);
  const perRun = sweep.secondsPerRun ?? (runProgressDone > 0 && runProgressDone < 1 ? runEtaSeconds / (1 - runProgressDone) : runEtaSeconds);
  return runEtaSeconds + after * perRun;
}

/** Monitor webview -> host: train on this dataset from now on in this workspace, or fetch the lesson's. */
export interface DatasetChoiceCommand {
  type: "datasetChoice";
  action: "use" | "download" | "import";
  dataset: DatasetName;
}

/** Monitor webview -> host: stop the current run. */
export interface StopTrainingCommand {
  type: "stopTraining";
}

/** Monitor webview -> host: an action on past runs (Compare carries several ids). */
export interface PastRunCommand {
  type: "pastRun";
  action: "openCurves" | "compare" | "evaluate";
  runIds: string[];
}

export type MonitorWebviewMessage = ReadyCommand | StopTrainingCommand | PastRunCommand | DatasetChoiceCommand;

/**
 * How far a run is, 0..1, counting the finished batches of every epoch: the one notion of progress
 * that the monitor's bar and the status bar both show. `epoch` is 1-based (0 before the first
 * batch ends) and `batch` counts the batches finished in it.
 */
export function runProgress(epoch: number, epochs: number, batch: number, batchesPerEpoch: number): number {
  const total = epochs * batchesPerEpoch;
  if (total <= 0) return 0;
  return Math.min(1, (Math.max(0, epoch - 1) * batchesPerEpoch + batch) / total);
}

/**
 * Batches to wait before saying how long a run has left: the first ones include compiling the
 * model's kernels and are several times slower, so an estimate from them overstates the rest.
 */
export const BATCHES_BEFORE_ESTIMATE = 10;

/** Whether a time-left estimate is worth showing yet. */
export function estimateIsReady(epoch: number, batch: number, batchesPerEpoch: number, etaSeconds: number): boolean {
  const done = Math.max(0, epoch - 1) * batchesPerEpoch + batch;
  return Number.isFinite(etaSeconds) && etaSeconds >= 0 && (done >= BATCHES_BEFORE_ESTIMATE || epoch > 1);
}

/**
 * The accuracy metric among Keras history names: `accuracy`, `acc` or `categorical_accuracy`
 * (whichever the learner compiled with), or its `val_` twin. Undefined when there is none.
 */
export function findAccuracyMetric(metricNames: readonly string[], validation: boolean): string | undefined {
  const candidates = ["accuracy", "acc", "categorical_accuracy", "sparse_categorical_accuracy"].map((name) => (validation ? `val_${name}` : name));
  return candidates.find((name) => metricNames.includes(name));
}
