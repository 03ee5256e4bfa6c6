/**
 * The heat map both confusion-matrix figures draw (CIFAR-10 and Fashion-MNIST): rows are the true
 * class, columns the predicted class, the shade of a cell grows with its count (white to the
 * lesson's blue at a whole class), and the diagonal (correct predictions) is outlined in orange.
 */
import { COLORS, r, text } from "./ep04-svg-helpers";

export const CELL = 46;

export interface Heatmap {
  /** SVG elements: axis titles, class names and the cells. */
  body: string[];
  /** Where the grid starts, for notes drawn beside it. */
  left: number;
  top: number;
}

export function confusionHeatmap(classNames: readonly string[], counts: readonly (readonly number[])[], layout: { left: number; top: number }): Heatmap {
  const { left, top } = layout;
  const size = classNames.length;
  const perClass = Math.max(...counts.map((row) => row.reduce((a, b) => a + b, 0)));
  const body: string[] = [];
  body.push(text(left + (CELL * size) / 2, 30, "Predicted label", { anchor: "middle", weight: "bold", size: 14 }));
  body.push(text(24, top + (CELL * size) / 2, "True label", { anchor: "middle", weight: "bold", size: 14, rotate: -90 }));
  classNames.forEach((name, i) => {
    // Column names are turned so that long names fit above narrow columns.
    const x = left + i * CELL + CELL / 2 + 4;
    body.push(text(x, top - 8, name, { size: 12, rotate: -45 }));
    body.push(text(left - 8, top + i * CELL + CELL / 2 + 4, name, { anchor: "end", size: 12 }));
  });
  counts.forEach((row, t) => {
    row.forEach((count, p) => {
      const x = left + p * CELL;
      const y = top + t * CELL;
      const share = Math.min(1, count / perClass);
      const fill = `rgba(31, 111, 180, ${r(0.06 + 0.94 * share)})`;
      body.push(`<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${fill}" stroke="#ffffff" stroke-width="1"/>`);
      const ink = share > 0.45 ? "#ffffff" : COLORS.text;
      body.push(text(x + CELL / 2, y + CELL / 2 + 4, String(count), { anchor: "middle", size: 12, color: ink, weight: t === p ? "bold" : "normal" }));
      if (t === p) {
        body.push(`<rect x="${x + 1.5}" y="${y + 1.5}" width="${CELL - 3}" height="${CELL - 3}" fill="none" stroke="${COLORS.orange}" stroke-width="3"/>`);
      }
    });
  });
  return { body, left, top };
}
