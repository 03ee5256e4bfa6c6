/**
 * The shared host side of every webview: HTML with a nonce and a strict CSP, resource roots, the
 * snapshot protocol (the webview posts `ready` whenever it loads, the host answers with the
 * complete current state), and every message from a webview parsed with its panel's schema
 * (`src/protocol/panels.ts`) before a handler sees it: one that fails is dropped with a log line.
 */
import type * as v from "valibot";
import * as vscode from "vscode";
import type { PanelProtocol, ReadyCommand } from "../../protocol/panels";
import { buildWebviewHtml, createNonce } from "./html";
import { parsePersistedState, parseWebviewMessage } from "./messages";
import { resultsColumn } from "../results/resultsGroup";

export { PanelSlot } from "./panelSlot";

/** What every panel needs from the extension. `vscode.ExtensionContext` fits as it is. */
export interface PanelEnvironment {
  readonly extensionUri: vscode.Uri;
  /** Where invalid messages and failed callbacks are logged; the console when absent. */
  readonly log?: { warn(message: string): void };
}

type Tagged = { type: string };

/** A message from a webview other than `ready`, which the connection answers itself. */
export type PanelCommand<TIn extends Tagged> = Exclude<TIn, ReadyCommand>;

export interface WebviewConnectionOptions<TIn extends Tagged, TOut extends Tagged> {
  env: PanelEnvironment;
  /** The bundle name under `dist/webview/`, e.g. `curves`. */
  bundle: string;
  title: string;
  /** What each message from the webview is parsed with; asked per message, so it may depend on what the panel shows. */
  toHost: () => v.GenericSchema<unknown, TIn>;
  onMessage: (message: PanelCommand<TIn>) => void | Promise<void>;
  /** The complete state, sent on `ready` and after each change. */
  snapshot: () => TOut;
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

function logTo(env: PanelEnvironment): { warn(message: string): void } {
  return { warn: (message) => warn(env, message) };
}

/** One webview's page and messages: used by every editor panel and by the sidebar monitor. */
export class WebviewConnection<TIn extends Tagged, TOut extends Tagged> implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly options: WebviewConnectionOptions<TIn, TOut>,
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
    this.post(this.options.snapshot());
  }

  post(message: TOut): void {
    void this.webview.postMessage(message);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private receive(raw: unknown): void {
    const { toHost, onMessage, env, bundle } = this.options;
    const message = parseWebviewMessage(toHost(), raw, bundle, logTo(env));
    if (message === undefined) return;
    if (!isCommand(message)) {
      this.postSnapshot();
      return;
    }
    const failed = (error: unknown): void => warn(env, `The ${bundle} panel's "${message.type}" handler failed: ${String(error)}`);
    try {
      const result = onMessage(message);
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}

/** Every message but `ready` is the panel's to handle. */
function isCommand<TIn extends Tagged>(message: TIn): message is PanelCommand<TIn> {
  return message.type !== "ready";
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

/** What kind of panel a `PanelHost` is: its bundle, its icon and its messages. */
export interface PanelKind<TIn extends Tagged, TOut extends Tagged, TState> {
  /** The bundle name under `dist/webview/`, e.g. `curves`. */
  bundle: string;
  /** `media/panels/<icon>-light.svg` and `-dark.svg`. */
  icon: string;
  protocol: PanelProtocol<TIn, TOut, TState>;
  /** Folders the page may load from besides the extension's `dist/` and `media/`. */
  extraResourceRoots?: vscode.Uri[];
}

/**
 * The base of every editor panel class, generic over what its webview sends (`TIn`), what the host
 * sends (`TOut`) and what the webview keeps for the serializer (`TState`): owns the panel and its
 * connection, and tells the class when the learner closes it.
 */
export abstract class PanelHost<TIn extends Tagged, TOut extends Tagged, TState = never> implements vscode.Disposable {
  private readonly connection: WebviewConnection<TIn, TOut>;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the learner closes the panel or the extension disposes it. */
  readonly onDidDispose = this.disposeEmitter.event;
  private disposed = false;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly env: PanelEnvironment,
    protected readonly kind: PanelKind<TIn, TOut, TState>,
  ) {
    panel.iconPath = {
      light: vscode.Uri.joinPath(env.extensionUri, "media", "panels", `${kind.icon}-light.svg`),
      dark: vscode.Uri.joinPath(env.extensionUri, "media", "panels", `${kind.icon}-dark.svg`),
    };
    this.connection = new WebviewConnection(panel.webview, {
      env,
      bundle: kind.bundle,
      title: panel.title,
      toHost: () => this.toHostSchema(),
      onMessage: (message) => this.handleMessage(message),
      snapshot: () => this.snapshot(),
      ...(kind.extraResourceRoots ? { extraResourceRoots: kind.extraResourceRoots } : {}),
    });
    panel.onDidDispose(() => this.dispose());
  }

  /** The complete `DidChange…` notification for the current state. */
  protected abstract snapshot(): TOut;
  protected abstract handleMessage(message: PanelCommand<TIn>): void | Promise<void>;

  /** What each message from the webview is parsed with; a panel whose valid messages depend on what it shows overrides it. */
  protected toHostSchema(): v.GenericSchema<unknown, TIn> {
    return this.kind.protocol.toHost;
  }

  /** Sends a message other than the snapshot (an answer to a request). */
  protected post(message: TOut): void {
    this.connection.post(message);
  }

  /** Sends the current snapshot; call after every change of what the panel shows. */
  refresh(): void {
    this.connection.postSnapshot();
  }

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

/**
 * Registers the serializer that brings a kind of panel back after a window reload: VS Code hands
 * over the webview's last `setState` value, parsed here with the panel's state schema. A panel
 * whose state is missing or no longer valid (an older version's, say) is closed rather than shown
 * empty, with a log line; `restore` may also refuse (return false) when what the state names is gone.
 */
export function registerPanelSerializer<TState>(
  viewType: string,
  stateSchema: v.GenericSchema<unknown, TState>,
  env: PanelEnvironment,
  restore: (panel: vscode.WebviewPanel, state: TState) => boolean | Promise<boolean>,
): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, persisted: unknown): Promise<void> {
      const state = parsePersistedState(stateSchema, persisted, viewType, logTo(env));
      if (state === undefined) {
        panel.dispose();
        return;
      }
      let restored = false;
      try {
        restored = await restore(panel, state);
      } catch (error) {
        warn(env, `Could not restore a ${viewType} panel: ${String(error)}`);
      }
      if (!restored) panel.dispose();
    },
  });
}
