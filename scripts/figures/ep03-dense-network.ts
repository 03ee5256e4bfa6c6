/**
 * Episode 03, figure `03-dense-network.svg`: a small fully connected (dense) network. Three input
 * neurons, a hidden layer of four and an output layer of two; every neuron is connected to every
 * neuron of the next layer, and data flows from left to right.
 *
 * Run from the repository root: node --import tsx scripts/figures/ep03-dense-network.ts
 */
import { arrowDefs, line, palette, svgDocument, text, writeFigure } from "./ep01-03-svg";

const width = 660;
const height = 420;
const radius = 22;
const layers = [
  { name: "input layer", size: 3, x: 120, fill: palette.lightBlue, stroke: palette.blue },
  { name: "hidden layer", size: 4, x: 330, fill: palette.lightGreen, stroke: palette.green },
  { name: "output layer", size: 2, x: 540, fill: palette.lightPurple, stroke: palette.purple },
];
const top = 70;
const bottom = 320;
const ys = (size: number): number[] => {
  const gap = (bottom - top) / 4;
  const first = (top + bottom) / 2 - ((size - 1) * gap) / 2;
  return Array.from({ length: size }, (_, i) => first + i * gap);
};

const body: string[] = [arrowDefs(palette.line)];
let connections = 0;
for (let l = 0; l + 1 < layers.length; l++) {
  const from = layers[l];
  const to = layers[l + 1];
  if (from === undefined || to === undefined) continue;
  for (const y1 of ys(from.size)) {
    for (const y2 of ys(to.size)) {
      const dx = to.x - from.x;
      const dy = y2 - y1;
      const d = Math.hypot(dx, dy);
      body.push(
        line(from.x + (radius * dx) / d, y1 + (radius * dy) / d, to.x - ((radius + 2) * dx) / d, y2 - ((radius + 2) * dy) / d, palette.line, 1.4, `marker-end="url(#arrow)"`),
      );
      connections++;
    }
  }
}
for (const layer of layers) {
  for (const y of ys(layer.size)) {
    body.push(`<circle cx="${layer.x}" cy="${y}" r="${radius}" fill="${layer.fill}" stroke="${layer.stroke}" stroke-width="2"/>`);
  }
  body.push(text(layer.x, 40, layer.name, { size: 15, weight: "bold", anchor: "middle" }));
  body.push(text(layer.x, 352, `${layer.size} neurons`, { size: 13, anchor: "middle", fill: palette.muted }));
}
const biases = layers.slice(1).reduce((acc, layer) => acc + layer.size, 0);
body.push(text(width / 2, 384, `Each of the ${connections} arrows carries its own weight, and each of the ${biases} hidden and`, { size: 13, anchor: "middle", fill: palette.muted }));
body.push(text(width / 2, 402, `output neurons adds a bias: ${connections + biases} numbers that training adjusts.`, { size: 13, anchor: "middle", fill: palette.muted }));

writeFigure(
  "03-dense-network.svg",
  svgDocument(
    width,
    height,
    "A small dense neural network",
    `Three columns of circles, the neurons: an input layer of three, a hidden layer of four and an output layer of two. Arrows run from every neuron of one layer to every neuron of the next, left to right, ${connections} connections in all, each with its own weight.`,
    body,
  ),
);
