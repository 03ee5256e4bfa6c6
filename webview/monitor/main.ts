/** Training monitor (sidebar): the current run as it trains, and the past runs. */
import "@vscode-elements/elements/dist/vscode-button/index.js";
import "@vscode-elements/elements/dist/vscode-checkbox/index.js";
import "@vscode-elements/elements/dist/vscode-progress-bar/index.js";
import "@vscode-elements/elements/dist/vscode-toolbar-button/index.js";
import { MonitorProtocol, type DidChangeMonitorNotification, type MonitorDatasetView, type MonitorRunState, type MonitorWebviewPersistedState, type PastRunView } from "../../src/protocol/panels";
import { estimateIsReady, sweepTimeLeft, type MonitorSweepView } from "../../src/protocol/panels";
import type { BackendReport, EpochLogs } from "../../src/protocol/training";
import baseCss from "../shared/base.css";
import { adoptStyles, appRoot, h, icon, render } from "../shared/dom";
import { formatBytes, formatCount, formatDuration, formatInteger, formatMetric, formatPercent } from "../shared/format";
import { connectToHost } from "../shared/host";
import { backendFallbacks, backendTitle, metricReadouts, overallProgress } from "./model";
import css from "./style.css";

adoptStyles(baseCss, css);
const root = appRoot();

const host = connectToHost(MonitorProtocol, (message) => draw(message));
let persisted: MonitorWebviewPersistedState = host.getState() ?? { compare: [], backendOpen: false };

function remember(change: Partial<MonitorWebviewPersistedState>): void {
  persisted = { ...persisted, ...change };
  host.setState(persisted);
}

// A snapshot arrives with every batch. Only the numbers are redrawn each time: a button or a
// <details> rebuilt between a press and its release would swallow the click (Chromium drops a
// click whose target left the page meanwhile), so the parts with controls are redrawn only when
// what they show changes.
const card = h("section", { class: "card", "aria-live": "polite", "aria-atomic": "false" });
const cardNumbers = h("div", { class: "card-numbers" });
const cardBackend = h("div", {});
const cardActions = h("div", {});
card.append(cardNumbers, cardBackend, cardActions);
const pastRunsSlot = h("div", {});
const datasetSlot = h("div", {});
render(root, datasetSlot, h("h2", {}, "Current run"), card, h("h2", {}, "Past runs"), pastRunsSlot);
const drawnKeys = { backend: "", actions: "", pastRuns: "", dataset: "" };

const stopButton = h("vscode-button", { icon: "debug-stop", "data-focus-key": "stop" }, "Stop");
stopButton.addEventListener("click", () => host.post({ type: "stopTraining" }));

function draw({ current, pastRuns, dataset, sweep }: DidChangeMonitorNotification): void {
  redrawIfChanged("dataset", JSON.stringify(dataset ?? null), datasetSlot, () => (dataset ? datasetSection(dataset) : null));
  card.className = `card state-${current.kind}`;
  render(cardNumbers, ...(sweep ? [sweepLine(sweep, current)] : []), ...currentRun(current));
  const backendReport = "backend" in current ? current.backend : undefined;
  redrawIfChanged("backend", JSON.stringify(backendReport ?? null), cardBackend, () => (backendReport ? backend(backendReport) : null));
  redrawIfChanged("actions", current.kind === "done" || current.kind === "cancelled" ? `${current.kind}:${current.runId}` : current.kind, cardActions, () => actions(current));
  redrawIfChanged("pastRuns", JSON.stringify(pastRuns), pastRunsSlot, () => pastRunList(pastRuns));
}

function redrawIfChanged(part: keyof typeof drawnKeys, key: string, slot: HTMLElement, build: () => HTMLElement | null): void {
  if (drawnKeys[part] === key) return;
  drawnKeys[part] = key;
  const focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.["focusKey"];
  render(slot, build());
  // Put the keyboard back where it was when the focused control was rebuilt.
  if (focusedKey) slot.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusedKey)}"]`)?.focus();
}

function actions(state: MonitorRunState): HTMLElement | null {
  switch (state.kind) {
    case "training":
      return h("div", { class: "button-row" }, stopButton);
    case "done":
    case "cancelled":
      return h("div", { class: "button-row" }, runButton("graph-line", "Open Curves", "openCurves", state.runId), runButton("checklist", "Evaluate", "evaluate", state.runId));
    case "idle":
    case "preparing-data":
    case "failed":
      return null;
    default: {
      const unhandled: never = state;
      return unhandled;
    }
  }
}

/** The parts of the current run's card that change with every batch: no controls in here. */
function currentRun(state: MonitorRunState): HTMLElement[] {
  const section: HTMLElement[] = [];
  switch (state.kind) {
    case "idle":
      section.push(h("p", { class: "empty" }, "No training running. Press Train in a code challenge, or run “Lessons: Train Model” on a Python file."));
      break;
    case "preparing-data": {
      const determinate = state.totalBytes !== undefined && state.totalBytes > 0;
      section.push(
        title("cloud-download", state.label),
        h("div", {}, state.message),
        progress("Preparing data", determinate ? (state.receivedBytes ?? 0) / state.totalBytes! : undefined),
        ...(determinate ? [h("div", { class: "progress-label" }, h("span", {}, formatBytes(state.receivedBytes ?? 0)), h("span", {}, formatBytes(state.totalBytes!)))] : []),
      );
      break;
    }
    case "training": {
      const epochShown = Math.max(1, state.epoch);
      section.push(
        title("loading codicon-modifier-spin", state.label),
        h("div", { class: "progress-label" }, h("span", {}, `Epoch ${epochShown}/${state.epochs}`), h("span", {}, formatPercent(overallProgress(state), 0))),
        progress(`Epoch ${epochShown} of ${state.epochs}`, overallProgress(state)),
        h("div", { class: "progress-label" }, h("span", {}, `Batch ${formatInteger(state.batch)}/${formatInteger(state.batchesPerEpoch)}`)),
        progress(`Batch ${state.batch} of ${state.batchesPerEpoch}`, state.batchesPerEpoch > 0 ? state.batch / state.batchesPerEpoch : 0),
        readouts(state.metrics, state.lastEpoch),
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, "Speed"),
          h("dd", {}, state.imagesPerSecond > 0 ? `${formatInteger(Math.round(state.imagesPerSecond))} images/s` : "–"),
          h("dt", {}, "Time left"),
          h("dd", {}, estimateIsReady(state.epoch, state.batch, state.batchesPerEpoch, state.etaSeconds) ? formatDuration(state.etaSeconds) : "estimating…"),
        ),
      );
      break;
    }
    case "done":
    case "cancelled":
      section.push(
        title(state.kind === "done" ? "pass" : "debug-stop", `${state.label} — ${state.kind === "done" ? "finished" : "stopped"}`),
        h("div", { class: "muted" }, `${state.lastEpoch?.epoch ?? 0} of ${state.epochs} epochs`),
        readouts({}, state.lastEpoch),
      );
      break;
    case "failed":
      section.push(title("error", `${state.label} — failed`), h("p", { class: "message" }, state.message));
      break;
  }
  return section;
}

/** "Run 2 of 5 of the sweep", and the time left for all of it once the current run has an estimate. */
function sweepLine(sweep: MonitorSweepView, state: MonitorRunState): HTMLElement {
  const parts = [`Run ${sweep.run} of ${sweep.runs}`];
  if (state.kind === "training") {
    const ready = estimateIsReady(state.epoch, state.batch, state.batchesPerEpoch, state.etaSeconds);
    parts.push(ready ? `about ${formatDuration(sweepTimeLeft(sweep, state.etaSeconds, overallProgress(state)))} left for the whole sweep` : "estimating the time left for the whole sweep");
  }
  return h("div", { class: "sweep-line", "data-sweep-run": sweep.run, "data-sweep-runs": sweep.runs }, icon("run-all"), h("span", {}, parts.join(" · ")));
}

function title(iconName: string, text: string): HTMLElement {
  return h("div", { class: "run-title" }, icon(iconName), h("span", {}, text));
}

function progress(label: string, fraction: number | undefined): HTMLElement {
  const bar = h("vscode-progress-bar", { "aria-label": label, max: 1000, indeterminate: fraction === undefined });
  if (fraction !== undefined) bar.setAttribute("value", String(Math.round(fraction * 1000)));
  return bar;
}

function readouts(live: Record<string, number>, lastEpoch: EpochLogs | undefined): HTMLElement {
  return h(
    "div",
    { class: "readouts" },
    ...metricReadouts(live, lastEpoch?.metrics).map((m) =>
      h("div", { class: "readout" }, h("span", { class: "value" }, m.kind === "accuracy" && m.value !== undefined ? formatPercent(m.value) : formatMetric(m.value)), h("span", { class: "name" }, m.name)),
    ),
  );
}

function backend(report: BackendReport): HTMLElement {
  const fallbacks = backendFallbacks(report);
  const summary = h("summary", { title: fallbacks.join("\n") || "The first backend tried loaded." }, icon("chip"), ` ${backendTitle(report)}`);
  const details = h("details", { class: "backend", open: persisted.backendOpen }, summary, fallbacks.length > 0 ? h("ul", {}, ...fallbacks.map((line) => h("li", {}, line))) : h("p", { class: "muted" }, "The fastest backend loaded."));
  details.addEventListener("toggle", () => remember({ backendOpen: details.open }));
  return details;
}

function runButton(iconName: string, text: string, action: "openCurves" | "evaluate", runId: string): HTMLElement {
  const button = h("vscode-button", { secondary: true, icon: iconName, "data-focus-key": `${action}:${runId}` }, text);
  button.addEventListener("click", () => host.post({ type: "pastRun", action, runIds: [runId] }));
  return button;
}

function pastRunList(runs: PastRunView[]): HTMLElement {
  if (runs.length === 0) return h("p", { class: "empty" }, "Finished runs appear here, to reopen their curves or compare them.");
  const ticked = persisted.compare.filter((id) => runs.some((r) => r.runId === id));
  const compare = h("vscode-button", { icon: "git-compare", disabled: ticked.length < 2, "data-focus-key": "compare" }, compareLabel(ticked.length));
  compare.addEventListener("click", () => host.post({ type: "pastRun", action: "compare", runIds: persisted.compare.filter((id) => runs.some((r) => r.runId === id)) }));
  const list = h(
    "ul",
    { class: "past" },
    ...runs.map((run) => {
      const tick = h("vscode-checkbox", { checked: ticked.includes(run.runId), "aria-label": `Compare ${run.label}`, "data-focus-key": `tick:${run.runId}` });
      // The list is not rebuilt on a tick, so read the ticks from the persisted state, not from `ticked`.
      tick.addEventListener("change", () => {
        const others = persisted.compare.filter((id) => id !== run.runId && runs.some((r) => r.runId === id));
        remember({ compare: tick.checked ? [...others, run.runId] : others });
        compare.toggleAttribute("disabled", persisted.compare.length < 2);
        compare.textContent = compareLabel(persisted.compare.length);
      });
      const date = new Date(run.startedAt);
      const accuracy = run.finalValAccuracy === undefined ? "no validation" : `val accuracy ${formatPercent(run.finalValAccuracy)}`;
      return h(
        "li",
        {},
        tick,
        h("span", { class: "label", title: run.label }, run.label),
        h("span", { class: "actions" }, toolbarButton("graph-line", `Open curves of ${run.label}`, "openCurves", run.runId), toolbarButton("checklist", `Evaluate ${run.label} on the test set`, "evaluate", run.runId)),
        h("span", { class: "sub" }, `${date.toLocaleDateString()} ${date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })} · ${formatCount(run.epochs, "epoch")} · ${accuracy}${run.status === "cancelled" ? " · stopped" : ""}`),
      );
    }),
  );
  return h("div", {}, list, h("div", { class: "toolbar" }, compare));
}

/**
 * The dataset Train uses and why; while the lesson's dataset is missing and nothing is chosen, the
 * choice itself (the datasets that are here, Download, Import), which stays until it is made.
 */
function datasetSection(view: MonitorDatasetView): HTMLElement {
  const choosing = view.inUse === undefined;
  const section = h("section", { class: `dataset card${choosing ? " choice" : ""}`, "aria-label": "Dataset" });
  if (choosing) {
    section.append(title("warning", `${view.lesson.title} is not on this computer`), h("p", {}, "Choose what Train learns from. The choice is kept for this workspace."));
  } else if (view.inUse) {
    section.append(h("div", { class: "run-title" }, icon("database"), h("span", {}, `Dataset: ${view.inUse.title}`)), h("div", { class: "muted" }, `Why: ${view.inUse.why}.`));
  }
  const buttons = h("div", { class: "button-row dataset-buttons" });
  for (const alternative of view.alternatives) {
    // A button does not wrap in a narrow sidebar: the sentence goes above it, the action on it.
    if (choosing) buttons.append(h("p", { class: "alternative" }, `${alternative.title} is on this computer (${alternative.description}) — train on it:`));
    buttons.append(datasetButton(choosing ? `Train on ${alternative.title}` : `Use ${alternative.title}`, "use", alternative.name, !choosing, `${alternative.description}.`));
  }
  if (!view.lesson.present) {
    buttons.append(datasetButton(`Download ${view.lesson.title}`, "download", view.lesson.name, true), datasetButton("Import File…", "import", view.lesson.name, true));
  }
  if (buttons.childElementCount > 0) section.append(buttons);
  return section;
}

function datasetButton(text: string, action: "use" | "download" | "import", dataset: MonitorDatasetView["lesson"]["name"], secondary: boolean, tooltip?: string): HTMLElement {
  const button = h("vscode-button", { secondary, title: tooltip ?? text, "data-focus-key": `dataset:${action}:${dataset}`, "data-dataset-action": action }, text);
  button.addEventListener("click", () => host.post({ type: "datasetChoice", action, dataset }));
  return button;
}

function compareLabel(ticked: number): string {
  return ticked >= 2 ? `Compare ${ticked} runs` : "Compare runs";
}

function toolbarButton(iconName: string, label: string, action: "openCurves" | "evaluate", runId: string): HTMLElement {
  const button = h("vscode-toolbar-button", { icon: iconName, label, title: label, "data-focus-key": `${action}:${runId}:toolbar` });
  button.addEventListener("click", () => host.post({ type: "pastRun", action, runIds: [runId] }));
  return button;
}
