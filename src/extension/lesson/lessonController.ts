/**
 * The learner's way through a lesson: opening episodes, the challenge flow (start, check, hint,
 * reveal, reset) and keeping the episode panel, the Lessons tree and the editor in step with the
 * progress store.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import * as vscode from "vscode";
import { revealBlank } from "../../checker";
import { createMarkdownRenderer, loadValueContext, solutionModels, withComputedValues } from "../../lessons";
import type { DatasetName, ModelSpec } from "../../protocol/modelSpec";
import type { Challenge, Episode, Lesson } from "../../protocol/lesson";
import type { ChallengeAction, CheckReport, EpisodeFocusRequest } from "../../protocol/panels";
import { answerLines, type AnswerLine } from "../editor/answerDiff";
import { backupFilePath, challengeFilePath, sameCode } from "./challengeFiles";
import type { EditorChecking } from "../editor/editorChecking";
import { buildEpisodeViewState, hintLadder } from "./episodeView";
import { buildExportScript, defaultExportPath } from "./exportScript";
import type { ChallengeRef, LessonCatalog } from "./lessonCatalog";
import { EpisodePanel, type EpisodeCallbacks, type EpisodeRender, type PanelEnvironment } from "../panels";
import { firstUnfinishedEpisode, type ProgressStore } from "./progress";

export class LessonController {
  readonly callbacks: EpisodeCallbacks = {
    onChallenge: (action, challengeId) => this.onChallengeButton(action, challengeId),
    onNavigate: (episodeId) => this.openEpisode(episodeId),
    onLessonAction: async (action) => {
      if (action === "exportScript") await this.exportScript();
      else await vscode.commands.executeCommand("dlLessons.trainingMonitor.focus");
    },
  };
  /** How many training runs are saved, for the lesson-complete view; set once training is wired up. */
  runCount: () => number = () => 0;
  /**
   * The dataset Train uses for a lesson written for `lesson` (the room's setting, else the
   * workspace's choice, else the lesson's): the one the text's numbers follow. Until training is
   * wired up, the setting alone.
   */
  trainingDataset: (lesson: DatasetName) => Promise<DatasetName> = async (lesson) => {
    const setting = vscode.workspace.getConfiguration("dlLessons").get<"lesson" | DatasetName>("trainDataset") ?? "lesson";
    return setting === "lesson" ? lesson : setting;
  };

  private navigation: Promise<void> = Promise.resolve();
  /** Each lesson's solution models, read once: the computed values of its text come from them. */
  private readonly models = new Map<string, Promise<Map<string, ModelSpec>>>();
  /** The answer lines as they were when the learner pressed Reveal, by challenge: a file filled in since shows no difference. */
  private readonly revealedAnswers = new Map<string, AnswerLine[]>();

  constructor(
    private readonly env: PanelEnvironment,
    private readonly catalog: LessonCatalog,
    private readonly progress: ProgressStore,
    private readonly checking: () => EditorChecking,
    private readonly lessonsFolder: () => string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Opens a lesson (asking which when there are several) where the learner left it, else at its first unfinished episode. */
  async openLesson(lessonId?: string): Promise<void> {
    const lessons = await this.catalog.lessons();
    let lesson = lessonId === undefined ? undefined : lessons.find((l) => l.id === lessonId);
    if (!lesson && lessons.length === 1) lesson = lessons[0];
    if (!lesson) {
      const picked = await vscode.window.showQuickPick(
        lessons.map((l) => ({ label: l.title, description: `${l.episodes.length} episodes`, lesson: l })),
        { title: "Open Lesson", placeHolder: "Which lesson?" },
      );
      lesson = picked?.lesson;
    }
    if (!lesson) return;
    const episodes = lesson.episodes.map((e) => ({ id: e.id, challengeIds: e.challenges.map((c) => c.id) }));
    const progress = this.progress.lesson(lesson.id);
    // Coming back to the lesson is coming back to the episode last read, as a book opens at its bookmark.
    const last = progress.lastEpisodeId !== undefined && episodes.some((e) => e.id === progress.lastEpisodeId) ? progress.lastEpisodeId : undefined;
    const episodeId = last ?? firstUnfinishedEpisode(episodes, progress);
    if (episodeId) await this.openEpisode(episodeId);
  }

  /** Shows the episode; `focus` names a hint or solution just asked for, which the panel scrolls to. */
  async openEpisode(episodeId: string, focus?: Omit<EpisodeFocusRequest, "id">): Promise<void> {
    const found = await this.catalog.episode(episodeId);
    if (!found) {
      void vscode.window.showWarningMessage(`There is no episode "${episodeId}" in the installed lessons.`);
      return;
    }
    const render = await this.episodeState(found.lesson, found.episode);
    if (!EpisodePanel.currentPanel) await vscode.commands.executeCommand("workbench.view.extension.dlLessons");
    EpisodePanel.show(this.env, render, vscode.Uri.file(found.lesson.root), this.callbacks, focus);
    await this.progress.setLastEpisode(found.lesson.id, episodeId);
    await vscode.commands.executeCommand("setContext", "dlLessons.lessonOpen", true);
  }

  /** Next (+1) or previous (-1) episode of the one open. Presses in quick succession queue up, so two Nexts move two episodes. */
  stepEpisode(step: 1 | -1): Promise<void> {
    const next = this.navigation.then(() => this.stepEpisodeNow(step));
    // A failed step is reported by the command; it must not block the steps after it.
    this.navigation = next.catch(() => undefined);
    return next;
  }

  private async stepEpisodeNow(step: 1 | -1): Promise<void> {
    const current = EpisodePanel.currentPanel?.episodeId;
    if (!current) {
      await this.openLesson();
      return;
    }
    const found = await this.catalog.episode(current);
    if (!found) return;
    const index = found.lesson.episodes.findIndex((e) => e.id === current);
    const target = found.lesson.episodes[index + step];
    if (!target) {
      void vscode.window.showInformationMessage(step > 0 ? "This is the lesson's last episode." : "This is the lesson's first episode.");
      return;
    }
    await this.openEpisode(target.id);
  }

  /**
   * The state of an episode now, for the panel and for restoring it after a reload: everything
   * read, and the markdown rendered once the panel gives its image resolver.
   */
  async episodeState(lesson: Lesson, episode: Episode): Promise<EpisodeRender> {
    const solutions = new Map<string, string | undefined>();
    const answers = new Map<string, AnswerLine[]>();
    const progress = this.progress.lesson(lesson.id);
    for (const challenge of episode.challenges) {
      solutions.set(challenge.id, await this.catalog.solution({ lesson, episode, challenge }));
      if (progress.challenges[challenge.id]?.status === "revealed") answers.set(challenge.id, this.revealedAnswers.get(challenge.id) ?? (await this.answersFor({ lesson, episode, challenge })));
    }
    // The text's dataset-dependent numbers are shown for the dataset this workspace trains on.
    let models = this.models.get(lesson.id);
    if (!models) this.models.set(lesson.id, (models = solutionModels(lesson, (file, text) => this.checking().analyzeOffThread(file, text))));
    const values = await loadValueContext(lesson, await this.trainingDataset(lesson.dataset), await models);
    return (resolveImage) =>
      buildEpisodeViewState({
        lesson,
        episode,
        progress: this.progress.lesson(lesson.id),
        renderer: withComputedValues(createMarkdownRenderer({ resolveImage }), values),
        solutionCode: (challenge) => solutions.get(challenge.id),
        answerLines: (challenge) => answers.get(challenge.id) ?? [],
        runCount: this.runCount(),
        isStarted: (challenge) => this.challengeFile(lesson, challenge) !== undefined && existsSync(this.challengeFile(lesson, challenge) as string),
      });
  }

  /** The lines of the learner's file (unsaved edits included) that the answers of a revealed challenge change. */
  private async answersFor(ref: ChallengeRef): Promise<AnswerLine[]> {
    const file = this.challengeFile(ref.lesson, ref.challenge);
    const spec = ref.challenge.check;
    if (!file || !spec) return [];
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    const source = open ? open.getText() : existsSync(file) ? await readFile(file, "utf8") : undefined;
    const starter = await this.catalog.starter(ref);
    if (source === undefined || starter === undefined) return [];
    try {
      return answerLines(source, starter, spec);
    } catch (error) {
      // A file the reader cannot follow still gets the whole solution, only not the diff.
      this.log.warn(`Could not compare ${path.basename(file)} with its answers: ${String(error)}`);
      return [];
    }
  }

  /** Redraws the open episode panel (after a status, hint or check changed). */
  async refreshPanel(): Promise<void> {
    const panel = EpisodePanel.currentPanel;
    if (!panel) return;
    const found = await this.catalog.episode(panel.episodeId);
    if (found) panel.update(await this.episodeState(found.lesson, found.episode));
  }

  /** `<workspace>/<lessonsFolder>/<lesson>/<challenge>.py`; undefined without a workspace folder. */
  challengeFile(lesson: Lesson, challenge: Challenge): string | undefined {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return root === undefined ? undefined : challengeFilePath(root, this.lessonsFolder(), lesson.id, challenge.id);
  }

  /** The challenge named, or the one whose file is in the active editor, or one the learner picks. */
  async resolveChallenge(challengeId: unknown, purpose: string): Promise<ChallengeRef | undefined> {
    if (typeof challengeId === "string") return this.catalog.challenge(challengeId);
    // The active editor's challenge, else one beside the focused panel.
    for (const editor of [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors]) {
      const fromEditor = editor ? await this.checking().challengeOf(editor.document) : undefined;
      if (fromEditor) return fromEditor;
    }
    const lessons = await this.catalog.lessons();
    const items = lessons.flatMap((lesson) =>
      lesson.episodes.flatMap((episode) =>
        episode.challenges
          .filter((challenge) => challenge.starterFile !== undefined)
          .map((challenge) => ({ label: challenge.title, description: `${lesson.episodes.indexOf(episode) + 1}. ${episode.title}`, ref: { lesson, episode, challenge } })),
      ),
    );
    return (await vscode.window.showQuickPick(items, { title: purpose, placeHolder: "Which challenge?" }))?.ref;
  }

  /** Writes the starter file unless the learner's file is already there, and opens it beside the episode. */
  async startChallenge(ref: ChallengeRef): Promise<vscode.TextEditor | undefined> {
    const file = await this.writableChallengeFile(ref);
    if (!file) return undefined;
    if (!existsSync(file)) {
      const starter = await this.catalog.starter(ref);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, starter ?? "", { flag: "wx" });
      this.log.info(`Wrote the starter of "${ref.challenge.id}" to ${file}.`);
    }
    // Started from the Lessons tree or the palette, the challenge's episode comes into view with it.
    if (EpisodePanel.currentPanel?.episodeId !== ref.episode.id) await this.openEpisode(ref.episode.id);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: this.codeColumn(), preview: false });
    await this.refreshPanel();
    return editor;
  }

  /** Checks the challenge's file as it is in the editor (unsaved edits included) and says how it went. */
  async checkChallenge(ref: ChallengeRef): Promise<CheckReport | undefined> {
    const doc = await this.openChallengeDocument(ref);
    if (!doc) return undefined;
    const result = await this.checking().resultFor(doc);
    const report = result?.check?.report;
    if (!report) {
      void vscode.window.showWarningMessage(`"${ref.challenge.title}" has no check to run.`);
      return undefined;
    }
    await this.progress.recordCheck(ref.lesson.id, ref.challenge.id, report);
    const show = report.outcome === "correct" ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(`${ref.challenge.title}: ${report.message}`);
    return report;
  }

  /** The next step of the challenge's one hint ladder (`hintLadder`), shown in full in the episode panel, whichever button asked. */
  async showHint(ref: ChallengeRef): Promise<void> {
    const { challenge } = ref;
    const ladder = hintLadder(challenge);
    const before = this.progress.challenge(ref.lesson.id, challenge.id).hintsShown;
    if (before < ladder.length) {
      await this.progress.showNextHint(ref.lesson.id, challenge.id, ladder.length);
      // The hint appears in the episode: bring it into view.
      await this.openEpisode(ref.episode.id, { challengeId: challenge.id, part: "hint" });
      return;
    }
    await this.openEpisode(ref.episode.id, ladder.length > 0 ? { challengeId: challenge.id, part: "hint" } : undefined);
    void vscode.window.showInformationMessage(
      ladder.length > 0 ? "You have seen every hint of this challenge; they are all in the episode panel. Reveal Solution shows the answer." : "This challenge has no hints. Reveal Solution shows the answer.",
    );
  }

  /** After a confirmation: marks the challenge revealed, shows the solution and offers to fill the blanks in. */
  async revealSolution(ref: ChallengeRef): Promise<void> {
    const fillIn = "Reveal and Fill In My File";
    const justShow = "Reveal";
    const choices = ref.challenge.starterFile === undefined ? [justShow] : [justShow, fillIn];
    const choice = await vscode.window.showWarningMessage(
      `Reveal the solution of "${ref.challenge.title}"? The challenge will count as revealed, not passed.`,
      { modal: true },
      ...choices,
    );
    if (!choice) return;
    this.revealedAnswers.set(ref.challenge.id, await this.answersFor(ref));
    await this.progress.markRevealed(ref.lesson.id, ref.challenge.id);
    if (choice === fillIn) await this.fillInSolution(ref);
    // The per-blank list under the challenge is of the file as it is now, filled in or not.
    const doc = ref.challenge.starterFile === undefined ? undefined : await this.openChallengeDocument(ref, false);
    const report = doc ? (await this.checking().resultFor(doc))?.check?.report : undefined;
    if (report) await this.progress.recordCheck(ref.lesson.id, ref.challenge.id, report);
    await this.openEpisode(ref.episode.id, { challengeId: ref.challenge.id, part: "solution" });
  }

  /** Backs the learner's file up, then writes the starter again. */
  async resetChallenge(ref: ChallengeRef): Promise<void> {
    const file = await this.writableChallengeFile(ref);
    if (!file) return;
    const starter = (await this.catalog.starter(ref)) ?? "";
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    const current = open ? open.getText() : existsSync(file) ? await readFile(file, "utf8") : undefined;
    if (current !== undefined && sameCode(current, starter)) {
      void vscode.window.showInformationMessage(`"${ref.challenge.title}" is already as it started.`);
      return;
    }
    const confirm = await vscode.window.showWarningMessage(`Reset "${ref.challenge.title}" to its starter code? Your file is backed up first.`, { modal: true }, "Reset");
    if (confirm !== "Reset") return;
    let backup: string | undefined;
    if (current !== undefined) {
      backup = backupFilePath(file, new Date());
      // The backup holds what the learner sees, unsaved edits included.
      if (open?.isDirty) await writeFile(backup, current, { flag: "wx" });
      else await copyFile(file, backup);
    }
    await mkdir(path.dirname(file), { recursive: true });
    if (open) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(open.uri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), starter);
      await vscode.workspace.applyEdit(edit);
      await open.save();
    } else {
      await writeFile(file, starter);
    }
    this.log.info(`Reset "${ref.challenge.id}"${backup ? `; the previous file is kept as ${backup}` : ""}.`);
    void vscode.window.showInformationMessage(backup ? `"${ref.challenge.title}" is reset. Your previous code is in ${path.basename(backup)}.` : `"${ref.challenge.title}" is reset.`);
    await this.refreshPanel();
  }

  /** The learner's completed challenge files of a lesson as one Keras script: saved where they choose, or in an untitled editor. */
  async exportScript(): Promise<void> {
    const lessons = await this.catalog.lessons();
    const current = EpisodePanel.currentPanel ? await this.catalog.episode(EpisodePanel.currentPanel.episodeId) : undefined;
    const lesson = current?.lesson ?? (lessons.length === 1 ? lessons[0] : (await vscode.window.showQuickPick(lessons.map((l) => ({ label: l.title, lesson: l })), { title: "Export Python Script" }))?.lesson);
    if (!lesson) return;
    const parts = [];
    for (const episode of lesson.episodes) {
      for (const challenge of episode.challenges.filter((c) => c.starterFile !== undefined)) {
        const file = this.challengeFile(lesson, challenge);
        const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
        const source = open ? open.getText() : file !== undefined && existsSync(file) ? await readFile(file, "utf8") : undefined;
        parts.push({ challengeId: challenge.id, title: challenge.title, episodeTitle: episode.title, source });
      }
    }
    const result = buildExportScript(lesson.title, parts);
    if (result.included.length === 0) {
      void vscode.window.showInformationMessage("None of this lesson's challenges is finished yet: start one and fill in its blanks, then export again.");
      return;
    }
    const left = result.skipped.length;
    const saveAs = "Save As…";
    const openInEditor = "Open in Editor";
    const choice = await vscode.window.showInformationMessage(
      `Exported ${result.included.length} challenge${result.included.length === 1 ? "" : "s"}${left > 0 ? `; ${left} left out (not started or blanks left)` : ""}. Save it as a Python file, or open it in an editor?`,
      saveAs,
      openInEditor,
    );
    if (choice === openInEditor) {
      const doc = await vscode.workspace.openTextDocument({ language: "python", content: result.script });
      await vscode.window.showTextDocument(doc, { preview: false });
      return;
    }
    if (choice !== saveAs) return;
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    // The dialog itself asks before replacing a file that exists; nothing is written without it.
    const target = await vscode.window.showSaveDialog({
      title: "Export Python Script",
      saveLabel: "Export",
      filters: { Python: ["py"] },
      ...(root === undefined ? {} : { defaultUri: vscode.Uri.file(defaultExportPath(root, this.lessonsFolder(), lesson.id)) }),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.script));
    const open = "Open";
    const opened = await vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}. Run it with Python and TensorFlow: python3 ${path.basename(target.fsPath)}`, open);
    if (opened === open) await vscode.window.showTextDocument(target, { preview: false });
  }

  private async onChallengeButton(action: ChallengeAction, challengeId: string): Promise<void> {
    const ref = await this.catalog.challenge(challengeId);
    if (!ref) return;
    switch (action) {
      case "start":
        await this.startChallenge(ref);
        return;
      case "check":
        await this.checkChallenge(ref);
        return;
      case "hint":
        await this.showHint(ref);
        return;
      case "reveal":
        await this.revealSolution(ref);
        return;
      case "train": {
        const file = this.challengeFile(ref.lesson, ref.challenge);
        if (file) await vscode.commands.executeCommand("dlLessons.trainModel", vscode.Uri.file(file));
        return;
      }
    }
  }

  private async openChallengeDocument(ref: ChallengeRef, startIfMissing = true): Promise<vscode.TextDocument | undefined> {
    const file = this.challengeFile(ref.lesson, ref.challenge);
    if (ref.challenge.starterFile === undefined || file === undefined) return undefined;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    if (open) return open;
    if (existsSync(file)) return vscode.workspace.openTextDocument(vscode.Uri.file(file));
    if (!startIfMissing) return undefined;
    return (await this.startChallenge(ref))?.document;
  }

  private async writableChallengeFile(ref: ChallengeRef): Promise<string | undefined> {
    if (ref.challenge.starterFile === undefined) {
      void vscode.window.showInformationMessage(`"${ref.challenge.title}" is a question to think about: its answer is in the episode (Reveal Solution).`);
      return undefined;
    }
    const file = this.challengeFile(ref.lesson, ref.challenge);
    if (file === undefined) {
      void vscode.window.showWarningMessage("Open a folder first (File > Open Folder…): challenge files are written into your workspace.");
    }
    return file;
  }

  /** Writes each expected answer into its blank, through the editor so Undo brings the learner's text back. */
  private async fillInSolution(ref: ChallengeRef): Promise<void> {
    const doc = await this.openChallengeDocument(ref);
    const starter = await this.catalog.starter(ref);
    const spec = ref.challenge.check;
    if (!doc || starter === undefined || !spec) return;
    const edit = new vscode.WorkspaceEdit();
    const text = doc.getText();
    spec.blanks.forEach((_, index) => {
      const reveal = revealBlank(text, starter, spec, index);
      if (reveal) edit.replace(doc.uri, new vscode.Range(reveal.range.start.line, reveal.range.start.character, reveal.range.end.line, reveal.range.end.character), reveal.newText);
    });
    await vscode.workspace.applyEdit(edit);
    await vscode.window.showTextDocument(doc, { viewColumn: this.codeColumn(), preview: false });
  }

  /** Challenge files open in the column right of the episode (the result panels go right of that), whichever one has focus. */
  private codeColumn(): vscode.ViewColumn {
    const episodeColumn = EpisodePanel.currentPanel?.panel.viewColumn;
    return episodeColumn === undefined ? vscode.ViewColumn.Beside : episodeColumn + 1;
  }
}
