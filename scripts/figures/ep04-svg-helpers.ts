/**
 * Small helpers shared by the figure scripts of episodes 04-06: an SVG document with a white
 * background (readable in light and dark editor themes alike), axes, polylines and text.
 * Everything is written as plain SVG strings so the figures need no drawing library.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const COLORS = {
  text: "#222222",
  axis: "#555555",
  grid: "#dddddd",
  blue: "#1f6fb4",
  orange: "#d9730d",
  red: "#c0392b",
  green: "#2e8b57",
  purple: "#7b4fa8",
  grey: "#999999",
} as const;

/** The lesson's figures folder, found from this script's own location. */
export const FIGURES_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "lessons", "intro-image-classification-cnn", "figures");

/** Escapes the characters that are special in SVG text and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Rounds coordinates so the files stay small and diff well. */
export function r(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

/** Wraps the body in an SVG document with a title (read by screen readers) and a white background. */
export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${esc(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" rx="8" fill="#ffffff"/>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${COLORS.red}"/></marker></defs>`,
    ...body,
    `</svg>`,
    ``,
  ].join("\n");
}

export interface TextOptions {
  size?: number;
  anchor?: "start" | "middle" | "end";
  color?: string;
  weight?: "normal" | "bold";
  rotate?: number;
  italic?: boolean;
}

export function text(x: number, y: number, content: string, options: TextOptions = {}): string {
  const size = options.size ?? 13;
  const anchor = options.anchor ?? "start";
  const color = options.color ?? COLORS.text;
  const weight = options.weight ?? "normal";
  const transform = options.rotate === undefined ? "" : ` transform="rotate(${options.rotate} ${r(x)} ${r(y)})"`;
  const style = options.italic === true ? ` font-style="italic"` : "";
  return `<text x="${r(x)}" y="${r(y)}" font-size="${size}" text-anchor="${anchor}" fill="${color}" font-weight="${weight}"${style}${transform}>${esc(content)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, color: string, width = 1.5, extra = ""): string {
  return `<line x1="${r(x1)}" y1="${r(y1)}" x2="${r(x2)}" y2="${r(y2)}" stroke="${color}" stroke-width="${width}"${extra}/>`;
}

export function polyline(points: [number, number][], color: string, width = 2, extra = ""): string {
  const list = points.map(([x, y]) => `${r(x)},${r(y)}`).join(" ");
  return `<polyline points="${list}" fill="none" stroke="${color}" stroke-width="${width}" stroke-linejoin="round"${extra}/>`;
}

export function circle(cx: number, cy: number, radius: number, fill: string, stroke = "none", width = 1.5, extra = ""): string {
  return `<circle cx="${r(cx)}" cy="${r(cy)}" r="${r(radius)}" fill="${fill}" stroke="${stroke}" stroke-width="${width}"${extra}/>`;
}

/** A plotting area: maps data coordinates to pixels inside a box. */
export interface Plot {
  x: (value: number) => number;
  y: (value: number) => number;
  left: number;
  top: number;
  width: number;
  height: number;
}

export function plotArea(left: number, top: number, width: number, height: number, xRange: [number, number], yRange: [number, number]): Plot {
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  return {
    x: (value) => left + ((value - x0) / (x1 - x0)) * width,
    y: (value) => top + height - ((value - y0) / (y1 - y0)) * height,
    left,
    top,
    width,
    height,
  };
}

/** Draws the two axes of a plot as arrows, with a label on each. */
export function axes(plot: Plot, xLabel: string, yLabel: string): string[] {
  const bottom = plot.top + plot.height;
  return [
    line(plot.left, bottom, plot.left + plot.width + 8, bottom, COLORS.axis, 1.5),
    line(plot.left, bottom, plot.left, plot.top - 8, COLORS.axis, 1.5),
    text(plot.left + plot.width, bottom + 26, xLabel, { anchor: "end", color: COLORS.axis, size: 12 }),
    text(plot.left - 12, plot.top + plot.height / 2, yLabel, { anchor: "middle", color: COLORS.axis, size: 12, rotate: -90 }),
  ];
}

/** Samples a function on [from, to] and returns pixel points for a polyline. */
export function sample(plot: Plot, f: (x: number) => number, from: number, to: number, steps = 120): [number, number][] {
  const points: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const x = from + ((to - from) * i) / steps;
    points.push([plot.x(x), plot.y(f(x))]);
  }
  return points;
}

export function writeFigure(name: string, svg: string): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  const path = join(FIGURES_DIR, name);
  writeFileSync(path, svg);
  console.log(`wrote ${path}`);
}
