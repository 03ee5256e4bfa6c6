/**
 * Episodes 04 and 05: the results of real training runs, drawn from
 * `scripts/figures/data/fashion-mnist-runs.json` (written by `fashion-mnist-runs.ts`: the
 * extension's training process on Debian's Fashion-MNIST with the lesson's workshop settings).
 *
 * - `04-training-curves.svg`: loss and accuracy per epoch of the intro and the dropout model,
 *   training (solid) and validation (dashed).
 * - `05-sweep-results.svg`: the last epoch's validation loss per dropout rate, and the validation
 *   accuracy per epoch of each activation function.
 *
 * Run: node --import tsx scripts/figures/ep04-05-training-results.ts
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EpochLogs } from "../../src/protocol/training";
import { COLORS, axes, circle, line, plotArea, polyline, svgDocument, text, writeFigure, type Plot } from "./ep04-svg-helpers";

interface RecordedRun {
  training: string;
  label: string;
  trainLimit: number;
  epochs: number;
  history: EpochLogs[];
}

const data = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "data", "fashion-mnist-runs.json"), "utf8")) as { runs: RecordedRun[] };
const runsOf = (training: string): RecordedRun[] => data.runs.filter((run) => run.training === training);
const metric = (run: RecordedRun, name: string): number[] => run.history.map((epoch) => epoch.metrics[name] ?? Number.NaN);

/** Gridlines and tick labels on the y axis, and epoch numbers on the x axis. */
function ticks(plot: Plot, yValues: number[], epochs: number, format: (v: number) => string): string[] {
  const out: string[] = [];
  for (const value of yValues) {
    out.push(line(plot.left, plot.y(value), plot.left + plot.width, plot.y(value), COLORS.grid, 1));
    out.push(text(plot.left - 6, plot.y(value) + 4, format(value), { anchor: "end", size: 11, color: COLORS.axis }));
  }
  for (let epoch = 1; epoch <= epochs; epoch++) out.push(text(plot.x(epoch), plot.top + plot.height + 14, String(epoch), { anchor: "middle", size: 11, color: COLORS.axis }));
  return out;
}

/** Axes with the y label clear of the tick labels (the shared `axes` puts it right beside the axis). */
function framed(plot: Plot, xLabel: string, yLabel: string): string[] {
  const [xAxis, yAxis, xText] = axes(plot, xLabel, "");
  return [xAxis!, yAxis!, xText!, text(plot.left - 44, plot.top + plot.height / 2, yLabel, { anchor: "middle", color: COLORS.axis, size: 12, rotate: -90 })];
}

const pointsOf = (plot: Plot, values: number[]): [number, number][] => values.map((value, i) => [plot.x(i + 1), plot.y(value)]);
const DASH = ` stroke-dasharray="6 4"`;

function trainingCurves(): string {
  const [intro] = runsOf("fit-model");
  const [dropout] = runsOf("does-dropout-help");
  if (!intro || !dropout) throw new Error("the runs file has no intro or dropout run; run fashion-mnist-runs.ts");
  const epochs = intro.history.length;
  const body: string[] = [];
  const panels = [
    { title: "Loss", train: "loss", val: "val_loss", range: [0.2, 1.2] as [number, number], step: 0.2 },
    { title: "Accuracy", train: "categorical_accuracy", val: "val_categorical_accuracy", range: [0.5, 1.0] as [number, number], step: 0.1 },
  ];
  panels.forEach((panel, i) => {
    const plot = plotArea(80 + i * 380, 60, 290, 220, [0.5, epochs + 0.5], panel.range);
    body.push(text(plot.left + plot.width / 2, 40, panel.title, { anchor: "middle", size: 15, weight: "bold" }));
    const yValues: number[] = [];
    for (let v = panel.range[0]; v <= panel.range[1] + 1e-9; v += panel.step) yValues.push(Math.round(v * 10) / 10);
    body.push(...ticks(plot, yValues, epochs, (v) => v.toFixed(1)));
    body.push(...framed(plot, "epoch", panel.title.toLowerCase()));
    for (const [run, color] of [[intro, COLORS.blue], [dropout, COLORS.orange]] as const) {
      body.push(polyline(pointsOf(plot, metric(run, panel.train)), color, 2.2));
      body.push(polyline(pointsOf(plot, metric(run, panel.val)), color, 2.2, DASH));
    }
  });
  const legend = [
    [COLORS.blue, "", "intro model, training"],
    [COLORS.blue, DASH, "intro model, validation"],
    [COLORS.orange, "", "dropout model, training"],
    [COLORS.orange, DASH, "dropout model, validation"],
  ] as const;
  legend.forEach(([color, dash, label], i) => {
    const x = 70 + (i % 2) * 300;
    const y = 330 + Math.floor(i / 2) * 20;
    body.push(line(x, y - 4, x + 30, y - 4, color, 2.2, dash));
    body.push(text(x + 38, y, label, { size: 12 }));
  });
  body.push(
    text(70, 385, `Fashion-MNIST, the first ${intro.trainLimit.toLocaleString("en-US")} training images (80 % trained on, 20 % validated on), batch 32, Adam; one run of each model.`, {
      size: 11,
      color: COLORS.axis,
    }),
  );
  return svgDocument(760, 400, "Training curves of the intro and the dropout model on Fashion-MNIST", body);
}

function sweepResults(): string {
  const rates = runsOf("tune-dropout-rate");
  const activations = runsOf("tune-activation");
  if (rates.length === 0 || activations.length === 0) throw new Error("the runs file has no sweeps; run fashion-mnist-runs.ts");
  const body: string[] = [];

  // Left: the last epoch's validation loss per dropout rate.
  const valLoss = rates.map((run) => metric(run, "val_loss").at(-1)!);
  const rateValues = rates.map((run) => Number(run.label.replace("dropout rate ", "")));
  const low = Math.floor(Math.min(...valLoss) * 20) / 20 - 0.05;
  const high = Math.ceil(Math.max(...valLoss) * 20) / 20 + 0.05;
  const left = plotArea(90, 60, 280, 220, [0.05, 0.85], [low, high]);
  body.push(text(left.left + left.width / 2, 40, "Validation loss per dropout rate", { anchor: "middle", size: 15, weight: "bold" }));
  for (let v = Math.ceil(low * 20) / 20; v <= high + 1e-9; v += 0.05) {
    body.push(line(left.left, left.y(v), left.left + left.width, left.y(v), COLORS.grid, 1));
    body.push(text(left.left - 6, left.y(v) + 4, v.toFixed(2), { anchor: "end", size: 11, color: COLORS.axis }));
  }
  rateValues.forEach((rate) => body.push(text(left.x(rate), left.top + left.height + 14, String(rate), { anchor: "middle", size: 11, color: COLORS.axis })));
  body.push(...framed(left, "dropout rate", "val_loss after the last epoch"));
  const points = rateValues.map((rate, i): [number, number] => [left.x(rate), left.y(valLoss[i]!)]);
  body.push(polyline(points, COLORS.orange, 2.2));
  const best = valLoss.indexOf(Math.min(...valLoss));
  points.forEach(([x, y], i) => body.push(circle(x, y, i === best ? 6 : 4, i === best ? COLORS.red : COLORS.orange)));

  // Right: validation accuracy per epoch for each activation function.
  const colors = [COLORS.blue, COLORS.green, COLORS.purple, COLORS.red];
  const epochs = Math.max(...activations.map((run) => run.history.length));
  const lowest = Math.floor(Math.min(...activations.flatMap((run) => metric(run, "val_categorical_accuracy"))) * 10) / 10;
  const right = plotArea(480, 60, 270, 220, [0.5, epochs + 0.5], [lowest, 0.9]);
  body.push(text(right.left + right.width / 2, 40, "Validation accuracy per activation", { anchor: "middle", size: 15, weight: "bold" }));
  const steps = Array.from({ length: Math.round((0.9 - lowest) * 10) + 1 }, (_, k) => Math.round((lowest + k / 10) * 10) / 10);
  body.push(...ticks(right, steps, epochs, (v) => v.toFixed(1)));
  body.push(...framed(right, "epoch", "val_categorical_accuracy"));
  activations.forEach((run, i) => {
    const values = metric(run, "val_categorical_accuracy");
    body.push(polyline(pointsOf(right, values), colors[i % colors.length]!, 2.2));
    const y = 330 + i * 18;
    body.push(line(480, y - 4, 510, y - 4, colors[i % colors.length]!, 2.2));
    body.push(text(518, y, `${run.label} (${values.at(-1)!.toFixed(2)})`, { size: 12 }));
  });
  body.push(text(70, 330, `Lowest at ${rateValues[best]} (red).`, { size: 12 }));
  const first = rates[0]!;
  body.push(
    text(70, 420, `Fashion-MNIST, the first ${first.trainLimit.toLocaleString("en-US")} training images, ${first.epochs} epochs per model (the lesson's workshop settings); one run per value.`, {
      size: 11,
      color: COLORS.axis,
    }),
  );
  return svgDocument(780, 440, "Dropout-rate and activation-function sweeps on Fashion-MNIST", body);
}

writeFigure("04-training-curves.svg", trainingCurves());
writeFigure("05-sweep-results.svg", sweepResults());
