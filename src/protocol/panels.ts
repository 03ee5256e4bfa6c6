/**
 * The messages between the extension host and each webview (the episode panel, the model summary,
 * the training curves, the confusion matrix, the predictions, the dataset preview and the sidebar
 * training monitor), as valibot schemas; every type is inferred from its schema, so each message
 * is described once and checked where it arrives.
 *
 * Each panel has a `…Protocol`: `toHost` (what its webview may send, `ready` included), `toWebview`
 * (what the host may send) and, where VS Code keeps the webview's `setState` value, `state`. The
 * host parses every message from a webview with `toHost` and drops one that fails with a log line
 * (`src/extension/panels/webviewHost.ts`); the webview parses every message from the host with
 * `toWebview` before rendering and shows what was wrong when one fails (`webview/shared/host.ts`);
 * serializers and webviews parse a kept state with `state`, since it may come from an older
 * version of the extension.
 *
 * Naming: host -> webview notifications are `DidChange…` and always carry a complete snapshot
 * (a webview that was hidden is rebuilt from scratch and must never depend on deltas it missed;
 * each is built by `snapshotOf`);
 * webview -> host fire-and-forget messages are `…Command`; webview -> host messages that get an
 * answer are `…Request`, answered by the matching `…Response` with the same `requestId`.
 * Every message has a `type` tag.
 */
import * as v from "valibot";
import type { CalloutKind } from "./lesson";
import { CHALLENGE_STATUSES, CHECK_OUTCOMES } from "./outcome";
import { DATASET_NAMES } from "./modelSpec";
import { BACKEND_NAMES, type BackendReport, type EpochLogs, type ModelSummary } from "./training";

// ---------------------------------------------------------------------------------------------
// Building blocks

/** Ids are short names from the lesson or the run directory; anything longer is not ours. */
const MAX_ID_LENGTH = 200;

const IdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH));
const CountSchema = v.pipe(v.number(), v.integer(), v.minValue(0));
const FiniteSchema = v.pipe(v.number(), v.finite());
/**
 * A measured number (a loss, an accuracy, a speed, a time left), NaN and ±Infinity included: a
 * diverged run still shows. They cross JSON (VS Code's webview messages and kept states) as
 * `null`, read back as NaN, which `formatTrainingNumber` prints as "nan".
 */
const MeasureSchema = v.pipe(
  v.union([v.number(), v.nan(), v.null()]),
  v.transform((value): number => value ?? Number.NaN),
);
const MetricsSchema = v.record(v.string(), MeasureSchema);

/** What every union of messages is keyed by. */
type Tagged = { type: string };

/**
 * A host -> webview `DidChange…` notification: its tag and the complete state it carries (a
 * snapshot; see the file's comment), described once in `entries`.
 */
function snapshotOf<const TType extends `didChange${string}`, const TEntries extends v.ObjectEntries>(type: TType, entries: TEntries) {
  return v.object({ type: v.literal(type), ...entries });
}

/** Sent by every webview to the host once its script has loaded; the host answers with a `DidChange…` snapshot. */
export const ReadyCommandSchema = v.object({ type: v.literal("ready") });
export type ReadyCommand = v.InferOutput<typeof ReadyCommandSchema>;

/** An image as raw uint8 pixels, row-major HWC, base64-encoded so it travels as compact JSON. */
export const PanelImageSchema = v.pipe(
  v.object({
    width: v.pipe(CountSchema, v.minValue(1)),
    height: v.pipe(CountSchema, v.minValue(1)),
    /** 1 (grey) or 3 (RGB). */
    channels: v.picklist([1, 3]),
    pixelsBase64: v.string(),
  }),
  // Base64 of width·height·channels bytes: any other count would draw a torn image.
  v.check((image) => base64ByteLength(image.pixelsBase64) === image.width * image.height * image.channels, "the image's pixels do not match its size"),
);
export type PanelImage = v.InferOutput<typeof PanelImageSchema>;

/** The bytes a padded base64 string holds; -1 when its length cannot be base64. */
function base64ByteLength(text: string): number {
  if (text.length % 4 !== 0) return -1;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

// Types described in `./training` (the training process's protocol) that panels show. Each schema
// mirrors its interface; `test/unit/panels-schemas.test.ts` holds the two equal at compile time.

export const BackendReportSchema = v.object({
  active: v.picklist(BACKEND_NAMES),
  attempts: v.array(
    v.object({ backend: v.picklist(BACKEND_NAMES), loaded: v.boolean(), reason: v.exactOptional(v.string()), detail: v.exactOptional(v.string()) }),
  ),
}) satisfies v.GenericSchema<unknown, BackendReport>;

export const EpochLogsSchema = v.object({
  epoch: CountSchema,
  metrics: MetricsSchema,
  imagesPerSecond: MeasureSchema,
  seconds: MeasureSchema,
}) satisfies v.GenericSchema<unknown, EpochLogs>;

export const ModelSummarySchema = v.object({
  modelName: v.string(),
  rows: v.array(v.object({ name: v.string(), className: v.string(), outputShape: v.array(CountSchema), params: CountSchema })),
  totalParams: CountSchema,
  trainableParams: CountSchema,
  nonTrainableParams: CountSchema,
  text: v.string(),
}) satisfies v.GenericSchema<unknown, ModelSummary>;

const CALLOUT_KINDS = ["callout", "discussion", "caution", "testimonial"] as const satisfies readonly CalloutKind[];

/** A panel's messages both ways and the state its webview keeps; see the file's comment. */
export interface PanelProtocol<TToHost extends Tagged, TToWebview extends Tagged, TState> {
  readonly toHost: v.GenericSchema<unknown, TToHost>;
  readonly toWebview: v.GenericSchema<unknown, TToWebview>;
  readonly state?: v.GenericSchema<unknown, TState>;
}

/**
 * The first problem of a failed parse in a line a log or a panel can show, with where it is, e.g.
 * `state.matrix.0.1: Invalid type: Expected number but received "3"`.
 */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const [first] = issues;
  if (!first) return "Invalid value";
  const where = v.getDotPath(first);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `${where ? `${where}: ` : ""}${first.message}${more}`;
}

// ---------------------------------------------------------------------------------------------
// Episode panel

/** A block of the episode in reading order; markdown is already rendered to HTML by the host. */
export const EpisodeBlockViewSchema = v.variant("kind", [
  v.object({ kind: v.literal("html"), html: v.string() }),
  v.object({ kind: v.literal("callout"), calloutKind: v.picklist(CALLOUT_KINDS), title: v.string(), html: v.string() }),
  v.object({ kind: v.literal("challenge"), challengeId: IdSchema }),
]);
export type EpisodeBlockView = v.InferOutput<typeof EpisodeBlockViewSchema>;

/** The latest check of a code challenge, in the learner's terms. */
export const CheckReportSchema = v.object({
  outcome: v.picklist(CHECK_OUTCOMES),
  /** One sentence, e.g. "2 of 3 blanks are right." */
  message: v.string(),
  blanks: v.array(
    v.object({
      id: v.string(),
      verdict: v.picklist(CHECK_OUTCOMES),
      message: v.exactOptional(v.string()),
      line: v.exactOptional(CountSchema),
    }),
  ),
  /** ISO 8601 time of the check. */
  checkedAt: v.string(),
});
export type CheckReport = v.InferOutput<typeof CheckReportSchema>;

export const ChallengeViewSchema = v.object({
  id: IdSchema,
  title: v.string(),
  /** The task, rendered. */
  html: v.string(),
  /** A code challenge has a starter file and can be checked and trained; an open question cannot. */
  kind: v.picklist(["code", "question"]),
  status: v.picklist(CHALLENGE_STATUSES),
  /** Hints the learner has asked for so far, rendered, in order. */
  hintsShown: v.array(v.string()),
  hintCount: CountSchema,
  /** Present once the solution is revealed (or the challenge passed): the explanation and code, rendered. */
  solutionHtml: v.exactOptional(v.string()),
  /**
   * Present once revealed while the learner's file still has blanks to fill: only those lines, as
   * they are and with the answers, as a small diff (HTML).
   */
  answerHtml: v.exactOptional(v.string()),
  lastCheck: v.exactOptional(CheckReportSchema),
  /** Whether the starter file is already in the learner's workspace (the button then says "Open"). */
  started: v.boolean(),
});
export type ChallengeView = v.InferOutput<typeof ChallengeViewSchema>;

/** The lesson-complete view: what the learner did across the lesson, and what to do with it. */
export const LessonCompletionViewSchema = v.object({
  /** Code challenges and questions of the whole lesson. */
  challengeCount: CountSchema,
  passed: CountSchema,
  revealed: CountSchema,
  /** Training runs saved (those the monitor lists). */
  runs: CountSchema,
  /** Whether every challenge is passed or revealed. */
  finished: v.boolean(),
});
export type LessonCompletionView = v.InferOutput<typeof LessonCompletionViewSchema>;

const EpisodeLinkSchema = v.object({ episodeId: IdSchema, title: v.string() });

export const EpisodeViewStateSchema = v.object({
  lessonTitle: v.string(),
  episodeId: IdSchema,
  /** 1-based position in the lesson, and the number of episodes. */
  episodeNumber: CountSchema,
  episodeCount: CountSchema,
  title: v.string(),
  teachingMinutes: FiniteSchema,
  exerciseMinutes: FiniteSchema,
  /** Rendered inline HTML, one per item. */
  questions: v.array(v.string()),
  objectives: v.array(v.string()),
  keypoints: v.array(v.string()),
  blocks: v.array(EpisodeBlockViewSchema),
  challenges: v.array(ChallengeViewSchema),
  previous: v.exactOptional(EpisodeLinkSchema),
  next: v.exactOptional(EpisodeLinkSchema),
  /** On the last episode: where the learner stands in the whole lesson, shown after the episode's text. */
  completion: v.exactOptional(LessonCompletionViewSchema),
});
export type EpisodeViewState = v.InferOutput<typeof EpisodeViewStateSchema>;

/**
 * A hint or solution the learner just asked for (from the panel or the Command Palette). The
 * episode webview scrolls to it and focuses it once per `id`, also when the panel had to be
 * opened or rebuilt first.
 */
export const EpisodeFocusRequestSchema = v.object({
  id: IdSchema,
  challengeId: IdSchema,
  part: v.picklist(["hint", "solution"]),
});
export type EpisodeFocusRequest = v.InferOutput<typeof EpisodeFocusRequestSchema>;

/** Host -> episode webview: the whole episode, every challenge's status and the latest focus request. */
export const DidChangeEpisodeNotificationSchema = snapshotOf("didChangeEpisode", {
  state: EpisodeViewStateSchema,
  focus: v.exactOptional(EpisodeFocusRequestSchema),
});
export type DidChangeEpisodeNotification = v.InferOutput<typeof DidChangeEpisodeNotificationSchema>;

/** The challenge buttons. */
export const ChallengeActionSchema = v.picklist(["start", "check", "hint", "reveal", "train"]);
export type ChallengeAction = v.InferOutput<typeof ChallengeActionSchema>;

/** Episode webview -> host: a challenge box's button was pressed. */
export const ChallengeCommandSchema = v.object({ type: v.literal("challenge"), action: ChallengeActionSchema, challengeId: IdSchema });
export type ChallengeCommand = v.InferOutput<typeof ChallengeCommandSchema>;

/** Episode webview -> host: the previous/next episode button was pressed. */
export const NavigateEpisodeCommandSchema = v.object({ type: v.literal("navigateEpisode"), episodeId: IdSchema });
export type NavigateEpisodeCommand = v.InferOutput<typeof NavigateEpisodeCommandSchema>;

/** Episode webview -> host: a button of the lesson-complete view. */
export const LessonActionCommandSchema = v.object({ type: v.literal("lessonAction"), action: v.picklist(["exportScript", "showRuns"]) });
export type LessonActionCommand = v.InferOutput<typeof LessonActionCommandSchema>;

export const EpisodeWebviewMessageSchema = v.variant("type", [ReadyCommandSchema, ChallengeCommandSchema, NavigateEpisodeCommandSchema, LessonActionCommandSchema]);
export type EpisodeWebviewMessage = v.InferOutput<typeof EpisodeWebviewMessageSchema>;

/** What the episode webview keeps with `setState`, also what the panel serializer receives after a reload. */
export const EpisodeWebviewPersistedStateSchema = v.object({
  episodeId: IdSchema,
  scrollY: FiniteSchema,
  /** Challenge ids whose solution the learner expanded. */
  openSolutions: v.array(IdSchema),
  /** The last focus request acted on, so a webview rebuilt after being hidden does not jump to it again. */
  handledFocusId: v.exactOptional(IdSchema),
});
export type EpisodeWebviewPersistedState = v.InferOutput<typeof EpisodeWebviewPersistedStateSchema>;

export const EpisodeProtocol = {
  toHost: EpisodeWebviewMessageSchema,
  toWebview: DidChangeEpisodeNotificationSchema,
  state: EpisodeWebviewPersistedStateSchema,
} satisfies PanelProtocol<EpisodeWebviewMessage, DidChangeEpisodeNotification, EpisodeWebviewPersistedState>;

// ---------------------------------------------------------------------------------------------
// Model summary

/** What the summary panel shows: sent in each snapshot and kept by its webview. */
const SummaryViewEntries = {
  /** E.g. "create_model_intro() in 03-build-a-cnn.py". */
  source: v.string(),
  summary: ModelSummarySchema,
  /**
   * What the model as trained differs in from the learner's code and why (an input adapted to
   * another dataset's images, fewer epochs), one sentence each; absent or empty when nothing did.
   */
  notes: v.exactOptional(v.array(v.string())),
};

/** Host -> summary webview. */
export const DidChangeSummaryNotificationSchema = snapshotOf("didChangeSummary", SummaryViewEntries);
export type DidChangeSummaryNotification = v.InferOutput<typeof DidChangeSummaryNotificationSchema>;

export const SummaryWebviewMessageSchema = v.variant("type", [ReadyCommandSchema]);
export type SummaryWebviewMessage = v.InferOutput<typeof SummaryWebviewMessageSchema>;

/** What the summary webview keeps with `setState`, also what its panel serializer receives after a reload. */
export const SummaryWebviewPersistedStateSchema = v.object(SummaryViewEntries);
export type SummaryWebviewPersistedState = v.InferOutput<typeof SummaryWebviewPersistedStateSchema>;

export const SummaryProtocol = {
  toHost: SummaryWebviewMessageSchema,
  toWebview: DidChangeSummaryNotificationSchema,
  state: SummaryWebviewPersistedStateSchema,
} satisfies PanelProtocol<SummaryWebviewMessage, DidChangeSummaryNotification, SummaryWebviewPersistedState>;

// ---------------------------------------------------------------------------------------------
// Training curves

export const CurveRunStatusSchema = v.picklist(["running", "completed", "cancelled", "failed"]);
export type CurveRunStatus = v.InferOutput<typeof CurveRunStatusSchema>;

export const CurveRunSchema = v.object({
  runId: IdSchema,
  label: v.string(),
  status: CurveRunStatusSchema,
  /** Planned epochs, so the x axis does not jump while a run is live. */
  epochs: CountSchema,
  history: v.array(EpochLogsSchema),
  /**
   * Running means inside each epoch while the run is live (x = epochs done so far, fractional:
   * 0.5 is halfway through epoch 1), so a one-epoch run shows its loss falling before the epoch
   * ends. Saved runs have none.
   */
  withinEpoch: v.exactOptional(v.array(v.object({ x: FiniteSchema, metrics: MetricsSchema }))),
  /** Hidden by the learner through the legend toggles. */
  hidden: v.boolean(),
});
export type CurveRun = v.InferOutput<typeof CurveRunSchema>;

/** One run of a sweep on the comparison chart: the swept value and the run's final validation numbers. */
export const SweepComparisonRowSchema = v.object({
  runId: IdSchema,
  /** The swept value as the learner wrote it, e.g. "0.3" or "tanh". */
  value: v.string(),
  /** The last epoch's; absent while the run has not finished an epoch, or without validation data. */
  valLoss: v.exactOptional(MeasureSchema),
  valAccuracy: v.exactOptional(MeasureSchema),
});
export type SweepComparisonRow = v.InferOutput<typeof SweepComparisonRowSchema>;

/** The plot a sweep's challenge asks the learner to read: the swept value against final validation loss and accuracy. */
export const SweepComparisonViewSchema = v.object({
  /** What the runs differ in, e.g. "Dropout rate". */
  parameter: v.string(),
  rows: v.array(SweepComparisonRowSchema),
});
export type SweepComparisonView = v.InferOutput<typeof SweepComparisonViewSchema>;

/** What the curves panel shows: sent in each snapshot and kept by its webview. */
const CurvesViewEntries = {
  /** Every run shown, live ones included. */
  runs: v.array(CurveRunSchema),
  /** The latest sweep's comparison, while its runs are on the chart. */
  comparison: v.exactOptional(SweepComparisonViewSchema),
};

/** Host -> curves webview. */
export const DidChangeCurvesNotificationSchema = snapshotOf("didChangeCurves", CurvesViewEntries);
export type DidChangeCurvesNotification = v.InferOutput<typeof DidChangeCurvesNotificationSchema>;

/** Curves webview -> host: show or hide one run. */
export const SetRunVisibilityCommandSchema = v.object({ type: v.literal("setRunVisibility"), runId: IdSchema, visible: v.boolean() });
export type SetRunVisibilityCommand = v.InferOutput<typeof SetRunVisibilityCommandSchema>;

/** Curves webview -> host: drop a run from the chart. */
export const RemoveRunCommandSchema = v.object({ type: v.literal("removeRun"), runId: IdSchema });
export type RemoveRunCommand = v.InferOutput<typeof RemoveRunCommandSchema>;

export const CurvesWebviewMessageSchema = v.variant("type", [ReadyCommandSchema, SetRunVisibilityCommandSchema, RemoveRunCommandSchema]);
export type CurvesWebviewMessage = v.InferOutput<typeof CurvesWebviewMessageSchema>;

/** What the curves webview keeps with `setState`, also what its panel serializer receives after a reload. */
export const CurvesWebviewPersistedStateSchema = v.object(CurvesViewEntries);
export type CurvesWebviewPersistedState = v.InferOutput<typeof CurvesWebviewPersistedStateSchema>;

export const CurvesProtocol = {
  toHost: CurvesWebviewMessageSchema,
  toWebview: DidChangeCurvesNotificationSchema,
  state: CurvesWebviewPersistedStateSchema,
} satisfies PanelProtocol<CurvesWebviewMessage, DidChangeCurvesNotification, CurvesWebviewPersistedState>;

// ---------------------------------------------------------------------------------------------
// Confusion matrix

export const ConfusionViewStateSchema = v.object({
  runLabel: v.string(),
  /** The dataset the run was tested on, e.g. "Fashion-MNIST"; absent in states saved before it was named. */
  dataset: v.exactOptional(v.string()),
  classNames: v.array(v.string()),
  /** rows: true class, columns: predicted class. */
  matrix: v.array(v.array(CountSchema)),
  perClassAccuracy: v.array(MeasureSchema),
  accuracy: MeasureSchema,
  loss: MeasureSchema,
});
export type ConfusionViewState = v.InferOutput<typeof ConfusionViewStateSchema>;

/** Host -> confusion webview. */
export const DidChangeConfusionNotificationSchema = snapshotOf("didChangeConfusion", { state: ConfusionViewStateSchema });
export type DidChangeConfusionNotification = v.InferOutput<typeof DidChangeConfusionNotificationSchema>;

/** A class of a matrix with `classCount` classes; any index when the count is not known. */
function classIndexSchema(classCount: number) {
  return v.pipe(CountSchema, v.maxValue(classCount - 1));
}

/**
 * Confusion webview -> host: which test images fell into this cell? Answered by
 * `CellImagesResponse`. `classCount` bounds the cell: a request for a class the matrix does not
 * have is invalid.
 */
function cellImagesRequestSchema(classCount: number) {
  return v.object({
    type: v.literal("cellImages"),
    requestId: v.pipe(CountSchema, v.maxValue(Number.MAX_SAFE_INTEGER)),
    trueLabel: classIndexSchema(classCount),
    predictedLabel: classIndexSchema(classCount),
    /** The cell's images from this one on (a page of them); 0 when absent. */
    offset: v.exactOptional(CountSchema),
  });
}
export const CellImagesRequestSchema = cellImagesRequestSchema(Number.MAX_SAFE_INTEGER);
export type CellImagesRequest = v.InferOutput<typeof CellImagesRequestSchema>;

/** Host -> confusion webview: the answer to `CellImagesRequest`. */
export const CellImagesResponseSchema = v.object({
  type: v.literal("cellImagesResponse"),
  requestId: CountSchema,
  trueLabel: CountSchema,
  predictedLabel: CountSchema,
  /** One page of the cell's images, from `offset` on; `total` says how many fell into the cell. */
  images: v.array(PanelImageSchema),
  total: CountSchema,
  /** Where this page starts among the cell's images; 0 when absent. */
  offset: v.exactOptional(CountSchema),
  /** How many images one page holds, so the webview can offer the next and previous pages. */
  pageSize: v.exactOptional(v.pipe(CountSchema, v.minValue(1))),
  /** The predicted class's probability of each image, in the order of `images`. */
  probabilities: v.exactOptional(v.array(MeasureSchema)),
  /** Set when the images could not be loaded, in the learner's terms. */
  error: v.exactOptional(v.string()),
});
export type CellImagesResponse = v.InferOutput<typeof CellImagesResponseSchema>;

/** What the confusion webview may send to a matrix of `classCount` classes. */
export function confusionWebviewMessageSchema(classCount: number) {
  return v.variant("type", [ReadyCommandSchema, cellImagesRequestSchema(classCount)]);
}
export const ConfusionWebviewMessageSchema = confusionWebviewMessageSchema(Number.MAX_SAFE_INTEGER);
export type ConfusionWebviewMessage = v.InferOutput<typeof ConfusionWebviewMessageSchema>;

export const ConfusionHostMessageSchema = v.variant("type", [DidChangeConfusionNotificationSchema, CellImagesResponseSchema]);
export type ConfusionHostMessage = v.InferOutput<typeof ConfusionHostMessageSchema>;

/** What the confusion webview keeps with `setState`: the cell whose images are open. */
export const ConfusionWebviewPersistedStateSchema = v.object({ selected: v.exactOptional(v.tuple([CountSchema, CountSchema])) });
export type ConfusionWebviewPersistedState = v.InferOutput<typeof ConfusionWebviewPersistedStateSchema>;

export const ConfusionProtocol = {
  toHost: ConfusionWebviewMessageSchema,
  toWebview: ConfusionHostMessageSchema,
  state: ConfusionWebviewPersistedStateSchema,
} satisfies PanelProtocol<ConfusionWebviewMessage, ConfusionHostMessage, ConfusionWebviewPersistedState>;

// ---------------------------------------------------------------------------------------------
// Predictions

export const PredictionFilterSchema = v.picklist(["all", "wrong"]);
export type PredictionFilter = v.InferOutput<typeof PredictionFilterSchema>;

const ClassProbabilitySchema = v.object({ label: CountSchema, probability: MeasureSchema });

export const PredictionViewSchema = v.object({
  index: CountSchema,
  image: PanelImageSchema,
  trueLabel: CountSchema,
  /** Most likely first; the panel shows the first three. */
  top: v.array(ClassProbabilitySchema),
});
export type PredictionView = v.InferOutput<typeof PredictionViewSchema>;

/** The learner's own image (Classify Image…): what the model saw and what it answered; no true label. */
export const OwnImagePredictionSchema = v.object({
  fileName: v.string(),
  /** Resized to the model's input, as the model sees it. */
  image: PanelImageSchema,
  /** The file's size before resizing. */
  originalWidth: CountSchema,
  originalHeight: CountSchema,
  /** Every class the model answered with, most likely first; the panel shows the first five. */
  top: v.array(ClassProbabilitySchema),
  /** The file as it is (scaled down to a thumbnail, in colour), shown beside what the model sees. */
  original: v.exactOptional(PanelImageSchema),
  /** What images the model learned from, e.g. "28×28 grey images of one piece of clothing, light on a dark background". */
  expects: v.exactOptional(v.string()),
  /** Set when the picture does not look like those, e.g. a light background for a model that learned dark ones. */
  note: v.exactOptional(v.string()),
});
export type OwnImagePrediction = v.InferOutput<typeof OwnImagePredictionSchema>;

export const PredictionsViewStateSchema = v.object({
  runLabel: v.string(),
  classNames: v.array(v.string()),
  items: v.array(PredictionViewSchema),
  filter: PredictionFilterSchema,
  /** Set by Classify Image…: the panel shows this one image instead of `items` (then empty). */
  ownImage: v.exactOptional(OwnImagePredictionSchema),
  /** The learner's images classified by this run, newest first, shown above the test images. */
  ownImages: v.exactOptional(v.array(OwnImagePredictionSchema)),
});
export type PredictionsViewState = v.InferOutput<typeof PredictionsViewStateSchema>;

/** Host -> predictions webview. */
export const DidChangePredictionsNotificationSchema = snapshotOf("didChangePredictions", { state: PredictionsViewStateSchema });
export type DidChangePredictionsNotification = v.InferOutput<typeof DidChangePredictionsNotificationSchema>;

/** Predictions webview -> host: show all predictions or only the wrong ones. */
export const SetPredictionFilterCommandSchema = v.object({ type: v.literal("setPredictionFilter"), filter: PredictionFilterSchema });
export type SetPredictionFilterCommand = v.InferOutput<typeof SetPredictionFilterCommandSchema>;

export const PredictionsWebviewMessageSchema = v.variant("type", [ReadyCommandSchema, SetPredictionFilterCommandSchema]);
export type PredictionsWebviewMessage = v.InferOutput<typeof PredictionsWebviewMessageSchema>;

export const PredictionsProtocol = {
  toHost: PredictionsWebviewMessageSchema,
  toWebview: DidChangePredictionsNotificationSchema,
} satisfies PanelProtocol<PredictionsWebviewMessage, DidChangePredictionsNotification, never>;

// ---------------------------------------------------------------------------------------------
// Dataset preview

export const DatasetPreviewViewStateSchema = v.object({
  /** E.g. "CIFAR-10 training images". */
  title: v.string(),
  classNames: v.array(v.string()),
  samples: v.array(v.object({ image: PanelImageSchema, label: CountSchema })),
  /** True while the host fetches another sample. */
  loading: v.boolean(),
});
export type DatasetPreviewViewState = v.InferOutput<typeof DatasetPreviewViewStateSchema>;

/** Host -> dataset preview webview. */
export const DidChangeDatasetPreviewNotificationSchema = snapshotOf("didChangeDatasetPreview", { state: DatasetPreviewViewStateSchema });
export type DidChangeDatasetPreviewNotification = v.InferOutput<typeof DidChangeDatasetPreviewNotificationSchema>;

/** Dataset preview webview -> host: show another random 25 images. */
export const ShuffleDatasetCommandSchema = v.object({ type: v.literal("shuffleDataset") });
export type ShuffleDatasetCommand = v.InferOutput<typeof ShuffleDatasetCommandSchema>;

export const DatasetPreviewWebviewMessageSchema = v.variant("type", [ReadyCommandSchema, ShuffleDatasetCommandSchema]);
export type DatasetPreviewWebviewMessage = v.InferOutput<typeof DatasetPreviewWebviewMessageSchema>;

export const DatasetPreviewProtocol = {
  toHost: DatasetPreviewWebviewMessageSchema,
  toWebview: DidChangeDatasetPreviewNotificationSchema,
} satisfies PanelProtocol<DatasetPreviewWebviewMessage, DidChangeDatasetPreviewNotification, never>;

// ---------------------------------------------------------------------------------------------
// Training monitor (sidebar webview view)

const DatasetNameSchema = v.picklist(DATASET_NAMES);

/** The current run as a state machine; the host derives it from `TrainingEvent`s and the run's end. */
export const MonitorRunStateSchema = v.variant("kind", [
  v.object({ kind: v.literal("idle") }),
  v.object({
    kind: v.literal("preparing-data"),
    label: v.string(),
    /** E.g. "Downloading CIFAR-10". */
    message: v.string(),
    receivedBytes: v.exactOptional(CountSchema),
    totalBytes: v.exactOptional(CountSchema),
  }),
  v.object({
    kind: v.literal("training"),
    runId: IdSchema,
    label: v.string(),
    backend: BackendReportSchema,
    /** 1-based like `EpochLogs.epoch`; 0 before the first batch ends. */
    epoch: CountSchema,
    epochs: CountSchema,
    /** Batches finished in this epoch. */
    batch: CountSchema,
    batchesPerEpoch: CountSchema,
    /** The latest batch's running metrics (`loss`, `accuracy`, …). */
    metrics: MetricsSchema,
    /** The last finished epoch's numbers, `val_` ones included. */
    lastEpoch: v.exactOptional(EpochLogsSchema),
    imagesPerSecond: MeasureSchema,
    etaSeconds: MeasureSchema,
  }),
  v.object({ kind: v.literal("done"), runId: IdSchema, label: v.string(), backend: BackendReportSchema, lastEpoch: v.exactOptional(EpochLogsSchema), epochs: CountSchema }),
  v.object({ kind: v.literal("cancelled"), runId: IdSchema, label: v.string(), backend: BackendReportSchema, lastEpoch: v.exactOptional(EpochLogsSchema), epochs: CountSchema }),
  v.object({ kind: v.literal("failed"), label: v.string(), message: v.string() }),
]);
export type MonitorRunState = v.InferOutput<typeof MonitorRunStateSchema>;

export const PastRunViewSchema = v.object({
  runId: IdSchema,
  label: v.string(),
  /** ISO 8601 start time. */
  startedAt: v.string(),
  epochs: CountSchema,
  finalValAccuracy: v.exactOptional(MeasureSchema),
  status: v.picklist(["completed", "cancelled"]),
});
export type PastRunView = v.InferOutput<typeof PastRunViewSchema>;

/**
 * Which dataset Train uses in this workspace, and the choice to make when the lesson's dataset is
 * not on this computer: the datasets that are here, beside downloading or importing the lesson's.
 */
export const MonitorDatasetViewSchema = v.object({
  /** The dataset the next Train uses, and why, e.g. "chosen for this workspace: CIFAR-10 is not on this computer". */
  inUse: v.exactOptional(v.object({ name: DatasetNameSchema, title: v.string(), why: v.string() })),
  /** The lesson's dataset; `present` is false while it is not on this computer. */
  lesson: v.object({ name: DatasetNameSchema, title: v.string(), present: v.boolean() }),
  /** Datasets on this computer other than the one in use, each with a line on what it holds. */
  alternatives: v.array(v.object({ name: DatasetNameSchema, title: v.string(), description: v.string() })),
});
export type MonitorDatasetView = v.InferOutput<typeof MonitorDatasetViewSchema>;

/** Where a sweep is: "run 2 of 5", and what its finished runs took, for the time left of the whole sweep. */
export const MonitorSweepViewSchema = v.object({
  /** 1-based. */
  run: CountSchema,
  runs: CountSchema,
  /** Mean seconds of the sweep's finished runs; absent during its first run. */
  secondsPerRun: v.exactOptional(MeasureSchema),
});
export type MonitorSweepView = v.InferOutput<typeof MonitorSweepViewSchema>;

/** Host -> monitor webview. */
export const DidChangeMonitorNotificationSchema = snapshotOf("didChangeMonitor", {
  current: MonitorRunStateSchema,
  pastRuns: v.array(PastRunViewSchema),
  /** Absent until the host has looked which datasets are on this computer. */
  dataset: v.exactOptional(MonitorDatasetViewSchema),
  /** Set while a sweep (several runs, one after another) trains. */
  sweep: v.exactOptional(MonitorSweepViewSchema),
});
export type DidChangeMonitorNotification = v.InferOutput<typeof DidChangeMonitorNotificationSchema>;

/** Monitor webview -> host: train on this dataset from now on in this workspace, or fetch the lesson's. */
export const DatasetChoiceCommandSchema = v.object({ type: v.literal("datasetChoice"), action: v.picklist(["use", "download", "import"]), dataset: DatasetNameSchema });
export type DatasetChoiceCommand = v.InferOutput<typeof DatasetChoiceCommandSchema>;

/** Monitor webview -> host: stop the current run. */
export const StopTrainingCommandSchema = v.object({ type: v.literal("stopTraining") });
export type StopTrainingCommand = v.InferOutput<typeof StopTrainingCommandSchema>;

/** Past runs a command acts on: the monitor lists at most a screenful. */
const MAX_RUNS_PER_COMMAND = 20;

/** Monitor webview -> host: an action on past runs. Opening or evaluating is about one run; comparing needs two or more. */
export const PastRunCommandSchema = v.variant("action", [
  v.object({ type: v.literal("pastRun"), action: v.picklist(["openCurves", "evaluate"]), runIds: v.pipe(v.array(IdSchema), v.length(1)) }),
  v.object({ type: v.literal("pastRun"), action: v.literal("compare"), runIds: v.pipe(v.array(IdSchema), v.minLength(2), v.maxLength(MAX_RUNS_PER_COMMAND)) }),
]);
export type PastRunCommand = v.InferOutput<typeof PastRunCommandSchema>;

export const MonitorWebviewMessageSchema = v.variant("type", [ReadyCommandSchema, StopTrainingCommandSchema, PastRunCommandSchema, DatasetChoiceCommandSchema]);
export type MonitorWebviewMessage = v.InferOutput<typeof MonitorWebviewMessageSchema>;

/** What the monitor webview keeps with `setState`. */
export const MonitorWebviewPersistedStateSchema = v.object({
  /** Past runs ticked for Compare. */
  compare: v.array(IdSchema),
  backendOpen: v.boolean(),
});
export type MonitorWebviewPersistedState = v.InferOutput<typeof MonitorWebviewPersistedStateSchema>;

export const MonitorProtocol = {
  toHost: MonitorWebviewMessageSchema,
  toWebview: DidChangeMonitorNotificationSchema,
  state: MonitorWebviewPersistedStateSchema,
} satisfies PanelProtocol<MonitorWebviewMessage, DidChangeMonitorNotification, MonitorWebviewPersistedState>;

// ---------------------------------------------------------------------------------------------
// Numbers the monitor and the status bar share

/**
 * Time left for a whole sweep: the current run's estimate, plus the runs after it at the pace of
 * the finished ones (during the first run, at the pace the current run's estimate implies).
 */
export function sweepTimeLeft(sweep: MonitorSweepView, runEtaSeconds: number, runProgressDone: number): number {
  const after = Math.max(0, sweep.runs - sweep.run);
  const perRun = sweep.secondsPerRun ?? (runProgressDone > 0 && runProgressDone < 1 ? runEtaSeconds / (1 - runProgressDone) : runEtaSeconds);
  return runEtaSeconds + after * perRun;
}

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
