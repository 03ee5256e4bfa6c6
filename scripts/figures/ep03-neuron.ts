/**
 * Episode 03, figure `03-neuron.svg`: one artificial neuron. Three inputs, each multiplied by its
 * weight, are summed with a bias; the ReLU activation turns the sum into the neuron's output. A
 * worked example with made-up numbers runs along underneath.
 *
 * Run from the repository root: node --import tsx scripts/figures/ep03-neuron.ts
 */
import { arrow, arrowDefs, n, palette, svgDocument, text, writeFigure } from "./ep01-03-svg";

const inputs = [0.5, 0.2, 0.9];
const weights = [0.4, -0.6, 0.3];
const bias = 0.1;
const sum = inputs.reduce((acc, x, i) => acc + x * (weights[i] ?? 0), bias);
const output = Math.max(0, sum);
const fmt = (v: number): string => (Math.round(v * 100) / 100).toString();

const width = 780;
const height = 380;
const body: string[] = [arrowDefs()];

const inX = 90;
const inYs = [80, 160, 240];
const sumX = 380;
const sumY = 160;
const sumR = 46;
const actX = 520;
const actW = 110;
const outX = 720;

inYs.forEach((y, i) => {
  body.push(`<circle cx="${inX}" cy="${y}" r="26" fill="${palette.lightBlue}" stroke="${palette.blue}" stroke-width="2"/>`);
  body.push(text(inX, y + 6, `x${"\u2081\u2082\u2083"[i] ?? ""}`, { size: 18, anchor: "middle", weight: "bold" }));
  body.push(text(inX - 40, y + 5, `${fmt(inputs[i] ?? 0)}`, { size: 13, anchor: "end", fill: palette.muted, family: "mono" }));
  // Edge with its weight.
  const dx = sumX - sumR - (inX + 26);
  const dy = sumY - y;
  const ex = sumX - (sumR * (sumX - inX)) / Math.hypot(sumX - inX, dy);
  const ey = sumY - (sumR * dy) / Math.hypot(sumX - inX, dy);
  body.push(arrow(inX + 26, y, ex, ey, palette.muted, 2));
  // Label just beside the edge: above it for the upper two, below it for the lowest.
  const mx = inX + 26 + dx * 0.4;
  const my = y + dy * 0.4 + (i === 2 ? 30 : i === 0 ? -18 : -10);
  body.push(
    text(mx, my, `w${"\u2081\u2082\u2083"[i] ?? ""} = ${fmt(weights[i] ?? 0)}`, { size: 14, anchor: "middle", fill: palette.orange, weight: "bold", halo: true }),
  );
});
body.push(text(inX, 300, "inputs", { size: 14, anchor: "middle", fill: palette.muted }));

// Weighted sum plus bias.
body.push(`<circle cx="${sumX}" cy="${sumY}" r="${sumR}" fill="${palette.lightGreen}" stroke="${palette.green}" stroke-width="2"/>`);
body.push(text(sumX, sumY + 4, "\u03a3 x\u1d62w\u1d62", { size: 18, anchor: "middle", weight: "bold" }));
body.push(text(sumX, sumY + 24, "+ b", { size: 15, anchor: "middle", weight: "bold" }));
body.push(text(sumX, sumY - sumR - 14, `bias b = ${fmt(bias)}`, { size: 14, anchor: "middle", fill: palette.orange, weight: "bold" }));
body.push(text(sumX, sumY + sumR + 22, "weighted sum", { size: 14, anchor: "middle", fill: palette.muted }));
body.push(text(sumX, sumY + sumR + 40, `= ${fmt(sum)}`, { size: 13, anchor: "middle", fill: palette.muted, family: "mono" }));

// Activation: ReLU drawn as a small plot.
body.push(arrow(sumX + sumR, sumY, actX - 4, sumY, palette.muted, 2));
body.push(`<rect x="${actX}" y="${sumY - 50}" width="${actW}" height="100" rx="10" fill="${palette.lightOrange}" stroke="${palette.orange}" stroke-width="2"/>`);
const ox = actX + actW / 2;
const oy = sumY + 26;
body.push(`<line x1="${actX + 10}" y1="${oy}" x2="${actX + actW - 10}" y2="${oy}" stroke="${palette.muted}" stroke-width="1"/>`);
body.push(`<line x1="${ox}" y1="${sumY - 40}" x2="${ox}" y2="${sumY + 40}" stroke="${palette.muted}" stroke-width="1"/>`);
body.push(`<polyline points="${n(actX + 12)},${n(oy)} ${n(ox)},${n(oy)} ${n(actX + actW - 14)},${n(sumY - 36)}" fill="none" stroke="${palette.ink}" stroke-width="3"/>`);
body.push(text(ox, sumY + sumR + 22, "activation (ReLU)", { size: 14, anchor: "middle", fill: palette.muted }));
body.push(text(ox, sumY + sumR + 40, `max(0, ${fmt(sum)})`, { size: 13, anchor: "middle", fill: palette.muted, family: "mono" }));

// Output.
body.push(arrow(actX + actW, sumY, outX - 30, sumY, palette.muted, 2));
body.push(`<circle cx="${outX}" cy="${sumY}" r="26" fill="${palette.lightPurple}" stroke="${palette.purple}" stroke-width="2"/>`);
body.push(text(outX, sumY + 6, "y", { size: 18, anchor: "middle", weight: "bold" }));
body.push(text(outX, sumY + sumR + 22, "output", { size: 14, anchor: "middle", fill: palette.muted }));
body.push(text(outX, sumY + sumR + 40, `= ${fmt(output)}`, { size: 13, anchor: "middle", fill: palette.muted, family: "mono" }));

body.push(
  text(width / 2, 345, "y = ReLU(x\u2081w\u2081 + x\u2082w\u2082 + x\u2083w\u2083 + b)", { size: 18, anchor: "middle", family: "mono" }),
);

writeFigure(
  "03-neuron.svg",
  svgDocument(
    width,
    height,
    "A single artificial neuron",
    `Three inputs x1, x2 and x3, with example values ${inputs.join(", ")}, each travel along an arrow labelled with a weight (${weights.join(", ")}) into a node that adds up the weighted inputs and a bias of ${bias}, giving ${fmt(sum)}. The sum passes through a ReLU activation, drawn as a line that is flat at zero for negative values and rises for positive ones, which gives the output y = ${fmt(output)}. Underneath: y = ReLU(x1 w1 + x2 w2 + x3 w3 + b).`,
    body,
  ),
);
