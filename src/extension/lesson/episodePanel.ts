/** The episode panel: the episode's text, its boxes, and the challenge buttons. */
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
import { lessonFigurePath, type ImageResolver } from "../../lessons/markdown";
import { PanelHost, PanelSlot, createWebviewPanel, type PanelCommand, type PanelEnvironment } from "../panels/webviewHost";

/** What the episode's buttons do; the extension passes them in, this class only forwards. */
export interface EpisodeCallbacks {
  onChallenge(action: ChallengeAction, challengeId: string, episodeId: string): void | Promise<void>;
  /** Previous/next episode. */
  onNavigate(episodeId: string): void | Promise<void>;
  /** A button of the lesson-complete view (last episode). */
  onLessonAction?(action: "exportScript" | "showRuns"): void | Promise<void>;
}

/** The episode's state rendered for a panel, with that panel's image resolver (webview URIs of the lesson's figures). */
export type EpisodeRender = (resolveImage: ImageResolver) => EpisodeViewState;

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
    render: EpisodeRender,
    private readonly lessonRoot: vscode.Uri,
    private readonly callbacks: EpisodeCallbacks,
  ) {
    super(panel, env, { bundle: "episode", icon: "episode", protocol: EpisodeProtocol, extraResourceRoots: [figuresFolder(lessonRoot)] });
    this.state = render(this.resolveImage);
    this.panel.title = this.state.title;
  }

  /** The open episode panel, if any. */
  static get currentPanel(): EpisodePanel | undefined {
    return EpisodePanel.slot.open;
  }

  /** Shows the episode in the one episode panel, opening it in the first column if needed (another lesson's is closed). */
  static show(env: PanelEnvironment, render: EpisodeRender, lessonRoot: vscode.Uri, callbacks: EpisodeCallbacks, focus?: Omit<EpisodeFocusRequest, "id">): EpisodePanel {
    return EpisodePanel.slot.show(
      (open) => open.apply(render, focus),
      () => {
        // Titled once rendered, by the constructor.
        const panel = createWebviewPanel(EpisodePanel.viewType, "Episode", vscode.ViewColumn.One, env, [figuresFolder(lessonRoot)]);
        const created = new EpisodePanel(panel, env, render, lessonRoot, callbacks);
        // The new webview asks for its first snapshot when it loads; the request rides along.
        if (focus) created.setFocus(focus);
        return created;
      },
      (open) => open.lessonRoot.toString() === lessonRoot.toString(),
    );
  }

  /** Adopts a panel VS Code restored after a window reload (see `registerSerializers`). */
  static restore(panel: vscode.WebviewPanel, env: PanelEnvironment, render: EpisodeRender, lessonRoot: vscode.Uri, callbacks: EpisodeCallbacks): EpisodePanel {
    return EpisodePanel.slot.adopt(new EpisodePanel(panel, env, render, lessonRoot, callbacks));
  }

  get episodeId(): string {
    return this.state.episodeId;
  }

  /** New episode, or new challenge status, hint, check result: the webview redraws from it. */
  update(render: EpisodeRender, focus?: Omit<EpisodeFocusRequest, "id">): void {
    this.apply(render, focus);
    this.refresh();
  }

  private apply(render: EpisodeRender, focus: Omit<EpisodeFocusRequest, "id"> | undefined): void {
    this.state = render(this.resolveImage);
    this.panel.title = this.state.title;
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

  /** An image of the episode's markdown as this webview loads it: a file of the lesson's `figures/`, else nothing. */
  private readonly resolveImage: ImageResolver = (src) => {
    const figure = lessonFigurePath(src);
    return figure === undefined ? undefined : this.panel.webview.asWebviewUri(vscode.Uri.joinPath(this.lessonRoot, ...figure.split("/"))).toString();
  };
}

function figuresFolder(lessonRoot: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(lessonRoot, "figures");
}

