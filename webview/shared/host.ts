/**
 * The webview's side of the host connection: typed posting, the snapshot handshake, and the
 * small persisted state (`getState`/`setState`) VS Code keeps while the webview is hidden or the
 * window reloads.
 */
import type { ReadyCommand } from "../../src/protocol/panels";

interface VsCodeApi<TState> {
  postMessage(message: unknown): void;
  getState(): TState | undefined;
  setState(state: TState): void;
}

declare function acquireVsCodeApi<TState>(): VsCodeApi<TState>;

export interface HostConnection<TOut, TState> {
  post(message: TOut): void;
  getState(): TState | undefined;
  setState(state: TState): void;
}

/**
 * Connects to the host: `onMessage` gets every message whose `type` is in `accepted`, then
 * `ready` is posted so the host sends the complete snapshot.
 */
export function connectToHost<TIn extends { type: string }, TOut, TState = never>(
  accepted: readonly TIn["type"][],
  onMessage: (message: TIn) => void,
): HostConnection<TOut | ReadyCommand, TState> {
  const api = acquireVsCodeApi<TState>();
  window.addEventListener("message", (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (typeof data === "object" && data !== null && accepted.includes((data as { type?: unknown }).type as TIn["type"])) {
      onMessage(data as TIn);
    }
  });
  const connection: HostConnection<TOut | ReadyCommand, TState> = {
    post: (message) => api.postMessage(message),
    getState: () => api.getState(),
    setState: (state) => api.setState(state),
  };
  connection.post({ type: "ready" });
  return connection;
}
