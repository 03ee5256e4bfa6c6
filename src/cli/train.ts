/**
 * `dl-lessons train`: trains a model on a dataset in this process, with Keras-style progress,
 * evaluates it on the test set and saves the run. Ctrl-C cancels after the current batch and
 * still leaves a consistent run directory.
 */
import * as path from "node:path";
import { formatTrainingNumber } from "../protocol/training";
import { trainRun } from "../training/engine";
import { lessonCompile } from "../training/models";
import { loadRun, newRunId } from "../training/runs";
import { interruptible, parseRunArgs, progressPrinter, readRunOptions, RUN_OPTIONS_HELP } from "./runOptions";
import { MODEL_HELP, reportError, resolveModel } from "./trainingOptions";

const HELP = `Usage: dl-lessons train [options]

Trains a model the way the lesson's model.fit(...) does: 20 % of the training images are held
out for validation (seed 42), then the model is evaluated on the test set. The run (specs,
history as JSON and CSV, test metrics, confusion matrix and the model in TensorFlow.js format)
is saved in its own folder under --runs-dir. Ctrl-C stops after the current batch.

Options:
${MODEL_HELP}
                          Default: intro.
${RUN_OPTIONS_HELP}
  --label TEXT            A name for the run, kept with it.
  -h, --help              Show this help.`;

export async function run(argv: string[]): Promise<number> {
  const interrupt = interruptible();
  try {
    const options = parseRunArgs(argv, { model: { type: "string" }, label: { type: "string" } });
    if (options.help) {
      console.log(HELP);
      return 0;
    }
    const settings = readRunOptions(options, "cifar10");
    const choice = await resolveModel(options.model, settings.dataset);
    const epochs = settings.epochs ?? choice.fit?.epochs ?? 10;
    const batchSize = settings.batchSize ?? choice.fit?.batch_size ?? 32;
    const runDirectory = path.resolve(settings.runsDirectory, newRunId(options.label ?? `${path.basename(choice.source, path.extname(choice.source))}-${settings.dataset}`));

    console.log(`Model ${choice.model.name} from ${choice.source}, dataset ${settings.dataset}, ${epochs} epoch(s), batch size ${batchSize}.`);
    const result = await trainRun(
      {
        model: choice.model,
        compile: choice.compile ?? lessonCompile(),
        fit: { batch_size: batchSize, epochs, validation: choice.fit?.validation ?? { kind: "data" }, shuffle: choice.fit?.shuffle ?? true },
        dataset: settings.datasetRef,
        dataDirectory: settings.dataDirectory,
        runDirectory,
        backend: settings.backend,
        ...(options.label ? { label: options.label } : {}),
      },
      { onEvent: progressPrinter(), signal: interrupt.signal },
    );
    const saved = await loadRun(result.runDirectory);
    if (saved.metrics) console.log(`Test loss: ${formatTrainingNumber(saved.metrics.loss)} - test accuracy: ${formatTrainingNumber(saved.metrics.accuracy)}`);
    if (saved.status.message) console.log(saved.status.message);
    console.log(`Run saved in ${result.runDirectory} (${result.status}).`);
    return result.status === "completed" ? 0 : 130;
  } catch (error) {
    return reportError("train", error, HELP);
  } finally {
    interrupt.dispose();
  }
}
