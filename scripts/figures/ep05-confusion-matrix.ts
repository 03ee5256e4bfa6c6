/**
 * Episode 05: how to read a confusion matrix, drawn from the counts that one training run of the
 * dropout model produced on the 10,000 CIFAR-10 test images (1,000 per class). Rows are the true
 * class, columns the predicted class; the shade of a cell grows with its count, and the diagonal
 * (correct predictions) is outlined. The learner's own matrix appears in the Confusion Matrix
 * panel after "Lessons: Evaluate on Test Set".
 *
 * Run: node --import tsx scripts/figures/ep05-confusion-matrix.ts
 */
import { CELL, confusionHeatmap } from "./confusion-heatmap";
import { COLORS, esc, svgDocument, text, writeFigure } from "./ep04-svg-helpers";

const classNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

/** counts[true][predicted] from one run of the lesson's dropout model. */
const counts: number[][] = [
  [682, 36, 67, 13, 15, 7, 27, 11, 108, 34],
  [12, 837, 3, 2, 6, 3, 32, 0, 29, 76],
  [56, 4, 462, 37, 137, 72, 184, 26, 13, 9],
  [10, 13, 48, 341, 87, 217, 221, 27, 17, 19],
  [23, 4, 38, 34, 631, 23, 168, 63, 13, 3],
  [8, 9, 59, 127, 74, 550, 103, 51, 10, 9],
  [3, 3, 18, 23, 18, 12, 919, 2, 1, 1],
  [14, 8, 24, 28, 98, 75, 34, 693, 2, 24],
  [56, 39, 11, 17, 4, 6, 22, 2, 813, 30],
  [23, 118, 6, 12, 6, 5, 33, 15, 35, 747],
];

const cell = CELL;
const left = 120;
const top = 110;
const { body } = confusionHeatmap(classNames, counts, { left, top });

// Point at the largest mistake: cats taken for frogs and dogs.
const catRow = top + 3 * cell;
body.push(`<rect x="${left + 5 * cell}" y="${catRow}" width="${cell * 2}" height="${cell}" fill="none" stroke="${COLORS.red}" stroke-width="3" stroke-dasharray="6 3"/>`);
const note = left + cell * 10 + 16;
body.push(text(note, top + 2 * cell + 10, "Diagonal (orange): correct,", { size: 12 }));
body.push(text(note, top + 2 * cell + 26, "e.g. 919 of 1,000 frogs.", { size: 12 }));
body.push(text(note, catRow + 22, "Dashed red: 217 cats called", { size: 12, color: COLORS.red }));
body.push(text(note, catRow + 38, "dogs and 221 called frogs.", { size: 12, color: COLORS.red }));
body.push(text(note, top + 6 * cell, "Each row adds up to the", { size: 12 }));
body.push(text(note, top + 6 * cell + 16, "1,000 test images of its class.", { size: 12 }));

writeFigure(
  "05-confusion-matrix.svg",
  svgDocument(note + 220, top + cell * 10 + 20, esc("Confusion matrix of the dropout model on the CIFAR-10 test set: true classes in rows, predicted classes in columns"), body),
);
