/**
 * Brings panels back after a window reload. VS Code keeps each webview's `setState` value and hands
 * it to the panel's serializer; the value is checked by a guard before use, and a panel whose state
 * is missing or no longer valid is closed rather than shown empty. The curves panel is restored by
 * `CurvesPanel` itself, which owns the runs.
 */
import * as vscode from "vscode";
import { EpisodePanel, type EpisodeCallbacks, type EpisodeRender } from "../lesson/episodePanel";
import { isEpisodePersistedState, isSummaryPersistedState } from "./guards";
import { SummaryPanel } from "../results/summaryPanel";
import type { PanelEnvironment } from "./webviewHost";

/** What `registerSerializers` needs to bring an episode panel back after a window reload. */
export interface SerializerDeps {
  env: PanelEnvironment;
  /** The episode's current state, rendered for the restored panel, or undefined when it no longer exists (the panel then closes). */
  restoreEpisode(episodeId: string): Promise<{ render: EpisodeRender; lessonRoot: vscode.Uri; callbacks: EpisodeCallbacks } | undefined>;
}

/**
 * Registers the episode and model summary serializers, once, in activate(); each needs its
 * `onWebviewPanel:<viewType>` activation event in package.json.
 */
export function registerSerializers(context: vscode.ExtensionContext, deps: SerializerDeps): void {
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(EpisodePanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, persisted: unknown): Promise<void> {
        const restored = isEpisodePersistedState(persisted) ? await deps.restoreEpisode(persisted.episodeId) : undefined;
        if (!restored) {
          panel.dispose();
          return;
        }
        EpisodePanel.restore(panel, deps.env, restored.render, restored.lessonRoot, restored.callbacks);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(SummaryPanel.viewType, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel, persisted: unknown): Promise<void> {
        // The summary is the one the webview last showed: the model it describes is in the learner's file, unchanged by a reload.
        if (isSummaryPersistedState(persisted)) SummaryPanel.restore(panel, deps.env, persisted.summary, { source: persisted.source, ...(persisted.notes ? { notes: persisted.notes } : {}) });
        else panel.dispose();
        return Promise.resolve();
      },
    }),
  );
}
