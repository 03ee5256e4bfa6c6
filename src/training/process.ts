/**
 * The training process: `child_process.fork`ed by the extension host (bundled to
 * dist/training-process.js), it answers the requests of src/protocol/training.ts over the IPC
 * channel with vscode-jsonrpc and streams progress as `training/event` notifications. Training
 * here, never on the host's event loop, keeps the editor responsive and lets an out-of-memory or
 * a native crash take down only this process.
 */
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, type CancellationToken } from "vscode-jsonrpc/node";
import type { BackendPreference, EvaluateParams, PredictParams, SummaryParams, SweepParams, SweepResult, SweepRunFinished, TrainingEvent, TrainParams } from "../protocol/training";
import { TrainingMethods } from "../protocol/training";
import { activateBackend, evaluateRun, predictRun, trainRun } from "./engine";
import { connectGpuHost } from "./gpuRelay";
import { isFatalBackendError, toResponseError } from "./rpcErrors";
import { parseModelSpec } from "./spec";
import { summarizeModel } from "./summary";
import { gridSearchCV, runSweep, type SweepSetup, type SweepVariant } from "./sweeps";

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
function sweep(params: SweepParams, setup: Omit<SweepSetup, "dataset" | "dataDirectory" | "runsDirectory" | "backend">): Promise<SweepResult> {
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
  const onEvent = (event: TrainingEvent) => void connection.sendNotification(TrainingMethods.event, event);
  // The webgl and webgpu backends run in the host's GPU webview; it is asked over this connection.
  connectGpuHost(connection);
  connection.onRequest(TrainingMethods.train, (params: TrainParams, token: CancellationToken) => answer((signal) => trainRun(params, { onEvent, signal }), token));
  connection.onRequest(TrainingMethods.sweep, (params: SweepParams, token: CancellationToken) =>
    answer(
      (signal) =>
        sweep(params, {
          onEvent,
          onRunFinished: (variant, label, result) => void connection.sendNotification(TrainingMethods.sweepRunFinished, { variant, label, result } satisfies SweepRunFinished),
          signal,
        }),
      token,
    ),
  );
  connection.onRequest(TrainingMethods.evaluate, (params: EvaluateParams, token: CancellationToken) => answer((signal) => evaluateRun(params, { onEvent, signal }), token));
  connection.onRequest(TrainingMethods.predict, (params: PredictParams) => answer(() => predictRun(params)));
  connection.onRequest(TrainingMethods.summary, (params: SummaryParams) => answer(async () => summarizeModel(parseModelSpec(params.model))));
  connection.onRequest(TrainingMethods.backends, (preference: BackendPreference | null) => answer(() => activateBackend(preference ?? "auto")));
  // The host going away (closed channel) ends this process; nothing is left to report to.
  process.on("disconnect", () => process.exit(0));
  stopOnTerminate();
  connection.listen();
}

main();
