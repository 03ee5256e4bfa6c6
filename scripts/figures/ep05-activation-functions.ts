/**
 * Episode 05: the activation functions compared in the tuning challenge, each drawn from its
 * formula on the same input range (Keras's constants for SELU and Leaky ReLU's default slope).
 *
 * Run: node --import tsx scripts/figures/ep05-activation-functions.ts
 */
import { COLORS, line, plotArea, polyline, sample, svgDocument, text, writeFigure } from "./ep04-svg-helpers";

const seluAlpha = 1.6732632423543772;
const seluScale = 1.0507009873554805;
const leakySlope = 0.3;

const functions: { name: string; note: string; f: (x: number) => number; color: string }[] = [
  { name: "ReLU", note: "0 for negatives, x otherwise", f: (x) => Math.max(0, x), color: COLORS.blue },
  { name: "Leaky ReLU", note: "a small slope below 0", f: (x) => (x > 0 ? x : leakySlope * x), color: COLORS.green },
  { name: "sigmoid", note: "squeezed between 0 and 1", f: (x) => 1 / (1 + Math.exp(-x)), color: COLORS.orange },
  { name: "tanh", note: "between -1 and 1, centred on 0", f: (x) => Math.tanh(x), color: COLORS.purple },
  { name: "SELU", note: "scaled; saturates below 0", f: (x) => seluScale * (x > 0 ? x : seluAlpha * (Math.exp(x) - 1)), color: COLORS.red },
];

const panelWidth = 190;
const body: string[] = [];
functions.forEach((fn, index) => {
  const offset = index * panelWidth;
  const plot = plotArea(offset + 20, 45, panelWidth - 40, 150, [-4, 4], [-2, 4]);
  body.push(text(offset + panelWidth / 2, 28, fn.name, { anchor: "middle", weight: "bold", size: 15 }));
  // Axes through the origin, light so the curve stands out.
  body.push(line(plot.left, plot.y(0), plot.left + plot.width, plot.y(0), COLORS.axis, 1));
  body.push(line(plot.x(0), plot.top, plot.x(0), plot.top + plot.height, COLORS.axis, 1));
  body.push(line(plot.left, plot.y(1), plot.left + plot.width, plot.y(1), COLORS.grey, 0.8, ' stroke-dasharray="2 3"'));
  body.push(text(plot.left + plot.width, plot.y(1) - 3, "1", { anchor: "end", size: 10, color: COLORS.axis }));
  body.push(polyline(sample(plot, fn.f, -4, 4), fn.color, 2.8));
  body.push(text(offset + panelWidth / 2, 218, fn.note, { anchor: "middle", size: 11, italic: true }));
});
body.push(text(20, 246, "Horizontal: the neuron's weighted input, from -4 to 4. Vertical: what the neuron passes on.", { size: 11, color: COLORS.axis }));

writeFigure(
  "05-activation-functions.svg",
  svgDocument(panelWidth * functions.length, 260, "Shapes of the ReLU, Leaky ReLU, sigmoid, tanh and SELU activation functions", body),
);
