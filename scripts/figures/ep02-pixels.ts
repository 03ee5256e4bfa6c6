/**
 * Episode 02, figure `02-pixels.svg`: a real image is a grid of numbers. Left, a whole
 * Fashion-MNIST test image (a bag, 28 x 28 pixels, one grey channel); right, a 6 x 6 patch of it
 * enlarged with the value of every pixel written in its square.
 *
 * Source of the image: Fashion-MNIST test set, image 30 (label "Bag"), from Debian's
 * `dataset-fashion-mnist` package (/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz).
 * Fashion-MNIST is (c) 2017 Zalando SE, released under the MIT (Expat) licence.
 *
 * Run from the repository root: node --import tsx scripts/figures/ep02-pixels.ts
 */
import { grey, line, palette, pixelGrid, readFashionMnistTestImage, svgDocument, text, writeFigure } from "./ep01-03-svg";

const imageIndex = 30;
const image = readFashionMnistTestImage(imageIndex);
if (image.label !== "Bag") throw new Error(`expected a bag at index ${imageIndex}, found ${image.label}`);

const patch = { row: 6, col: 8, size: 6 };
const value = (r: number, c: number): number => image.pixels[r * image.cols + c] ?? 0;

const width = 720;
const height = 400;
const small = 7;
const imgX = 40;
const imgY = 70;
const big = 46;
const zoomX = 370;
const zoomY = 58;

const body: string[] = [];
body.push(text(imgX, 40, `The whole image: ${image.rows} \u00d7 ${image.cols} pixels`, { size: 15, weight: "bold" }));
body.push(pixelGrid(imgX, imgY, small, image.rows, image.cols, (r, c) => grey(value(r, c))));
// The patch that is enlarged on the right.
const bx = imgX + patch.col * small;
const by = imgY + patch.row * small;
const bs = patch.size * small;
body.push(`<rect x="${bx}" y="${by}" width="${bs}" height="${bs}" fill="none" stroke="${palette.red}" stroke-width="2"/>`);
// Guide lines from the small box to the enlarged patch.
const zs = patch.size * big;
body.push(line(bx + bs, by, zoomX, zoomY, palette.red, 1, `stroke-dasharray="4 3"`));
body.push(line(bx + bs, by + bs, zoomX, zoomY + zs, palette.red, 1, `stroke-dasharray="4 3"`));

body.push(text(zoomX, 40, "Zoomed in: one number per square", { size: 15, weight: "bold" }));
body.push(
  pixelGrid(zoomX, zoomY, big, patch.size, patch.size, (r, c) => grey(value(patch.row + r, patch.col + c))),
);
for (let r = 0; r < patch.size; r++) {
  for (let c = 0; c < patch.size; c++) {
    const v = value(patch.row + r, patch.col + c);
    body.push(
      text(zoomX + c * big + big / 2, zoomY + r * big + big / 2 + 5, String(v), {
        size: 14,
        anchor: "middle",
        family: "mono",
        fill: v < 128 ? "#ffffff" : palette.ink,
      }),
    );
  }
}
body.push(`<rect x="${zoomX}" y="${zoomY}" width="${zs}" height="${zs}" fill="none" stroke="${palette.red}" stroke-width="2"/>`);

const captionY = imgY + image.rows * small + 30;
body.push(text(imgX, captionY, `A real Fashion-MNIST picture (class \u201c${image.label}\u201d).`, { size: 13, fill: palette.muted }));
body.push(text(imgX, captionY + 18, "One channel: shades of grey.", { size: 13, fill: palette.muted }));
body.push(text(zoomX, zoomY + zs + 26, "0 is black, 255 is white, and everything in", { size: 13, fill: palette.muted }));
body.push(text(zoomX, zoomY + zs + 44, "between is a shade of grey.", { size: 13, fill: palette.muted }));

writeFigure(
  "02-pixels.svg",
  svgDocument(
    width,
    height,
    "An image is a grid of pixel values",
    `Left: a real 28 by 28 pixel greyscale picture of a bag from the Fashion-MNIST data set, with a small red square marking a 6 by 6 pixel patch around the top of the bag and its handle. Right: that patch enlarged, each pixel drawn as a large square with its value written inside, from 0 for black to 255 for white; the dark rows above the bag read 0 and the bright rows of the bag read around 150 to 210.`,
    body,
  ),
);
