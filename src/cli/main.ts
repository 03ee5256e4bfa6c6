/**
 * `dl-lessons`: the command-line face of the same engine the extension uses. Each subcommand
 * lives in its own module next to this file and is loaded only when asked for, so `--help` and
 * `check` start fast and never load TensorFlow.js.
 */

interface Subcommand {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

/** Subcommands in the order `--help` lists them. */
const SUBCOMMANDS: Record<string, Subcommand> = {
  train: { summary: "Train a model (intro, dropout, a spec JSON or a lesson .py file) on a dataset and save the run", load: () => import("./train") },
  sweep: { summary: "Train one model per dropout rate, activation or optimizer (optionally k-fold) and compare them", load: () => import("./sweep") },
  evaluate: { summary: "Evaluate a saved run on its test set: accuracy, per-class accuracy, confusion matrix", load: () => import("./evaluate") },
  summary: { summary: "Print a model's Keras-style summary: output shapes and parameter counts", load: () => import("./summary") },
  datasets: { summary: "List, download or import the datasets the lessons train on", load: () => import("./datasets") },
  "lint-lesson": { summary: "Check a lesson folder: divs, challenges, blanks, check blocks, files", load: () => import("./lint-lesson") },
  check: { summary: "Check a challenge file blank by blank, or print a Keras file's layer shapes and parameters", load: () => import("./check") },
};

function usage(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((name) => name.length), 4);
  const lines = Object.entries(SUBCOMMANDS).map(([name, cmd]) => `  ${name.padEnd(width)}  ${cmd.summary}`);
  return [
    "Usage: dl-lessons <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `dl-lessons <command> --help` for the options of one command.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  const command = SUBCOMMANDS[name];
  if (!command) {
    console.error(`dl-lessons: unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  const module = await command.load();
  return module.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a learner's mistake: say so plainly, with the message but no stack trace.
    console.error(`dl-lessons: internal error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 70;
  },
);
