/** Confusion matrix webview: an annotated heatmap; a cell opens the test images behind it. */
import "@vscode-elements/elements/dist/vscode-progress-ring/index.js";
import { ConfusionProtocol, type CellImagesResponse, type ConfusionViewState } from "../../src/protocol/panels";
import baseCss from "../shared/base.css";
import { adoptStyles, appRoot, h, render } from "../shared/dom";
import { formatInteger, formatPercent } from "../shared/format";
import { connectToHost } from "../shared/host";
import { imageCanvas } from "../shared/image";
import { cellIntensity, cellPageWords, inkFor, moveCell, rowFractions, topConfusions } from "./model";
import css from "./style.css";

adoptStyles(baseCss, css);
const root = appRoot();

let state: ConfusionViewState | undefined;
let focused: [number, number] = [0, 0];
let selected: [number, number] | undefined;
let lastRequestId = 0;
const detail = h("section", { class: "detail", "aria-live": "polite" });

const host = connectToHost(ConfusionProtocol, (message) => {
  if (message.type === "didChangeConfusion") {
    state = message.state;
    const size = state.classNames.length;
    const remembered = host.getState()?.selected;
    selected = remembered && remembered[0] < size && remembered[1] < size ? remembered : undefined;
    draw();
    if (selected) select(selected);
  } else if (message.requestId === lastRequestId) {
    showImages(message);
  }
}, (type) => {
  // The answer to the open cell could not be read: stop saying it is loading.
  if (type === "cellImagesResponse" && selected) detail.replaceChildren(detailHeading(...selected), h("p", { class: "error" }, "These test images could not be shown."));
});

function draw(): void {
  if (!state) return;
  const { classNames, matrix, perClassAccuracy, accuracy, loss, runLabel } = state;
  const fractions = rowFractions(matrix);
  const testCount = matrix.flat().reduce((a, b) => a + b, 0);
  const table = h(
    "table",
    { class: "matrix", role: "grid", "aria-label": "Confusion matrix: rows are the true classes, columns the predicted classes" },
    h(
      "thead",
      {},
      h("tr", {}, h("td", { colspan: 2 }), h("th", { colspan: classNames.length, class: "axis-title", scope: "colgroup" }, "Predicted class"), h("td")),
      h("tr", {}, h("td"), h("td"), ...classNames.map((name) => h("th", { scope: "col", class: "predicted-name" }, h("span", {}, name))), h("th", { scope: "col" }, "Accuracy")),
    ),
    h(
      "tbody",
      {},
      ...matrix.map((row, r) =>
        h(
          "tr",
          {},
          r === 0 ? h("th", { rowspan: classNames.length, class: "axis-title rows", scope: "rowgroup" }, "True class") : null,
          h("th", { scope: "row", class: "true-name" }, classNames[r] ?? String(r)),
          ...row.map((count, c) => h("td", { role: "gridcell" }, cellButton(r, c, count, fractions[r]?.[c] ?? 0))),
          h("td", { class: "accuracy" }, formatPercent(perClassAccuracy[r] ?? 0), accuracyBar(perClassAccuracy[r] ?? 0)),
        ),
      ),
    ),
  );
  table.addEventListener("keydown", onGridKey);

  const confusions = topConfusions(matrix, 5);
  const side = h(
    "aside",
    { class: "side card" },
    h("h2", {}, "Most frequent mistakes"),
    confusions.length === 0
      ? h("p", {}, "None: every test image was classified correctly.")
      : h(
          "ol",
          {},
          ...confusions.map((m) => {
            const link = h("button", {}, `${classNames[m.trueLabel]} taken for ${classNames[m.predictedLabel]}`);
            link.addEventListener("click", () => select([m.trueLabel, m.predictedLabel]));
            return h("li", {}, link, h("span", { class: "muted" }, ` — ${formatInteger(m.count)} (${formatPercent(m.fraction)})`));
          }),
        ),
    h("p", { class: "muted" }, "Rows are the true classes, columns what the model predicted. The diagonal holds the correct predictions. Click a cell, or move with the arrow keys and press Enter, to see its images."),
  );

  render(
    root,
    h("h1", {}, "Confusion matrix"),
    h("p", { class: "subtitle" }, `${runLabel} · ${formatInteger(testCount)} ${state.dataset ? `${state.dataset} ` : ""}test images`),
    h("div", { class: "stat-row" }, stat(formatPercent(accuracy), "test accuracy"), stat(loss.toFixed(4), "test loss")),
    h("div", { class: "layout" }, table, side),
    detail,
  );
}

function stat(value: string, name: string): HTMLElement {
  return h("div", { class: "stat" }, h("span", { class: "value" }, value), h("span", { class: "name" }, name));
}

function accuracyBar(fraction: number): HTMLElement {
  const fill = h("span");
  fill.style.width = `${Math.round(fraction * 100)}%`;
  return h("span", { class: "acc-bar", "aria-hidden": "true" }, fill);
}

function cellButton(r: number, c: number, count: number, fraction: number): HTMLButtonElement {
  const names = state?.classNames ?? [];
  const intensity = cellIntensity(fraction);
  const [fr, fc] = focused;
  const button = h(
    "button",
    {
      class: `cell ${inkFor(intensity)}${r === c ? " diagonal" : ""}`,
      tabindex: r === fr && c === fc ? 0 : -1,
      "data-row": r,
      "data-column": c,
      "aria-pressed": selected?.[0] === r && selected[1] === c ? "true" : "false",
      "aria-label": `True ${names[r]}, predicted ${names[c]}: ${count} images, ${formatPercent(fraction)} of ${names[r]}`,
      title: `True ${names[r]} → predicted ${names[c]}: ${count} (${formatPercent(fraction)} of the row)`,
    },
    formatInteger(count),
  );
  // Colour through the CSSOM (allowed by the CSP); color-mix keeps it in the theme's own blue.
  button.style.background = `color-mix(in srgb, var(--vscode-charts-blue, #3794ff) ${Math.round(intensity * 100)}%, transparent)`;
  button.addEventListener("click", () => select([r, c]));
  return button;
}

function onGridKey(event: KeyboardEvent): void {
  const size = state?.classNames.length ?? 0;
  const next = moveCell(focused, event.key, size);
  if (!next) return;
  event.preventDefault();
  focusCell(next);
}

function cellElement([r, c]: [number, number]): HTMLButtonElement | null {
  return root.querySelector<HTMLButtonElement>(`button.cell[data-row="${r}"][data-column="${c}"]`);
}

function focusCell(cell: [number, number]): void {
  cellElement(focused)?.setAttribute("tabindex", "-1");
  focused = cell;
  const element = cellElement(cell);
  element?.setAttribute("tabindex", "0");
  element?.focus();
}

function select(cell: [number, number], offset = 0): void {
  if (!state) return;
  selected = cell;
  host.setState({ selected: cell });
  root.querySelectorAll("button.cell[aria-pressed=true]").forEach((b) => b.setAttribute("aria-pressed", "false"));
  cellElement(cell)?.setAttribute("aria-pressed", "true");
  focusCell(cell);
  lastRequestId += 1;
  const [trueLabel, predictedLabel] = cell;
  detail.replaceChildren(detailHeading(trueLabel, predictedLabel), h("p", { class: "muted" }, h("vscode-progress-ring", { "aria-label": "Loading images" }), " Loading the test images…"));
  host.post({ type: "cellImages", requestId: lastRequestId, trueLabel, predictedLabel, offset });
}

function detailHeading(trueLabel: number, predictedLabel: number): HTMLElement {
  const names = state?.classNames ?? [];
  return h("h2", {}, trueLabel === predictedLabel ? `${names[trueLabel]}: correctly classified` : `${names[trueLabel]} predicted as ${names[predictedLabel]}`);
}

function showImages(response: CellImagesResponse): void {
  const names = state?.classNames ?? [];
  const heading = detailHeading(response.trueLabel, response.predictedLabel);
  if (response.error) {
    detail.replaceChildren(heading, h("p", { class: "error" }, response.error));
    return;
  }
  const page = cellPageWords(response.total, response.offset ?? 0, response.images.length);
  const cell: [number, number] = [response.trueLabel, response.predictedLabel];
  const pageSize = response.pageSize ?? response.images.length;
  const pager = h("div", { class: "pager" });
  if (page.hasPrevious) pager.append(pageButton("Previous", () => select(cell, Math.max(0, page.first - 1 - pageSize))));
  if (page.hasNext) pager.append(pageButton("Next", () => select(cell, page.last)));
  detail.replaceChildren(
    heading,
    h("p", { class: "muted", "data-cell-total": response.total, "data-cell-shown": response.images.length }, page.text),
    h(
      "div",
      { class: "images" },
      ...response.images.map((image, i) => {
        const probability = response.probabilities?.[i];
        const label = `Test image ${page.first + i}: a ${names[response.trueLabel]} predicted as ${names[response.predictedLabel]}${probability === undefined ? "" : ` with ${formatPercent(probability)}`}`;
        return h("figure", { class: "cell-image", title: label }, imageCanvas(image, label), probability === undefined ? null : h("figcaption", {}, formatPercent(probability)));
      }),
    ),
    ...(pager.childElementCount > 0 ? [pager] : []),
  );
}

function pageButton(text: string, onClick: () => void): HTMLElement {
  const button = h("button", { class: "page-button" }, text);
  button.addEventListener("click", onClick);
  return button;
}
