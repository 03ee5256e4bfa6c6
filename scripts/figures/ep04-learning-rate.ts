/**
 * Episode 04: three sketches of gradient descent on a one-weight loss curve, one per learning
 * rate (too small, about right, too large). The steps are computed, not drawn by hand: each new
 * weight is the old one minus the learning rate times the slope of the curve.
 *
 * Run: node --import tsx scripts/figures/ep04-learning-rate.ts
 */
import { COLORS, axes, circle, line, plotArea, polyline, sample, svgDocument, text, writeFigure } from "./ep04-svg-helpers";

/** The loss as a function of one weight: a bowl with its lowest point at weight 3. */
const loss = (w: number): number => (w - 3) ** 2 + 0.5;
const slope = (w: number): number => 2 * (w - 3);

function descend(start: number, learningRate: number, steps: number): number[] {
  const weights = [start];
  for (let i = 0; i < steps; i++) {
    const w = weights[weights.length - 1] ?? start;
    weights.push(w - learningRate * slope(w));
  }
  return weights;
}

interface Panel {
  title: string;
  caption: string;
  learningRate: number;
  start: number;
  steps: number;
}

const panels: Panel[] = [
  { title: "Too small", caption: "tiny steps: the minimum is still far away", learningRate: 0.04, start: 0.2, steps: 7 },
  { title: "About right", caption: "steps shrink as the slope flattens", learningRate: 0.3, start: 0.2, steps: 6 },
  { title: "Too large", caption: "every step overshoots the minimum", learningRate: 1.02, start: 1, steps: 5 },
];

const panelWidth = 260;
const body: string[] = [];
panels.forEach((panel, index) => {
  const offset = index * panelWidth;
  const plot = plotArea(offset + 40, 50, panelWidth - 60, 170, [-0.3, 6.3], [0, 11]);
  body.push(text(offset + panelWidth / 2, 28, `${panel.title} (learning rate ${panel.learningRate})`, { anchor: "middle", weight: "bold", size: 14 }));
  body.push(...axes(plot, "weight", "loss"));
  body.push(polyline(sample(plot, loss, -0.2, 6.2), COLORS.blue, 2.5));
  // The lowest point of the curve, where training would like to end up.
  body.push(line(plot.x(3), plot.y(0.5), plot.x(3), plot.y(0), COLORS.grey, 1, ' stroke-dasharray="3 3"'));
  body.push(text(plot.x(3), plot.y(0) + 13, "best weight", { anchor: "middle", size: 10, color: COLORS.grey }));

  const weights = descend(panel.start, panel.learningRate, panel.steps);
  for (let i = 1; i < weights.length; i++) {
    const from = weights[i - 1] ?? 0;
    const to = weights[i] ?? 0;
    body.push(line(plot.x(from), plot.y(loss(from)), plot.x(to), plot.y(loss(to)), COLORS.red, 1.6, ' marker-end="url(#arrow)"'));
  }
  weights.forEach((w, i) => body.push(circle(plot.x(w), plot.y(loss(w)), i === 0 ? 5 : 3.5, i === 0 ? COLORS.orange : COLORS.red)));
  body.push(text(offset + panelWidth / 2, 268, panel.caption, { anchor: "middle", size: 12, italic: true }));
});
body.push(text(20, 292, "Orange dot: the starting weight. Red arrows: one update each.", { size: 11, color: COLORS.axis }));

writeFigure(
  "04-learning-rate.svg",
  svgDocument(panelWidth * panels.length, 300, "Gradient descent on a loss curve with a learning rate that is too small, about right and too large", body),
);
