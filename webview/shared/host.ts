/**
 * The webview's side of the host connection: typed posting, the snapshot handshake, every message
 * from the host parsed with the panel's schema before it is drawn, and the small persisted state
 * (`getState`/`setState`) VS Code keeps while the webview is hidden or the window reloads, parsed
 * too (it may have been kept by an older version of the extension).
 */
import * as v from "valibot";
import { describeIssues, type PanelProtocol } from "../../src/protocol/panels";
import { appRoot, h, icon, render } from "./dom";

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection<TToHost, TState> {
  post(message: TToHost): void;
  /** The state this webview kept, or undefined when none was kept or it no longer parses. */
  getState(): TState | undefined;
  setState(state: TState): void;
}

const MALFORMED_ID = "malformed-message";

/**
 * Connects to the host: `onMessage` gets every message from the host that its protocol's
 * `toWebview` schema accepts, then `ready` is posted so the host sends the complete snapshot. A
 * message that fails is not drawn: the panel says so where the learner sees it, above what it
 * showed last (or instead of the empty page), until a good one arrives.
 */
export function connectToHost<TToHost extends { type: string }, TToWebview extends { type: string }, TState>(
  protocol: PanelProtocol<TToHost, TToWebview, TState>,
  onMessage: (message: TToWebview) => void,
  /** Told the `type` of a message that failed, for a panel that waits on an answer (and would wait forever). */
  onMalformed?: (type: string) => void,
): HostConnection<TToHost, TState> {
  const api = acquireVsCodeApi();
  window.addEventListener("message", (event: MessageEvent<unknown>) => {
    // Every message of ours has a `type` tag; anything else was not sent by the host.
    if (!hasTypeTag(event.data)) return;
    const parsed = v.safeParse(protocol.toWebview, event.data);
    if (!parsed.success) {
      const problem = describeIssues(parsed.issues);
      console.error(`The panel ignored a "${event.data.type}" message it cannot show: ${problem}`);
      showMalformed(problem);
      onMalformed?.(event.data.type);
      return;
    }
    document.getElementById(MALFORMED_ID)?.remove();
    onMessage(parsed.output);
  });
  const connection: HostConnection<TToHost, TState> = {
    post: (message) => api.postMessage(message),
    getState: () => {
      const kept = api.getState();
      if (kept === undefined || kept === null || !protocol.state) return undefined;
      const parsed = v.safeParse(protocol.state, kept);
      if (parsed.success) return parsed.output;
      console.warn(`The panel's kept state is not valid and starts afresh: ${describeIssues(parsed.issues)}`);
      return undefined;
    },
    setState: (state) => api.setState(state),
  };
  // Typed as any panel's first message: `ready` is in every `toHost` schema.
  api.postMessage({ type: "ready" });
  return connection;
}

function hasTypeTag(data: unknown): data is { type: string } {
  return typeof data === "object" && data !== null && typeof (data as { type?: unknown }).type === "string";
}

/** Says, in the panel, that what arrived cannot be shown; keeps what was drawn before. */
function showMalformed(problem: string): void {
  const root = appRoot();
  document.getElementById(MALFORMED_ID)?.remove();
  const notice = h(
    "div",
    { id: MALFORMED_ID, class: "malformed", role: "alert" },
    h("h2", {}, icon("warning"), " This panel received data it cannot show"),
    h("p", {}, root.childElementCount > 0 ? "It still shows what it showed before. " : "", "Close the panel and open it again; if this message comes back, the extension and its panels may be from different versions: reload the window."),
    h("p", { class: "muted" }, "What was wrong: ", h("code", {}, problem)),
  );
  if (root.childElementCount > 0) root.prepend(notice);
  else render(root, notice);
}
