/**
 * The inlay hints after each layer call (`→ (None, 30, 30, 16) · 448 params`), for the dataset
 * Train will use. Training adapts the model's input layer to that dataset's images (Fashion-MNIST
 * is 28×28×1, CIFAR-10 32×32×3; see `planTraining`), so the shapes and parameter counts shown are
 * those of the adapted model, as the training process's summary gives them (the code behind the
 * model summary; the host reaches training only through that process); where they differ from
 * what the code says on its own, the hint names that too. No 'vscode' import: unit-tested.
 *
 * VS Code asks for hints again each time the learner scrolls, and the code's models rarely change
 * between two asks, so each summary is kept (`AdaptedSummaries`) and the process is asked only for
 * a model it has not summarized yet.
 */
import { describeShape, formatLayerHint, type Analysis, type LayerCallInfo, type ModelInfo } from "../../checker";
import { DISPLAY_NAMES, IMAGE_SHAPES } from "../../protocol/datasets";
import type { DatasetName, LayerSpec, ModelSpec, SourceRange } from "../../protocol/modelSpec";
import { lessonCompile, lessonFit, type ModelSummary } from "../../protocol/training";
import { planTraining } from "../training/trainingPlan";

/** The Keras-format summary of a model (the training process's); rejects a model that cannot be built. */
export type Summarize = (model: ModelSpec) => Promise<ModelSummary>;

export interface LayerHint {
  /** Where the hint goes: the end of the call. */
  position: SourceRange["end"];
  label: string;
  tooltip: string;
}

/** A layer of a model as Train will build it, beside what the code alone gives. */
interface TrainedLayer {
  outputShape: (number | null)[];
  params: number;
}

/** Adapted models whose summaries are kept: a few files of a few models each. */
const KEPT_SUMMARIES = 32;

/**
 * The summaries of the adapted models, kept per model and dataset, the least recently used
 * forgotten first. A request that fails (the training process restarting, a model that cannot be
 * built) is not kept, so the next ask tries again.
 */
export class AdaptedSummaries {
  private readonly kept = new Map<string, Promise<ModelSummary>>();

  constructor(
    private readonly summarize: Summarize,
    private readonly capacity = KEPT_SUMMARIES,
  ) {}

  /** The summary of `model` as adapted to `dataset`, asked of the training process only the first time. */
  summary(model: ModelSpec, dataset: DatasetName): Promise<ModelSummary> {
    const key = `${dataset} ${specKey(model)}`;
    const kept = this.kept.get(key);
    if (kept) {
      // Most recently used last: a Map iterates in insertion order.
      this.kept.delete(key);
      this.kept.set(key, kept);
      return kept;
    }
    const asked = this.summarize(model);
    this.kept.set(key, asked);
    asked.catch(() => {
      if (this.kept.get(key) === asked) this.kept.delete(key);
    });
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= this.capacity) break;
      this.kept.delete(oldest);
    }
    return asked;
  }

  /** Forgets every summary, e.g. when the dataset Train uses changes. */
  clear(): void {
    this.kept.clear();
  }
}

/**
 * The spec as JSON with its keys sorted and without the layers' places in the file: the summary
 * depends on neither, so typing a line above the model asks nothing again.
 */
function specKey(model: ModelSpec): string {
  const layers = model.layers.map(({ source: _source, ...layer }) => layer);
  return JSON.stringify({ ...model, layers }, (_key, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
  );
}

const key = (range: SourceRange): string => `${range.start.line}:${range.start.character}`;
const params = (count: number): string => `${count.toLocaleString("en-US")} params`;

/** The input layer of a complete model, where Train gives it another shape for `dataset` (as `planTraining` does). */
function inputChangedFor(model: ModelInfo, dataset: DatasetName): Extract<LayerSpec, { class_name: "InputLayer" }> | undefined {
  const input = model.spec.layers[0];
  return model.complete && input?.class_name === "InputLayer" && input.config.shape.join("x") !== IMAGE_SHAPES[dataset].join("x") ? input : undefined;
}

/**
 * The layers of each complete model whose input Train changes for `dataset`, by where the layer is
 * written. Empty when the code's input already has the dataset's shape.
 */
async function trainedLayers(models: readonly ModelInfo[], dataset: DatasetName, summaries: AdaptedSummaries): Promise<Map<string, TrainedLayer>> {
  const layers = new Map<string, TrainedLayer>();
  for (const model of models) {
    if (!inputChangedFor(model, dataset)) continue;
    const plan = planTraining(model.spec.name, model.spec, lessonCompile(), lessonFit(1), dataset, { dataset, trainLimit: 0, maxEpochs: 0 });
    let rows;
    try {
      rows = (await summaries.summary(plan.model, dataset)).rows;
    } catch {
      // A model that does not fit the dataset's images (a kernel larger than 28×28) keeps the
      // code's own hints; Train says why it cannot build it.
      continue;
    }
    model.spec.layers.forEach((layer, index) => {
      const row = rows[index];
      if (layer.source && row && !layers.has(key(layer.source))) layers.set(key(layer.source), { outputShape: [null, ...row.outputShape], params: row.params });
    });
  }
  return layers;
}

function callHint(call: LayerCallInfo, trained: TrainedLayer | undefined, dataset: DatasetName | undefined): LayerHint {
  const position = call.range.end;
  const ownTooltip = `${call.className}: the output shape and parameter count model.summary() would print for this layer.`;
  if (!trained || !dataset || call.unknownArguments.length > 0 || !call.upstreamKnown) return { position, label: formatLayerHint(call), tooltip: ownTooltip };
  const asTrained = `${describeShape(trained.outputShape)} · ${params(trained.params)}`;
  const asWritten = `${describeShape(call.outputShape)} · ${params(call.params)}`;
  const name = DISPLAY_NAMES[dataset];
  if (asTrained === asWritten) return { position, label: formatLayerHint(call), tooltip: ownTooltip };
  return {
    position,
    // VS Code cuts an inlay hint after 43 characters (editor.inlayHints.maximumLength): the
    // label is the trained numbers, the input layer's hint names the dataset, the tooltip both.
    label: `→ ${asTrained}`,
    tooltip: `${call.className}: Train uses ${name}, whose ${IMAGE_SHAPES[dataset].join("×")} images the input layer is adapted to, so this layer gives ${asTrained} in the trained model (its summary says the same). With the input shape the code writes, it would give ${asWritten}.`,
  };
}

/** The input's own hint, only where Train feeds it images of another shape than the code says. */
function inputHints(models: readonly ModelInfo[], dataset: DatasetName): LayerHint[] {
  const hints = new Map<string, LayerHint>();
  const shape = IMAGE_SHAPES[dataset];
  for (const model of models) {
    const input = inputChangedFor(model, dataset);
    if (!input?.source) continue;
    const name = DISPLAY_NAMES[dataset];
    hints.set(key(input.source), {
      position: input.source.end,
      label: `→ ${describeShape([null, ...shape])} on ${name}`,
      tooltip: `Train uses ${name}: its images are ${shape.join("×")}, so training gives the input layer that shape instead of the ${input.config.shape.join("×")} written here, and the shapes below follow.`,
    });
  }
  return [...hints.values()];
}

/** Every layer hint of an analysis, for the dataset Train will use (undefined: the code's own shapes). */
export async function layerHints(analysis: Pick<Analysis, "layerCalls" | "models">, dataset: DatasetName | undefined, summaries: AdaptedSummaries): Promise<LayerHint[]> {
  const trained = dataset ? await trainedLayers(analysis.models, dataset, summaries) : new Map<string, TrainedLayer>();
  const calls = analysis.layerCalls.map((call) => callHint(call, trained.get(key(call.range)), dataset));
  return dataset && trained.size > 0 ? [...inputHints(analysis.models, dataset), ...calls] : calls;
}
