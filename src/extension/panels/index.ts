/**
 * The webviews of the extension, host side. Every class here knows protocol types only: the
 * extension passes data in and callbacks for what the learner clicks. `env` is
 * `{ extensionUri, log? }` (`vscode.ExtensionContext` fits).
 *
 * Episode (editor column one; restored after a window reload):
 *   EpisodePanel.show(env, render: EpisodeRender, lessonRoot: Uri, callbacks: EpisodeCallbacks): EpisodePanel
 *   episodePanel.update(render)       after any change of status, hint, check result or episode
 *   render(resolveImage) -> EpisodeViewState: the panel calls it with its own image resolver
 *   EpisodePanel.currentPanel         the open one, if any; `.episodeId`, `.panel.viewColumn`
 *   registerSerializers(context, { env, restoreEpisode(episodeId) })   once, in activate()
 *   callbacks: onChallenge(action: "start"|"check"|"hint"|"reveal"|"train", challengeId, episodeId),
 *              onNavigate(episodeId)
 *   Markdown is rendered once, by `createMarkdownRenderer({ resolveImage })` with the resolver the
 *   panel passes to `render`: images written relative to `episodes/` and inside `figures/` become
 *   webview URIs (`lessonFigurePath`), others are dropped with a visible note.
 *
 * Result panels (summary, curves, confusion matrix, predictions, dataset preview) open as tabs of
 * one editor group beside the code (`resultsGroup.ts`); each knows the run it shows, and
 * focusedResultRunId() says which run the learner has in front of them.
 * Model summary:      SummaryPanel.show(env, summary: ModelSummary, { source, notes?, runId? })   restored after
 *                     a reload (by `registerSerializers`) with the summary it last showed
 * Training curves:    const curves = new CurvesPanel(env)         keeps runs while closed; create it once,
 *                     in activate(): it registers the panel's serializer and, after a reload, shows the
 *                     runs the panel last showed (a run that was live then, as cancelled)
 *                     curves.show(only?: runIds)  curves.addRun(run)  curves.hasRun(runId)
 *                     curves.onTrainingEvent(e)  curves.onRunFinished(result)  curves.onRunFailed(runId)
 * Confusion matrix:   ConfusionPanel.show(env, evaluation: EvaluationResult, { runId?, label, dataset? }, imageProvider)
 *                     imageProvider(trueLabel, predictedLabel, offset, limit) -> { images, probabilities, total, offset }
 *                     (one page of the cell; `cellPage(evaluation, …)` picks it from the per-image outcomes)
 * Predictions:        PredictionsPanel.show(env, { runLabel, classNames, items: PredictionView[] }, filter?)
 *                     PredictionsPanel.showOwnImage(env, ownImageViewState(classified))   Classify Image…:
 *                     the learner's image as the model sees it, its top-5 bars, titled with the file name
 * Dataset preview:    await DatasetPreviewPanel.show(env, { title, classNames }, sampler(count))
 * Training monitor:   const monitor = new TrainingMonitorViewProvider(env, { onStop, onOpenCurves,
 *                     onCompare, onEvaluate, onDatasetChoice });  monitor.setDatasetView(view)
 *                     vscode.window.registerWebviewViewProvider(TrainingMonitorViewProvider.viewType, monitor)
 *                     monitor.preparing(label, message)  monitor.onTrainingEvent(e)
 *                     monitor.onRunFinished(result)  monitor.onRunFailed(message)  monitor.setPastRuns(runs)
 *                     pastRunFromResult(result, label, startedAt) builds a past-run row.
 * Images:             encodePanelImage(width, height, channels, uint8 HWC pixels) -> PanelImage
 * A new panel:        a `…Protocol` in src/protocol/panels.ts (schemas both ways and the kept state),
 *                     a class extending PanelHost<In, Out, State> with one static PanelSlot, and
 *                     registerPanelSerializer(viewType, protocol.state, env, restore) if it survives a reload.
 */
export { ConfusionPanel, type CellImageProvider } from "../results/confusionPanel";
export { CurvesPanel } from "../results/curvesPanel";
export { DatasetPreviewPanel, type DatasetSampler } from "../datasets/datasetPreviewPanel";
export { EpisodePanel, type EpisodeCallbacks, type EpisodeRender } from "../lesson/episodePanel";
export { registerSerializers, type SerializerDeps } from "./serializers";
export { pastRunFromResult } from "../training/monitorState";
export { PredictionsPanel } from "../results/predictionsPanel";
export { SummaryPanel } from "../results/summaryPanel";
export { TrainingMonitorViewProvider, type TrainingMonitorCallbacks } from "../training/trainingMonitor";
export { PanelHost, PanelSlot, registerPanelSerializer, type PanelEnvironment } from "./webviewHost";
export { encodePanelImage } from "./images";
export { cellPage, confusionViewState, ownImageViewState, type CellPage, type ClassifiedImage } from "./viewStates";
export { focusedResultRunId } from "../results/resultsGroup";
