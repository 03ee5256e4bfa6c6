/**
 * Brings panels back after a window reload. VS Code keeps each webview's `setState` value and hands
 * it to the panel's serializer, which parses it with the panel's state schema
 * (`registerPanelSerializer`); a panel whose state is missing or no longer valid is closed rather
 * than shown empty. The curves panel is restored by `CurvesPanel` itself, which owns the runs.
 */
import * as vscode from "vscode";
import { EpisodeProtocol, SummaryProtocol } from "../../protocol/panels";
import { EpisodePanel, type EpisodeCallbacks, type EpisodeRender } from "../lesson/episodePanel";
import { SummaryPanel } from "../results/summaryPanel";
import { registerPanelSerializer, type PanelEnvironment } from "./webviewHost";

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
    registerPanelSerializer(EpisodePanel.viewType, EpisodeProtocol.state, deps.env, async (panel, persisted) => {
      const restored = await deps.restoreEpisode(persisted.episodeId);
      if (!restored) return false;
      EpisodePanel.restore(panel, deps.env, restored.render, restored.lessonRoot, restored.callbacks);
      return true;
    }),
    registerPanelSerializer(SummaryPanel.viewType, SummaryProtocol.state, deps.env, (panel, persisted) => {
      // The summary is the one the webview last showed: the model it describes is in the learner's file, unchanged by a reload.
      SummaryPanel.restore(panel, deps.env, persisted.summary, { source: persisted.source, ...(persisted.notes ? { notes: persisted.notes } : {}) });
      return true;
    }),
  );
}
