/**
 * `dl-lessons summary --model MODEL [--dataset NAME]`: the Keras `model.summary()` table of a
 * model, computed from its spec without TensorFlow.js.
 */
import { parseArgs } from "node:util";
import { summarizeModel } from "../training/summary";
import { MODEL_HELP, parseDataset, reportError, resolveModel, UsageError } from "./trainingOptions";

const HELP = `Usage: dl-lessons summary [--model MODEL] [--dataset NAME] [--json]

Prints the model's layers, output shapes and parameter counts as Keras's model.summary() does.

Options:
${MODEL_HELP}
                          Default: intro.
  --dataset NAME          cifar10 (32x32x3, default), fashion-mnist or mnist (28x28x1): the
                          input shape of the built-in models.
  --json                  Print the summary as JSON.
  -h, --help              Show this help.`;

export async function run(argv: string[]): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: { model: { type: "string" }, dataset: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (parsed.values.help) {
      console.log(HELP);
      return 0;
    }
    const dataset = parseDataset(parsed.values.dataset, "cifar10");
    const choice = await resolveModel(parsed.values.model, dataset);
    const summary = summarizeModel(choice.model);
    console.log(parsed.values.json ? JSON.stringify(summary, null, 2) : summary.text);
    return 0;
  } catch (error) {
    return reportError("summary", error, HELP);
  }
}
