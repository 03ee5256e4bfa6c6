/**
 * Episode 01, figure `01-cv-tasks.svg`: four computer-vision tasks on one toy pixel scene —
 * classification with localisation, object detection, semantic segmentation and instance
 * segmentation. The animals are pixel-art stand-ins: the figure is a schematic, not a photo.
 *
 * Run from the repository root: node --import tsx scripts/figures/ep01-cv-tasks.ts
 */
import { palette, pixelGrid, rect, svgDocument, text, writeFigure } from "./ep01-03-svg";

const cols = 21;
const rows = 11;
const cell = 12.5;
const panelW = cols * cell;
const panelH = rows * cell;
const horizonRow = 7;

/** Pixel-art shapes; `#` marks a pixel of the object. */
const catShape = ["#...#", "#####", "#####", ".###.", ".#.#."];
const dogShape = ["##.....", "######.", ".######", ".######", ".#...#."];

interface Thing {
  kind: "cat" | "dog";
  label: string;
  shape: string[];
  col: number;
  row: number;
}

const oneCat: Thing[] = [{ kind: "cat", label: "cat", shape: catShape, col: 7, row: 5 }];
const crowd: Thing[] = [
  { kind: "cat", label: "cat 1", shape: catShape, col: 1, row: 5 },
  { kind: "dog", label: "dog", shape: dogShape, col: 7, row: 5 },
  { kind: "cat", label: "cat 2", shape: catShape, col: 15, row: 5 },
];

/** Which object (index into `things`) covers a pixel, or -1 for background. */
function ownerAt(things: Thing[], r: number, c: number): number {
  for (let i = 0; i < things.length; i++) {
    const t = things[i];
    if (t === undefined) continue;
    const line = t.shape[r - t.row];
    if (line !== undefined && line[c - t.col] === "#") return i;
  }
  return -1;
}

const photo = { sky: "#dceefb", grass: "#cde8bf", cat: "#7b8794", dog: "#9c5b2e" };
const classColour = { sky: "#9ecae1", grass: "#74c476", cat: palette.orange, dog: palette.purple };
const instanceColour = [palette.orange, palette.purple, palette.blue];

type Mode = "photo" | "semantic" | "instance";

function scene(x: number, y: number, things: Thing[], mode: Mode): string {
  return pixelGrid(x, y, cell, rows, cols, (r, c) => {
    const owner = ownerAt(things, r, c);
    const thing = owner >= 0 ? things[owner] : undefined;
    if (thing !== undefined) {
      if (mode === "photo") return photo[thing.kind];
      if (mode === "semantic") return classColour[thing.kind];
      return instanceColour[owner] ?? palette.ink;
    }
    const region = r < horizonRow ? "sky" : "grass";
    if (mode === "photo") return photo[region];
    if (mode === "semantic") return classColour[region];
    return "#e4e7eb";
  });
}

function box(x: number, y: number, thing: Thing, colour: string): string {
  const widthCells = Math.max(...thing.shape.map((s) => s.length));
  const bx = x + thing.col * cell - 2;
  const by = y + thing.row * cell - 2;
  const bw = widthCells * cell + 4;
  const bh = thing.shape.length * cell + 4;
  const tagW = thing.label.length * 7.5 + 8;
  return [
    `<rect x="${bx}" y="${by}" width="${bw}" height="${bh}" fill="none" stroke="${colour}" stroke-width="2.5"/>`,
    rect(bx - 1.25, by - 17, tagW, 16, colour),
    text(bx + 3, by - 5, thing.label, { size: 12, weight: "bold", fill: palette.paper }),
  ].join("");
}

function legend(x: number, y: number, entries: [string, string][]): string {
  const parts: string[] = [];
  let cx = x;
  for (const [label, colour] of entries) {
    parts.push(rect(cx, y - 10, 12, 12, colour, `stroke="${palette.muted}" stroke-width="0.5"`));
    parts.push(text(cx + 16, y, label, { size: 12 }));
    cx += 22 + label.length * 7;
  }
  return parts.join("");
}

const margin = 30;
const gapX = 40;
const panelBlock = panelH + 96;
const width = margin * 2 + panelW * 2 + gapX;
const height = margin + panelBlock * 2 + 6;

const panels: { title: string; lines: string[]; draw: (x: number, y: number) => string }[] = [
  {
    title: "Classification (+ localisation)",
    lines: ["One label for the whole image: \u201ccat\u201d.", "Localisation adds a box around that object."],
    draw: (x, y) => scene(x, y, oneCat, "photo") + box(x, y, oneCat[0] ?? crowd[0]!, palette.red),
  },
  {
    title: "Object detection",
    lines: ["Finds every object, with a box", "and a label for each one."],
    draw: (x, y) => scene(x, y, crowd, "photo") + crowd.map((t) => box(x, y, t, palette.red)).join(""),
  },
  {
    title: "Semantic segmentation",
    lines: ["A class for every pixel; both cats share", "one colour because they share a class."],
    draw: (x, y) =>
      scene(x, y, crowd, "semantic") +
      legend(x, y + panelH + 18, [
        ["sky", classColour.sky],
        ["grass", classColour.grass],
        ["cat", classColour.cat],
        ["dog", classColour.dog],
      ]),
  },
  {
    title: "Instance segmentation",
    lines: ["The pixels of each object, object by", "object: cat 1, cat 2 and the dog differ."],
    draw: (x, y) =>
      scene(x, y, crowd, "instance") +
      legend(x, y + panelH + 18, [
        ["cat 1", instanceColour[0] ?? ""],
        ["dog", instanceColour[1] ?? ""],
        ["cat 2", instanceColour[2] ?? ""],
      ]),
  },
];

const body: string[] = [];
panels.forEach((panel, i) => {
  const x = margin + (i % 2) * (panelW + gapX);
  const top = margin + Math.floor(i / 2) * panelBlock;
  body.push(text(x, top + 4, panel.title, { size: 16, weight: "bold" }));
  const y = top + 28;
  body.push(panel.draw(x, y));
  body.push(`<rect x="${x}" y="${y}" width="${panelW}" height="${panelH}" fill="none" stroke="${palette.line}"/>`);
  const hasLegend = i >= 2;
  panel.lines.forEach((line, k) => {
    body.push(text(x, y + panelH + (hasLegend ? 40 : 22) + k * 17, line, { size: 13, fill: palette.muted }));
  });
});

writeFigure(
  "01-cv-tasks.svg",
  svgDocument(
    width,
    height,
    "Four computer vision tasks",
    "Four panels showing the same kind of toy pixel scene, sky above grass with pixel-art animals. Classification with localisation gives one label, cat, and a box around the single cat. Object detection draws a labelled box around each of two cats and a dog. Semantic segmentation colours every pixel by its class, sky, grass, cat or dog, so both cats get the same colour. Instance segmentation colours the pixels of each object separately: cat 1, cat 2 and the dog each get their own colour.",
    body,
  ),
);
