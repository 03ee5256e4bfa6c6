/**
 * Episode 03, figure `03-edge-detection.svg`: the horizontal-edge kernel of the episode applied to
 * a real photograph. Left, the image; middle, the feature map of the kernel
 * [[-1,-1,-1],[0,0,0],[1,1,1]]; right, for contrast, the same kernel turned on its side, which
 * finds vertical edges instead. Pixel values are normalised to 0..1 first, as the lesson does, and
 * the convolution uses "valid" padding like Keras's Conv2D default, so 28 x 28 becomes 26 x 26.
 *
 * Source of the image: Fashion-MNIST test set, image 30 (label "Bag"), from Debian's
 * `dataset-fashion-mnist` package (/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz).
 * Fashion-MNIST is (c) 2017 Zalando SE, released under the MIT (Expat) licence.
 *
 * Run from the repository root: node --import tsx scripts/figures/ep03-edge-detection.ts
 */
import { grey, palette, pixelGrid, rect, readFashionMnistTestImage, svgDocument, text, writeFigure } from "./ep01-03-svg";

const imageIndex = 30;
const image = readFashionMnistTestImage(imageIndex);
if (image.label !== "Bag") throw new Error(`expected a bag at index ${imageIndex}, found ${image.label}`);
const value = (r: number, c: number): number => (image.pixels[r * image.cols + c] ?? 0) / 255;

const horizontal = [
  [-1, -1, -1],
  [0, 0, 0],
  [1, 1, 1],
];
const vertical = [
  [-1, 0, 1],
  [-1, 0, 1],
  [-1, 0, 1],
];

/** Valid cross-correlation, which is what a Keras Conv2D layer computes. */
function convolve(kernel: number[][]): number[][] {
  const k = kernel.length;
  const out: number[][] = [];
  for (let r = 0; r + k <= image.rows; r++) {
    const row: number[] = [];
    for (let c = 0; c + k <= image.cols; c++) {
      let sum = 0;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sum += value(r + i, c + j) * (kernel[i]?.[j] ?? 0);
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}

const maps = [convolve(horizontal), convolve(vertical)];
const scale = Math.max(...maps.flat(2).map(Math.abs));
/** White at zero, orange for positive responses, purple for negative ones. */
function diverging(v: number): string {
  const t = Math.min(1, Math.abs(v) / scale) ** 0.8;
  const [r, g, b] = v >= 0 ? [230, 97, 1] : [94, 60, 153];
  const mix = (a: number): number => Math.round(255 + (a - 255) * t);
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
}

const cell = 7;
const width = 850;
const height = 420;
const panelY = 112;
const xs = [30, 300, 570];
const body: string[] = [];

function kernelPicture(x: number, y: number, kernel: number[][]): string {
  const s = 16;
  const parts: string[] = [];
  kernel.forEach((row, r) =>
    row.forEach((v, c) => {
      const fill = v > 0 ? "#f4a582" : v < 0 ? "#b2abd2" : "#ffffff";
      parts.push(rect(x + c * s, y + r * s, s, s, fill, `stroke="${palette.line}" stroke-width="0.8"`));
      parts.push(text(x + c * s + s / 2, y + r * s + 12, v < 0 ? "\u22121" : String(v), { size: 10, anchor: "middle", family: "mono" }));
    }),
  );
  return parts.join("");
}

body.push(text(xs[0] ?? 0, 40, "A real image", { size: 15, weight: "bold" }));
body.push(text(xs[0] ?? 0, 60, `Fashion-MNIST \u201c${image.label}\u201d, ${image.rows} \u00d7 ${image.cols}`, { size: 13, fill: palette.muted }));
body.push(pixelGrid(xs[0] ?? 0, panelY, cell, image.rows, image.cols, (r, c) => grey(value(r, c) * 255)));

const titles = ["Horizontal-edge kernel", "The kernel turned on its side"];
const kernels = [horizontal, vertical];
maps.forEach((map, m) => {
  const x = xs[m + 1] ?? 0;
  const offset = cell; // a 26 x 26 map, centred under a 28 x 28 image
  body.push(text(x, 40, titles[m] ?? "", { size: 15, weight: "bold" }));
  body.push(kernelPicture(x, 52, kernels[m] ?? []));
  body.push(text(x + 58, 70, m === 0 ? "finds horizontal edges" : "finds vertical edges", { size: 13, fill: palette.muted }));
  body.push(text(x + 58, 88, "(26 \u00d7 26 feature map)", { size: 13, fill: palette.muted }));
  body.push(pixelGrid(x + offset, panelY + offset, cell, map.length, map[0]?.length ?? 0, (r, c) => diverging(map[r]?.[c] ?? 0)));
  body.push(`<rect x="${x + offset}" y="${panelY + offset}" width="${26 * cell}" height="${26 * cell}" fill="none" stroke="${palette.line}"/>`);
});

// Legend.
const ly = panelY + image.rows * cell + 36;
body.push(rect(xs[1] ?? 0, ly - 11, 14, 14, diverging(scale)));
body.push(text((xs[1] ?? 0) + 20, ly, "orange: dark above / left, bright below / right", { size: 13 }));
body.push(rect(xs[1] ?? 0, ly + 11, 14, 14, diverging(-scale)));
body.push(text((xs[1] ?? 0) + 20, ly + 22, "purple: bright above / left, dark below / right", { size: 13 }));
body.push(rect(xs[1] ?? 0, ly + 33, 14, 14, "#ffffff", `stroke="${palette.line}"`));
body.push(text((xs[1] ?? 0) + 20, ly + 44, "white: no edge in that direction", { size: 13 }));
body.push(text(xs[0] ?? 0, ly, "Top and bottom edges light up in", { size: 13, fill: palette.muted }));
body.push(text(xs[0] ?? 0, ly + 18, "the middle map; the sides and the", { size: 13, fill: palette.muted }));
body.push(text(xs[0] ?? 0, ly + 36, "handle\u2019s uprights in the right one.", { size: 13, fill: palette.muted }));

writeFigure(
  "03-edge-detection.svg",
  svgDocument(
    width,
    height,
    "Edge detection with a 3 by 3 kernel on a real image",
    "Three panels. Left: a real 28 by 28 greyscale photo of a bag from the Fashion-MNIST data set. Middle: the 26 by 26 result of the horizontal-edge kernel, minus ones on top, zeros in the middle, ones at the bottom; the top edge of the bag shows as a strong orange line and the bottom edge as a purple line, while the vertical sides almost vanish. Right: the kernel turned on its side finds vertical edges instead, so the sides of the bag and the uprights of its handle show as orange and purple lines.",
    body,
  ),
);
