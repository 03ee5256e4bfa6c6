/**
 * The training process: `child_process.fork`ed by the extension host (bundled to
 * dist/training-process.js), it answers the requests of src/protocol/training.ts over the IPC
 * channel with vscode-jsonrpc and streams progress as `training/event` notifications. Training
 * here, never on the host's event loop, keeps the editor responsive and lets an out-of-memory or
 * a native crash take down only this process.
 */
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type CancellationToken, type MessageConnection } from "vscode-jsonrpc/node";
import { DATASET_NAMES } from "../protocol/modelSpec";
import type { SweepParams, SweepResult, SweepRunFinished, TrainingEvent } from "../protocol/training";
import { TrainingNotifications, TrainingRequests } from "../protocol/trainingRpc";
import { datasetImages, forgetDatasetImages } from "./datasets/panelImages";
import { downloadDataset, importDatasetArchive, locateDataset } from "./datasets/store";
import type { DatasetProgress } from "./datasets/types";
import { isFatalBackendError, toResponseError } from "./rpcErrors";
import { recoverInterruptedRun } from "./runJournal";
import { parseModelSpec } from "./spec";
import { summarizeModel } from "./summary";
import type { SweepSetup, SweepVariant } from "./sweeps";

/**
 * TensorFlow.js is loaded on the first request that needs it: the host starts this process for a
 * dataset lookup soon after activation, and that answer should not wait for (or the idle process
 * hold) the engine.
 */
const engine = () => withGpuHost(import("./engine"));
const sweeps = () => withGpuHost(import("./sweeps"));

/** The connection to the extension host, set once by main(). */
let host: MessageConnection | undefined;

/**
 * The webgl and webgpu backends run in the host's GPU webview, which the engine asks over the
 * host's connection; the relay loads TensorFlow.js, so it is told of the connection with the engine.
 */
async function withGpuHost<T>(module: Promise<T>): Promise<T> {
  const loaded = await module;
  if (host) (await import("./gpuRelay")).connectGpuHost(host);
  return loaded;
}

/** Requests still being worked on, so that SIGTERM can stop their runs cleanly. */
const inFlight = new Set<{ controller: AbortController; done: Promise<unknown> }>();

function abortSignal(token: CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Exit code after a fatal backend error: the host starts a fresh process for the next request. */
const EXIT_BACKEND_CRASHED = 75;

async function answer<T>(work: (signal: AbortSignal) => Promise<T>, token?: CancellationToken): Promise<T> {
  const controller = new AbortController();
  if (token) abortSignal(token).addEventListener("abort", () => controller.abort(), { once: true });
  const done = work(controller.signal);
  const entry = { controller, done };
  inFlight.add(entry);
  try {
    return await done;
  } catch (error) {
    if (isFatalBackendError(error)) {
      // Every later request would fail the same way: answer this one, then let the host restart us.
      setTimeout(() => process.exit(EXIT_BACKEND_CRASHED), 200);
    }
    throw toResponseError(error);
  } finally {
    inFlight.delete(entry);
  }
}

/** SIGTERM: stop every run after its current batch (each saves itself as cancelled), then exit. */
function stopOnTerminate(): void {
  process.once("SIGTERM", () => {
    for (const entry of inFlight) entry.controller.abort();
    const settled = Promise.allSettled([...inFlight].map((entry) => entry.done));
    const deadline = new Promise((resolve) => setTimeout(resolve, 5000).unref());
    void Promise.race([settled, deadline]).then(() => setTimeout(() => process.exit(143), 100));
  });
}

/** Runs a sweep's variants one after another, or scores them by cross-validation when `folds` is given. */
async function sweep(params: SweepParams, setup: Omit<SweepSetup, "dataset" | "dataDirectory" | "runsDirectory" | "backend">): Promise<SweepResult> {
  const { gridSearchCV, runSweep } = await sweeps();
  const parameter = params.parameter ?? "variant";
  const variants: SweepVariant[] = params.variants.map((variant) => ({ parameter, value: variant.label, label: variant.label, model: variant.model, compile: variant.compile, fit: variant.fit }));
  const full: SweepSetup = { ...setup, dataset: params.dataset, dataDirectory: params.dataDirectory, runsDirectory: params.runsDirectory, backend: params.backend };
  return params.folds === undefined ? runSweep(variants, full) : gridSearchCV(variants, { ...full, folds: params.folds });
}

function main(): void {
  if (!process.send) {
    console.error("dl-lessons training process: start me with child_process.fork (I talk over its IPC channel).");
    process.exitCode = 2;
    return;
  }
  const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  host = connection;
  const onEvent = (event: TrainingEvent) => void connection.sendNotification(TrainingNotifications.event, event);
  const onDatasetProgress = (progress: DatasetProgress) => onEvent({ kind: "dataset-progress", ...progress });
  connection.onRequest(TrainingRequests.train, (params, token) => answer(async (signal) => (await engine()).trainRun(params, { onEvent, signal }), token));
  connection.onRequest(TrainingRequests.sweep, (params, token) =>
    answer(
      (signal) =>
        sweep(params, {
          onEvent,
          onRunFinished: (variant, label, result) => void connection.sendNotification(TrainingNotifications.sweepRunFinished, { variant, label, result } satisfies SweepRunFinished),
          signal,
        }),
      token,
    ),
  );
  connection.onRequest(TrainingRequests.evaluate, (params, token) => answer(async (signal) => (await engine()).evaluateRun(params, { onEvent, signal }), token));
  connection.onRequest(TrainingRequests.predict, (params) => answer(async () => (await engine()).predictRun(params)));
  connection.onRequest(TrainingRequests.summary, (params) => answer(async () => summarizeModel(parseModelSpec(params.model))));
  connection.onRequest(TrainingRequests.backends, (params) => answer(async () => (await engine()).activateBackend(params.backend)));
  connection.onRequest(TrainingRequests.recoverRun, (params) => answer(async () => (await recoverInterruptedRun(params.runDirectory)) ?? null));
  connection.onRequest(TrainingRequests.datasetsPresent, (params) =>
    answer(async () => {
      const found = await Promise.all(DATASET_NAMES.map(async (name) => ((await locateDataset(name, params.dataDirectory)) ? name : undefined)));
      return found.filter((name) => name !== undefined);
    }),
  );
  connection.onRequest(TrainingRequests.downloadDataset, (params, token) =>
    answer(async (signal) => {
      await downloadDataset(params.dataset, params.dataDirectory, { signal, onProgress: onDatasetProgress });
      forgetDatasetImages(params.dataset);
    }, token),
  );
  connection.onRequest(TrainingRequests.importDataset, (params) =>
    answer(async () => {
      await importDatasetArchive(params.dataset, params.source, params.dataDirectory, onDatasetProgress);
      forgetDatasetImages(params.dataset);
    }),
  );
  connection.onRequest(TrainingRequests.datasetImages, (params) => answer(() => datasetImages(params)));
  // The host going away (closed channel) ends this process; nothing is left to report to.
  process.on("disconnect", () => process.exit(0));
  stopOnTerminate();
  connection.listen();
}

main();
