/**
 * `dl-lessons evaluate RUN_DIR`: evaluates a saved run on its dataset's test set and prints the
 * accuracy, per-class accuracy, the confusion matrix and a few predictions.
 */
import { parseArgs } from "node:util";
import { BACKEND_PREFERENCES, formatTrainingNumber } from "../protocol/training";
import { parseBackend } from "./runOptions";
import { defaultDataDirectory } from "../training/datasets/store";
import { evaluateRun } from "../training/engine";
import { reportError, UsageError } from "./trainingOptions";

const HELP = `Usage: dl-lessons evaluate RUN_DIR [options]

Loads the model saved in RUN_DIR (a folder written by \`dl-lessons train\` or the extension) and
evaluates it on the test set of the dataset it was trained on.

Options:
  --backend NAME          ${BACKEND_PREFERENCES.join(", ")}; auto (the default) tries them in order.
  --data-dir DIR          Where datasets are cached (default: ${defaultDataDirectory()}).
  --test-limit N          Evaluate on the first N test images only.
  --predictions N         Show the top-3 classes of the first N test images (default 5).
  --json                  Print the whole result as JSON.
  -h, --help              Show this help.`;

export async function run(argv: string[]): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          backend: { type: "string" },
          "data-dir": { type: "string" },
          "test-limit": { type: "string" },
          predictions: { type: "string" },
          json: { type: "boolean" },
          help: { type: "boolean", short: "h" },
        },
      });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (parsed.values.help) {
      console.log(HELP);
      return 0;
    }
    const [runDirectory] = parsed.positionals;
    if (!runDirectory) throw new UsageError("Name the run folder to evaluate.");
    const testLimit = parsed.values["test-limit"] === undefined ? undefined : Number(parsed.values["test-limit"]);
    if (testLimit !== undefined && !(Number.isInteger(testLimit) && testLimit > 0)) throw new UsageError("--test-limit must be a positive whole number.");
    const result = await evaluateRun({
      runDirectory,
      dataDirectory: parsed.values["data-dir"] ?? defaultDataDirectory(),
      backend: parseBackend(parsed.values.backend),
      predictionCount: Number(parsed.values.predictions ?? 5),
      ...(testLimit !== undefined ? { testLimit } : {}),
    });
    if (parsed.values.json) {
      console.log(JSON.stringify(result, null, 2));
      return 0;
    }
    const names = result.classNames;
    const width = Math.max(...names.map((n) => n.length));
    console.log(`Test loss: ${formatTrainingNumber(result.loss)} - test accuracy: ${formatTrainingNumber(result.accuracy)}\n`);
    console.log("Accuracy per class:");
    names.forEach((name, i) => console.log(`  ${name.padEnd(width)}  ${result.perClassAccuracy[i]!.toFixed(4)}`));
    console.log("\nConfusion matrix (rows: true class, columns: predicted class):");
    const cell = Math.max(5, ...result.confusionMatrix.flat().map((v) => String(v).length + 1));
    console.log(`  ${"".padEnd(width)}  ${names.map((_, i) => String(i).padStart(cell)).join("")}`);
    result.confusionMatrix.forEach((row, i) => console.log(`  ${`${i} ${names[i]}`.padEnd(width + 2)}${row.map((v) => String(v).padStart(cell)).join("")}`));
    if (result.predictions.length > 0) console.log("\nPredictions:");
    for (const p of result.predictions) {
      const top = p.top.map((t) => `${names[t.label]} ${(t.probability * 100).toFixed(1)}%`).join(", ");
      console.log(`  image ${p.index} (${names[p.trueLabel]}): ${top}`);
    }
    return 0;
  } catch (error) {
    return reportError("evaluate", error, HELP);
  }
}
