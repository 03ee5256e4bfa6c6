/**
 * Small helpers shared by the figure scripts of episodes 01-03 (`ep01-*.ts`, `ep02-*.ts`,
 * `ep03-*.ts`): build an SVG document as a string, escape text, write it into the lesson's
 * `figures/` folder, and read a real image out of Debian's Fashion-MNIST package.
 *
 * Every figure has its own white background so that it reads the same in light and dark editor
 * themes, and a <title>/<desc> for screen readers.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const figuresDir = join(repoRoot, "lessons", "intro-image-classification-cnn", "figures");

/** Colours picked to stay distinguishable for the common forms of colour blindness. */
export const palette = {
  ink: "#1f2933",
  muted: "#52606d",
  line: "#9aa5b1",
  paper: "#ffffff",
  blue: "#1f77b4",
  lightBlue: "#c6dbef",
  orange: "#e66101",
  lightOrange: "#fdb863",
  purple: "#5e3c99",
  lightPurple: "#b2abd2",
  green: "#1b9e77",
  lightGreen: "#b8e0d2",
  red: "#d62728",
  yellow: "#f1c40f",
} as const;

export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Rounds coordinates so the files stay small and diff well. */
export function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export interface TextOptions {
  size?: number;
  anchor?: "start" | "middle" | "end";
  weight?: "normal" | "bold";
  fill?: string;
  italic?: boolean;
  family?: "sans" | "mono";
  /** Draws a white outline behind the letters so text stays readable where it crosses a line. */
  halo?: boolean;
}

export function text(x: number, y: number, content: string, options: TextOptions = {}): string {
  const size = options.size ?? 14;
  const family = options.family === "mono" ? "DejaVu Sans Mono, Menlo, Consolas, monospace" : "DejaVu Sans, Helvetica, Arial, sans-serif";
  const attributes = [
    `x="${n(x)}"`,
    `y="${n(y)}"`,
    `font-family="${family}"`,
    `font-size="${size}"`,
    `fill="${options.fill ?? palette.ink}"`,
  ];
  if (options.anchor !== undefined && options.anchor !== "start") attributes.push(`text-anchor="${options.anchor}"`);
  if (options.weight === "bold") attributes.push(`font-weight="bold"`);
  if (options.italic === true) attributes.push(`font-style="italic"`);
  if (options.halo === true) attributes.push(`stroke="${palette.paper}" stroke-width="4" stroke-linejoin="round" paint-order="stroke"`);
  return `<text ${attributes.join(" ")}>${esc(content)}</text>`;
}

export function rect(x: number, y: number, width: number, height: number, fill: string, extra = ""): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}" fill="${fill}"${extra === "" ? "" : " " + extra}/>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1.5, extra = ""): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}" stroke-width="${n(width)}"${extra === "" ? "" : " " + extra}/>`;
}

/** A marker definition for arrow heads; use with `marker-end="url(#arrow)"`. */
export function arrowDefs(color: string = palette.muted): string {
  return (
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker></defs>`
  );
}

export function arrow(x1: number, y1: number, x2: number, y2: number, color: string = palette.muted, width = 2): string {
  return line(x1, y1, x2, y2, color, width, `marker-end="url(#arrow)"`);
}

/** A complete SVG document with a white rounded background, a title and a description. */
export function svgDocument(width: number, height: number, title: string, description: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="title desc">`,
    `<title id="title">${esc(title)}</title>`,
    `<desc id="desc">${esc(description)}</desc>`,
    rect(0, 0, width, height, palette.paper, `rx="12" stroke="${palette.line}" stroke-width="1"`),
    ...body,
    `</svg>`,
    ``,
  ].join("\n");
}

export function writeFigure(fileName: string, svg: string): void {
  mkdirSync(figuresDir, { recursive: true });
  const path = join(figuresDir, fileName);
  writeFileSync(path, svg);
  console.log(`wrote ${path} (${svg.length.toLocaleString("en-US")} bytes)`);
}

/** Hex colour for a grey level 0..255. */
export function grey(level: number): string {
  const v = Math.max(0, Math.min(255, Math.round(level)));
  const h = v.toString(16).padStart(2, "0");
  return `#${h}${h}${h}`;
}

export function rgbHex(r: number, g: number, b: number): string {
  return "#" + [r, g, b].map((c) => Math.max(0, Math.min(255, Math.round(c))).toString(16).padStart(2, "0")).join("");
}

/**
 * The real images used by the figures come from Fashion-MNIST (Zalando SE, 2017, MIT/Expat
 * licence) as Debian's `dataset-fashion-mnist` package installs it. Install it with
 * `apt-get install dataset-fashion-mnist` before running a script that needs it.
 */
export const fashionMnistDir = "/usr/share/datasets/fashion-mnist";
export const fashionMnistClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

export interface GreyImage {
  rows: number;
  cols: number;
  /** Row-major grey levels 0..255. */
  pixels: Uint8Array;
  label: string;
}

/** Reads one image of the Fashion-MNIST test set (IDX format, gzip-compressed). */
export function readFashionMnistTestImage(index: number): GreyImage {
  const images = gunzipSync(readFileSync(join(fashionMnistDir, "t10k-images-idx3-ubyte.gz")));
  const labels = gunzipSync(readFileSync(join(fashionMnistDir, "t10k-labels-idx1-ubyte.gz")));
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049) throw new Error("not Fashion-MNIST IDX files");
  const count = images.readUInt32BE(4);
  const rows = images.readUInt32BE(8);
  const cols = images.readUInt32BE(12);
  if (index < 0 || index >= count) throw new Error(`image ${index} is outside 0..${count - 1}`);
  const start = 16 + index * rows * cols;
  const label = fashionMnistClasses[labels[8 + index] ?? -1];
  if (label === undefined) throw new Error(`image ${index} has no label`);
  return { rows, cols, pixels: images.subarray(start, start + rows * cols), label };
}

/**
 * Draws a matrix of coloured squares, one per pixel. Runs of equal colour along a row are merged
 * into one rectangle to keep the files small.
 */
export function pixelGrid(x: number, y: number, cell: number, rows: number, cols: number, colorAt: (r: number, c: number) => string): string {
  const parts: string[] = [];
  for (let r = 0; r < rows; r++) {
    let start = 0;
    while (start < cols) {
      const colour = colorAt(r, start);
      let end = start + 1;
      while (end < cols && colorAt(r, end) === colour) end++;
      // Slightly oversized rectangles hide the hairline seams some renderers draw between neighbours.
      parts.push(`<rect x="${n(x + start * cell)}" y="${n(y + r * cell)}" width="${n((end - start) * cell + 0.3)}" height="${n(cell + 0.3)}" fill="${colour}"/>`);
      start = end;
    }
  }
  return `<g shape-rendering="crispEdges">${parts.join("")}</g>`;
}
