/**
 * The editor's checker thread: a `worker_threads` Worker (bundled as dist/check-worker.js) that
 * parses and checks a Python file so that the extension host's event loop never waits for it.
 * It answers each request with the analysis, the challenge check and the blanks' offsets, all
 * plain data. No 'vscode' import: this runs outside the extension host's API.
 */
import { parentPort } from "node:worker_threads";
import { analyzeSource } from "../checker";
import { findBlanks, parsePythonWithin } from "../python";
import { checkChallengeSource } from "./checkReport";
import { notChecked, type CheckRequest, type CheckResponse } from "./checkWorkerClient";

function answer(request: CheckRequest): CheckResponse {
  const started = performance.now();
  // Parsing has its own budget: a huge file must not hold the thread for seconds before the
  // evaluator's budget even starts. The checker then reads the same parse (it is kept).
  const parsed = parsePythonWithin(request.text, request.parseBudgetMs);
  if (!parsed) {
    return { id: request.id, kind: "not-checked", analysis: notChecked(`This file takes the checker more than ${request.parseBudgetMs} ms to read, so it is not checked. Split it into smaller files to have it checked.`), millis: performance.now() - started };
  }
  const check = request.challenge ? checkChallengeSource(request.text, request.challenge.starter, request.challenge.spec) : undefined;
  const analysis = check?.verdict.analysis ?? analyzeSource(parsed);
  const blanks = findBlanks(parsed).map((node) => node.from);
  return { id: request.id, kind: "checked", analysis, ...(check ? { check } : {}), blanks, millis: performance.now() - started };
}

parentPort?.on("message", (request: CheckRequest) => {
  let response: CheckResponse;
  try {
    response = answer(request);
  } catch (error) {
    // The checker promises never to throw; if it does, the host logs it and the editor keeps working.
    response = { id: request.id, kind: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(response);
});
parentPort?.postMessage({ id: 0, kind: "ready" } satisfies CheckResponse);
