/**
 * The checker in the editor: diagnostics on open and while typing (debounced), a CodeLens on each
 * challenge file (Check · Hint · Reveal · Train), an inlay hint after each layer call with its
 * output shape and parameters in the model Train will build (its input adapted to the dataset
 * Train uses; see layerHints.ts), a decoration on each blank still open, and the
 * `dlLessons.isChallengeFile` context key. Challenge files get blank-by-blank verdicts; any other
 * Python file whose model the checker understands gets the model diagnostics only.
 *
 * The checks run on the checker thread (CheckWorkerClient): this class only sends the text and
 * shows the answer, so typing never waits for the checker; the newest text of a file wins.
 */
import * as vscode from "vscode";
import type { Analysis } from "../../checker";
import { BLANK } from "../../python";
import type { DatasetName, SourceRange } from "../../protocol/modelSpec";
import type { CheckReport } from "../../protocol/panels";
import { challengeOfPath } from "../lesson/challengeFiles";
import type { ChallengeFileCheck } from "./checkReport";
import { CheckWorkerClient } from "./checkWorkerClient";
import { AdaptedSummaries, layerHints, type Summarize } from "./layerHints";
import type { ChallengeRef, LessonCatalog } from "../lesson/lessonCatalog";

const DEBOUNCE_MS = 300;

/** The latest results for one open document. */
export interface FileResult {
  version: number;
  analysis: Analysis;
  challenge?: ChallengeRef;
  check?: ChallengeFileCheck;
  /** Offsets of the blanks still open (`_____`) in that version. */
  blanks: number[];
}

export class EditorChecking implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection("dlLessons");
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results = new Map<string, FileResult>();
  private readonly blankDecoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor("editor.findMatchHighlightBackground"),
    border: "1px dashed",
    borderColor: new vscode.ThemeColor("editorWarning.foreground"),
    overviewRulerColor: new vscode.ThemeColor("editorWarning.foreground"),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  });
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  private readonly hintsChanged = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly checker = new CheckWorkerClient();
  /**
   * The dataset a Train press would use for a file of a lesson written for `lesson` (undefined: a
   * file of no lesson), without asking the learner; the extension sets it. Undefined: the code's own shapes.
   */
  trainingDataset: (lesson: DatasetName | undefined) => Promise<DatasetName | undefined> = () => Promise.resolve(undefined);
  /** The summary of the model Train builds, for hints on another dataset than the code's (the training process's). */
  summarize: Summarize = () => Promise.reject(new Error("no training process"));
  /** What `summarize` answered, kept: VS Code asks for the hints again at every scroll. */
  private readonly summaries = new AdaptedSummaries((model) => this.summarize(model));

  /**
   * Analyses a file that is not open in an editor (a lesson's solution) on the checker thread, so
   * the host never waits for the checker; a file it cannot check has no models.
   */
  async analyzeOffThread(file: string, text: string): Promise<Pick<Analysis, "models">> {
    // Its own key, so it never stands in for (or is dropped as stale by) an editor check of the same file.
    const key = `solution:${file}`;
    const outcome = await this.checker.check(key, text);
    this.checker.forget(key);
    return outcome.kind === "checked" ? outcome.analysis : { models: [] };
  }

  constructor(
    private readonly catalog: LessonCatalog,
    private readonly lessonsFolder: () => string,
    /** Called with every finished check of a challenge file; the extension records it as progress. */
    private readonly onChallengeChecked: (ref: ChallengeRef, report: CheckReport) => void | Promise<void>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const selector: vscode.DocumentSelector = { language: "python" };
    this.subscriptions.push(
      this.diagnostics,
      this.blankDecoration,
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc)),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateEditorState()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.updateEditorState()),
      vscode.languages.registerCodeLensProvider(selector, { onDidChangeCodeLenses: this.lensesChanged.event, provideCodeLenses: (doc) => this.codeLenses(doc) }),
      vscode.languages.registerInlayHintsProvider(selector, { onDidChangeInlayHints: this.hintsChanged.event, provideInlayHints: (doc, range) => this.inlayHints(doc, range) }),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** The results for a document, computed now if they are stale (a command must not act on old text). */
  async resultFor(doc: vscode.TextDocument): Promise<FileResult | undefined> {
    const known = this.results.get(doc.uri.toString());
    if (known && known.version === doc.version) return known;
    return this.check(doc);
  }

  /** The challenge a document is the file of, if any. */
  async challengeOf(doc: vscode.TextDocument): Promise<ChallengeRef | undefined> {
    const root = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath;
    if (doc.uri.scheme !== "file" || root === undefined) return undefined;
    const place = challengeOfPath(doc.uri.fsPath, root, this.lessonsFolder());
    return place ? this.catalog.challenge(place.challengeId, place.lessonId) : undefined;
  }

  /** Re-checks every open challenge file, e.g. after a reveal. */
  recheckAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.checker.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.lensesChanged.dispose();
    this.hintsChanged.dispose();
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (doc.languageId !== "python" || (doc.uri.scheme !== "file" && doc.uri.scheme !== "untitled")) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.check(doc);
      }, delay),
    );
  }

  private forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.results.delete(key);
    this.checker.forget(key);
    this.diagnostics.delete(doc.uri);
  }

  private async check(doc: vscode.TextDocument): Promise<FileResult | undefined> {
    if (doc.isClosed) return undefined;
    const key = doc.uri.toString();
    const version = doc.version;
    try {
      const challenge = await this.challengeOf(doc);
      const starter = challenge ? await this.catalog.starter(challenge) : undefined;
      if (doc.isClosed) return undefined;
      // The text may have changed while the starter was read: check what is there now.
      if (doc.version !== version) return await this.check(doc);
      const spec = challenge?.challenge.check;
      // A file over the size limit is not even taken out of the document.
      const length = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
      const outcome = this.checker.checkLength(key, length) ?? (await this.checker.check(key, doc.getText(), spec && starter !== undefined ? { starter, spec } : undefined));
      // A newer text of this file is being checked: its answer replaces this one.
      if (outcome.kind === "stale" || doc.isClosed) return this.results.get(key);
      if (outcome.kind === "not-checked") this.log.info(`Not checking ${vscode.workspace.asRelativePath(doc.uri)}: ${outcome.reason}.`);
      else if (outcome.millis > 200) this.log.info(`Checking ${vscode.workspace.asRelativePath(doc.uri)} took ${outcome.millis.toFixed(0)} ms (on the checker thread).`);
      if (doc.version !== version) return this.results.get(key);
      const check = outcome.kind === "checked" ? outcome.check : undefined;
      const result: FileResult = {
        version,
        analysis: outcome.analysis,
        blanks: outcome.kind === "checked" ? outcome.blanks : [],
        ...(challenge ? { challenge } : {}),
        ...(check ? { check } : {}),
      };
      this.results.set(key, result);
      this.publish(doc, result);
      if (challenge && check) await this.onChallengeChecked(challenge, check.report);
      return result;
    } catch (error) {
      // The checker promises never to throw; if it does, the learner keeps an editor that works.
      this.log.error(`Checking ${doc.uri.fsPath} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    }
  }

  private publish(doc: vscode.TextDocument, result: FileResult): void {
    const items: vscode.Diagnostic[] = [];
    // A challenge file shows its per-blank feedback; the model diagnostics add what the blanks do not cover.
    // While the file has a syntax error, that one error (CPython's, where CPython puts it) says
    // why the blanks it hides cannot be checked; their own "not valid Python" lines would repeat it.
    const hasSyntaxError = result.analysis.diagnostics.some((problem) => problem.code === "syntax");
    const hiddenBySyntax = new Set(hasSyntaxError ? (result.check?.verdict.blanks ?? []).filter((blank) => blank.mistake === "syntax").map((blank) => blank.message) : []);
    for (const problem of result.check?.diagnostics ?? []) {
      if (hiddenBySyntax.has(problem.message)) continue;
      items.push(diagnostic(problem.range, problem.message, problem.severity));
    }
    for (const problem of result.analysis.diagnostics) {
      const duplicate = items.some((d) => d.range.isEqual(toRange(problem.range)) && d.message === problem.message);
      if (!duplicate) items.push(diagnostic(problem.range, problem.message, problem.severity));
    }
    this.diagnostics.set(doc.uri, items);
    this.lensesChanged.fire();
    this.hintsChanged.fire();
    this.updateEditorState();
  }

  private updateEditorState(): void {
    const active = vscode.window.activeTextEditor;
    const activeResult = active ? this.results.get(active.document.uri.toString()) : undefined;
    void vscode.commands.executeCommand("setContext", "dlLessons.isChallengeFile", activeResult?.challenge !== undefined);
    for (const editor of vscode.window.visibleTextEditors) {
      const result = this.results.get(editor.document.uri.toString());
      // Blanks found by the checker thread in the version it checked; a newer version is on its way.
      if (editor.document.languageId !== "python" || !result?.challenge || result.version !== editor.document.version) {
        continue;
      }
      const ranges = result.blanks.map((offset) => new vscode.Range(editor.document.positionAt(offset), editor.document.positionAt(offset + BLANK.length)));
      editor.setDecorations(
        this.blankDecoration,
        ranges.map((range) => ({ range, hoverMessage: "A blank to fill in: replace the underscores with your answer." })),
      );
    }
  }

  private codeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const result = this.results.get(doc.uri.toString());
    if (!result) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (result.challenge) {
      const id = result.challenge.challenge.id;
      const lenses = [
        new vscode.CodeLens(top, { title: "$(check) Check", command: "dlLessons.checkChallenge", arguments: [id] }),
        new vscode.CodeLens(top, { title: "$(lightbulb) Hint", command: "dlLessons.showHint", arguments: [id] }),
        new vscode.CodeLens(top, { title: "$(eye) Reveal", command: "dlLessons.revealSolution", arguments: [id] }),
      ];
      if (result.analysis.models.length > 0) lenses.push(new vscode.CodeLens(top, { title: "$(play) Train", command: "dlLessons.trainModel", arguments: [doc.uri] }));
      return lenses;
    }
    // Any other Python file: Train and Summary above each model the checker understands.
    return result.analysis.models
      .filter((model) => model.range !== undefined && model.complete)
      .flatMap((model) => {
        const at = toRange(model.range as SourceRange);
        const line = new vscode.Range(at.start.line, 0, at.start.line, 0);
        return [
          new vscode.CodeLens(line, { title: "$(play) Train", command: "dlLessons.trainModel", arguments: [doc.uri] }),
          new vscode.CodeLens(line, { title: "$(table) Model Summary", command: "dlLessons.showModelSummary", arguments: [doc.uri] }),
        ];
      });
  }

  /** The dataset Train uses changed (a setting, a choice, a download): the hints follow it. */
  refreshHints(): void {
    this.summaries.clear();
    this.hintsChanged.fire();
  }

  private async inlayHints(doc: vscode.TextDocument, visible: vscode.Range): Promise<vscode.InlayHint[]> {
    const result = this.results.get(doc.uri.toString());
    if (!result || result.version !== doc.version) return [];
    // Without an answer about the dataset (a folder that cannot be read), the code's own shapes.
    const dataset = await this.trainingDataset(result.challenge?.lesson.dataset).catch(() => undefined);
    return (await layerHints(result.analysis, dataset, this.summaries))
      .map((layerHint) => ({ layerHint, position: new vscode.Position(layerHint.position.line, layerHint.position.character) }))
      .filter(({ position }) => visible.contains(position))
      .map(({ layerHint, position }) => {
        const hint = new vscode.InlayHint(position, layerHint.label, vscode.InlayHintKind.Type);
        hint.paddingLeft = true;
        hint.tooltip = layerHint.tooltip;
        return hint;
      });
  }
}

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function diagnostic(range: SourceRange, message: string, severity: "error" | "warning" | "info"): vscode.Diagnostic {
  const level = severity === "error" ? vscode.DiagnosticSeverity.Error : severity === "warning" ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const item = new vscode.Diagnostic(toRange(range), message, level);
  item.source = "Lessons";
  return item;
}
