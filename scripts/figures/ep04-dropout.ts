/**
 * Episode 04: the same small network twice, once with every neuron active and once during a
 * training step with dropout, where some neurons (crossed out) and all their connections are
 * switched off. Which neurons drop is fixed here so the figure is the same on every run.
 *
 * Run: node --import tsx scripts/figures/ep04-dropout.ts
 */
import { COLORS, circle, line, svgDocument, text, writeFigure } from "./ep04-svg-helpers";

/** Neurons per layer: input, two hidden layers, output. */
const layerSizes = [4, 6, 6, 3];
/** Hidden neurons switched off in the dropout picture, as [layer, index]. */
const dropped = new Set(["1:1", "1:4", "2:0", "2:2", "2:5"]);

const panelWidth = 340;
const top = 60;
const height = 230;

function neuronPosition(offset: number, layer: number, index: number): [number, number] {
  const size = layerSizes[layer] ?? 1;
  const x = offset + 50 + layer * ((panelWidth - 100) / (layerSizes.length - 1));
  const y = top + ((index + 0.5) * height) / size;
  return [x, y];
}

function network(offset: number, withDropout: boolean): string[] {
  const parts: string[] = [];
  const isDropped = (layer: number, index: number) => withDropout && dropped.has(`${layer}:${index}`);
  // Connections first so the neurons are drawn on top of them.
  for (let layer = 0; layer < layerSizes.length - 1; layer++) {
    for (let a = 0; a < (layerSizes[layer] ?? 0); a++) {
      for (let b = 0; b < (layerSizes[layer + 1] ?? 0); b++) {
        if (isDropped(layer, a) || isDropped(layer + 1, b)) continue;
        const [x1, y1] = neuronPosition(offset, layer, a);
        const [x2, y2] = neuronPosition(offset, layer + 1, b);
        parts.push(line(x1, y1, x2, y2, COLORS.grey, 0.9));
      }
    }
  }
  for (let layer = 0; layer < layerSizes.length; layer++) {
    for (let index = 0; index < (layerSizes[layer] ?? 0); index++) {
      const [x, y] = neuronPosition(offset, layer, index);
      if (isDropped(layer, index)) {
        parts.push(circle(x, y, 12, "#ffffff", COLORS.grey, 1.5, ' stroke-dasharray="3 3"'));
        parts.push(line(x - 7, y - 7, x + 7, y + 7, COLORS.red, 2.2));
        parts.push(line(x - 7, y + 7, x + 7, y - 7, COLORS.red, 2.2));
      } else {
        const fill = layer === 0 ? COLORS.green : layer === layerSizes.length - 1 ? COLORS.orange : COLORS.blue;
        parts.push(circle(x, y, 12, fill, "#ffffff", 1.5));
      }
    }
  }
  return parts;
}

const body: string[] = [
  text(panelWidth / 2, 32, "Without dropout: every neuron active", { anchor: "middle", weight: "bold", size: 14 }),
  ...network(0, false),
  text(panelWidth + panelWidth / 2, 32, "With dropout: one training step", { anchor: "middle", weight: "bold", size: 14 }),
  ...network(panelWidth, true),
  ...["input", "hidden", "hidden", "output"].map((label, layer) =>
    text(neuronPosition(0, layer, 0)[0], top + height + 26, label, { anchor: "middle", size: 11, color: COLORS.axis }),
  ),
  text(panelWidth + panelWidth / 2, top + height + 26, "crossed out: silenced for this step only", { anchor: "middle", size: 11, color: COLORS.axis }),
];

writeFigure(
  "04-dropout.svg",
  svgDocument(panelWidth * 2, top + height + 45, "A small network with all neurons active, and the same network during a training step in which dropout has switched off some hidden neurons and their connections", body),
);
