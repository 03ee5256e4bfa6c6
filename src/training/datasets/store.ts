/**
 * Where datasets live and how they get there. Each dataset has one folder in the data directory
 * (`<data directory>/<name>/`, written only by renaming a complete folder into place) with a
 * `source.json` saying whether it was downloaded or imported. Fashion-MNIST installed by Debian's
 * `dataset-fashion-mnist` package is used where it is, and found before the cache.
 */
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DatasetName } from "../../protocol/modelSpec";
import {
  CIFAR10_ARCHIVE,
  CIFAR10_META_FILE,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  DEBIAN_DATASETS_ROOT,
  DEBIAN_PACKAGES,
  DISPLAY_NAMES,
  IDX_FILES,
  IDX_SOURCES,
  isIdxDataset,
  type IdxPart,
} from "./catalog";
import { verifyCifar10Folder } from "./cifar10";
import { downloadVerified, extractArchive, installFolder, makeWorkFolder } from "./download";
import { asStorageError, DatasetError } from "./errors";
import { findIdxFile, readIdxFolder } from "./idx";
import type { DatasetProgressListener } from "./types";

export type DatasetSource = "cache" | "debian" | "imported";

export interface DatasetLocation {
  /** The folder holding the dataset's files. */
  folder: string;
  source: DatasetSource;
  /** Total size of the dataset's files. */
  bytes: number;
}

interface SourceRecord {
  origin: "download" | "import";
  from: string;
  at: string;
}

const SOURCE_FILE = "source.json";

export { defaultDataDirectory } from "../../protocol/dataDirectory";

function datasetFiles(name: DatasetName): string[] {
  return name === "cifar10" ? [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE] : [];
}

/** Total size of the files that make up the dataset in `folder`, or undefined if one is missing. */
async function completeSize(name: DatasetName, folder: string): Promise<number | undefined> {
  const files: string[] = [];
  if (isIdxDataset(name)) {
    for (const part of Object.keys(IDX_FILES) as IdxPart[]) {
      const found = await findIdxFile(folder, part);
      if (found === undefined) return undefined;
      files.push(found);
    }
  } else {
    files.push(...datasetFiles(name).map((file) => path.join(folder, file)));
  }
  let bytes = 0;
  for (const file of files) {
    try {
      bytes += (await stat(file)).size;
    } catch {
      return undefined;
    }
  }
  return bytes;
}

/** The dataset's folder inside the data directory (what `source.json` sits in). */
export function cacheFolder(name: DatasetName, dataDirectory: string): string {
  return path.join(dataDirectory, name);
}

function filesFolder(name: DatasetName, cache: string): string {
  return name === "cifar10" ? path.join(cache, CIFAR10_ARCHIVE.folder) : cache;
}

/** Finds a complete copy of the dataset: Debian's first, then the data directory's. */
export async function locateDataset(name: DatasetName, dataDirectory: string, debianRoot = DEBIAN_DATASETS_ROOT): Promise<DatasetLocation | undefined> {
  if (DEBIAN_PACKAGES[name] !== undefined) {
    const folder = path.join(debianRoot, name);
    const bytes = await completeSize(name, folder);
    if (bytes !== undefined) return { folder, source: "debian", bytes };
  }
  const cache = cacheFolder(name, dataDirectory);
  const folder = filesFolder(name, cache);
  const bytes = await completeSize(name, folder);
  if (bytes === undefined) return undefined;
  let source: DatasetSource = "cache";
  try {
    const record = JSON.parse(await readFile(path.join(cache, SOURCE_FILE), "utf8")) as Partial<SourceRecord>;
    if (record.origin === "import") source = "imported";
  } catch {
    // No record (copied in by hand): it is still the cache.
  }
  return { folder, source, bytes };
}

export async function datasetStatus(
  name: DatasetName,
  dataDirectory: string,
): Promise<{ available: boolean; location?: string; source?: DatasetSource; bytes?: number }> {
  const found = await locateDataset(name, dataDirectory);
  return found ? { available: true, location: found.folder, source: found.source, bytes: found.bytes } : { available: false };
}

/** What a learner can do when a dataset is not there. */
export function missingDatasetMessage(name: DatasetName, dataDirectory: string): string {
  const debian = DEBIAN_PACKAGES[name];
  return (
    `${DISPLAY_NAMES[name]} is not in ${dataDirectory} yet. Download it with \`dl-lessons datasets download ${name}\`, ` +
    `or import a copy you were given with \`dl-lessons datasets import ${name} <archive or folder>\`` +
    (debian ? `, or install Debian's ${debian} package.` : ".")
  );
}

async function writeSourceRecord(folder: string, record: SourceRecord): Promise<void> {
  await writeFile(path.join(folder, SOURCE_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

export interface DownloadOptions {
  onProgress?: DatasetProgressListener | undefined;
  signal?: AbortSignal | undefined;
  /** CIFAR-10: the archive's address; MNIST / Fashion-MNIST: a base address the four file names are appended to. */
  url?: string | undefined;
  /**
   * MD5 per file name (`cifar-10-binary.tar.gz`, `train-images-idx3-ubyte.gz`, ...) replacing the
   * published ones: for a private mirror that serves repacked files, and for tests.
   */
  checksums?: Record<string, string> | undefined;
}

async function downloadCifar10(work: string, options: DownloadOptions): Promise<string> {
  const archive = path.join(work, CIFAR10_ARCHIVE.fileName);
  await downloadVerified({
    url: options.url ?? CIFAR10_ARCHIVE.url,
    destination: archive,
    expectedMd5: options.checksums?.[CIFAR10_ARCHIVE.fileName] ?? CIFAR10_ARCHIVE.md5,
    dataset: "cifar10",
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const ready = path.join(work, "ready");
  await extractArchive(archive, ready, "cifar10", options.onProgress);
  await rm(archive);
  await verifyCifar10Folder(path.join(ready, CIFAR10_ARCHIVE.folder));
  return ready;
}

async function downloadIdx(name: "fashion-mnist" | "mnist", work: string, options: DownloadOptions): Promise<string> {
  const ready = path.join(work, "ready");
  await mkdir(ready);
  const mirrors = options.url !== undefined ? [options.url] : IDX_SOURCES[name].mirrors;
  for (const part of Object.keys(IDX_FILES) as IdxPart[]) {
    const fileName = `${IDX_FILES[part]}.gz`;
    let lastError: unknown;
    for (const mirror of mirrors) {
      try {
        await downloadVerified({
          url: new URL(fileName, mirror.endsWith("/") ? mirror : `${mirror}/`).href,
          destination: path.join(ready, fileName),
          expectedMd5: options.checksums?.[fileName] ?? IDX_SOURCES[name].md5[part],
          dataset: name,
          onProgress: options.onProgress,
          signal: options.signal,
        });
        lastError = undefined;
        break;
      } catch (error) {
        // A mirror that is down or serves something else: the next one may do better.
        if (!(error instanceof DatasetError && (error.code === "download" || error.code === "corrupt"))) throw error;
        lastError = error;
      }
    }
    if (lastError instanceof DatasetError && mirrors.length > 1) {
      throw new DatasetError(lastError.code, `None of the ${mirrors.length} addresses for ${fileName} worked. The last one: ${lastError.message}`, lastError.file);
    }
    if (lastError !== undefined) throw lastError;
  }
  await readIdxFolder(ready, name);
  return ready;
}

/** Downloads a dataset from its publisher into the data directory's cache. */
export async function downloadDataset(name: DatasetName, dataDirectory: string, options: DownloadOptions = {}): Promise<void> {
  let work: string | undefined;
  try {
    work = await makeWorkFolder(dataDirectory, name);
    const ready = name === "cifar10" ? await downloadCifar10(work, options) : await downloadIdx(name, work, options);
    await writeSourceRecord(ready, { origin: "download", from: options.url ?? (name === "cifar10" ? CIFAR10_ARCHIVE.url : IDX_SOURCES[name].mirrors[0]!), at: new Date().toISOString() });
    await installFolder(ready, cacheFolder(name, dataDirectory), dataDirectory);
  } catch (error) {
    throw asStorageError(error, dataDirectory, `downloading ${DISPLAY_NAMES[name]}`);
  } finally {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  }
}

/** Breadth-first search, a few levels deep, for a folder that `matches`. */
async function findFolder(root: string, matches: (folder: string) => Promise<boolean>, depth = 3): Promise<string | undefined> {
  let level = [root];
  for (let d = 0; d <= depth && level.length > 0; d++) {
    const next: string[] = [];
    for (const folder of level) {
      if (await matches(folder)) return folder;
      for (const entry of await readdir(folder, { withFileTypes: true })) if (entry.isDirectory()) next.push(path.join(folder, entry.name));
    }
    level = next;
  }
  return undefined;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

function isArchive(file: string): boolean {
  return /\.(tar\.gz|tgz|tar)$/i.test(file);
}

/**
 * Imports a copy a workshop hands out: the published archive (`.tar.gz`) or a folder it was
 * unpacked into (or, for MNIST and Fashion-MNIST, a folder or archive holding the four IDX files).
 * Everything is checked before it replaces what the cache held.
 */
export async function importDatasetArchive(name: DatasetName, archivePath: string, dataDirectory: string, onProgress?: DatasetProgressListener): Promise<void> {
  let info;
  try {
    info = await stat(archivePath);
  } catch {
    throw new DatasetError("missing", `${archivePath} does not exist. Give the path of the downloaded archive or of the folder it was unpacked into.`, archivePath);
  }
  if (!info.isDirectory() && !isArchive(archivePath)) {
    throw new DatasetError("corrupt", `${path.basename(archivePath)} is neither a folder nor a .tar.gz archive. Import the archive as it was downloaded (for CIFAR-10: ${CIFAR10_ARCHIVE.fileName}) or the folder it was unpacked into.`, archivePath);
  }
  let work: string | undefined;
  try {
    work = await makeWorkFolder(dataDirectory, name);
    let root = archivePath;
    if (!info.isDirectory()) {
      root = path.join(work, "unpacked");
      await extractArchive(archivePath, root, name, onProgress);
    }
    const ready = path.join(work, "ready");
    // Files unpacked into the work folder can be moved; a learner's own folder is copied.
    const bring = info.isDirectory() ? copyFile : rename;
    if (name === "cifar10") {
      const folder = await findFolder(root, (candidate) => exists(path.join(candidate, CIFAR10_TRAIN_FILES[0])));
      if (folder === undefined) {
        const pythonVersion = await findFolder(root, (candidate) => exists(path.join(candidate, "data_batch_1")));
        throw new DatasetError(
          "corrupt",
          pythonVersion !== undefined
            ? `${path.basename(archivePath)} is CIFAR-10's Python version (pickled batches). Import the binary version, ${CIFAR10_ARCHIVE.fileName}, instead.`
            : `${path.basename(archivePath)} does not contain CIFAR-10's ${CIFAR10_TRAIN_FILES[0]}. Import ${CIFAR10_ARCHIVE.fileName} or the cifar-10-batches-bin folder it unpacks into.`,
          archivePath,
        );
      }
      // Every label and count, before anything is moved: a damaged copy never replaces a good cache.
      await verifyCifar10Folder(folder);
      const target = path.join(ready, CIFAR10_ARCHIVE.folder);
      await mkdir(target, { recursive: true });
      for (const file of [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE]) await bring(path.join(folder, file), path.join(target, file));
      if (await exists(path.join(folder, CIFAR10_META_FILE))) await bring(path.join(folder, CIFAR10_META_FILE), path.join(target, CIFAR10_META_FILE));
    } else {
      const folder = await findFolder(root, async (candidate) => (await findIdxFile(candidate, "trainImages")) !== undefined);
      if (folder === undefined) {
        throw new DatasetError("corrupt", `${path.basename(archivePath)} does not contain ${IDX_FILES.trainImages}.gz. Import a folder or archive holding the four IDX files of ${DISPLAY_NAMES[name]}.`, archivePath);
      }
      await readIdxFolder(folder, name, onProgress);
      await mkdir(ready, { recursive: true });
      for (const part of Object.keys(IDX_FILES) as IdxPart[]) {
        const file = (await findIdxFile(folder, part))!;
        await bring(file, path.join(ready, path.basename(file)));
      }
    }
    await writeSourceRecord(ready, { origin: "import", from: path.resolve(archivePath), at: new Date().toISOString() });
    await installFolder(ready, cacheFolder(name, dataDirectory), dataDirectory);
  } catch (error) {
    throw asStorageError(error, dataDirectory, `importing ${DISPLAY_NAMES[name]}`);
  } finally {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  }
}
