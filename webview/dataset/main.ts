/** Dataset preview webview: 25 training images with their class names, like the lesson's first plot. */
import "@vscode-elements/elements/dist/vscode-button/index.js";
import { DatasetPreviewProtocol, type DatasetPreviewViewState } from "../../src/protocol/panels";
import baseCss from "../shared/base.css";
import { adoptStyles, appRoot, h, render } from "../shared/dom";
import { connectToHost } from "../shared/host";
import { imageCanvas } from "../shared/image";
import css from "./style.css";

adoptStyles(baseCss, css);
const root = appRoot();

const host = connectToHost(DatasetPreviewProtocol, ({ state }) => draw(state));

/** Set when the learner pressed the button, so focus returns to it once the new images are in. */
let refocusShuffle = false;

function draw(state: DatasetPreviewViewState): void {
  const shuffle = h("vscode-button", { icon: "refresh", disabled: state.loading }, "Show another 25");
  shuffle.addEventListener("click", () => {
    refocusShuffle = true;
    host.post({ type: "shuffleDataset" });
  });
  render(
    root,
    h("h1", {}, state.title),
    h("p", { class: "subtitle" }, `${state.classNames.length} classes: ${state.classNames.join(", ")}`),
    h("div", { class: "toolbar" }, shuffle),
    h(
      "div",
      { class: `grid${state.loading ? " loading" : ""}`, "aria-busy": state.loading ? "true" : "false", "aria-label": "Random training images" },
      ...state.samples.map(({ image, label }) => {
        const name = state.classNames[label] ?? String(label);
        return h("figure", {}, imageCanvas(image, `A training image of class ${name}`), h("figcaption", {}, name));
      }),
    ),
  );
  // Keep the keyboard on the button across redraws, so Enter can be pressed again and again.
  if (refocusShuffle && !state.loading) {
    refocusShuffle = false;
    shuffle.focus();
  }
}
