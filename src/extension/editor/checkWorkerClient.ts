/**
 * The extension host's side of the checker thread (see checkWorker.ts). The host only posts the
 * text and takes the answer: parsing and checking happen on the worker, so the host's event
 * loop stays free however long a check takes.
 *
 * - Newest text wins: one request is on the worker at a time; a newer text for the same file
 *   replaces the one still waiting, and an answer for a text that has been replaced since is
 *   dropped (reported as `stale`).
 * - Budgets: parsing on the worker stops after `parseBudgetMs`; a check the worker has not
 *   answered after `watchdogMs` (parsing plus every analysis of the check, counted from when
 *   the worker has loaded) ends the worker, which starts afresh for the next request.
 * - A text over `maxChars` is not sent at all: it gets one info diagnostic instead of a check.
 *
 * No 'vscode' import, so the benchmark and the tests drive exactly this path.
 */
import { Worker } from "node:worker_threads";
import type { Analysis } from "../../checker";
import type { CheckSpec } from "../../protocol/lesson";
import type { ChallengeFileCheck } from "./checkReport";

export interface CheckRequest {
  id: number;
  /**
   * The text as UTF-8, transferred rather than copied: cloning a 3 MB string for postMessage is
   * one long task on the host; encoding it is done a slice per turn of the event loop. (A lone
   * surrogate becomes U+FFFD, also one UTF-16 unit, so offsets stay those of the editor's text.)
   */
  source: Uint8Array;
  challenge?: { starter: string; spec: CheckSpec };
  parseBudgetMs: number;
}

export type CheckResponse =
  | { id: number; kind: "checked"; analysis: Analysis; check?: ChallengeFileCheck; blanks: number[]; millis: number }
  | { id: number; kind: "not-checked"; analysis: Analysis; millis: number }
  | { id: number; kind: "failed"; message: string }
  /** Sent once when the worker has loaded the checker: the watchdog counts from then, not from its start. */
  | { id: 0; kind: "ready" };

/** What a caller gets back for one request. */
export type CheckOutcome =
  | { kind: "checked"; analysis: Analysis; check?: ChallengeFileCheck; blanks: number[]; millis: number }
  /** Too large, too slow, or the worker failed: one info diagnostic says so; `reason` is for the log. */
  | { kind: "not-checked"; analysis: Analysis; reason: string }
  /** A newer text of the same file was sent since: this answer is out of date. */
  | { kind: "stale" };

export interface CheckWorkerOptions {
  /** Texts longer than this (in UTF-16 code units) are not checked. */
  maxChars?: number;
  parseBudgetMs?: number;
  watchdogMs?: number;
  /** Starts the worker: the bundled dist/check-worker.js by default. */
  startWorker?: () => Worker;
}

/** 256 KB: ten times the longest lesson file many times over, far below what takes long to check. */
export const MAX_CHECK_CHARS = 256 * 1024;
const PARSE_BUDGET_MS = 1_000;
const WATCHDOG_MS = 5_000;
/** A worker that has not loaded the checker by then is given up (and started again on the next change). */
const STARTUP_MS = 30_000;

/** An analysis that checked nothing, with the one info diagnostic that says why. */
export function notChecked(message: string): Analysis {
  const top = { line: 0, character: 0 };
  return { diagnostics: [{ range: { start: top, end: top }, severity: "info", code: "budget", message }], layerCalls: [], models: [], runs: [], grids: [], trace: [], truncated: true };
}

const encoder = new TextEncoder();
/** Code units encoded per turn of the host's event loop: well under a millisecond each. */
const ENCODE_SLICE = 64 * 1024;

interface Pending {
  id: number;
  key: string;
  text: string;
  challenge?: { starter: string; spec: CheckSpec };
  resolve: (outcome: CheckOutcome) => void;
}

export class CheckWorkerClient {
  private worker: Worker | undefined;
  private inFlight: (Pending & { timer?: NodeJS.Timeout }) | undefined;
  private workerReady = false;
  private startupTimer: NodeJS.Timeout | undefined;
  /** Requests waiting for the worker, at most one per file (the newest text). */
  private readonly waiting = new Map<string, Pending>();
  /** The newest request id of each file: answers for older ones are stale. */
  private readonly newest = new Map<string, number>();
  private nextId = 1;
  private disposed = false;
  private readonly maxChars: number;
  private readonly parseBudgetMs: number;
  private readonly watchdogMs: number;
  private readonly startWorker: () => Worker;

  constructor(options: CheckWorkerOptions = {}) {
    this.maxChars = options.maxChars ?? MAX_CHECK_CHARS;
    this.parseBudgetMs = options.parseBudgetMs ?? PARSE_BUDGET_MS;
    this.watchdogMs = options.watchdogMs ?? WATCHDOG_MS;
    this.startWorker = options.startWorker ?? (() => new Worker(`${__dirname}/check-worker.js`));
  }

  /** Checks `text` as the content of the file `key`; a challenge file also gets its blank-by-blank check. */
  check(key: string, text: string, challenge?: { starter: string; spec: CheckSpec }): Promise<CheckOutcome> {
    const id = this.nextId++;
    this.newest.set(key, id);
    // A text waiting for the worker is out of date now.
    this.waiting.get(key)?.resolve({ kind: "stale" });
    this.waiting.delete(key);
    if (text.length > this.maxChars) return Promise.resolve(this.tooLarge(text.length));
    if (this.disposed) return Promise.resolve({ kind: "stale" });
    return new Promise((resolve) => {
      this.waiting.set(key, { id, key, text, ...(challenge ? { challenge } : {}), resolve });
      this.pump();
    });
  }

  /**
   * Whether a text of `length` code units is over the size limit: the editor asks before it
   * even takes the text out of the document. Taking the answer makes older answers stale.
   */
  checkLength(key: string, length: number): CheckOutcome | undefined {
    if (length <= this.maxChars) return undefined;
    this.newest.set(key, this.nextId++);
    this.waiting.get(key)?.resolve({ kind: "stale" });
    this.waiting.delete(key);
    return this.tooLarge(length);
  }

  private tooLarge(length: number): CheckOutcome {
    const size = `${(length / 1024).toFixed(0)} KB`;
    return {
      kind: "not-checked",
      reason: `too large (${size})`,
      analysis: notChecked(`This file is too large for the checker (${size}; it checks files up to ${(this.maxChars / 1024).toFixed(0)} KB), so it is not checked. Keep the model code in a smaller file to have it checked.`),
    };
  }

  /** Forgets a file (closed): its waiting request is dropped and a late answer is stale. */
  forget(key: string): void {
    this.waiting.get(key)?.resolve({ kind: "stale" });
    this.waiting.delete(key);
    this.newest.delete(key);
  }

  dispose(): void {
    this.disposed = true;
    for (const pending of this.waiting.values()) pending.resolve({ kind: "stale" });
    this.waiting.clear();
    this.finish({ kind: "stale" });
    this.restart();
  }

  private pump(): void {
    if (this.inFlight || this.disposed) return;
    const next = this.waiting.values().next();
    if (next.done) return;
    const pending = next.value;
    this.waiting.delete(pending.key);
    this.inFlight = pending;
    void this.send(pending);
  }

  /** Encodes the text a slice per turn of the event loop, so that no turn takes long, then posts it. */
  private async send(pending: Pending): Promise<void> {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const bytes = new Uint8Array(pending.text.length * 3);
    let read = 0;
    let written = 0;
    while (read < pending.text.length) {
      let end = Math.min(pending.text.length, read + ENCODE_SLICE);
      // Never split a surrogate pair between two slices.
      const last = pending.text.charCodeAt(end - 1);
      if (end < pending.text.length && last >= 0xd800 && last <= 0xdbff) end++;
      const result = encoder.encodeInto(pending.text.slice(read, end), bytes.subarray(written));
      read = end;
      written += result.written;
      if (read < pending.text.length) {
        await new Promise((resolve) => setImmediate(resolve));
        // A newer text, or the end of the client, while this one was being encoded.
        if (this.inFlight !== pending) return;
        if (this.newest.get(pending.key) !== pending.id) {
          this.finish({ kind: "stale" });
          return;
        }
      }
    }
    const worker = this.ensureWorker();
    if (this.workerReady) this.startWatchdog();
    const source = bytes.subarray(0, written);
    const request: CheckRequest = { id: pending.id, source, parseBudgetMs: this.parseBudgetMs, ...(pending.challenge ? { challenge: pending.challenge } : {}) };
    // Posted at once: a worker still loading receives it when it is ready.
    worker.postMessage(request, [bytes.buffer]);
    // A check under way keeps the process alive; an idle worker does not (a test, the benchmark).
    worker.ref();
  }

  private startWatchdog(): void {
    const pending = this.inFlight;
    if (!pending || pending.timer) return;
    pending.timer = setTimeout(() => {
      // The worker is stuck in one check: end it; the next request starts a fresh one.
      this.restart();
      this.finish({ kind: "not-checked", reason: `no answer in ${this.watchdogMs} ms`, analysis: notChecked(`This file takes the checker more than ${this.watchdogMs / 1000} s to check, so it is not checked now.`) });
    }, this.watchdogMs);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.startWorker();
    this.workerReady = false;
    clearTimeout(this.startupTimer);
    this.startupTimer = setTimeout(() => {
      this.restart();
      this.finish({ kind: "not-checked", reason: `the checker thread did not start in ${STARTUP_MS / 1000} s`, analysis: notChecked("The checker could not start; it tries again on the next change.") });
    }, STARTUP_MS);
    this.startupTimer.unref();
    worker.on("message", (response: CheckResponse) => {
      if (worker !== this.worker) return;
      if (response.kind === "ready") {
        clearTimeout(this.startupTimer);
        this.workerReady = true;
        this.startWatchdog();
        return;
      }
      if (response.id !== this.inFlight?.id) return;
      if (response.kind === "failed") this.finish({ kind: "not-checked", reason: `the checker failed: ${response.message}`, analysis: notChecked("The checker failed on this file; the error is in the Lessons log.") });
      else if (response.kind === "not-checked") this.finish({ kind: "not-checked", reason: "parse budget", analysis: response.analysis });
      else this.finish({ kind: "checked", analysis: response.analysis, ...(response.check ? { check: response.check } : {}), blanks: response.blanks, millis: response.millis });
    });
    const lost = (why: string): void => {
      if (worker !== this.worker) return;
      this.worker = undefined;
      this.finish({ kind: "not-checked", reason: why, analysis: notChecked("The checker stopped while checking this file; it starts again on the next change.") });
    };
    worker.on("error", (error) => lost(`worker error: ${error.message}`));
    worker.on("exit", (code) => lost(`worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private restart(): void {
    const worker = this.worker;
    this.worker = undefined;
    clearTimeout(this.startupTimer);
    void worker?.terminate();
  }

  /** Settles the request on the worker (a newer text of its file makes it stale) and sends the next. */
  private finish(outcome: CheckOutcome): void {
    const done = this.inFlight;
    if (!done) return;
    clearTimeout(done.timer);
    this.inFlight = undefined;
    this.worker?.unref();
    done.resolve(this.newest.get(done.key) === done.id ? outcome : { kind: "stale" });
    this.pump();
  }
}
