/**
 * Episode 03, figure `03-cnn-architecture.svg`: the lesson's introductory CNN, layer by layer. Each
 * image-shaped output is drawn as a box whose front face scales with its height and width and whose
 * depth scales with its number of channels; flat outputs are drawn as bars. Under every layer: its
 * output shape and parameter count, computed here with the same formulas Keras uses.
 *
 * Run from the repository root: node --import tsx scripts/figures/ep03-cnn-architecture.ts
 */
import { arrow, arrowDefs, palette, svgDocument, text, writeFigure } from "./ep01-03-svg";

type Layer =
  | { kind: "input"; name: string; size: number; channels: number }
  | { kind: "conv"; name: string; filters: number; kernel: number }
  | { kind: "pool"; name: string; pool: number }
  | { kind: "flatten"; name: string }
  | { kind: "dense"; name: string; units: number; activation: string };

const layers: Layer[] = [
  { kind: "input", name: "Input", size: 32, channels: 3 },
  { kind: "conv", name: "Conv2D", filters: 16, kernel: 3 },
  { kind: "pool", name: "MaxPooling2D", pool: 2 },
  { kind: "conv", name: "Conv2D", filters: 32, kernel: 3 },
  { kind: "pool", name: "MaxPooling2D", pool: 2 },
  { kind: "flatten", name: "Flatten" },
  { kind: "dense", name: "Dense", units: 64, activation: "relu" },
  { kind: "dense", name: "Dense", units: 10, activation: "softmax" },
];

interface Shaped {
  layer: Layer;
  shape: number[];
  params: number;
  detail: string;
}

// Propagate shapes and count parameters the way Keras does ("valid" padding, stride 1 convolutions).
const shaped: Shaped[] = [];
let shape: number[] = [];
for (const layer of layers) {
  let params = 0;
  let detail = "";
  switch (layer.kind) {
    case "input":
      shape = [layer.size, layer.size, layer.channels];
      detail = "one colour image";
      break;
    case "conv": {
      const [h = 0, w = 0, c = 0] = shape;
      params = (layer.kernel * layer.kernel * c + 1) * layer.filters;
      shape = [h - layer.kernel + 1, w - layer.kernel + 1, layer.filters];
      detail = `${layer.filters} filters ${layer.kernel}\u00d7${layer.kernel}, relu`;
      break;
    }
    case "pool": {
      const [h = 0, w = 0, c = 0] = shape;
      shape = [Math.floor(h / layer.pool), Math.floor(w / layer.pool), c];
      detail = `${layer.pool}\u00d7${layer.pool} window`;
      break;
    }
    case "flatten":
      shape = [shape.reduce((a, b) => a * b, 1)];
      detail = "one long vector";
      break;
    case "dense": {
      const inputs = shape[0] ?? 0;
      params = (inputs + 1) * layer.units;
      shape = [layer.units];
      detail = `${layer.units} neurons, ${layer.activation}`;
      break;
    }
  }
  shaped.push({ layer, shape: [...shape], params, detail });
}
const total = shaped.reduce((sum, s) => sum + s.params, 0);
if (total !== 79530) throw new Error(`the intro model should have 79,530 parameters, got ${total}`);

const width = 1180;
const height = 440;
const baseY = 250; // vertical centre line of the drawings
const body: string[] = [arrowDefs()];
const fills: Record<Layer["kind"], [string, string]> = {
  input: [palette.lightBlue, palette.blue],
  conv: [palette.lightOrange, palette.orange],
  pool: [palette.lightGreen, palette.green],
  flatten: [palette.lightPurple, palette.purple],
  dense: [palette.lightPurple, palette.purple],
};

/** A box seen slightly from above and the right: front face size x size, `depth` deep. */
function box(x: number, size: number, depth: number, fill: string, stroke: string): string {
  const y = baseY - size / 2;
  const dx = depth * 0.75;
  const dy = -depth * 0.5;
  return [
    `<polygon points="${x},${y} ${x + dx},${y + dy} ${x + dx + size},${y + dy} ${x + size},${y}" fill="${fill}" stroke="${stroke}" stroke-width="1.5" fill-opacity="0.75"/>`,
    `<polygon points="${x + size},${y} ${x + size + dx},${y + dy} ${x + size + dx},${y + dy + size} ${x + size},${y + size}" fill="${fill}" stroke="${stroke}" stroke-width="1.5" fill-opacity="0.55"/>`,
    `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`,
  ].join("");
}

const columns = [90, 245, 390, 520, 650, 770, 890, 1020];
const pixel = 3.4; // drawing pixels per image pixel
const lastIndex = shaped.length - 1;
shaped.forEach((s, i) => {
  const cx = columns[i] ?? 0;
  const [fill, stroke] = fills[s.layer.kind];
  let rightEdge = cx;
  let leftEdge = cx;
  if (s.shape.length === 3) {
    const [h = 0, , c = 0] = s.shape;
    const size = h * pixel;
    const depth = Math.max(6, c * 1.3);
    leftEdge = cx - size / 2;
    body.push(box(leftEdge, size, depth, fill, stroke));
    rightEdge = leftEdge + size + depth * 0.75;
  } else {
    const units = s.shape[0] ?? 0;
    const barH = Math.min(200, 24 + Math.sqrt(units) * 5.2);
    leftEdge = cx - 9;
    rightEdge = cx + 9;
    body.push(`<rect x="${leftEdge}" y="${baseY - barH / 2}" width="18" height="${barH}" rx="3" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`);
    if (i === lastIndex) {
      for (let k = 1; k < units; k++) {
        const y = baseY - barH / 2 + (barH * k) / units;
        body.push(`<line x1="${leftEdge}" y1="${y}" x2="${rightEdge}" y2="${y}" stroke="${stroke}" stroke-width="0.8"/>`);
      }
    }
  }
  // Arrow to the next layer.
  const next = columns[i + 1];
  const nextShape = shaped[i + 1];
  if (next !== undefined && nextShape !== undefined) {
    const nextLeft = nextShape.shape.length === 3 ? next - ((nextShape.shape[0] ?? 0) * pixel) / 2 : next - 9;
    body.push(arrow(rightEdge + 6, baseY, nextLeft - 6, baseY, palette.muted, 1.5));
  }
  const label = s.shape.length === 3 ? `${s.shape[0]}\u00d7${s.shape[1]}\u00d7${s.shape[2]}` : `${s.shape[0]}`;
  body.push(text(cx, 372, s.layer.name, { size: 14, weight: "bold", anchor: "middle" }));
  body.push(text(cx, 390, s.detail, { size: 12, anchor: "middle", fill: palette.muted }));
  body.push(text(cx, 408, `output ${label}`, { size: 12, anchor: "middle", family: "mono" }));
  body.push(text(cx, 425, `${s.params.toLocaleString("en-US")} params`, { size: 12, anchor: "middle", family: "mono", fill: palette.muted }));
});
body.push(text(columns[lastIndex]! + 22, baseY - 6, "one probability", { size: 12, fill: palette.muted }));
body.push(text(columns[lastIndex]! + 22, baseY + 10, "per class", { size: 12, fill: palette.muted }));

// Brackets for the three parts of the network.
function bracket(x1: number, x2: number, label: string): void {
  const y = 70;
  body.push(`<path d="M${x1},${y + 10} L${x1},${y} L${x2},${y} L${x2},${y + 10}" fill="none" stroke="${palette.muted}" stroke-width="1.5"/>`);
  body.push(text((x1 + x2) / 2, y - 10, label, { size: 14, weight: "bold", anchor: "middle", fill: palette.muted }));
}
bracket(30, 150, "Part 1: input");
bracket(170, 935, "Part 2: hidden layers (feature extraction, then flattening and a dense layer)");
bracket(960, 1150, "Part 3: output");
body.push(text(width / 2, 30, `The introductory CNN: ${total.toLocaleString("en-US")} parameters in all`, { size: 16, weight: "bold", anchor: "middle" }));

writeFigure(
  "03-cnn-architecture.svg",
  svgDocument(
    width,
    height,
    "The architecture of the introductory CNN",
    "Eight layers from left to right, grouped into three parts. Part 1, the input: a 32 by 32 by 3 colour image. Part 2, the hidden layers: a Conv2D layer with 16 filters of 3 by 3 gives 30 by 30 by 16 and has 448 parameters; 2 by 2 max pooling halves it to 15 by 15 by 16; a Conv2D layer with 32 filters gives 13 by 13 by 32 with 4,640 parameters; max pooling gives 6 by 6 by 32; Flatten turns that into a vector of 1,152 numbers; a Dense layer of 64 relu neurons has 73,792 parameters. Part 3, the output: a Dense layer of 10 softmax neurons with 650 parameters gives one probability per class. Image-shaped outputs are drawn as boxes that get smaller and deeper from layer to layer; flat outputs as bars. 79,530 parameters in all.",
    body,
  ),
);
