/**
 * `dl-lessons sweep`: the lesson's episode 6 experiments from the command line. Trains one model
 * per value of a hyperparameter (dropout rate, activation function, optimizer) and prints the
 * comparison table; with --folds, scores each value by k-fold cross-validation as GridSearchCV does.
 */
import * as path from "node:path";
import { ACTIVATION_NAMES, type ActivationName, type FitSpec, type OptimizerSpec } from "../protocol/modelSpec";
import { formatTrainingNumber, type TrainingEvent } from "../protocol/training";
import { IMAGE_SHAPES } from "../training/datasets/catalog";
import { newRunId } from "../training/runs";
import { activationVariants, dropoutRateVariants, gridSearchCV, optimizerVariants, runSweep, type SweepVariant } from "../training/sweeps";
import { interruptible, parseRunArgs, positiveInt, progressPrinter, readRunOptions, RUN_OPTIONS_HELP } from "./runOptions";
import { reportError, UsageError } from "./trainingOptions";

const HELP = `Usage: dl-lessons sweep --vary dropout|activation|optimizer [options]

Trains one model per value and compares them, as the lesson's episode 6 does:
  dropout     the Dropout model at each dropout rate (default 0.15,0.3,0.45,0.6,0.75)
  activation  the first CNN with each activation in its hidden layers
              (default relu,sigmoid,tanh,selu,leaky_relu; also elu)
  optimizer   the first CNN with each optimizer at its Keras defaults
              (default sgd,rmsprop,adam)
Without --folds each value trains once and is scored on the 20 % of the training images held
out for validation (seed 42), then evaluated on the test set. With --folds K each value is
scored the way GridSearchCV(cv=K) does: the training images are cut into K parts and the model
trains K times, each time validating on the part it did not see; the score is the mean. The
test set is not used then. Every run (every fold) is saved in its own folder under --runs-dir,
inside a folder for the sweep. The table lists each value's final val_loss and val_accuracy and
marks the lowest val_loss. Ctrl-C stops after the current batch.

Options:
  --vary NAME             dropout, activation or optimizer (required).
  --values LIST           Comma-separated values to try, e.g. 0.15,0.3 or relu,tanh or adam,sgd.
  --folds K               Score by K-fold cross-validation (K at least 2) instead.
${RUN_OPTIONS_HELP.replace(/Default: the Python file's fit\((epochs|batch_size)=\.\.\.\), else/g, "Default:")}
  -h, --help              Show this help.`;

const VARIED = ["dropout", "activation", "optimizer"] as const;
type Varied = (typeof VARIED)[number];

const OPTIMIZER_DEFAULTS: Record<OptimizerSpec["name"], OptimizerSpec> = {
  sgd: { name: "sgd", learning_rate: 0.01, momentum: 0 },
  rmsprop: { name: "rmsprop", learning_rate: 0.001 },
  adam: { name: "adam", learning_rate: 0.001 },
};

/** The variants for `--vary` and `--values`, each value checked in the learner's terms. */
function variantsFor(varied: Varied, values: string[] | undefined, inputShape: number[], fit: FitSpec): SweepVariant[] {
  switch (varied) {
    case "dropout": {
      const rates = values?.map((value) => {
        const rate = Number(value);
        if (value.trim() === "" || !(rate >= 0 && rate < 1)) throw new UsageError(`A dropout rate is a number from 0 up to (not including) 1, not '${value}'.`);
        return rate;
      });
      return dropoutRateVariants(inputShape, fit, rates);
    }
    case "activation": {
      const known = [...ACTIVATION_NAMES.filter((name) => name !== "softmax" && name !== "linear"), "leaky_relu"];
      for (const value of values ?? []) if (!known.includes(value)) throw new UsageError(`Unknown activation '${value}'. Choose from: ${known.join(", ")}.`);
      return activationVariants(inputShape, fit, values as (ActivationName | "leaky_relu")[] | undefined);
    }
    case "optimizer": {
      const optimizers = values?.map((value) => {
        const optimizer = OPTIMIZER_DEFAULTS[value as OptimizerSpec["name"]];
        if (!optimizer) throw new UsageError(`Unknown optimizer '${value}'. Choose from: ${Object.keys(OPTIMIZER_DEFAULTS).join(", ")}.`);
        return optimizer;
      });
      return optimizerVariants(inputShape, fit, optimizers);
    }
  }
}

/** Keras-style progress per run, each run announced with what it tries. */
function sweepPrinter(runs: number): (event: TrainingEvent) => void {
  const keras = progressPrinter();
  let started = 0;
  return (event) => {
    if (event.kind === "started") console.log(`\nRun ${++started}/${runs}: ${event.label ?? event.runId}`);
    keras(event);
  };
}

export async function run(argv: string[]): Promise<number> {
  const interrupt = interruptible();
  try {
    const options = parseRunArgs(argv, { vary: { type: "string" }, values: { type: "string" }, folds: { type: "string" } });
    if (options.help) {
      console.log(HELP);
      return 0;
    }
    if (options.vary === undefined) throw new UsageError("Say what to vary: --vary dropout, --vary activation or --vary optimizer.");
    if (!(VARIED as readonly string[]).includes(options.vary)) throw new UsageError(`--vary takes ${VARIED.join(", ")}; not '${options.vary}'.`);
    const varied = options.vary as Varied;
    const settings = readRunOptions(options, "cifar10");
    const folds = positiveInt(options.folds, "--folds");
    if (folds === 1) throw new UsageError("--folds needs at least 2 parts: one to train on and one to validate on.");
    const values = options.values?.split(",").map((value) => value.trim());
    const fit: FitSpec = { batch_size: settings.batchSize ?? 32, epochs: settings.epochs ?? 10, validation: { kind: "data" }, shuffle: true };
    const variants = variantsFor(varied, values, IMAGE_SHAPES[settings.dataset], fit);
    const runsDirectory = path.resolve(settings.runsDirectory, newRunId(`sweep ${varied}${folds ? ` ${folds}-fold` : ""}`));

    const runCount = variants.length * (folds ?? 1);
    console.log(
      `Sweep over ${variants[0]?.parameter ?? varied}: ${variants.map((v) => v.value).join(", ")} on ${settings.dataset}, ` +
        `${fit.epochs} epoch(s), batch size ${fit.batch_size}${folds ? `, ${folds}-fold cross-validation` : ""}: ${runCount} run(s).`,
    );
    const setup = { dataset: settings.datasetRef, dataDirectory: settings.dataDirectory, runsDirectory, backend: settings.backend, onEvent: sweepPrinter(runCount), signal: interrupt.signal };
    const result = folds ? await gridSearchCV(variants, { ...setup, folds }) : await runSweep(variants, setup);

    console.log(`\n${folds ? `Mean over ${folds} folds:\n` : ""}${result.table}`);
    if (result.best && result.rows.length > 1) console.log(`\nBest: ${result.best.parameter} ${result.best.value} (lowest val_loss ${formatTrainingNumber(result.best.valLoss)}).`);
    console.log(`Runs saved in ${runsDirectory}${result.status === "cancelled" ? " (stopped before the end)" : ""}.`);
    return result.status === "completed" ? 0 : 130;
  } catch (error) {
    return reportError("sweep", error, HELP);
  } finally {
    interrupt.dispose();
  }
}
