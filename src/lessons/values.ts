/**
 * Computed values: the lesson's numbers for the dataset this workspace trains on.
 *
 * An episode writes a dataset-dependent number as a computed form, `{{params create-model-intro}}`,
 * and the panel shows the value for the workspace's dataset (setting `dlLessons.trainDataset`),
 * computed by the code that computes it everywhere else: model shapes and parameter counts by
 * `summarizeModel` on the challenge's solution model with its input adapted to the dataset's images
 * (as training adapts it), split sizes as `splitTrainValidation` cuts them, class names and image
 * shapes from the dataset catalog, training times from the lesson's measured `timings.json`.
 *
 *   {{name args}}              the value for the workspace's dataset
 *   {{name args | cifar10}}    the value for a named dataset (or `| lesson`: the lesson's own)
 *   {{name args | beside}}     the value, and the lesson dataset's value in brackets when it differs
 *
 * `lintComputedForms` rejects unknown forms, and a dataset-dependent number written as a literal
 * where a form gives it (docs/lesson-format.md, "Computed values").
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { analyzePython, type Analysis } from "../checker";
import type { Lesson, LessonLocation, LessonProblem } from "../protocol/lesson";
import { DATASET_NAMES, type DatasetName, type LayerSpec, type ModelSpec } from "../protocol/modelSpec";
import { CLASS_NAMES, DISPLAY_NAMES, IMAGE_SHAPES } from "../training/datasets/catalog";
import { formatCount, formatShape, formatWeightBytes, summarizeModel } from "../training/summary";
import type { MarkdownRenderer } from "./markdown";
import { CLOCK_DATASETS, trainingTimes, type ClockDataset, type LessonTimings } from "./clock";
import { PUBLISHED_COUNTS, splitCounts } from "./datasetFacts";

/** Measured accuracies the text quotes, by result id (`intro-val`), then dataset: `[low, high]`. */
export interface LessonResults {
  /** Where each dataset's numbers come from, one sentence each. */
  sources: Partial<Record<DatasetName, string>>;
  accuracy: Record<string, Partial<Record<DatasetName, [number, number]>>>;
}

/** What the forms are computed from. */
export interface ValueContext {
  /** The dataset the workspace trains on. */
  dataset: DatasetName;
  /** The dataset the lesson was written for (`lesson.yaml`). */
  lessonDataset: DatasetName;
  /** Each code challenge's solution model as written (for the lesson's dataset), by challenge id. */
  models: ReadonlyMap<string, ModelSpec>;
  timings?: LessonTimings | undefined;
  results?: LessonResults | undefined;
}

type Renderer = (args: string[], dataset: DatasetName, context: ValueContext) => string;

interface FormDefinition {
  /** What the arguments are, for messages: `MODEL LAYER`. */
  usage: string;
  arity: number;
  render: Renderer;
}

class FormError extends Error {}

const COUNTS = ["train", "test", "all", "per-class", "train-per-class", "test-per-class", "split-train", "split-validation", "split-train-per-class", "split-validation-per-class"] as const;
type CountName = (typeof COUNTS)[number];

/** Image counts of `dataset`: as published, and as the lesson's 80/20 split cuts the training images. */
export function imageCount(name: string, dataset: DatasetName): number {
  const published = PUBLISHED_COUNTS[dataset];
  const split = splitCounts(published.train);
  const classes = CLASS_NAMES[dataset].length;
  const counts: Record<CountName, number> = {
    train: published.train,
    test: published.test,
    all: published.train + published.test,
    // The balanced datasets (CIFAR-10, Fashion-MNIST) hold exactly this many per class.
    "per-class": (published.train + published.test) / classes,
    "train-per-class": published.train / classes,
    "test-per-class": published.test / classes,
    "split-train": split.train,
    "split-validation": split.validation,
    "split-train-per-class": split.train / classes,
    "split-validation-per-class": split.validation / classes,
  };
  if (!(COUNTS as readonly string[]).includes(name)) throw new FormError(`unknown image count \`${name}\`; one of ${COUNTS.join(", ")}`);
  return Math.round(counts[name as CountName]);
}

/** The model as training builds it for `dataset`: the input layer takes the dataset's image shape (as `planTraining` adapts it). */
export function modelFor(spec: ModelSpec, dataset: DatasetName): ModelSpec {
  const shape = [...IMAGE_SHAPES[dataset]];
  const layers = spec.layers.map((layer): LayerSpec => (layer.class_name === "InputLayer" ? { ...layer, config: { shape } } : layer));
  return { ...spec, layers };
}

function summaryOf(args: string[], dataset: DatasetName, context: ValueContext): ReturnType<typeof summarizeModel> {
  const id = args[0]!;
  const spec = context.models.get(id);
  if (!spec) throw new FormError(`no model for \`${id}\`: name a code challenge whose solution builds a model (${[...context.models.keys()].join(", ")})`);
  return summarizeModel(modelFor(spec, dataset));
}

function layerRow(args: string[], dataset: DatasetName, context: ValueContext): { outputShape: number[]; params: number } {
  const summary = summaryOf(args, dataset, context);
  const index = Number(args[1]);
  const row = Number.isInteger(index) ? summary.rows[index] : undefined;
  if (!row) throw new FormError(`layer \`${args[1]}\` of \`${args[0]}\`: a layer number from 0 (the input) to ${summary.rows.length - 1}`);
  return row;
}

function clockDataset(dataset: DatasetName): ClockDataset {
  // MNIST has Fashion-MNIST's image shape and size, so it trains in the same time.
  return (CLOCK_DATASETS as readonly string[]).includes(dataset) ? (dataset as ClockDataset) : "fashion-mnist";
}

function timeOf(args: string[], dataset: DatasetName, context: ValueContext): number {
  if (!context.timings) throw new FormError("the lesson has no timings.json to take training times from");
  const which = args[1] ?? "workshop";
  if (which !== "full" && which !== "workshop") throw new FormError(`\`${which}\`: say \`full\` or \`workshop\``);
  const time = trainingTimes(context.timings, clockDataset(dataset)).find((t) => t.id === args[0]);
  if (!time) throw new FormError(`no training \`${args[0]}\` in the lesson's clock`);
  return which === "full" ? time.fullSeconds : time.workshopSeconds;
}

/** Minutes as a workshop plans them: whole minutes, at least 1. */
export function formatMinutes(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

function workshopSetting(args: string[], key: "trainLimit" | "maxEpochs", context: ValueContext): string {
  if (!context.timings) throw new FormError("the lesson has no timings.json");
  const time = trainingTimes(context.timings, "cifar10").find((t) => t.id === args[0]);
  if (!time) throw new FormError(`no training \`${args[0]}\` in the lesson's clock`);
  return formatCount(time.workshop[key]);
}

const channelWords = (dataset: DatasetName): string => (IMAGE_SHAPES[dataset][2] === 3 ? "three colour channels" : "one grey channel");

export const FORMS: Record<string, FormDefinition> = {
  dataset: { usage: "", arity: 0, render: (_, d) => DISPLAY_NAMES[d] },
  "image-size": { usage: "", arity: 0, render: (_, d) => `${IMAGE_SHAPES[d][0]} × ${IMAGE_SHAPES[d][1]}` },
  "image-shape": { usage: "", arity: 0, render: (_, d) => `(${IMAGE_SHAPES[d].join(", ")})` },
  channels: { usage: "", arity: 0, render: (_, d) => String(IMAGE_SHAPES[d][2]) },
  "channel-words": { usage: "", arity: 0, render: (_, d) => channelWords(d) },
  classes: { usage: "", arity: 0, render: (_, d) => CLASS_NAMES[d].join(", ") },
  class: {
    usage: "NUMBER",
    arity: 1,
    render: ([n], d) => {
      const name = CLASS_NAMES[d][Number(n)];
      if (name === undefined) throw new FormError(`class \`${n}\`: a class number from 0 to ${CLASS_NAMES[d].length - 1}`);
      return name;
    },
  },
  images: { usage: COUNTS.join("|"), arity: 1, render: ([name], d) => formatCount(imageCount(name!, d)) },
  "images-raw": { usage: COUNTS.join("|"), arity: 1, render: ([name], d) => String(imageCount(name!, d)) },
  /** A NumPy array's shape as Python prints it: `(40000, 32, 32, 3)`. */
  "array-shape": { usage: COUNTS.join("|"), arity: 1, render: ([name], d) => `(${[imageCount(name!, d), ...IMAGE_SHAPES[d]].join(", ")})` },
  "steps-per-epoch": { usage: "", arity: 0, render: (_, d) => formatCount(Math.ceil(imageCount("split-train", d) / 32)) },
  params: { usage: "MODEL", arity: 1, render: (args, d, c) => formatCount(summaryOf(args, d, c).totalParams) },
  "weights-size": { usage: "MODEL", arity: 1, render: (args, d, c) => formatWeightBytes(summaryOf(args, d, c).totalParams) },
  "layer-shape": { usage: "MODEL LAYER", arity: 2, render: (args, d, c) => formatShape(layerRow(args, d, c).outputShape) },
  "layer-params": { usage: "MODEL LAYER", arity: 2, render: (args, d, c) => formatCount(layerRow(args, d, c).params) },
  summary: { usage: "MODEL", arity: 1, render: (args, d, c) => summaryOf(args, d, c).text },
  accuracy: {
    usage: "RESULT",
    arity: 1,
    render: ([id], d, c) => {
      const range = c.results?.accuracy[id!]?.[d];
      if (!range) throw new FormError(`no measured accuracy \`${id}\` for ${DISPLAY_NAMES[d]} in the lesson's results.json`);
      return range[0] === range[1] ? range[0].toFixed(2) : `${range[0].toFixed(2)}–${range[1].toFixed(2)}`;
    },
  },
  minutes: { usage: "TRAINING [full|workshop]", arity: -1, render: (args, d, c) => formatMinutes(timeOf(args, d, c)) },
  "train-limit": { usage: "TRAINING", arity: 1, render: (args, _d, c) => workshopSetting(args, "trainLimit", c) },
  "max-epochs": { usage: "TRAINING", arity: 1, render: (args, _d, c) => workshopSetting(args, "maxEpochs", c) },
  /** At the start of a line: the line is shown only to a workspace that trains on DATASET (see `ONLY_LINE`). */
  only: {
    usage: "DATASET",
    arity: 1,
    render: ([name]) => {
      if (!(DATASET_NAMES as readonly string[]).includes(name!)) throw new FormError(`\`only\` takes a dataset: ${DATASET_NAMES.join(", ")}`);
      return "";
    },
  },
};

/**
 * `{{only fashion-mnist}} text`: a line shown only when the workspace trains on that dataset (a
 * figure and its caption measured on it), with the form and one space after it taken out.
 */
const ONLY_LINE = /^(\s*)\{\{\s*only\s+([^{}\s|]+)\s*\}\}[ \t]?/;

/** The lines of `markdown` for `dataset`: `{{only ...}}` lines of other datasets left out, the form taken off the others. */
function linesFor(markdown: string, dataset: DatasetName): string {
  if (!markdown.includes("only")) return markdown;
  return markdown
    .split("\n")
    .flatMap((line) => {
      const only = ONLY_LINE.exec(line);
      if (!only || !(DATASET_NAMES as readonly string[]).includes(only[2]!)) return [line];
      return only[2] === dataset ? [only[1] + line.slice(only[0].length)] : [];
    })
    .join("\n");
}

/** `{{ name args | modifier }}`; no braces or newlines inside. */
const FORM = /\{\{([^{}\n]*)\}\}/g;

interface ParsedForm {
  name: string;
  args: string[];
  modifier: string | undefined;
}

function parseForm(body: string): ParsedForm {
  const [main = "", modifier, ...rest] = body.split("|").map((part) => part.trim());
  if (rest.length > 0) throw new FormError("a computed value takes at most one `| modifier`");
  const [name = "", ...args] = main.split(/\s+/).filter((part) => part !== "");
  const form = FORMS[name];
  if (!form) throw new FormError(`unknown computed value \`${name}\`; known: ${Object.keys(FORMS).join(", ")}`);
  if (form.arity >= 0 && args.length !== form.arity) throw new FormError(`\`${name}\` takes ${form.usage ? `\`${form.usage}\`` : "no arguments"}`);
  if (form.arity < 0 && (args.length < 1 || args.length > 2)) throw new FormError(`\`${name}\` takes \`${form.usage}\``);
  if (modifier !== undefined && modifier !== "beside" && modifier !== "lesson" && !(DATASET_NAMES as readonly string[]).includes(modifier)) {
    throw new FormError(`unknown modifier \`${modifier}\`; use \`| beside\`, \`| lesson\` or a dataset (${DATASET_NAMES.join(", ")})`);
  }
  return { name, args, modifier };
}

function renderForm(form: ParsedForm, context: ValueContext): string {
  const definition = FORMS[form.name]!;
  const value = (dataset: DatasetName): string => definition.render(form.args, dataset, context);
  if (form.modifier === "lesson") return value(context.lessonDataset);
  if (form.modifier === "beside") {
    const here = value(context.dataset);
    const lesson = value(context.lessonDataset);
    return here === lesson ? here : `${here} (${lesson} with ${DISPLAY_NAMES[context.lessonDataset]})`;
  }
  if (form.modifier !== undefined) return value(form.modifier as DatasetName);
  return value(context.dataset);
}

/** The markdown with every computed form replaced by its value; a form that cannot be computed shows as written. */
export function expandComputedValues(markdown: string, context: ValueContext): string {
  return linesFor(markdown, context.dataset).replace(FORM, (whole, body: string) => {
    try {
      return renderForm(parseForm(body), context);
    } catch (error) {
      if (error instanceof FormError) return whole;
      throw error;
    }
  });
}

/** Every literal that a form would render for the lesson's dataset and that differs on another dataset: the numbers an episode may not write by hand. */
export function datasetDependentLiterals(context: ValueContext): Map<string, string> {
  const literals = new Map<string, string>();
  // A literal that some form renders the same on every dataset (10,000 test images on both
  // CIFAR-10 and Fashion-MNIST) is ambiguous: it may mean that value, so it is not rejected.
  const invariant = new Set<string>();
  const others = DATASET_NAMES.filter((d) => d !== context.lessonDataset);
  const consider = (body: string): void => {
    let here: string;
    let elsewhere: string[];
    try {
      const form = parseForm(body);
      const definition = FORMS[form.name]!;
      here = definition.render(form.args, context.lessonDataset, context);
      elsewhere = others.map((d) => definition.render(form.args, d, context));
    } catch {
      return;
    }
    // Only values specific enough to find in prose: with a digit, four characters or more.
    if (elsewhere.every((v) => v === here)) invariant.add(here);
    else if (/\d/.test(here) && here.length >= 4 && !here.includes("\n") && !literals.has(here)) literals.set(here, `{{${body}}}`);
  };
  for (const count of COUNTS) ["images", "images-raw", "array-shape"].forEach((name) => consider(`${name} ${count}`));
  ["image-size", "image-shape", "steps-per-epoch"].forEach(consider);
  for (const [id, spec] of context.models) {
    consider(`params ${id}`);
    consider(`weights-size ${id}`);
    spec.layers.forEach((_, layer) => {
      consider(`layer-shape ${id} ${layer}`);
      consider(`layer-params ${id} ${layer}`);
    });
  }
  for (const literal of invariant) literals.delete(literal);
  return literals;
}

/**
 * Problems with the computed values of one episode file: forms that cannot be computed, and
 * dataset-dependent literals in prose and in ```output blocks. Python code is the learner's code
 * for the lesson's dataset, check blocks are what the checker holds that code to, and front
 * matter and image descriptions (of figures drawn for the lesson's dataset) are left alone.
 */
export function lintComputedValues(source: string, file: string, context: ValueContext): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const literals = datasetDependentLiterals(context);
  // Longest first, each match blanked out, so `40000` is not reported again inside `(40000, 32, 32, 3)`.
  const patterns = [...literals].sort((a, b) => b[0].length - a[0].length).map(([literal, form]) => ({
    literal,
    form,
    pattern: new RegExp(`(?<![\\d,.])${literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\d]|,\\d)`, "g"),
  }));
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  let fence: { marker: string; checked: boolean } | undefined;
  let inFrontMatter = lines[0] === "---";
  lines.forEach((line, n) => {
    const at = (column: number): LessonLocation => ({ file, line: n + 1, column: column + 1 });
    if (inFrontMatter) {
      if (n > 0 && (line === "---" || line === "...")) inFrontMatter = false;
      return;
    }
    const fenceLine = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
    if (fence) {
      if (fenceLine && fenceLine[1]!.startsWith(fence.marker) && line.trim() === fenceLine[1]) {
        fence = undefined;
        return;
      }
    } else if (fenceLine) {
      const info = fenceLine[2] ?? "";
      fence = { marker: fenceLine[1]!, checked: info === "output" || info === "text" || info === "" };
      return;
    }
    const only = ONLY_LINE.exec(line);
    for (const match of line.matchAll(FORM)) {
      try {
        const form = parseForm(match[1]!);
        if (form.name === "only" && (match.index !== (only?.[1]?.length ?? -1) || form.modifier !== undefined)) {
          throw new FormError("`{{only DATASET}}` starts a line, with no modifier: the line is then shown only to those who train on DATASET");
        }
        renderForm(form, context);
      } catch (error) {
        if (!(error instanceof FormError)) throw error;
        problems.push({ location: at(match.index), message: error.message, severity: "error" });
      }
    }
    // A line pinned to one dataset may write that dataset's numbers, as `| DATASET` does.
    if ((fence && !fence.checked) || /^\s*!\[/.test(line) || only) return;
    let text = line.replace(FORM, (whole) => " ".repeat(whole.length));
    for (const { literal, form, pattern } of patterns) {
      for (const match of text.matchAll(pattern)) {
        text = text.slice(0, match.index) + " ".repeat(literal.length) + text.slice(match.index + literal.length);
        problems.push({
          location: at(match.index),
          message: `\`${literal}\` depends on the dataset; write \`${form}\` so that learners see the number for the dataset they train on (add \`| beside\` to show the ${DISPLAY_NAMES[context.lessonDataset]} value too)`,
          severity: "error",
        });
      }
    }
  });
  return problems.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}

/** The lesson's measured tables, beside lesson.yaml. */
export const TIMINGS_FILE = "timings.json";
export const RESULTS_FILE = "results.json";

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/**
 * The models of the lesson's code challenges, from their solution files as the checker reads
 * them: the model built by the check block's `model.function` (or held in `model.variable`),
 * else the last model the file builds. Challenges whose solution builds no model are left out.
 */
/** Analyses one solution file; the extension passes its checker thread, tools the checker itself. */
export type SolutionAnalyzer = (file: string, text: string) => Promise<Pick<Analysis, "models">>;

export async function solutionModels(lesson: Lesson, analyze: SolutionAnalyzer = async (_file, text) => analyzePython(text)): Promise<Map<string, ModelSpec>> {
  const models = new Map<string, ModelSpec>();
  for (const challenge of lesson.episodes.flatMap((e) => e.challenges)) {
    if (!challenge.solutionFile || !challenge.check?.model) continue;
    let text: string;
    try {
      text = await readFile(join(lesson.root, challenge.solutionFile), "utf8");
    } catch {
      continue;
    }
    const { function: builder, variable } = challenge.check.model;
    const built = (await analyze(join(lesson.root, challenge.solutionFile), text)).models.filter((m) => m.complete);
    const model = built.find((m) => (builder !== undefined && m.builtBy === builder) || (variable !== undefined && m.variable === variable)) ?? built[built.length - 1];
    if (model) models.set(challenge.id, model.spec);
  }
  return models;
}

/** Everything the computed values of `lesson` need, for the workspace's `dataset`. */
export async function loadValueContext(lesson: Lesson, dataset: DatasetName, models?: ReadonlyMap<string, ModelSpec>): Promise<ValueContext> {
  return {
    dataset,
    lessonDataset: lesson.dataset,
    models: models ?? (await solutionModels(lesson)),
    timings: await readJson<LessonTimings>(join(lesson.root, TIMINGS_FILE)),
    results: await readJson<LessonResults>(join(lesson.root, RESULTS_FILE)),
  };
}

/** A renderer that shows every computed form as its value for `context`'s dataset before rendering. */
export function withComputedValues(renderer: MarkdownRenderer, context: ValueContext): MarkdownRenderer {
  return {
    render: (markdown) => renderer.render(expandComputedValues(markdown, context)),
    renderInline: (markdown) => renderer.renderInline(expandComputedValues(markdown, context)),
  };
}
