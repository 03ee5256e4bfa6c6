/**
 * Episode 04: sketches of training and validation loss over the epochs for a model that
 * underfits, one that fits well and one that overfits. The curves are simple formulas chosen to
 * show each pattern, not results of a real training run (those appear in the Training Curves
 * panel).
 *
 * Run: node --import tsx scripts/figures/ep04-fitting-curves.ts
 */
import { COLORS, axes, plotArea, polyline, sample, svgDocument, text, writeFigure } from "./ep04-svg-helpers";

interface Panel {
  title: string;
  caption: string[];
  training: (epoch: number) => number;
  validation: (epoch: number) => number;
}

const decay = (start: number, end: number, speed: number) => (epoch: number) => end + (start - end) * Math.exp(-speed * epoch);

const panels: Panel[] = [
  {
    title: "Underfitting",
    caption: ["both losses stay high:", "the model has not learned enough"],
    training: decay(2.2, 1.75, 0.25),
    validation: decay(2.25, 1.85, 0.22),
  },
  {
    title: "A good fit",
    caption: ["both losses fall and level off", "close to each other"],
    training: decay(2.2, 0.65, 0.35),
    validation: decay(2.1, 0.8, 0.33),
  },
  {
    title: "Overfitting",
    caption: ["training loss keeps falling,", "validation loss turns upwards"],
    training: decay(2.2, 0.15, 0.3),
    validation: (epoch) => decay(2.1, 0.9, 0.45)(epoch) + 0.012 * Math.max(0, epoch - 4) ** 1.6,
  },
];

const panelWidth = 250;
const body: string[] = [];
panels.forEach((panel, index) => {
  const offset = index * panelWidth;
  const plot = plotArea(offset + 40, 50, panelWidth - 60, 160, [0, 20], [0, 2.5]);
  body.push(text(offset + panelWidth / 2, 28, panel.title, { anchor: "middle", weight: "bold", size: 15 }));
  body.push(...axes(plot, "epoch", "loss"));
  body.push(polyline(sample(plot, panel.training, 0, 20), COLORS.blue, 2.5));
  body.push(polyline(sample(plot, panel.validation, 0, 20), COLORS.orange, 2.5, ' stroke-dasharray="7 4"'));
  panel.caption.forEach((lineText, i) => body.push(text(offset + panelWidth / 2, 258 + i * 16, lineText, { anchor: "middle", size: 12, italic: true })));
});

// A legend shared by the three panels.
body.push(polyline([[20, 306], [50, 306]], COLORS.blue, 2.5));
body.push(text(56, 310, "training loss (loss)", { size: 12 }));
body.push(polyline([[220, 306], [250, 306]], COLORS.orange, 2.5, ' stroke-dasharray="7 4"'));
body.push(text(256, 310, "validation loss (val_loss)", { size: 12 }));

writeFigure(
  "04-fitting-curves.svg",
  svgDocument(panelWidth * panels.length, 325, "Sketches of training and validation loss for an underfitting model, a good fit and an overfitting model", body),
);
