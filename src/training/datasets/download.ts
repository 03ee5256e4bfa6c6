/**
 * Fetching a published file into the data directory safely: follow redirects, report progress,
 * honour cancellation, check the MD5, and only ever rename a complete, verified, fsynced file
 * into place. Work happens in `<data directory>/.incoming/`, on the same file system as the
 * cache so the final rename is atomic, and is removed whatever happens.
 */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, open, readdir, rename, rm, stat } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as tar from "tar";
import type { DatasetName } from "../../protocol/modelSpec";
import { DatasetError, formatCount, isAbortError } from "./errors";
import type { DatasetProgressListener } from "./types";

const MAX_REDIRECTS = 5;
const IDLE_TIMEOUT_MS = 30_000;
const PROGRESS_INTERVAL_MS = 100;
export const INCOMING_FOLDER = ".incoming";

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the server's name could not be looked up (no internet connection?)";
    if (code === "ECONNREFUSED") return "the server refused the connection";
    if (code === "ECONNRESET" || error.message === "aborted") return "the connection was cut";
    return error.message;
  }
  return String(error);
}

function requestOnce(url: URL, signal: AbortSignal | undefined): Promise<http.IncomingMessage> {
  const client = url.protocol === "https:" ? https : url.protocol === "http:" ? http : undefined;
  if (!client) return Promise.reject(new DatasetError("download", `Cannot download from ${url.href}: only http and https addresses are supported.`, url.href));
  return new Promise((resolve, reject) => {
    const request = client.get(url, { headers: { "user-agent": "dl-lessons" }, timeout: IDLE_TIMEOUT_MS, ...(signal ? { signal } : {}) }, resolve);
    request.on("timeout", () => request.destroy(new Error(`no answer for ${IDLE_TIMEOUT_MS / 1000} seconds`)));
    request.on("error", reject);
  });
}

/** GET with redirects; resolves with a 200 response whose body has not been read yet. */
async function openDownload(url: URL, signal: AbortSignal | undefined): Promise<http.IncomingMessage> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const response = await requestOnce(current, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location !== undefined && redirects < MAX_REDIRECTS) {
      response.resume();
      current = new URL(location, current);
      continue;
    }
    if (status !== 200) {
      response.resume();
      const answer = `${status} ${response.statusMessage ?? ""}`.trim();
      throw new DatasetError(
        "download",
        `${current.host} answered "${answer}" for ${path.basename(current.pathname)}. ` +
          "The file may have moved: try again later, or import a copy you downloaded elsewhere.",
        current.href,
      );
    }
    return response;
  }
}

export interface VerifiedDownload {
  url: string;
  /** Where the verified file ends up; its folder must exist and be on the data directory's disk. */
  destination: string;
  expectedMd5: string;
  dataset: DatasetName;
  onProgress?: DatasetProgressListener | undefined;
  signal?: AbortSignal | undefined;
}

/** Downloads `url` to `destination`, which exists afterwards only if complete and verified. */
export async function downloadVerified(job: VerifiedDownload): Promise<void> {
  const url = new URL(job.url);
  const fileName = path.basename(url.pathname);
  const partial = `${job.destination}.partial-${randomBytes(4).toString("hex")}`;
  try {
    let response: http.IncomingMessage;
    try {
      response = await openDownload(url, job.signal);
    } catch (error) {
      if (error instanceof DatasetError || isAbortError(error)) throw error;
      throw new DatasetError("download", `Could not download ${fileName} from ${url.host}: ${describeNetworkError(error)}. Check the connection and try again, or import a copy you downloaded elsewhere.`, url.href);
    }
    const lengthHeader = Number(response.headers["content-length"]);
    const totalBytes = Number.isFinite(lengthHeader) && lengthHeader > 0 ? lengthHeader : undefined;
    const hash = createHash("md5");
    let receivedBytes = 0;
    let lastReport = 0;
    const report = (): void => job.onProgress?.({ dataset: job.dataset, phase: "download", receivedBytes, ...(totalBytes !== undefined ? { totalBytes } : {}) });
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        receivedBytes += chunk.length;
        const now = Date.now();
        if (now - lastReport >= PROGRESS_INTERVAL_MS) {
          lastReport = now;
          report();
        }
        done(null, chunk);
      },
    });
    report();
    try {
      await pipeline(response, meter, createWriteStream(partial), ...(job.signal ? [{ signal: job.signal }] : []));
    } catch (error) {
      if (isAbortError(error) || job.signal?.aborted) throw error;
      // A write failure (such as a full disk) is not a network problem; let the caller word it.
      if (error instanceof Error && "syscall" in error && error.syscall === "write") throw error;
      throw new DatasetError("download", `The download of ${fileName} stopped after ${formatCount(receivedBytes)} bytes: ${describeNetworkError(error)}. Nothing was kept; run the download again.`, url.href);
    }
    report();
    if (totalBytes !== undefined && receivedBytes !== totalBytes) {
      throw new DatasetError("download", `The download of ${fileName} stopped after ${formatCount(receivedBytes)} of ${formatCount(totalBytes)} bytes. Nothing was kept; run the download again.`, url.href);
    }
    job.onProgress?.({ dataset: job.dataset, phase: "verify", receivedBytes, ...(totalBytes !== undefined ? { totalBytes } : {}) });
    const md5 = hash.digest("hex");
    if (md5 !== job.expectedMd5.toLowerCase()) {
      throw new DatasetError(
        "corrupt",
        `The downloaded ${fileName} is not the published file (MD5 ${md5}, expected ${job.expectedMd5}): it was damaged on the way or the server sent something else. Nothing was kept; run the download again.`,
        url.href,
      );
    }
    const handle = await open(partial, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, job.destination);
  } finally {
    await rm(partial, { force: true });
  }
}

/** A fresh work folder under `<dataDirectory>/.incoming/`, named with this process's id; remove it with `rm` when done. */
export async function makeWorkFolder(dataDirectory: string, label: string): Promise<string> {
  const incoming = path.join(dataDirectory, INCOMING_FOLDER);
  await mkdir(incoming, { recursive: true });
  await removeAbandonedWork(dataDirectory);
  return mkdtemp(path.join(incoming, `${label}-${process.pid}-`));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && "code" in error && error.code === "EPERM";
  }
}

/** Work left without an owner's pid (written before pids were recorded) is abandoned after this long. */
const UNOWNED_WORK_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Removes what killed downloads and imports left in `.incoming/`: work folders whose process is
 * gone. Work of a live process (another window downloading) is left alone. Never throws: a
 * read-only data directory simply keeps what it has.
 */
export async function removeAbandonedWork(dataDirectory: string): Promise<string[]> {
  const incoming = path.join(dataDirectory, INCOMING_FOLDER);
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = await readdir(incoming);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const owner = /-(\d+)-[^-]*$/.exec(entry);
    const pid = owner ? Number(owner[1]) : undefined;
    try {
      const abandoned = pid !== undefined ? pid !== process.pid && !processAlive(pid) : Date.now() - (await stat(path.join(incoming, entry))).mtimeMs > UNOWNED_WORK_MAX_AGE_MS;
      if (!abandoned) continue;
      await rm(path.join(incoming, entry), { recursive: true, force: true });
      removed.push(entry);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}

/**
 * Replaces `target` by the complete folder `ready` with renames only, so a reader sees either the
 * old folder or the new one, never a mixture. Both must be inside the data directory.
 */
export async function installFolder(ready: string, target: string, dataDirectory: string): Promise<void> {
  const retired = path.join(dataDirectory, INCOMING_FOLDER, `retired-${path.basename(target)}-${process.pid}-${randomBytes(4).toString("hex")}`);
  let hadOld = true;
  try {
    await rename(target, retired);
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error;
    hadOld = false;
  }
  await rename(ready, target);
  if (hadOld) await rm(retired, { recursive: true, force: true });
}

/** Unpacks a (gzipped) tar archive into `folder`, refusing links and paths that leave the folder. */
export async function extractArchive(archive: string, folder: string, dataset: DatasetName, onProgress?: DatasetProgressListener): Promise<void> {
  await mkdir(folder, { recursive: true });
  let receivedBytes = 0;
  try {
    await tar.x({
      file: archive,
      cwd: folder,
      strict: true,
      filter: (_entryPath, entry) => "type" in entry && (entry.type === "File" || entry.type === "Directory"),
      onReadEntry: (entry) => {
        receivedBytes += entry.size;
        onProgress?.({ dataset, phase: "extract", receivedBytes });
      },
    });
  } catch (error) {
    if (error instanceof Error && "code" in error && (error.code === "ENOSPC" || error.code === "EDQUOT")) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatasetError("corrupt", `${path.basename(archive)} could not be unpacked (${reason}): the archive is incomplete or damaged. Download it again.`, archive);
  }
}
