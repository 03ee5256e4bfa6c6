/**
 * Every command the extension registers, once: `activate()` must give each one a handler (its
 * table is a `Record<CommandId, …>`), and the drift test holds this list equal to package.json's
 * `contributes.commands`. No 'vscode' import, so plain Node can read it.
 */
export const COMMAND_IDS = [
  "dlLessons.openLesson",
  "dlLessons.openEpisode",
  "dlLessons.nextEpisode",
  "dlLessons.previousEpisode",
  "dlLessons.startChallenge",
  "dlLessons.checkChallenge",
  "dlLessons.showHint",
  "dlLessons.revealSolution",
  "dlLessons.resetChallenge",
  "dlLessons.trainModel",
  "dlLessons.stopTraining",
  "dlLessons.evaluateModel",
  "dlLessons.showModelSummary",
  "dlLessons.showTrainingCurves",
  "dlLessons.showConfusionMatrix",
  "dlLessons.showPredictions",
  "dlLessons.showDatasetPreview",
  "dlLessons.classifyImage",
  "dlLessons.importDataset",
  "dlLessons.downloadDataset",
  "dlLessons.exportPythonScript",
  "dlLessons.showBackend",
  "dlLessons.installNativeTensorflow",
  "dlLessons.measureResponsiveness",
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
