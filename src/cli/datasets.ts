/**
 * `dl-lessons datasets`: see which datasets are available and where, download one from its
 * publisher, or import a copy handed out at a workshop. Imports the dataset modules directly
 * (not the package entry) so that this command never loads TensorFlow.js.
 */
import { parseArgs } from "node:util";
import { DATASET_NAMES, type DatasetName } from "../protocol/modelSpec";
import { CIFAR10_ARCHIVE, DISPLAY_NAMES } from "../training/datasets/catalog";
import { DatasetError, formatBytes } from "../training/datasets/errors";
import { datasetStatus, defaultDataDirectory, downloadDataset, importDatasetArchive } from "../training/datasets/store";
import type { DatasetProgress } from "../training/datasets/types";

const HELP = `Usage: dl-lessons datasets [list | status | download <name> | import <name> <archive>] [options]

  list, status            Show each dataset: whether it is available, where, and its size.
  download <name>         Download a dataset from its publisher, check its checksum and cache it.
                          CIFAR-10 is ${formatBytes(CIFAR10_ARCHIVE.bytes)} from www.cs.toronto.edu.
  import <name> <path>    Import a copy you were given: the published .tar.gz archive or the
                          folder it was unpacked into. It is checked before it is used.

Datasets: ${DATASET_NAMES.join(", ")}

Options:
  --data-dir DIR          Where datasets are cached (default: ${defaultDataDirectory()}).
  --url URL               download only: another address for the archive (CIFAR-10) or a base
                          address for the four files (MNIST, Fashion-MNIST).
  -h, --help              Show this help.`;

function isDatasetName(value: string | undefined): value is DatasetName {
  return value !== undefined && (DATASET_NAMES as readonly string[]).includes(value);
}

const PHASE_WORDS: Record<DatasetProgress["phase"], string> = { download: "Downloading", verify: "Checking", extract: "Unpacking", read: "Reading" };

/** Draws a progress bar on stderr: redrawn in place on a terminal, every 10 % otherwise. */
function progressPrinter(): { onProgress: (event: DatasetProgress) => void; finish: () => void } {
  const interactive = process.stderr.isTTY === true;
  let lastLine = "";
  let lastStep = -1;
  let drawn = false;
  return {
    onProgress(event) {
      const label = `${PHASE_WORDS[event.phase]} ${DISPLAY_NAMES[event.dataset]}`;
      let line: string;
      let step: number;
      if (event.totalBytes !== undefined && event.totalBytes > 0) {
        const fraction = Math.min(1, event.receivedBytes / event.totalBytes);
        const filled = Math.round(fraction * 30);
        line = `${label} [${"=".repeat(filled)}${" ".repeat(30 - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${formatBytes(event.receivedBytes)} of ${formatBytes(event.totalBytes)}`;
        step = Math.floor(fraction * 10);
      } else {
        line = `${label} ${formatBytes(event.receivedBytes)}`;
        step = Math.floor(event.receivedBytes / (50 * 2 ** 20));
      }
      if (interactive) {
        if (line !== lastLine) process.stderr.write(`\r${line.padEnd(lastLine.length)}`);
        drawn = true;
      } else if (step !== lastStep || !lastLine.startsWith(label)) {
        process.stderr.write(`${line}\n`);
      }
      lastLine = line;
      lastStep = step;
    },
    finish() {
      if (interactive && drawn) process.stderr.write("\n");
    },
  };
}

async function printStatus(dataDirectory: string): Promise<void> {
  console.log(`Data directory: ${dataDirectory}\n`);
  const rows: string[][] = [["Dataset", "Status", "Size", "Location"]];
  for (const name of DATASET_NAMES) {
    const status = await datasetStatus(name, dataDirectory);
    const where = status.source === "debian" ? "Debian package" : status.source === "imported" ? "imported" : "downloaded";
    rows.push(
      status.available
        ? [name, `available (${where})`, formatBytes(status.bytes ?? 0), status.location ?? ""]
        : [name, "not available", "", `run: dl-lessons datasets download ${name}`],
    );
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { "data-dir": { type: "string" }, url: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    console.error(`dl-lessons datasets: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const dataDirectory = values["data-dir"] ?? defaultDataDirectory();
  const [action = "list", name, archive] = positionals;
  const wrongName = (): number => {
    console.error(name === undefined ? `dl-lessons datasets ${action}: name a dataset (${DATASET_NAMES.join(", ")}).` : `dl-lessons datasets: unknown dataset '${name}'; choose one of ${DATASET_NAMES.join(", ")}.`);
    return 2;
  };
  const progress = progressPrinter();
  // Ctrl+C cancels cleanly: the downloader removes its partial files before we exit.
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once("SIGINT", onInterrupt);
  try {
    switch (action) {
      case "list":
      case "status":
        await printStatus(dataDirectory);
        return 0;
      case "download":
        if (!isDatasetName(name)) return wrongName();
        await downloadDataset(name, dataDirectory, { onProgress: progress.onProgress, signal: controller.signal, url: values.url });
        progress.finish();
        console.log(`${DISPLAY_NAMES[name]} is ready in ${(await datasetStatus(name, dataDirectory)).location}.`);
        return 0;
      case "import":
        if (!isDatasetName(name)) return wrongName();
        if (archive === undefined) {
          console.error(`dl-lessons datasets import ${name}: give the path of the archive or folder to import.`);
          return 2;
        }
        await importDatasetArchive(name, archive, dataDirectory, progress.onProgress);
        progress.finish();
        console.log(`${DISPLAY_NAMES[name]} imported into ${(await datasetStatus(name, dataDirectory)).location}.`);
        return 0;
      default:
        console.error(`dl-lessons datasets: unknown action '${action}'.\n\n${HELP}`);
        return 2;
    }
  } catch (error) {
    progress.finish();
    if (error instanceof DatasetError) {
      console.error(`dl-lessons datasets: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    process.removeListener("SIGINT", onInterrupt);
  }
}
