/**
 * Episode 02, figure `02-rgb-channels.svg`: a colour image is three grids of numbers. A tiny
 * 4 x 4 colour picture (made up for the figure: sky, a sun, a red flower, grass) is split into its
 * red, green and blue channels with each value written in; one pixel is followed through
 * normalisation (divide by 255).
 *
 * Run from the repository root: node --import tsx scripts/figures/ep02-rgb-channels.ts
 */
import { arrow, arrowDefs, palette, pixelGrid, rgbHex, svgDocument, text, writeFigure } from "./ep01-03-svg";

type Rgb = [number, number, number];
const picture: Rgb[][] = [
  [[100, 150, 200], [110, 160, 210], [250, 220, 60], [120, 170, 220]],
  [[90, 140, 190], [100, 150, 200], [110, 160, 210], [100, 150, 200]],
  [[60, 160, 60], [70, 170, 70], [220, 50, 60], [60, 150, 50]],
  [[40, 120, 40], [50, 130, 45], [60, 140, 50], [40, 110, 35]],
];
const size = picture.length;
const at = (r: number, c: number): Rgb => picture[r]?.[c] ?? [0, 0, 0];

const width = 780;
const height = 396;
const body: string[] = [arrowDefs()];

// The picture as the eye sees it.
const pictureCell = 40;
const px = 36;
const py = 86;
body.push(text(px, 50, "The picture", { size: 15, weight: "bold" }));
body.push(text(px, 68, "4 \u00d7 4 pixels", { size: 13, fill: palette.muted }));
body.push(pixelGrid(px, py, pictureCell, size, size, (r, c) => rgbHex(...at(r, c))));
body.push(`<rect x="${px}" y="${py}" width="${pictureCell}" height="${pictureCell}" fill="none" stroke="${palette.ink}" stroke-width="3"/>`);
body.push(arrow(px + size * pictureCell + 14, py + 80, px + size * pictureCell + 50, py + 80));

// The three channels.
const channelCell = 38;
const channelNames = ["Red", "Green", "Blue"] as const;
const channelTint: ((v: number) => string)[] = [(v) => rgbHex(v, 0, 0), (v) => rgbHex(0, v, 0), (v) => rgbHex(0, 0, v)];
const channelTitleColour = ["#b71c1c", "#1b7a2f", "#1f4fb4"];
/** White text on dark tints, dark text on light ones (by the tint's luminance). */
function textOn(channel: number, v: number): string {
  const luminance = [0.2126, 0.7152, 0.0722][channel] ?? 0;
  return luminance * v < 130 ? "#ffffff" : palette.ink;
}
let cx = 262;
channelNames.forEach((name, k) => {
  body.push(text(cx, 50, `${name} channel`, { size: 15, weight: "bold", fill: channelTitleColour[k] ?? palette.ink }));
  body.push(text(cx, 68, `picture[:, :, ${k}]`, { size: 13, family: "mono", fill: palette.muted }));
  const tint = channelTint[k] ?? ((): string => "#000");
  body.push(pixelGrid(cx, py, channelCell, size, size, (r, c) => tint(at(r, c)[k] ?? 0)));
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const v = at(r, c)[k] ?? 0;
      body.push(
        text(cx + c * channelCell + channelCell / 2, py + r * channelCell + channelCell / 2 + 5, String(v), {
          size: 13,
          anchor: "middle",
          family: "mono",
          fill: textOn(k, v),
        }),
      );
    }
  }
  body.push(`<rect x="${cx}" y="${py}" width="${channelCell}" height="${channelCell}" fill="none" stroke="${palette.yellow}" stroke-width="3"/>`);
  cx += size * channelCell + 24;
});

// Shape and normalisation of one pixel.
const [r0, g0, b0] = at(0, 0);
const norm = (v: number): string => (v / 255).toFixed(2);
const ty = py + size * channelCell + 46;
body.push(text(262, ty, "Stacked: an array of shape (height, width, channels) = (4, 4, 3).", { size: 14 }));
body.push(text(262, ty + 22, "A CIFAR-10 image has the same layout with shape (32, 32, 3).", { size: 14 }));
body.push(text(36, ty + 66, "The outlined top-left pixel:", { size: 14, weight: "bold" }));
body.push(
  text(262, ty + 66, `(${r0}, ${g0}, ${b0})   \u00f7 255   \u2192   (${norm(r0)}, ${norm(g0)}, ${norm(b0)})`, {
    size: 15,
    family: "mono",
  }),
);
body.push(text(262, ty + 88, "Normalising divides every value by 255, so the inputs lie between 0 and 1.", { size: 13, fill: palette.muted }));

writeFigure(
  "02-rgb-channels.svg",
  svgDocument(
    width,
    height,
    "A colour image is three channels of numbers",
    `A tiny 4 by 4 pixel colour picture of sky, a yellow sun, a red flower and grass, next to its red, green and blue channels: three 4 by 4 grids of numbers between 0 and 255. Stacked they form an array of shape 4, 4, 3; a CIFAR-10 image has shape 32, 32, 3. The top-left pixel has the values ${r0}, ${g0}, ${b0}; divided by 255 they become ${norm(r0)}, ${norm(g0)}, ${norm(b0)}.`,
    body,
  ),
);
