/**
 * The editor's checker thread: a `worker_threads` Worker (bundled as dist/check-worker.js) that
 * parses and checks a Python file so that the extension host's event loop never waits for it.
 * It answers each request with the analysis, the challenge check and the blanks' offsets, all
 * plain data. No 'vscode' import: this runs outside the extension host's API.
 */
import { parentPort } from "node:worker_threads";
import { analyzeSource, type Analysis } from "../../checker";
import { findBlanks, parsePythonWithin } from "../../python";
import { checkChallengeSource } from "./checkReport";
import { notChecked, type CheckRequest, type CheckResponse } from "./checkWorkerClient";

const decoder = new TextDecoder();

function answer(request: CheckRequest): CheckResponse {
  const started = performance.now();
  const text = decoder.decode(request.source);
  // Parsing has its own budget: a huge file must not hold the thread for seconds before the
  // evaluator's budget even starts. The checker then reads the same parse (it is kept).
  const parsed = parsePythonWithin(text, request.parseBudgetMs);
  if (!parsed) {
    return { id: request.id, kind: "not-checked", analysis: notChecked(`This file takes the checker more than ${request.parseBudgetMs} ms to read, so it is not checked. Split it into smaller files to have it checked.`), millis: performance.now() - started };
  }
  const check = request.challenge ? checkChallengeSource(text, request.challenge.starter, request.challenge.spec) : undefined;
  // The trace (a fingerprint of every statement) is for comparing answers here; the host never
  // reads it, so it is not copied over. Copies, because the checker keeps its last verdicts.
  const analysis: Analysis = { ...(check?.verdict.analysis ?? analyzeSource(parsed)), trace: [] };
  const blanks = findBlanks(parsed).map((node) => node.from);
  const sent = check ? { check: { ...check, verdict: { ...check.verdict, analysis } } } : {};
  return { id: request.id, kind: "checked", analysis, ...sent, blanks, millis: performance.now() - started };
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
