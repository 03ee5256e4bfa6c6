/** Model summary webview: the Keras table with each layer's share of the parameters. */
import "@vscode-elements/elements/dist/vscode-button/index.js";
import { SummaryProtocol } from "../../src/protocol/panels";
import baseCss from "../shared/base.css";
import { adoptStyles, appRoot, h, render } from "../shared/dom";
import { formatInteger, formatPercent } from "../shared/format";
import { connectToHost } from "../shared/host";
import css from "./style.css";
import { HEAVY_LAYER_SHARE, kerasParamSize, summaryRows } from "./model";

adoptStyles(baseCss, css);
const root = appRoot();

const host = connectToHost(SummaryProtocol, ({ summary, source, notes }) => {
  // Kept by VS Code, so the panel comes back with this summary after a window reload.
  host.setState({ summary, source, ...(notes ? { notes } : {}) });
  const rows = summaryRows(summary);
  const copy = h("vscode-button", { secondary: true, icon: "copy" }, "Copy as text");
  copy.addEventListener("click", () => void navigator.clipboard.writeText(summary.text));

  const table = h(
    "table",
    { class: "keras" },
    h("caption", { class: "visually-hidden" }, `Layers of ${summary.modelName}`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Layer (type)"), h("th", { scope: "col" }, "Output Shape"), h("th", { scope: "col", class: "params" }, "Param #"))),
    h(
      "tbody",
      {},
      ...rows.map((row) =>
        h(
          "tr",
          { class: row.heavy ? "heavy" : undefined },
          h("td", {}, row.label),
          h("td", { class: "shape" }, row.shape),
          h(
            "td",
            { class: "params", title: `${formatPercent(row.share)} of all parameters` },
            formatInteger(row.params),
            h("span", { class: "share", "aria-hidden": "true" }, h("span", { "data-share": row.share })),
          ),
        ),
      ),
    ),
  );
  // Widths through the CSSOM: the CSP allows that, unlike style attributes.
  table.querySelectorAll<HTMLElement>("[data-share]").forEach((bar) => (bar.style.width = `${Number(bar.dataset["share"]) * 100}%`));

  render(
    root,
    h("h1", {}, `Model: "${summary.modelName}"`),
    h("p", { class: "subtitle" }, source),
    notes && notes.length > 0 ? h("div", { class: "notes", role: "note" }, h("h2", {}, "As trained"), h("ul", {}, ...notes.map((note) => h("li", {}, note)))) : null,
    table,
    h(
      "dl",
      { class: "totals" },
      h("dt", {}, "Total params:"),
      h("dd", {}, `${formatInteger(summary.totalParams)} (${kerasParamSize(summary.totalParams)})`),
      h("dt", {}, "Trainable params:"),
      h("dd", {}, `${formatInteger(summary.trainableParams)} (${kerasParamSize(summary.trainableParams)})`),
      h("dt", {}, "Non-trainable params:"),
      h("dd", {}, `${formatInteger(summary.nonTrainableParams)} (${kerasParamSize(summary.nonTrainableParams)})`),
    ),
    h("p", { class: "legend" }, `Highlighted rows hold at least ${formatPercent(HEAVY_LAYER_SHARE, 0)} of all parameters: that is where the model's size comes from.`),
    h("div", { class: "toolbar" }, copy),
  );
});
