/**
 * The result panels (summary, curves, confusion matrix, predictions, dataset preview) share one
 * editor group beside the code, as tabs: a new one joins the group an open one is in, so a
 * 1366×768 screen keeps two columns of code and text instead of five narrow ones. Each also says
 * which training run it shows, so Show Model Summary and the result commands can use the run the
 * learner is looking at rather than whatever file is in the editor.
 */
import * as vscode from "vscode";

interface TrackedPanel {
  panel: vscode.WebviewPanel;
  /** The run the panel shows, if it shows one (the summary of a file's model shows none). */
  runId: () => string | undefined;
  /** When the panel was last the active one, to tell which result the learner looked at last. */
  lastActive: number;
}

const tracked = new Set<TrackedPanel>();
let activations = 0;

/** Registers a result panel for the shared group and for `focusedResultRunId`; forgotten when closed. */
export function trackResultPanel(panel: vscode.WebviewPanel, runId: () => string | undefined): void {
  const entry: TrackedPanel = { panel, runId, lastActive: panel.active ? ++activations : 0 };
  tracked.add(entry);
  const viewState = panel.onDidChangeViewState(() => {
    if (panel.active) entry.lastActive = ++activations;
  });
  panel.onDidDispose(() => {
    viewState.dispose();
    tracked.delete(entry);
  });
}

/**
 * Where a new result panel opens: the group of an open result panel; else a new group to the right
 * of the code (the rightmost group showing a Python file, or the active group), never on top of it.
 */
export function resultsColumn(): vscode.ViewColumn {
  const open = [...tracked].map((entry) => entry.panel.viewColumn).find((column) => column !== undefined);
  if (open !== undefined) return open;
  const codeColumns = vscode.window.visibleTextEditors.filter((editor) => editor.document.languageId === "python").map((editor) => editor.viewColumn ?? 0);
  const codeColumn = Math.max(0, ...codeColumns);
  if (codeColumn === 0) return vscode.ViewColumn.Beside;
  return codeColumn + 1;
}

/** The run of the result panel the learner has in front of them (the active one), if it shows a run. */
export function focusedResultRunId(): string | undefined {
  const active = [...tracked].filter((entry) => entry.panel.active).sort((a, b) => b.lastActive - a.lastActive)[0];
  return active?.runId();
}
