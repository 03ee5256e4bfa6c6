/**
 * `auto`'s measurement kept between windows: each window starts its own training process, and a
 * learner should not wait for the GPU to be measured again every time. The file lies beside the
 * datasets and says what it was measured on (each loaded backend and how it runs: the GPU's name,
 * wasm's threads); a machine that changed (another GPU, another thread count, a native backend
 * installed) measures again. A missing, unreadable or malformed file means "not measured yet",
 * never a failed run, and a folder that cannot be written only costs the next window a measurement.
 */
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { BACKEND_NAMES, type BackendName, type BackendReport } from "../protocol/training";
import type { Calibration } from "./backends";

export const CALIBRATION_FILE = "backend-calibration.json";

interface KeptCalibration extends Calibration {
  /** What was measured: `backend: detail` of every backend that loaded, in the report's order. */
  measuredOn: string[];
}

/** What a measurement depends on, from the report made before measuring. */
export function measuredOn(report: BackendReport): string[] {
  return report.attempts.filter((attempt) => attempt.loaded).map((attempt) => `${attempt.backend}: ${attempt.detail ?? ""}`);
}

const isBackendName = (value: unknown): value is BackendName => (BACKEND_NAMES as readonly unknown[]).includes(value);

function parseKept(text: string): KeptCalibration | undefined {
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null) return undefined;
  const { measuredOn: on, chosen, imagesPerSecond } = value as Record<string, unknown>;
  if (!Array.isArray(on) || !on.every((entry) => typeof entry === "string") || !isBackendName(chosen)) return undefined;
  if (typeof imagesPerSecond !== "object" || imagesPerSecond === null) return undefined;
  const speeds: Partial<Record<BackendName, number>> = {};
  for (const [backend, speed] of Object.entries(imagesPerSecond)) {
    if (!isBackendName(backend) || typeof speed !== "number" || !Number.isFinite(speed) || speed <= 0) return undefined;
    speeds[backend] = speed;
  }
  if (speeds[chosen] === undefined) return undefined;
  return { measuredOn: on as string[], chosen, imagesPerSecond: speeds };
}

/** The calibration kept in `directory` for the machine `report` describes, if there is one. */
export async function loadKeptCalibration(directory: string, report: BackendReport): Promise<Calibration | undefined> {
  let kept: KeptCalibration | undefined;
  try {
    kept = parseKept(await fs.readFile(path.join(directory, CALIBRATION_FILE), "utf8"));
  } catch {
    return undefined;
  }
  if (!kept || kept.measuredOn.join("\n") !== measuredOn(report).join("\n")) return undefined;
  return { chosen: kept.chosen, imagesPerSecond: kept.imagesPerSecond };
}

/**
 * Keeps `calibration` for the next window (written beside, then renamed, so a reader never sees
 * half a file). Returns why it could not, for the log; never throws.
 */
export async function keepCalibration(directory: string, report: BackendReport, calibration: Calibration): Promise<string | undefined> {
  const file = path.join(directory, CALIBRATION_FILE);
  const partial = `${file}.${process.pid}.partial`;
  const kept: KeptCalibration = { measuredOn: measuredOn(report), chosen: calibration.chosen, imagesPerSecond: calibration.imagesPerSecond };
  try {
    await fs.mkdir(directory, { recursive: true });
    await fs.writeFile(partial, JSON.stringify(kept, null, 2) + "\n");
    await fs.rename(partial, file);
    return undefined;
  } catch (error) {
    await fs.rm(partial, { force: true }).catch(() => undefined);
    return `the measured speeds could not be kept for the next window (${error instanceof Error ? error.message : String(error)}); it will measure again`;
  }
}
