/** The episode panel: the episode's text, its boxes, and the challenge buttons. */
import * as path from "node:path";
import * as vscode from "vscode";
import {
  EpisodeProtocol,
  type ChallengeAction,
  type DidChangeEpisodeNotification,
  type EpisodeFocusRequest,
  type EpisodeViewState,
  type EpisodeWebviewMessage,
  type EpisodeWebviewPersistedState,
} from "../../protocol/panels";
import { replaceInlineStyles, rewriteImageSources } from "../panels/html";
import { PanelHost, PanelSlot, createWebviewPanel, type PanelCommand, type PanelEnvironment } from "../panels/webviewHost";

/** What the episode's buttons do; the extension passes them in, this class only forwards. */
export interface EpisodeCallbacks {
  onChallenge(action: ChallengeAction, challengeId: string, episodeId: string): void | Promise<void>;
  /** Previous/next episode. */
  onNavigate(episodeId: string): void | Promise<void>;
  /** A button of the lesson-complete view (last episode). */
  onLessonAction?(action: "exportScript" | "showRuns"): void | Promise<void>;
}

export class EpisodePanel extends PanelHost<EpisodeWebviewMessage, DidChangeEpisodeNotification, EpisodeWebviewPersistedState> {
  static readonly viewType = "dlLessons.episode";
  private static readonly slot = new PanelSlot<EpisodePanel>();

  private state: EpisodeViewState;
  /** Kept in every snapshot: a webview that was hidden or not yet loaded still gets it; the webview acts once per id. */
  private focus: EpisodeFocusRequest | undefined;
  private focusCount = 0;

  private constructor(
    panel: vscode.WebviewPanel,
    env: PanelEnvironment,
    state: EpisodeViewState,
    private readonly lessonRoot: vscode.Uri,
    private readonly callbacks: EpisodeCallbacks,
  ) {
    super(panel, env, { bundle: "episode", icon: "episode", protocol: EpisodeProtocol, extraResourceRoots: [figuresFolder(lessonRoot)] });
    this.state = this.withWebviewImages(state);
    this.panel.title = state.title;
  }

  /** The open episode panel, if any. */
  static get currentPanel(): EpisodePanel | undefined {
    return EpisodePanel.slot.open;
  }

  /** Shows the episode in the one episode panel, opening it in the first column if needed (another lesson's is closed). */
  static show(env: PanelEnvironment, state: EpisodeViewState, lessonRoot: vscode.Uri, callbacks: EpisodeCallbacks, focus?: Omit<EpisodeFocusRequest, "id">): EpisodePanel {
    return EpisodePanel.slot.show(
      (open) => open.apply(state, focus),
      () => {
        const panel = createWebviewPanel(EpisodePanel.viewType, state.title, vscode.ViewColumn.One, env, [figuresFolder(lessonRoot)]);
        const created = new EpisodePanel(panel, env, state, lessonRoot, callbacks);
        // The new webview asks for its first snapshot when it loads; the request rides along.
        if (focus) created.setFocus(focus);
        return created;
      },
      (open) => open.lessonRoot.toString() === lessonRoot.toString(),
    );
  }

  /** Adopts a panel VS Code restored after a window reload (see `registerSerializers`). */
  static restore(panel: vscode.WebviewPanel, env: PanelEnvironment, state: EpisodeViewState, lessonRoot: vscode.Uri, callbacks: EpisodeCallbacks): EpisodePanel {
    return EpisodePanel.slot.adopt(new EpisodePanel(panel, env, state, lessonRoot, callbacks));
  }

  get episodeId(): string {
    return this.state.episodeId;
  }

  /** New episode, or new challenge status, hint, check result: the webview redraws from it. */
  update(state: EpisodeViewState, focus?: Omit<EpisodeFocusRequest, "id">): void {
    this.apply(state, focus);
    this.refresh();
  }

  private apply(state: EpisodeViewState, focus: Omit<EpisodeFocusRequest, "id"> | undefined): void {
    this.state = this.withWebviewImages(state);
    this.panel.title = state.title;
    if (focus) this.setFocus(focus);
  }

  private setFocus(focus: Omit<EpisodeFocusRequest, "id">): void {
    this.focusCount += 1;
    // Unique across panels too: a restored webview remembers the id it handled last.
    this.focus = { ...focus, id: `${Date.now()}-${this.focusCount}` };
  }

  protected snapshot(): DidChangeEpisodeNotification {
    return { type: "didChangeEpisode", state: this.state, ...(this.focus ? { focus: this.focus } : {}) };
  }

  protected handleMessage(message: PanelCommand<EpisodeWebviewMessage>): void | Promise<void> {
    switch (message.type) {
      case "challenge":
        return this.callbacks.onChallenge(message.action, message.challengeId, this.state.episodeId);
      case "navigateEpisode":
        return this.callbacks.onNavigate(message.episodeId);
      case "lessonAction":
        return this.callbacks.onLessonAction?.(message.action);
    }
  }

  /** Every `<img>` in the rendered HTML pointed at the lesson's figures through webview URIs; no style attributes. */
  private withWebviewImages(state: EpisodeViewState): EpisodeViewState {
    const webview = this.panel.webview;
    const resolve = (src: string): string | undefined => {
      const uri = resolveLessonImage(this.lessonRoot, src);
      return uri ? webview.asWebviewUri(uri).toString() : undefined;
    };
    const fix = (html: string): string => replaceInlineStyles(rewriteImageSources(html, resolve));
    return {
      ...state,
      blocks: state.blocks.map((block) => (block.kind === "challenge" ? block : { ...block, html: fix(block.html) })),
      challenges: state.challenges.map((challenge) => ({
        ...challenge,
        html: fix(challenge.html),
        hintsShown: challenge.hintsShown.map(fix),
        ...(challenge.solutionHtml === undefined ? {} : { solutionHtml: fix(challenge.solutionHtml) }),
      })),
    };
  }
}

function figuresFolder(lessonRoot: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(lessonRoot, "figures");
}

/**
 * An image path as written in an episode (relative to `episodes/`, e.g. `../figures/neuron.svg`)
 * to a file URI inside the lesson's `figures/` folder; anything else (remote URLs, paths that
 * climb out of the folder) is refused.
 */
export function resolveLessonImage(lessonRoot: vscode.Uri, src: string): vscode.Uri | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith("/")) return undefined;
  const episodes = path.posix.join(lessonRoot.path, "episodes");
  const target = path.posix.normalize(path.posix.join(episodes, src.split(/[?#]/)[0] ?? ""));
  const figures = path.posix.join(lessonRoot.path, "figures") + "/";
  return target.startsWith(figures) ? lessonRoot.with({ path: target }) : undefined;
}
