/** Predictions webview: test images, true and predicted labels, top-3 probability bars; or one image of the learner's. */
import "@vscode-elements/elements/dist/vscode-button/index.js";
import { PredictionsProtocol, type OwnImagePrediction, type PredictionFilter, type PredictionView, type PredictionsViewState } from "../../src/protocol/panels";
import baseCss from "../shared/base.css";
import { adoptStyles, appRoot, emptyState, h, icon, render } from "../shared/dom";
import { formatPercent } from "../shared/format";
import { connectToHost } from "../shared/host";
import { imageCanvas } from "../shared/image";
import { filterPredictions, isCorrect, ownImageBars, topThree } from "./model";
import css from "./style.css";

adoptStyles(baseCss, css);
const root = appRoot();

const host = connectToHost(PredictionsProtocol, ({ state }) => draw(state));

function draw(state: PredictionsViewState): void {
  const own = [...(state.ownImages ?? []), ...(state.ownImage ? [state.ownImage] : [])];
  const { items, filter, classNames, runLabel } = state;
  const wrongCount = items.filter((item) => !isCorrect(item)).length;
  const shown = filterPredictions(items, filter);
  const testImages =
    items.length === 0
      ? []
      : [
          h("h2", { class: "section-title" }, "Test images"),
          h("p", { class: "subtitle" }, `${runLabel} · ${items.length - wrongCount} of ${items.length} test images right (${formatPercent(items.length ? (items.length - wrongCount) / items.length : 0)})`),
          h("div", { class: "toolbar", role: "group", "aria-label": "Which predictions to show" }, filterButton("all", `All (${items.length})`, filter), filterButton("wrong", `Wrong only (${wrongCount})`, filter)),
          shown.length === 0 ? emptyState("pass", "No wrong predictions", "Every test image shown here was classified correctly.") : h("div", { class: "grid" }, ...shown.map((item) => card(item, classNames))),
        ];
  render(
    root,
    h("h1", {}, "Predictions"),
    ...(own.length > 0 ? [h("h2", { class: "section-title" }, own.length === 1 ? "Your image" : `Your images (${own.length}, newest first)`), ...own.map((prediction) => ownImageCard(prediction, classNames, runLabel))] : []),
    ...testImages,
  );
}

/** Classify Image…: the learner's image as it is and as the model saw it, what the model expects, and its most likely classes. */
function ownImageCard(prediction: OwnImagePrediction, classNames: string[], runLabel: string): HTMLElement {
  const { image, fileName, originalWidth, originalHeight } = prediction;
  const bars = ownImageBars(prediction, classNames);
  const best = bars[0];
  const resized = originalWidth === image.width && originalHeight === image.height ? `${image.width}×${image.height}` : `resized from ${originalWidth}×${originalHeight} to ${image.width}×${image.height}, keeping its proportions`;
  return h(
    "article",
    { class: "card own-image", "aria-label": best ? `${fileName}: most likely ${best.name}, ${formatPercent(best.probability)}` : fileName },
    h("h3", { class: "file-name" }, fileName),
    h("p", { class: "subtitle" }, `Classified by ${runLabel} · ${resized}${image.channels === 1 ? ", in grey" : ""}`),
    h(
      "div",
      { class: "views" },
      prediction.original ? h("figure", { class: "original" }, imageCanvas(prediction.original, `${fileName} as it is`), h("figcaption", {}, "Your picture")) : null,
      h("figure", { class: "model-view" }, imageCanvas(image, `${fileName} as the model sees it`), h("figcaption", {}, `As the model sees it (${image.width}×${image.height})`)),
    ),
    h(
      "div",
      { class: "answer" },
      prediction.expects ? h("p", { class: "expects" }, icon("info"), " ", prediction.expects) : null,
      prediction.note ? h("p", { class: "note" }, icon("warning"), " ", prediction.note) : null,
      h("div", { class: "verdict-line" }, best ? `Most likely ${best.name}` : "No answer"),
      h(
        "ul",
        { class: "bars", "aria-label": `The ${bars.length} most likely classes` },
        ...bars.map(({ name, probability, best: isBest }) => {
          const fill = h("div", { class: "fill" });
          fill.style.width = `${Math.max(1, probability * 100)}%`;
          return h("li", { class: `bar${isBest ? " is-best" : ""}` }, h("span", { class: "name" }, name), h("span", { class: "pct" }, formatPercent(probability, 1)), h("div", { class: "track", "aria-hidden": "true" }, fill));
        }),
      ),
    ),
  );
}

function filterButton(filter: PredictionFilter, text: string, current: PredictionFilter): HTMLElement {
  const active = filter === current;
  const button = h("vscode-button", { secondary: !active, "aria-pressed": active ? "true" : "false" }, text);
  button.addEventListener("click", () => {
    if (!active) host.post({ type: "setPredictionFilter", filter });
  });
  return button;
}

function card(item: PredictionView, classNames: string[]): HTMLElement {
  const correct = isCorrect(item);
  const trueName = classNames[item.trueLabel] ?? String(item.trueLabel);
  const predicted = item.top[0];
  const predictedName = predicted ? (classNames[predicted.label] ?? String(predicted.label)) : "–";
  return h(
    "article",
    { class: `card prediction${correct ? "" : " wrong"}`, "aria-label": `Test image ${item.index}: ${trueName}, predicted ${predictedName}` },
    imageCanvas(item.image, `Test image ${item.index}, a ${trueName}`),
    h(
      "div",
      { class: "labels" },
      h("div", { class: "true" }, trueName),
      h("div", { class: `verdict ${correct ? "good" : "bad"}` }, icon(correct ? "pass" : "error"), correct ? "predicted right" : `predicted ${predictedName}`),
    ),
    h(
        "ul",
        { class: "bars", "aria-label": "Three most likely classes" },
        ...topThree(item).map(({ label, probability }, rank) => {
          const fill = h("div", { class: "fill" });
          fill.style.width = `${Math.max(1, probability * 100)}%`;
          const kind = label === item.trueLabel ? " is-true" : rank === 0 ? " is-wrong-top" : "";
          return h("li", { class: `bar${kind}` }, h("span", { class: "name" }, classNames[label] ?? String(label)), h("span", { class: "pct" }, formatPercent(probability, 0)), h("div", { class: "track", "aria-hidden": "true" }, fill));
        }),
    ),
  );
}
