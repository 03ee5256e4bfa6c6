import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { listRuns } from "../../src/training/runs";
import { cli, scratchFolder, type CliResult } from "./harness";

/* `dl-lessons sweep` run as a learner runs it: its own process, on a small Fashion-MNIST subset. */

const QUICK = ["--dataset", "fashion-mnist", "--data-dir", "/usr/share/datasets", "--backend", "wasm", "--train-limit", "600", "--test-limit", "200", "--epochs", "1"];

/** `dl-lessons sweep ARGS`. */
function sweep(args: string[]): Promise<CliResult> {
  return cli(["sweep", ...args]);
}

/** The comparison table's rows: value, val_loss, val_accuracy, and whether it is marked best. */
function tableRows(stdout: string, heading: string): { value: string; valLoss: number; valAccuracy: number; best: boolean }[] {
  const lines = stdout.split("\n");
  const start = lines.findIndex((line) => new RegExp(`^${heading}\\s+val_loss\\s+val_accuracy$`).test(line));
  assert.ok(start >= 0, `a table headed ${heading}:\n${stdout}`);
  const rows = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^(\S+)\s+(\S+)\s+(\S+)(\s+<- best)?/.exec(line);
    if (!match) break;
    rows.push({ value: match[1]!, valLoss: Number(match[2]), valAccuracy: Number(match[3]), best: match[4] !== undefined });
  }
  return rows;
}

function savedIn(stdout: string): string {
  const folder = /^Runs saved in (.+?)( \(.*\))?\.$/m.exec(stdout)?.[1];
  assert.ok(folder, `the output names the sweep's folder:\n${stdout}`);
  return folder;
}

let runsDir: string;
before(async () => {
  runsDir = await scratchFolder("cli-sweep");
});
after(async () => {
  await rm(runsDir, { recursive: true, force: true });
});

describe("dl-lessons sweep", () => {
  it("trains one run per dropout rate and prints the comparison with the best marked", async () => {
    const result = await sweep(["--vary", "dropout", "--values", "0.15,0.45", ...QUICK, "--runs-dir", runsDir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Run 1\/2: dropout_rate 0\.15\n[\s\S]*Epoch 1\/1\n15\/15 \[=+\]/, "Keras-style progress per run");
    const rows = tableRows(result.stdout, "dropout_rate");
    assert.deepEqual(rows.map((r) => r.value), ["0.15", "0.45"]);
    assert.ok(rows.every((r) => Number.isFinite(r.valLoss) && r.valLoss > 0 && r.valAccuracy > 0 && r.valAccuracy <= 1), JSON.stringify(rows));
    const best = rows.filter((r) => r.best);
    assert.equal(best.length, 1);
    assert.equal(best[0]!.valLoss, Math.min(...rows.map((r) => r.valLoss)));
    const runs = await listRuns(savedIn(result.stdout));
    assert.deepEqual(runs.map((r) => [r.spec.label, r.status.status]), [["dropout_rate 0.15", "completed"], ["dropout_rate 0.45", "completed"]]);
    assert.ok(runs.every((r) => r.metrics && r.metrics.accuracy > 0), "each run was evaluated on the test set");
  });

  it("with --folds scores each optimizer by cross-validation, every fold a saved run", async () => {
    const result = await sweep(["--vary", "optimizer", "--values", "adam,sgd", "--folds", "2", ...QUICK, "--runs-dir", runsDir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Mean over 2 folds:/);
    const rows = tableRows(result.stdout, "optimizer");
    assert.deepEqual(rows.map((r) => r.value), ["adam", "sgd"]);
    assert.ok(rows.every((r) => Number.isFinite(r.valLoss) && r.valAccuracy > 0 && r.valAccuracy <= 1), JSON.stringify(rows));
    const runs = await listRuns(savedIn(result.stdout));
    assert.deepEqual(runs.map((r) => r.spec.label).sort(), ["optimizer adam · fold 1/2", "optimizer adam · fold 2/2", "optimizer sgd · fold 1/2", "optimizer sgd · fold 2/2"]);
    assert.ok(runs.every((r) => r.status.status === "completed" && r.history.length === 1 && r.history[0]!.metrics["val_loss"]! > 0));
  });

  it("refuses a value it cannot try, in the learner's terms, with the usage", async () => {
    const result = await sweep(["--vary", "dropout", "--values", "0.3,1.5", ...QUICK, "--runs-dir", runsDir]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /A dropout rate is a number from 0 up to \(not including\) 1, not '1\.5'\./);
    assert.match(result.stderr, /Usage: dl-lessons sweep/);
  });
});
