/**
 * Episode 05, shown when the workspace trains on Fashion-MNIST: the confusion matrix of one real
 * run of the lesson's dropout model on Fashion-MNIST, as the project's own CLI computed it on the
 * 10,000 test images. The run's saved numbers are kept in `data/fashion-mnist-confusion.json`, so
 * the figure can be drawn again without training; every number the figure writes comes from them.
 *
 * Train and draw (about a minute of training on one core):
 *   node --import tsx src/cli/main.ts train --model dropout --dataset fashion-mnist --epochs 5 \
 *     --train-limit 10000 --runs-dir runs/fashion
 *   node --import tsx scripts/figures/ep05-fashion-mnist-confusion.ts runs/fashion/<run folder>
 * Draw again from the kept numbers: node --import tsx scripts/figures/ep05-fashion-mnist-confusion.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CELL, confusionHeatmap } from "./confusion-heatmap";
import { COLORS, esc, svgDocument, text, writeFigure } from "./ep04-svg-helpers";

const DATA_FILE = join(dirname(fileURLToPath(import.meta.url)), "data", "fashion-mnist-confusion.json");
export const FIGURE = "05-confusion-matrix-fashion-mnist.svg";

/** What the figure is drawn from: a run folder's `confusion.json`, `metrics.json` and `spec.json`, reduced. */
interface SavedConfusion {
  model: string;
  dataset: string;
  trainLimit: number | undefined;
  epochs: number;
  testAccuracy: number;
  classNames: string[];
  /** matrix[true][predicted] on the test set. */
  matrix: number[][];
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The numbers of a run folder written by `dl-lessons train`. */
function fromRun(runDir: string): SavedConfusion {
  const confusion = readJson(join(runDir, "confusion.json")) as { classNames: string[]; matrix: number[][] };
  const metrics = readJson(join(runDir, "metrics.json")) as { dataset: string; accuracy: number };
  const spec = readJson(join(runDir, "spec.json")) as { model: { name?: string }; fit: { epochs: number }; dataset: { name: string; trainLimit?: number } };
  if (spec.dataset.name !== "fashion-mnist") throw new Error(`${runDir} was trained on ${spec.dataset.name}, not Fashion-MNIST`);
  return {
    model: spec.model.name ?? "model",
    dataset: metrics.dataset,
    trainLimit: spec.dataset.trainLimit,
    epochs: spec.fit.epochs,
    testAccuracy: metrics.accuracy,
    classNames: confusion.classNames,
    matrix: confusion.matrix,
  };
}

const runDir = process.argv[2];
const saved: SavedConfusion = runDir ? fromRun(runDir) : (readJson(DATA_FILE) as SavedConfusion);
if (runDir) {
  writeFileSync(DATA_FILE, `${JSON.stringify(saved, null, 2)}\n`);
  console.log(`wrote ${DATA_FILE}`);
}

const { classNames, matrix } = saved;
const left = 120;
const top = 110;
const { body } = confusionHeatmap(classNames, matrix, { left, top });
const fmt = (n: number): string => n.toLocaleString("en-US");

// The row the model gets wrong most often, and the two classes it is most often taken for.
const correctShare = matrix.map((row, t) => row[t]! / row.reduce((a, b) => a + b, 0));
const worst = correctShare.indexOf(Math.min(...correctShare));
const worstRow = matrix[worst]!;
const [first, second] = worstRow
  .map((count, p) => ({ count, p }))
  .filter(({ p }) => p !== worst)
  .sort((a, b) => b.count - a.count);
const best = correctShare.indexOf(Math.max(...correctShare));
const rowTotal = matrix[best]!.reduce((a, b) => a + b, 0);
const correct = matrix.reduce((sum, row, t) => sum + row[t]!, 0);
const total = matrix.flat().reduce((a, b) => a + b, 0);

const y = top + worst * CELL;
for (const { p } of [first!, second!]) {
  body.push(`<rect x="${left + p * CELL}" y="${y}" width="${CELL}" height="${CELL}" fill="none" stroke="${COLORS.red}" stroke-width="3" stroke-dasharray="6 3"/>`);
}
const note = left + CELL * classNames.length + 16;
const name = (i: number): string => classNames[i]!.toLowerCase();
const notes: [number, string, string?][] = [
  [top + CELL, "Diagonal (orange): correct,"],
  [top + CELL + 16, `e.g. ${fmt(matrix[best]![best]!)} of ${fmt(rowTotal)} (${name(best)}).`],
  [top + 3 * CELL, `${fmt(correct)} of ${fmt(total)} correct:`],
  [top + 3 * CELL + 16, `test accuracy ${saved.testAccuracy.toFixed(2)}.`],
  [y - 10, `Dashed red: ${fmt(worstRow[worst]!)} ${name(worst)}s right,`, COLORS.red],
  [y + 6, `${fmt(first!.count)} called ${name(first!.p)},`, COLORS.red],
  [y + 22, `${fmt(second!.count)} called ${name(second!.p)}.`, COLORS.red],
  [top + 8 * CELL, `Dropout model, ${saved.trainLimit === undefined ? "all the" : `the first ${fmt(saved.trainLimit)}`} training`],
  [top + 8 * CELL + 16, `images, ${saved.epochs} epochs; ${fmt(total)} test images.`],
];
for (const [at, line, color] of notes) body.push(text(note, at, line, { size: 12, ...(color ? { color } : {}) }));

writeFigure(
  FIGURE,
  svgDocument(note + 250, top + CELL * classNames.length + 20, esc("Confusion matrix of the dropout model on the Fashion-MNIST test set: true classes in rows, predicted classes in columns"), body),
);
