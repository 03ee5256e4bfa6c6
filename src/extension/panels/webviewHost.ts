/**
 * The shared host side of every webview: HTML with a nonce and a strict CSP, resource roots,
 * message validation, and the snapshot protocol (the webview posts `ready` whenever it loads, the
 * host answers with the complete current state).
 */
import * as vscode from "vscode";
import { buildWebviewHtml, createNonce } from "./html";
import { resultsColumn } from "../results/resultsGroup";

/** What every panel needs from the extension. `vscode.ExtensionContext` fits as it is. */
export interface PanelEnvironment {
  readonly extensionUri: vscode.Uri;
  /** Where invalid messages and failed callbacks are logged; the console when absent. */
  readonly log?: { warn(message: string): void };
}

/** A message from a webview that passed its guard; `ready` is handled here, the rest by the panel. */
export interface WebviewConnectionOptions<TMessage extends { type: string }> {
  env: PanelEnvironment;
  /** The bundle name under `dist/webview/`, e.g. `curves`. */
  bundle: string;
  title: string;
  isMessage: (value: unknown) => value is TMessage;
  onMessage: (message: Exclude<TMessage, { type: "ready" }>) => void | Promise<void>;
  /** The complete state, sent on `ready` and after each change. */
  snapshot: () => unknown;
  /** Folders the page may load from besides the extension's `dist/` and `media/`. */
  extraResourceRoots?: vscode.Uri[];
}

export function webviewOptions(env: PanelEnvironment, extraResourceRoots: vscode.Uri[] = []): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(env.extensionUri, "dist"), vscode.Uri.joinPath(env.extensionUri, "media"), ...extraResourceRoots],
  };
}

export function warn(env: PanelEnvironment, message: string): void {
  if (env.log) env.log.warn(message);
  else console.warn(message);
}

export class WebviewConnection<TMessage extends { type: string }> implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly options: WebviewConnectionOptions<TMessage>,
  ) {
    const { env, bundle, title } = options;
    webview.options = webviewOptions(env, options.extraResourceRoots);
    const dist = vscode.Uri.joinPath(env.extensionUri, "dist");
    webview.html = buildWebviewHtml({
      title,
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, "webview", `${bundle}.js`)).toString(),
      codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, "codicons", "codicon.css")).toString(),
    });
    this.subscription = webview.onDidReceiveMessage((message: unknown) => this.receive(message));
  }

  /** Sends the complete state. Dropped by VS Code while the webview is hidden; `ready` resends it. */
  postSnapshot(): void {
    void this.webview.postMessage(this.options.snapshot());
  }

  post(message: unknown): void {
    void this.webview.postMessage(message);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private receive(message: unknown): void {
    const { isMessage, onMessage, env, bundle } = this.options;
    if (!isMessage(message)) {
      warn(env, `Ignored an invalid message from the ${bundle} webview: ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    if (message.type === "ready") {
      this.postSnapshot();
      return;
    }
    try {
      const result = onMessage(message as Exclude<TMessage, { type: "ready" }>);
      if (result instanceof Promise) result.catch((error: unknown) => warn(env, `The ${bundle} panel's "${message.type}" handler failed: ${String(error)}`));
    } catch (error) {
      warn(env, `The ${bundle} panel's "${message.type}" handler failed: ${String(error)}`);
    }
  }
}

/** Options shared by every editor panel: scripts on, no retained context (snapshots instead). */
export function createWebviewPanel(viewType: string, title: string, column: vscode.ViewColumn, env: PanelEnvironment, extraResourceRoots: vscode.Uri[] = []): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(
    viewType,
    title,
    { viewColumn: column, preserveFocus: false },
    { ...webviewOptions(env, extraResourceRoots), retainContextWhenHidden: false, enableFindWidget: true },
  );
}

/**
 * A result panel (summary, curves, confusion matrix, predictions, dataset preview): opened as a
 * tab of the one group the other result panels are in. Its class registers it with
 * `trackResultPanel`, with the run it shows.
 */
export function createResultPanel(viewType: string, title: string, env: PanelEnvironment): vscode.WebviewPanel {
  return createWebviewPanel(viewType, title, resultsColumn(), env);
}

/**
 * The base of every editor panel class: owns the panel and its connection, and tells the class
 * when the learner closes it (each class keeps at most one open panel and forgets it then).
 */
export abstract class PanelHost<TMessage extends { type: string }> implements vscode.Disposable {
  protected readonly connection: WebviewConnection<TMessage>;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the learner closes the panel or the extension disposes it. */
  readonly onDidDispose = this.disposeEmitter.event;
  private disposed = false;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly env: PanelEnvironment,
    connection: Omit<WebviewConnectionOptions<TMessage>, "env" | "onMessage" | "snapshot" | "title">,
    iconName: string,
  ) {
    panel.iconPath = {
      light: vscode.Uri.joinPath(env.extensionUri, "media", "panels", `${iconName}-light.svg`),
      dark: vscode.Uri.joinPath(env.extensionUri, "media", "panels", `${iconName}-dark.svg`),
    };
    this.connection = new WebviewConnection(panel.webview, {
      ...connection,
      env,
      title: panel.title,
      onMessage: (message) => this.handleMessage(message),
      snapshot: () => this.snapshot(),
    });
    panel.onDidDispose(() => this.dispose());
  }

  /** The complete `DidChange…` notification for the current state. */
  protected abstract snapshot(): unknown;
  protected abstract handleMessage(message: Exclude<TMessage, { type: "ready" }>): void | Promise<void>;

  reveal(column?: vscode.ViewColumn): void {
    this.panel.reveal(column ?? this.panel.viewColumn, false);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.connection.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.panel.dispose();
  }
}
