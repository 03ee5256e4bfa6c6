/**
 * The host's part of GPU training: the "GPU Trainer" webview, where TensorFlow.js runs on webgpu
 * or webgl, and the relay between it and the training process. Each request the process sends
 * (src/protocol/gpu.ts) is passed to the webview and its answer, parsed by its schema
 * (src/protocol/gpuWebview.ts), sent back. The webview keeps its context while hidden
 * (`retainContextWhenHidden`): its model lives there for the whole run. The relay only copies
 * bytes (base64 to Uint8Array and back), so the host's thread stays free while the GPU trains.
 */
import * as vscode from "vscode";
import * as v from "valibot";
import type { MessageConnection } from "vscode-jsonrpc";
import { GpuMethods, type EncodedWeight } from "../../protocol/gpu";
import { GpuWebviewMessageSchema, GpuWebviewResultSchemas, type GpuWebviewMethod, type GpuWebviewRequest, type GpuWebviewResult, type WeightBytes } from "../../protocol/gpuWebview";
import type { TrainingClient } from "../../training/client";
import { buildWebviewHtml, createNonce } from "../panels/html";

const VIEW_TYPE = "dlLessons.gpuTrainer";
/** How long the page may take to load TensorFlow.js and say it is listening. */
const READY_TIMEOUT_MS = 60_000;
/** How often a tab that has not loaded yet is shown again (see ensurePanel). */
const RESHOW_INTERVAL_MS = 3_000;
/**
 * How long one request may go unanswered: a GPU whose context was lost (a driver reset, the
 * browser's GPU process restarting) never answers, and training must fail rather than hang. The
 * first steps compile shaders, which takes tens of seconds on a software renderer.
 */
const ANSWER_TIMEOUT_MS: Record<GpuWebviewMethod, number> = { start: 60_000, open: 60_000, trainBatch: 180_000, weights: 60_000, close: 10_000 };
const CLOSED_MESSAGE = "The GPU Trainer tab was closed, so training on the GPU stopped. Train again to reopen it, or set dlLessons.backend to wasm to train on the CPU.";

interface Pending {
  method: GpuWebviewMethod;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/** A request without its envelope: what `request` is given. */
type RequestBody<M extends GpuWebviewMethod> = Omit<Extract<GpuWebviewRequest, { method: M }>, "type" | "id" | "method">;

function toBytes(base64: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(base64, "base64"));
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export class GpuTrainerHost implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Answers the GPU requests of `client`'s training process (and of every process it restarts). */
  attach(client: TrainingClient): void {
    client.serve((connection) => this.serve(connection));
  }

  private serve(connection: MessageConnection): void {
    connection.onRequest(GpuMethods.start, (params) => this.request("start", { backend: params.backend }));
    connection.onRequest(GpuMethods.open, async (params) => {
      const weights: WeightBytes[] | undefined = params.weights?.map((weight: EncodedWeight) => ({ shape: weight.shape, bytes: toBytes(weight.base64) }));
      return this.request("open", { backend: params.backend, model: params.model as unknown as Record<string, unknown>, compile: params.compile as unknown as Record<string, unknown>, imageShape: params.imageShape, numClasses: params.numClasses, ...(weights ? { weights } : {}) });
    });
    connection.onRequest(GpuMethods.trainBatch, async (params) => {
      const result = await this.request("trainBatch", { images: toBytes(params.images), labels: toBytes(params.labels) });
      return { values: result.values.map((value) => (Number.isFinite(value) ? value : null)), finite: result.finite };
    });
    connection.onRequest(GpuMethods.weights, async () => {
      const result = await this.request("weights", {});
      return { weights: result.weights.map((weight) => ({ shape: weight.shape, base64: toBase64(weight.bytes) })) };
    });
    connection.onRequest(GpuMethods.close, async () => {
      if (this.panel) await this.request("close", {});
      return null;
    });
    connection.onRequest(GpuMethods.release, () => {
      if (this.panel) this.log.info("The GPU Trainer tab is closed: training runs on the CPU, measured faster here.");
      this.panel?.dispose();
      return null;
    });
  }

  /** Sends one request to the webview (opening it first) and resolves with its parsed answer. */
  private async request<M extends GpuWebviewMethod>(method: M, body: RequestBody<M>): Promise<GpuWebviewResult<M>> {
    const panel = this.ensurePanel();
    await this.ready;
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(id, { method, resolve, reject }));
    const timer = setTimeout(() => {
      const pending = this.pending.get(id);
      if (!pending) return;
      this.pending.delete(id);
      pending.reject(new Error(`The GPU stopped answering (no reply to '${method}' in ${ANSWER_TIMEOUT_MS[method] / 1000} s; its context may have been lost). The GPU Trainer tab is closed; train again to start it afresh, or set dlLessons.backend to wasm.`));
      // A page whose GPU context is gone cannot recover: the next request opens a fresh one.
      panel.dispose();
    }, ANSWER_TIMEOUT_MS[method]);
    void answer.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
    const message = { type: "gpuRequest", id, method, ...body };
    if (!(await panel.webview.postMessage(message))) {
      this.pending.delete(id);
      throw new Error(CLOSED_MESSAGE);
    }
    return (await answer) as GpuWebviewResult<M>;
  }

  private ensurePanel(): vscode.WebviewPanel {
    if (this.panel) return this.panel;
    const dist = vscode.Uri.joinPath(this.extensionUri, "dist");
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      "GPU Trainer",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      // Its model and GPU memory live in the page: hidden, it must keep running.
      { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [dist] },
    );
    let signalReady: () => void = () => undefined;
    let failReady: (error: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      signalReady = resolve;
      failReady = reject;
    });
    const timer = setTimeout(() => failReady(new Error("The GPU Trainer tab did not start within a minute; the editor's browser may have no WebGL or WebGPU. Set dlLessons.backend to wasm to train on the CPU.")), READY_TIMEOUT_MS);
    // VS Code loads a webview's page only once its tab has been shown: when another tab (the
    // curves, a result) covers this one before it loaded, show it again, without taking focus,
    // until it says it is ready.
    const reshow = setInterval(() => {
      if (this.panel === panel && !panel.visible) panel.reveal(undefined, true);
    }, RESHOW_INTERVAL_MS);
    const settle = () => {
      clearTimeout(timer);
      clearInterval(reshow);
    };
    this.ready.then(settle, settle);
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const parsed = v.safeParse(GpuWebviewMessageSchema, raw);
      if (!parsed.success) {
        this.log.warn(`GPU Trainer: ignored a message that is not one of its own (${v.summarize(parsed.issues)}).`);
        return;
      }
      const message = parsed.output;
      if (message.type === "gpuReady") {
        signalReady();
        return;
      }
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (!message.ok) {
        pending.reject(new Error(message.message));
        return;
      }
      const result = v.safeParse(GpuWebviewResultSchemas[pending.method], message.result);
      if (result.success) pending.resolve(result.output);
      else pending.reject(new Error(`The GPU Trainer answered '${pending.method}' with data of the wrong shape (${v.summarize(result.issues)}).`));
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = undefined;
      failReady(new Error(CLOSED_MESSAGE));
      for (const pending of this.pending.values()) pending.reject(new Error(CLOSED_MESSAGE));
      this.pending.clear();
    });
    panel.webview.html = buildWebviewHtml({
      title: "GPU Trainer",
      cspSource: panel.webview.cspSource,
      nonce: createNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, "webview", "gpu.js")).toString(),
      codiconsUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, "codicons", "codicon.css")).toString(),
    });
    this.panel = panel;
    return panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
