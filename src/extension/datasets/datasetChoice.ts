/**
 * Which dataset a Train press uses: the `dlLessons.trainDataset` setting when it names one (a
 * workshop's room settings), else the dataset the learner chose for this workspace, else the
 * lesson's. When the lesson's dataset is not on this computer and nothing is chosen, the learner
 * gets one choice that lists the datasets that are here beside downloading or importing the
 * lesson's. No 'vscode' import: unit-tested.
 */
import type { DatasetName } from "../../protocol/modelSpec";
import { DATASET_NAMES } from "../../protocol/modelSpec";
import type { MonitorDatasetView } from "../../protocol/panels";
import { CLASS_NAMES, DISPLAY_NAMES, IMAGE_SHAPES } from "../../protocol/datasets";

export interface DatasetSituation {
  lesson: DatasetName;
  /** `dlLessons.trainDataset`. */
  configured: "lesson" | DatasetName;
  /** What the learner chose for this workspace, if anything. */
  remembered: DatasetName | undefined;
  /** The datasets on this computer. */
  present: ReadonlySet<DatasetName>;
}

export type DatasetDecision =
  /** Train on `name`; `why` is a sentence fragment for the log, the summary and the monitor, empty for the lesson's own. */
  | { kind: "use"; name: DatasetName; why: string }
  /** The dataset to use is missing: offer to download or import it (the setting or the choice names it). */
  | { kind: "fetch"; name: DatasetName; why: string }
  /** The lesson's dataset is missing and nothing is chosen: ask, offering the ones that are here. */
  | { kind: "choose"; lesson: DatasetName; alternatives: DatasetName[] };

export function decideDataset(situation: DatasetSituation): DatasetDecision {
  const { lesson, configured, remembered, present } = situation;
  const lessonTitle = DISPLAY_NAMES[lesson];
  if (configured !== "lesson") {
    const why = configured === lesson ? "" : `the dlLessons.trainDataset setting chooses ${DISPLAY_NAMES[configured]}`;
    return present.has(configured) ? { kind: "use", name: configured, why } : { kind: "fetch", name: configured, why };
  }
  if (remembered !== undefined && remembered !== lesson && present.has(remembered)) {
    const why = present.has(lesson) ? `you chose ${DISPLAY_NAMES[remembered]} for this workspace` : `you chose ${DISPLAY_NAMES[remembered]} for this workspace, as ${lessonTitle} is not on this computer`;
    return { kind: "use", name: remembered, why };
  }
  if (present.has(lesson)) return { kind: "use", name: lesson, why: "" };
  const alternatives = DATASET_NAMES.filter((name) => name !== lesson && present.has(name));
  return { kind: "choose", lesson, alternatives };
}

/** One line on what a dataset holds, for the choice: "28×28 grey images of 10 kinds of clothing". */
export function describeDataset(name: DatasetName): string {
  const [height, width, channels] = IMAGE_SHAPES[name];
  const subject = name === "fashion-mnist" ? "clothing and shoes" : name === "mnist" ? "handwritten digits" : "vehicles and animals";
  return `${height}×${width} ${channels === 1 ? "grey" : "colour"} images of ${subject}, ${CLASS_NAMES[name].length} classes`;
}

/** What a model trained on the dataset learned to see: said beside Classify Image's answer. */
export function modelExpects(name: DatasetName): string {
  const [height, width] = IMAGE_SHAPES[name];
  switch (name) {
    case "fashion-mnist":
      return `${height}×${width} grey images of one piece of clothing or one shoe, light on a dark background, filling the picture`;
    case "mnist":
      return `${height}×${width} grey images of one handwritten digit, light on a dark background, centred`;
    case "cifar10":
      return `${height}×${width} colour photos of one vehicle or animal, filling most of the picture`;
  }
}

/** What the monitor shows about datasets: the one in use and why, and the choice while the lesson's is missing. */
export function datasetChoiceView(situation: DatasetSituation): MonitorDatasetView {
  const decision = decideDataset(situation);
  const inUseName = decision.kind === "use" ? decision.name : undefined;
  const view: MonitorDatasetView = {
    lesson: { name: situation.lesson, title: DISPLAY_NAMES[situation.lesson], present: situation.present.has(situation.lesson) },
    alternatives: DATASET_NAMES.filter((name) => name !== inUseName && situation.present.has(name)).map((name) => ({ name, title: DISPLAY_NAMES[name], description: describeDataset(name) })),
  };
  if (decision.kind === "use") view.inUse = { name: decision.name, title: DISPLAY_NAMES[decision.name], why: decision.why || "the lesson's dataset" };
  return view;
}

/** The words of the missing-dataset choice (a modal dialog), alternatives first: they work at once. */
export function datasetChoiceWords(lesson: DatasetName, alternatives: readonly DatasetName[]): { message: string; detail: string; useButtons: { name: DatasetName; label: string }[]; download: string; importFile: string } {
  const lessonTitle = DISPLAY_NAMES[lesson];
  const here = alternatives.map((name) => `${DISPLAY_NAMES[name]} is on this computer (${describeDataset(name)}): train on it now; the model's input layer adapts to its images.`);
  return {
    message: `${lessonTitle}, the lesson's dataset, is not on this computer.`,
    detail: [
      ...here,
      `Or download ${lessonTitle} from its publisher, or import the file your workshop handed out. Your choice is remembered for this workspace; change it in the Training Monitor.`,
    ].join("\n\n"),
    useButtons: alternatives.map((name) => ({ name, label: `Train on ${DISPLAY_NAMES[name]}` })),
    download: `Download ${lessonTitle}`,
    importFile: "Import File…",
  };
}
