/**
 * Type guards for every message a webview sends. A webview's script is ours, but its messages
 * cross a process boundary and the page renders lesson content, so the host checks the shape of
 * each message before acting on it. No 'vscode' import: unit-tested directly.
 */
import type {
  CellImagesRequest,
  ChallengeAction,
  ChallengeCommand,
  ConfusionWebviewMessage,
  CurveRun,
  CurvesWebviewMessage,
  CurvesWebviewPersistedState,
  DatasetChoiceCommand,
  DatasetPreviewWebviewMessage,
  EpisodeWebviewMessage,
  EpisodeWebviewPersistedState,
  LessonActionCommand,
  MonitorWebviewMessage,
  NavigateEpisodeCommand,
  PastRunCommand,
  PredictionsWebviewMessage,
  ReadyCommand,
  RemoveRunCommand,
  SetPredictionFilterCommand,
  SetRunVisibilityCommand,
  ShuffleDatasetCommand,
  StopTrainingCommand,
  SummaryWebviewMessage,
  SummaryWebviewPersistedState,
} from "../../protocol/panels";
import { DATASET_NAMES } from "../../protocol/modelSpec";
import type { EpochLogs, ModelSummary, SummaryRow } from "../../protocol/training";

/** Ids are short names from the lesson or the run directory; anything longer is not ours. */
const MAX_ID_LENGTH = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

function isIndex(value: unknown, below: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value < below;
}

function hasType<T extends string>(value: unknown, type: T): value is Record<string, unknown> & { type: T } {
  return isRecord(value) && value["type"] === type;
}

export function isReadyCommand(value: unknown): value is ReadyCommand {
  return hasType(value, "ready");
}

const challengeActions: readonly ChallengeAction[] = ["start", "check", "hint", "reveal", "train"];

export function isChallengeCommand(value: unknown): value is ChallengeCommand {
  return hasType(value, "challenge") && challengeActions.includes(value["action"] as ChallengeAction) && isId(value["challengeId"]);
}

export function isNavigateEpisodeCommand(value: unknown): value is NavigateEpisodeCommand {
  return hasType(value, "navigateEpisode") && isId(value["episodeId"]);
}

export function isLessonActionCommand(value: unknown): value is LessonActionCommand {
  return hasType(value, "lessonAction") && (value["action"] === "exportScript" || value["action"] === "showRuns");
}

export function isEpisodeWebviewMessage(value: unknown): value is EpisodeWebviewMessage {
  return isReadyCommand(value) || isChallengeCommand(value) || isNavigateEpisodeCommand(value) || isLessonActionCommand(value);
}

/** What a serializer gets back after a window reload: whatever the webview last stored, or nothing. */
export function isEpisodePersistedState(value: unknown): value is EpisodeWebviewPersistedState {
  return (
    isRecord(value) &&
    isId(value["episodeId"]) &&
    typeof value["scrollY"] === "number" &&
    Number.isFinite(value["scrollY"]) &&
    Array.isArray(value["openSolutions"]) &&
    value["openSolutions"].every(isId)
  );
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isMetrics(value: unknown): value is Record<string, number> {
  return isRecord(value) && Object.values(value).every(isFiniteNumber);
}

function isSummaryRow(value: unknown): value is SummaryRow {
  return isRecord(value) && typeof value["name"] === "string" && typeof value["className"] === "string" && Array.isArray(value["outputShape"]) && value["outputShape"].every(isCount) && isCount(value["params"]);
}

function isModelSummary(value: unknown): value is ModelSummary {
  return (
    isRecord(value) &&
    typeof value["modelName"] === "string" &&
    Array.isArray(value["rows"]) &&
    value["rows"].every(isSummaryRow) &&
    isCount(value["totalParams"]) &&
    isCount(value["trainableParams"]) &&
    isCount(value["nonTrainableParams"]) &&
    typeof value["text"] === "string"
  );
}

/** What the summary panel's serializer gets back after a window reload. */
export function isSummaryPersistedState(value: unknown): value is SummaryWebviewPersistedState {
  const notes = isRecord(value) ? value["notes"] : undefined;
  const notesValid = notes === undefined || (Array.isArray(notes) && notes.every((note) => typeof note === "string"));
  return isRecord(value) && typeof value["source"] === "string" && isModelSummary(value["summary"]) && notesValid;
}

const curveRunStatuses: readonly CurveRun["status"][] = ["running", "completed", "cancelled", "failed"];

function isEpochLogs(value: unknown): value is EpochLogs {
  return isRecord(value) && isCount(value["epoch"]) && isMetrics(value["metrics"]) && isFiniteNumber(value["imagesPerSecond"]) && isFiniteNumber(value["seconds"]);
}

function isCurveRun(value: unknown): value is CurveRun {
  if (!isRecord(value)) return false;
  const within = value["withinEpoch"];
  return (
    isId(value["runId"]) &&
    typeof value["label"] === "string" &&
    curveRunStatuses.includes(value["status"] as CurveRun["status"]) &&
    isCount(value["epochs"]) &&
    Array.isArray(value["history"]) &&
    value["history"].every(isEpochLogs) &&
    (within === undefined || (Array.isArray(within) && within.every((point) => isRecord(point) && isFiniteNumber(point["x"]) && isMetrics(point["metrics"])))) &&
    typeof value["hidden"] === "boolean"
  );
}

/** What the curves panel's serializer gets back after a window reload. */
export function isCurvesPersistedState(value: unknown): value is CurvesWebviewPersistedState {
  return isRecord(value) && Array.isArray(value["runs"]) && value["runs"].every(isCurveRun);
}

export function isSummaryWebviewMessage(value: unknown): value is SummaryWebviewMessage {
  return isReadyCommand(value);
}

export function isSetRunVisibilityCommand(value: unknown): value is SetRunVisibilityCommand {
  return hasType(value, "setRunVisibility") && isId(value["runId"]) && typeof value["visible"] === "boolean";
}

export function isRemoveRunCommand(value: unknown): value is RemoveRunCommand {
  return hasType(value, "removeRun") && isId(value["runId"]);
}

export function isCurvesWebviewMessage(value: unknown): value is CurvesWebviewMessage {
  return isReadyCommand(value) || isSetRunVisibilityCommand(value) || isRemoveRunCommand(value);
}

/** `classCount` bounds the cell: a request for a class the matrix does not have is invalid. */
export function isCellImagesRequest(value: unknown, classCount: number): value is CellImagesRequest {
  return (
    hasType(value, "cellImages") &&
    isIndex(value["requestId"], Number.MAX_SAFE_INTEGER) &&
    isIndex(value["trueLabel"], classCount) &&
    isIndex(value["predictedLabel"], classCount) &&
    (value["offset"] === undefined || isIndex(value["offset"], Number.MAX_SAFE_INTEGER))
  );
}

export function isConfusionWebviewMessage(value: unknown, classCount: number): value is ConfusionWebviewMessage {
  return isReadyCommand(value) || isCellImagesRequest(value, classCount);
}

export function isSetPredictionFilterCommand(value: unknown): value is SetPredictionFilterCommand {
  return hasType(value, "setPredictionFilter") && (value["filter"] === "all" || value["filter"] === "wrong");
}

export function isPredictionsWebviewMessage(value: unknown): value is PredictionsWebviewMessage {
  return isReadyCommand(value) || isSetPredictionFilterCommand(value);
}

export function isShuffleDatasetCommand(value: unknown): value is ShuffleDatasetCommand {
  return hasType(value, "shuffleDataset");
}

export function isDatasetPreviewWebviewMessage(value: unknown): value is DatasetPreviewWebviewMessage {
  return isReadyCommand(value) || isShuffleDatasetCommand(value);
}

export function isStopTrainingCommand(value: unknown): value is StopTrainingCommand {
  return hasType(value, "stopTraining");
}

export function isPastRunCommand(value: unknown): value is PastRunCommand {
  if (!hasType(value, "pastRun")) return false;
  const { action, runIds } = value;
  if (!Array.isArray(runIds) || runIds.length === 0 || runIds.length > 20 || !runIds.every(isId)) return false;
  // Opening or evaluating is about one run; comparing needs at least two.
  if (action === "compare") return runIds.length >= 2;
  return (action === "openCurves" || action === "evaluate") && runIds.length === 1;
}

export function isDatasetChoiceCommand(value: unknown): value is DatasetChoiceCommand {
  return (
    hasType(value, "datasetChoice") &&
    (value["action"] === "use" || value["action"] === "download" || value["action"] === "import") &&
    (DATASET_NAMES as readonly unknown[]).includes(value["dataset"])
  );
}

export function isMonitorWebviewMessage(value: unknown): value is MonitorWebviewMessage {
  return isReadyCommand(value) || isStopTrainingCommand(value) || isPastRunCommand(value) || isDatasetChoiceCommand(value);
}
