/**
 * What `train`, `evaluate` and `summary` share: reading `--model` (a built-in lesson model, a
 * model-spec JSON file or a lesson Python file), `--dataset`, and learner-worded errors.
 */
import { readFile } from "node:fs/promises";
import { DATASET_NAMES, type CompileSpec, type DatasetName, type FitSpec, type ModelSpec } from "../protocol/modelSpec";
import { IMAGE_SHAPES } from "../training/datasets/catalog";
import { ModelSpecError } from "../training/errors";
import { dropoutModel, introModel } from "../training/models";
import { parseCompileSpec, parseFitSpec, parseModelSpec } from "../training/spec";

export const MODEL_HELP = `  --model MODEL           intro (the lesson's first CNN), dropout (its Dropout model), a
                          model-spec JSON file, or a Python file written for the lesson (its
                          first model.fit(...) is used, with its compile and fit arguments).`;

export function parseDataset(value: string | undefined, fallback: DatasetName): DatasetName {
  const name = value ?? fallback;
  if (!(DATASET_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`Unknown dataset '${name}'. Choose one of: ${DATASET_NAMES.join(", ")}.`);
  }
  return name as DatasetName;
}

/** A mistake on the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export interface ModelChoice {
  model: ModelSpec;
  compile?: CompileSpec | undefined;
  fit?: FitSpec | undefined;
  /** Where it came from, for messages: `intro`, `model.json`, `episode4.py`. */
  source: string;
}

/** Resolves `--model` for a dataset (the built-in models take the dataset's image shape). */
export async function resolveModel(value: string | undefined, dataset: DatasetName): Promise<ModelChoice> {
  const shape = IMAGE_SHAPES[dataset];
  if (value === undefined || value === "intro") return { model: introModel(shape), source: "intro" };
  if (value === "dropout") return { model: dropoutModel(shape), source: "dropout" };
  if (value.endsWith(".json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(value, "utf8"));
    } catch (error) {
      throw new UsageError(`Cannot read the model spec ${value}: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Either a bare ModelSpec or { model, compile?, fit? } as a run's spec.json holds it; checked
    // here, where it enters, so a mistake names the file before any training starts.
    const file = typeof parsed === "object" && parsed !== null ? (parsed as { model?: unknown; compile?: unknown; fit?: unknown }) : {};
    if (file.model !== undefined) {
      return {
        model: parseModelSpec(file.model),
        compile: file.compile === undefined ? undefined : parseCompileSpec(file.compile),
        fit: file.fit === undefined ? undefined : parseFitSpec(file.fit),
        source: value,
      };
    }
    return { model: parseModelSpec(parsed), source: value };
  }
  if (value.endsWith(".py")) return modelFromPython(value, shape);
  throw new UsageError(`--model takes intro, dropout, a .json model spec or a .py file; '${value}' is none of these.`);
}

async function modelFromPython(file: string, shape: number[]): Promise<ModelChoice> {
  const { checkPythonFile } = await import("../checker");
  const analysis = await checkPythonFile(file, { inputShape: shape });
  if ("error" in analysis) throw new UsageError(analysis.error);
  const errors = analysis.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new ModelSpecError(`${file}:${first.range.start.line + 1}:${first.range.start.character + 1}: ${first.message}`);
  }
  const run = analysis.runs[0];
  if (run) return { model: run.model, compile: run.compile, fit: run.fit, source: file };
  const model = [...analysis.models].reverse().find((m) => m.complete);
  if (!model) throw new ModelSpecError(`${file} builds no complete keras.Model(...) that could be trained.`);
  return { model: model.spec, compile: model.compile, source: file };
}

/** Prints an error the learner can act on and returns the exit code. */
export function reportError(command: string, error: unknown, usage: string): number {
  if (error instanceof UsageError) {
    console.error(`dl-lessons ${command}: ${error.message}\n\n${usage}`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`dl-lessons ${command}: ${message}`);
  return 1;
}
