/**
 * Episode 03, figure `03-convolution.svg`: how a 3 x 3 kernel turns a small single-channel image
 * into a feature map. A made-up 6 x 6 image (dark top half, bright bottom half) is convolved with
 * the horizontal-edge kernel [[-1,-1,-1],[0,0,0],[1,1,1]]; the red window and the red output cell
 * show one step of the calculation, written out underneath. All numbers are computed here.
 *
 * Run from the repository root: node --import tsx scripts/figures/ep03-convolution.ts
 */
import { grey, palette, rect, svgDocument, text, writeFigure } from "./ep01-03-svg";

const image = [
  [1, 1, 2, 1, 1, 2],
  [1, 2, 1, 1, 2, 1],
  [2, 1, 1, 2, 1, 1],
  [8, 9, 8, 9, 8, 9],
  [9, 8, 9, 8, 9, 8],
  [8, 9, 9, 8, 8, 9],
];
const kernel = [
  [-1, -1, -1],
  [0, 0, 0],
  [1, 1, 1],
];
const k = kernel.length;
const outSize = image.length - k + 1;
const px = (m: number[][], r: number, c: number): number => m[r]?.[c] ?? 0;
const output: number[][] = [];
for (let r = 0; r < outSize; r++) {
  const row: number[] = [];
  for (let c = 0; c < outSize; c++) {
    let sum = 0;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sum += px(image, r + i, c + j) * px(kernel, i, j);
    row.push(sum);
  }
  output.push(row);
}
const focus = { row: 1, col: 0 };

const cell = 40;
const width = 720;
const height = 490;
const gridY = 86;
const inX = 30;
const kerX = inX + 6 * cell + 60;
const outX = kerX + 3 * cell + 60;
const body: string[] = [];

function matrix(x: number, y: number, m: number[][], fill: (v: number) => string, ink: (v: number) => string): void {
  m.forEach((row, r) =>
    row.forEach((v, c) => {
      body.push(rect(x + c * cell, y + r * cell, cell, cell, fill(v), `stroke="${palette.line}" stroke-width="1"`));
      body.push(text(x + c * cell + cell / 2, y + r * cell + cell / 2 + 6, String(v), { size: 16, anchor: "middle", family: "mono", fill: ink(v) }));
    }),
  );
}
const maxAbs = Math.max(...output.flat().map(Math.abs));
const diverging = (v: number, scale: number): string => {
  const t = Math.min(1, Math.abs(v) / scale);
  // White at zero, towards orange for positive and purple for negative values.
  const [r, g, b] = v >= 0 ? [230, 97, 1] : [94, 60, 153];
  const mix = (a: number): number => Math.round(255 + (a - 255) * t);
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
};

body.push(text(inX, 44, "Input (one channel, 6 \u00d7 6)", { size: 15, weight: "bold" }));
body.push(text(inX, 64, "dark above, bright below", { size: 13, fill: palette.muted }));
matrix(inX, gridY, image, (v) => grey(40 + v * 23), (v) => (v < 5 ? "#ffffff" : palette.ink));
body.push(`<rect x="${inX + focus.col * cell}" y="${gridY + focus.row * cell}" width="${k * cell}" height="${k * cell}" fill="none" stroke="${palette.red}" stroke-width="4"/>`);

body.push(text(kerX - 30, gridY + 3 * cell + 10, "\u2217", { size: 30, anchor: "middle", fill: palette.muted }));
body.push(text(kerX, 44, "Kernel (3 \u00d7 3)", { size: 15, weight: "bold" }));
body.push(text(kerX, 64, "horizontal edges", { size: 13, fill: palette.muted }));
matrix(kerX, gridY + cell * 1.5, kernel, (v) => diverging(v, 1.6), () => palette.ink);

body.push(text(outX - 30, gridY + 3 * cell + 10, "=", { size: 30, anchor: "middle", fill: palette.muted }));
body.push(text(outX, 44, "Output (4 \u00d7 4)", { size: 15, weight: "bold" }));
body.push(text(outX, 64, "large where the edge is", { size: 13, fill: palette.muted }));
matrix(outX, gridY + cell, output, (v) => diverging(v, maxAbs), () => palette.ink);
body.push(`<rect x="${outX + focus.col * cell}" y="${gridY + cell + focus.row * cell}" width="${cell}" height="${cell}" fill="none" stroke="${palette.red}" stroke-width="4"/>`);

// One step written out: element-wise products of the red window and the kernel, then the sum.
const terms: string[] = [];
for (let i = 0; i < k; i++) {
  for (let j = 0; j < k; j++) {
    const w = px(kernel, i, j);
    terms.push(`${w < 0 ? `(\u2212${-w})` : w}\u00b7${px(image, focus.row + i, focus.col + j)}`);
  }
}
const focusValue = px(output, focus.row, focus.col);
const sumY = gridY + 6 * cell + 44;
body.push(text(inX, sumY, "The red window, square by square \u00d7 the kernel, then added up:", { size: 14 }));
body.push(
  text(inX, sumY + 28, `${terms.slice(0, 6).join(" + ")} +`, { size: 14, family: "mono", fill: palette.red, weight: "bold" }),
);
body.push(
  text(inX, sumY + 50, `${terms.slice(6).join(" + ")} = ${focusValue}`, { size: 14, family: "mono", fill: palette.red, weight: "bold" }),
);
body.push(text(inX, sumY + 82, "Slide the window one pixel at a time to fill the rest. A 6 \u00d7 6 input gives a 4 \u00d7 4 output:", { size: 13, fill: palette.muted }));
body.push(text(inX, sumY + 100, "the same shrinking turns a 32 \u00d7 32 CIFAR-10 image into a 30 \u00d7 30 feature map.", { size: 13, fill: palette.muted }));

writeFigure(
  "03-convolution.svg",
  svgDocument(
    width,
    height,
    "A 3 by 3 convolution kernel applied to a small image",
    `A 6 by 6 grid of numbers, small (1 or 2) in the top three rows and large (8 or 9) in the bottom three, is multiplied by a 3 by 3 kernel whose top row is minus one, middle row zero and bottom row plus one. The result is a 4 by 4 grid whose middle two rows hold large values (${output[1]?.join(", ")} and ${output[2]?.join(", ")}) where the dark-to-bright edge is, and small values elsewhere. A red 3 by 3 window on the input and a red cell on the output mark one step: the nine window values times the matching kernel values add up to ${focusValue}.`,
    body,
  ),
);
