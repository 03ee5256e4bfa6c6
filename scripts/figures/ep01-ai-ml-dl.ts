/**
 * Episode 01, figure `01-ai-ml-dl.svg`: artificial intelligence contains machine learning, which
 * contains deep learning, drawn as three nested sets; the lesson's CNNs sit inside deep learning.
 *
 * Run from the repository root: node --import tsx scripts/figures/ep01-ai-ml-dl.ts
 */
import { palette, svgDocument, text, writeFigure } from "./ep01-03-svg";

const width = 760;
const height = 470;
const cx = width / 2;

function ellipse(cy: number, rx: number, ry: number, fill: string, stroke: string): string {
  return `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="${fill}" stroke="${stroke}" stroke-width="2"/>`;
}

const body = [
  // Outer set: artificial intelligence.
  ellipse(240, 360, 220, palette.lightBlue, palette.blue),
  text(cx, 58, "Artificial intelligence", { size: 22, weight: "bold", anchor: "middle", fill: palette.blue }),
  text(cx, 82, "machines that do tasks which normally need human intelligence", { size: 14, anchor: "middle" }),
  // Middle set: machine learning.
  ellipse(282, 270, 165, palette.lightGreen, palette.green),
  text(cx, 148, "Machine learning", { size: 20, weight: "bold", anchor: "middle", fill: "#11694f" }),
  text(cx, 171, "algorithms that learn patterns from example data", { size: 14, anchor: "middle" }),
  text(cx, 189, "instead of following hand-written rules", { size: 14, anchor: "middle" }),
  // Inner set: deep learning.
  ellipse(330, 170, 108, palette.lightOrange, palette.orange),
  text(cx, 262, "Deep learning", { size: 19, weight: "bold", anchor: "middle", fill: "#a34400" }),
  text(cx, 284, "neural networks with many layers", { size: 14, anchor: "middle" }),
  // The lesson's own topic.
  `<rect x="${cx - 140}" y="306" width="280" height="52" rx="26" fill="${palette.paper}" stroke="${palette.orange}" stroke-width="2"/>`,
  text(cx, 329, "Convolutional neural networks", { size: 14, weight: "bold", anchor: "middle" }),
  text(cx, 347, "(this lesson)", { size: 13, anchor: "middle", fill: palette.muted }),
];

writeFigure(
  "01-ai-ml-dl.svg",
  svgDocument(
    width,
    height,
    "Artificial intelligence, machine learning and deep learning",
    "Three nested ellipses. The largest is artificial intelligence, machines doing tasks that normally need human intelligence. Inside it is machine learning, algorithms that learn patterns from example data. Inside that is deep learning, neural networks with many layers, which contains the convolutional neural networks of this lesson.",
    body,
  ),
);
