/**
 * The host's one training process: started on the first request that needs it (a dataset lookup,
 * a summary, a Train), started afresh by the client after it died, and heard by every feature
 * through `onEvent`. Training, evaluation, predictions, dataset files and run journals are all
 * reached through it; nothing in the host imports the engine.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import { NATIVE_MODULES_ENV } from "../../protocol/nativeTensorflow";
import { TRAINING_THREADS_ENV, type TrainingEvent } from "../../protocol/training";
import { TrainingClient } from "../../training/client";
import { GpuTrainerHost } from "./gpuTrainerHost";

export class TrainingProcess implements vscode.Disposable {
  private client: TrainingClient | undefined;
  private readonly listeners = new Set<(event: TrainingEvent) => void>();
  /** The webview the webgl and webgpu backends train in; it answers the process's GPU requests. */
  private readonly gpuTrainer: GpuTrainerHost;

  constructor(
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    /** `dlLessons.trainingThreads`, read when the process starts. */
    private readonly trainingThreads: () => number,
    /** Where Lessons: Install Native TensorFlow puts the native packages; the process looks there first. */
    private readonly nativeModules: string,
  ) {
    this.extensionPath = extensionUri.fsPath;
    this.gpuTrainer = new GpuTrainerHost(extensionUri, log);
  }

  private readonly extensionPath: string;

  /** The client of the training process, started on first use. */
  get(): TrainingClient {
    if (this.client) return this.client;
    const client = TrainingClient.start(path.join(this.extensionPath, "dist", "training-process.js"), {
      env: { ...process.env, [TRAINING_THREADS_ENV]: String(this.trainingThreads()), [NATIVE_MODULES_ENV]: this.nativeModules },
    });
    this.gpuTrainer.attach(client);
    client.onEvent((event) => {
      for (const listener of this.listeners) listener(event);
    });
    // The client starts a fresh process after a crash; say so once each time.
    client.onRestart((notice) => {
      this.log.info(notice);
      void vscode.window.showInformationMessage(notice);
    });
    this.client = client;
    return client;
  }

  /** Hears every event of the process (and of the ones started after it); returns the unsubscribe function. */
  onEvent(listener: (event: TrainingEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.client?.dispose();
    this.gpuTrainer.dispose();
    this.listeners.clear();
  }
}
