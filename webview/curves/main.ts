/** Training curves webview: loss and accuracy per epoch, several runs overlaid, live while training. */
import "@vscode-elements/elements/dist/vscode-checkbox/index.js";
import "@vscode-elements/elements/dist/vscode-button/index.js";
import { CategoryScale, Chart, Filler, LinearScale, LineController, LineElement, PointElement, Tooltip } from "chart.js";
import { CurvesProtocol, type CurveRun, type SweepComparisonView } from "../../src/protocol/panels";
import baseCss from "../shared/base.css";
import { adoptStyles, appRoot, emptyState, h, icon, render } from "../shared/dom";
import { formatMetric, formatPercent } from "../shared/format";
import { connectToHost } from "../shared/host";
import { onThemeChange, themeColor } from "../shared/theme";
import { bestComparisonRow, bestValidationAccuracy, buildSeries, epochAxisMax, type CurveChart } from "./series";
import css from "./style.css";

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Filler);
adoptStyles(baseCss, css);
const root = appRoot();

/** VS Code's chart colours, so runs look the same as in VS Code's own charts, in every theme. */
const paletteVariables: [string, string][] = [
  ["--vscode-charts-blue", "#3794ff"],
  ["--vscode-charts-orange", "#d18616"],
  ["--vscode-charts-green", "#89d185"],
  ["--vscode-charts-purple", "#b180d7"],
  ["--vscode-charts-red", "#f14c4c"],
  ["--vscode-charts-yellow", "#cca700"],
  // Beyond VS Code's six: a sweep of the lesson has five runs, and earlier runs may stay on the chart.
  ["--dl-lessons-teal", "#14a3a3"],
  ["--dl-lessons-pink", "#d457a8"],
  ["--dl-lessons-brown", "#a86b3c"],
  ["--dl-lessons-grey", "#8a8a8a"],
];

function runColor(index: number): string {
  const [variable, fallback] = paletteVariables[index % paletteVariables.length] ?? paletteVariables[0]!;
  return themeColor(variable, fallback);
}

const statusIcons: Record<CurveRun["status"], string> = { running: "loading codicon-modifier-spin", completed: "pass", cancelled: "debug-stop", failed: "error" };

let runs: CurveRun[] = [];
let comparison: SweepComparisonView | undefined;
const charts = new Map<CurveChart, Chart<"line", { x: number; y: number }[]>>();
let comparisonChart: Chart<"line", (number | null)[], string> | undefined;

const host = connectToHost(CurvesProtocol, (message) => {
  runs = message.runs;
  comparison = message.comparison;
  // Kept by VS Code, so the panel comes back with these runs after a window reload.
  host.setState({ runs, ...(comparison ? { comparison } : {}) });
  draw();
});

onThemeChange(() => {
  destroyCharts();
  draw();
});

function destroyCharts(): void {
  charts.forEach((chart) => chart.destroy());
  charts.clear();
  comparisonChart?.destroy();
  comparisonChart = undefined;
}

function draw(): void {
  if (runs.length === 0) {
    destroyCharts();
    render(root, emptyState("graph-line", "No training runs yet", "Press Train in a code challenge of the episode, or run “Lessons: Train Model” on a Python file.", "Each epoch adds a point here while the model trains."));
    return;
  }
  // Rebuild the page only when the set of runs changed; a new epoch just updates the charts.
  const key = `${runs.map((r) => `${r.runId}:${r.hidden}`).join("|")}#${comparison ? `${comparison.parameter}:${comparison.rows.length}` : ""}`;
  if (root.dataset["runs"] !== key || charts.size === 0) {
    destroyCharts();
    root.dataset["runs"] = key;
    render(root, h("h1", {}, "Training curves"), legend(), h("div", { class: "charts" }, chartCard("loss", "Loss"), chartCard("accuracy", "Accuracy")), comparison ? comparisonCard(comparison) : null);
  } else if (comparison && comparisonChart) {
    comparisonChart.data = comparisonData(comparison);
    comparisonChart.update("none");
  }
  runs.forEach(updateRunDetails);
  for (const [kind, chart] of charts) {
    chart.data.datasets = datasets(kind);
    chart.options.scales!["x"]!.max = epochAxisMax(runs);
    chart.update("none");
  }
}

function legend(): HTMLElement {
  return h(
    "ul",
    { class: "runs", "aria-label": "Runs" },
    ...runs.map((run, index) => {
      const toggle = h("vscode-checkbox", { checked: !run.hidden, label: run.label });
      toggle.addEventListener("change", () => host.post({ type: "setRunVisibility", runId: run.runId, visible: toggle.checked }));
      const remove = h("vscode-button", { secondary: true, icon: "close", title: `Remove ${run.label} from the chart`, "aria-label": `Remove ${run.label}` });
      remove.addEventListener("click", () => host.post({ type: "removeRun", runId: run.runId }));
      const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.background = runColor(index);
      return h(
        "li",
        { class: "run" },
        swatch,
        toggle,
        h("span", { class: "status", "data-status-for": run.runId }),
        h("span", { class: "meta", "data-meta-for": run.runId }),
        h("span", { class: "grow" }),
        remove,
      );
    }),
  );
}

/** The run's status and best accuracy change every epoch; update them in place so focus stays put. */
function updateRunDetails(run: CurveRun): void {
  const status = root.querySelector<HTMLElement>(`[data-status-for="${CSS.escape(run.runId)}"]`);
  const meta = root.querySelector<HTMLElement>(`[data-meta-for="${CSS.escape(run.runId)}"]`);
  if (!status || !meta) return;
  status.className = `status ${run.status}`;
  status.replaceChildren(icon(statusIcons[run.status]), run.status === "running" ? `epoch ${run.history.length}/${run.epochs}` : run.status);
  const best = bestValidationAccuracy(run);
  meta.textContent = best ? `best val accuracy ${formatPercent(best.value)} (epoch ${best.epoch})` : "";
}

function chartCard(kind: CurveChart, title: string): HTMLElement {
  const canvas = h("canvas", { role: "img", "aria-label": `${title} per epoch for each visible run` });
  const card = h("section", { class: "card chart-card" }, h("h2", {}, title), h("div", { class: "chart-box" }, canvas), h("p", { class: "line-key" }, "Solid: training data · dashed: validation data · thin: running mean during an epoch"));
  const foreground = themeColor("--vscode-foreground", "#cccccc");
  const grid = themeColor("--vscode-editorWidget-border", "rgba(128,128,128,0.3)");
  const font = { family: themeColor("--vscode-font-family", "sans-serif"), size: 12 };
  charts.set(
    kind,
    new Chart(canvas, {
      type: "line",
      data: { datasets: datasets(kind) },
      options: {
        // Live updates redraw every epoch; animation would only lag behind.
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        scales: {
          // From 0 so the first epoch's point (x = 1) and the running means before it have room.
          x: { type: "linear", min: 0, max: epochAxisMax(runs), title: { display: true, text: "Epoch", color: foreground, font }, ticks: { stepSize: 1, precision: 0, color: foreground, font }, grid: { color: grid } },
          y: { ...(kind === "accuracy" ? { suggestedMin: 0, suggestedMax: 1 } : { beginAtZero: true }), title: { display: true, text: kind === "loss" ? "Loss" : "Accuracy", color: foreground, font }, ticks: { color: foreground, font }, grid: { color: grid } },
        },
        plugins: {
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label ?? ""}: ${kind === "accuracy" ? formatPercent(item.parsed.y ?? Number.NaN) : formatMetric(item.parsed.y)}` },
          },
        },
      },
    }),
  );
  return card;
}

/**
 * The plot the sweep's challenge asks about: each swept value (x) against its run's final
 * validation loss (left axis) and validation accuracy (right axis), with the same numbers in a
 * table below for reading them exactly.
 */
function comparisonCard(view: SweepComparisonView): HTMLElement {
  const canvas = h("canvas", { role: "img", "aria-label": `Final validation loss and accuracy for each ${view.parameter}` });
  const best = bestComparisonRow(view.rows);
  const table = h(
    "table",
    { class: "comparison-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, view.parameter), h("th", { scope: "col" }, "val_loss"), h("th", { scope: "col" }, "val_accuracy"))),
    h(
      "tbody",
      {},
      ...view.rows.map((row) =>
        h(
          "tr",
          { class: row.runId === best?.runId ? "best" : undefined },
          h("th", { scope: "row" }, row.value),
          h("td", {}, row.valLoss === undefined ? "–" : row.valLoss.toFixed(4)),
          h("td", {}, row.valAccuracy === undefined ? "–" : formatPercent(row.valAccuracy)),
        ),
      ),
    ),
  );
  const card = h(
    "section",
    { class: "card chart-card comparison", "data-comparison-rows": view.rows.length },
    h("h2", {}, `Final validation loss and accuracy by ${view.parameter}`),
    h("div", { class: "chart-box" }, canvas),
    table,
    h("p", { class: "line-key" }, best ? `Lowest validation loss: ${view.parameter} ${best.value}.` : "Each run adds its point when it ends."),
  );
  const foreground = themeColor("--vscode-foreground", "#cccccc");
  const grid = themeColor("--vscode-editorWidget-border", "rgba(128,128,128,0.3)");
  const font = { family: themeColor("--vscode-font-family", "sans-serif"), size: 12 };
  comparisonChart = new Chart(canvas, {
    type: "line",
    data: comparisonData(view),
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { type: "category", title: { display: true, text: view.parameter, color: foreground, font }, ticks: { color: foreground, font }, grid: { color: grid } },
        loss: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: "val_loss", color: foreground, font }, ticks: { color: foreground, font }, grid: { color: grid } },
        accuracy: { type: "linear", position: "right", suggestedMin: 0, suggestedMax: 1, title: { display: true, text: "val_accuracy", color: foreground, font }, ticks: { color: foreground, font }, grid: { drawOnChartArea: false } },
      },
      plugins: {
        tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ""}: ${item.dataset.yAxisID === "accuracy" ? formatPercent(item.parsed.y ?? Number.NaN) : (item.parsed.y ?? Number.NaN).toFixed(4)}` } },
      },
    },
  });
  return card;
}

function comparisonData(view: SweepComparisonView): Chart<"line", (number | null)[], string>["data"] {
  const lossColor = runColor(0);
  const accuracyColor = runColor(2);
  return {
    labels: view.rows.map((row) => row.value),
    datasets: [
      { label: "val_loss", yAxisID: "loss", data: view.rows.map((row) => row.valLoss ?? null), borderColor: lossColor, backgroundColor: lossColor, borderWidth: 2, pointRadius: 4, tension: 0 },
      { label: "val_accuracy", yAxisID: "accuracy", data: view.rows.map((row) => row.valAccuracy ?? null), borderColor: accuracyColor, backgroundColor: accuracyColor, borderWidth: 2, borderDash: [6, 4], pointRadius: 4, pointStyle: "rectRot", tension: 0 },
    ],
  };
}

function datasets(kind: CurveChart): Chart<"line", { x: number; y: number }[]>["data"]["datasets"] {
  return buildSeries(runs, kind).map((series) => {
    const color = runColor(series.colorIndex);
    return {
      label: series.label,
      data: series.points,
      borderColor: color,
      backgroundColor: color,
      borderWidth: series.withinEpoch ? 1 : 2,
      borderDash: series.validation ? [6, 4] : [],
      pointRadius: series.withinEpoch ? 0 : 3,
      pointStyle: series.validation ? "rectRot" : "circle",
      tension: series.withinEpoch ? 0 : 0.15,
    };
  });
}
