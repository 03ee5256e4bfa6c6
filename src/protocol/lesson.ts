/**
 * The typed Lesson model: what `src/lessons` parses out of `lessons/<id>/`, what the checker
 * checks against and what the episode panel renders. Sent from the extension host to webviews
 * as-is, so it holds plain data only.
 */
import type { DatasetName, SourceRange } from "./modelSpec";

/** A place in a lesson source file, 1-based like compiler messages (`file:line:column`). */
export interface LessonLocation {
  file: string;
  line: number;
  column: number;
}

export interface Lesson {
  id: string;
  title: string;
  dataset: DatasetName;
  /** Absolute path of the lesson's folder. */
  root: string;
  episodes: Episode[];
}

export interface Episode {
  /** From the file name: `03-build-a-cnn.md` -> `03-build-a-cnn`. */
  id: string;
  index: number;
  title: string;
  /** Minutes of teaching and exercises, from the front matter. */
  teachingMinutes: number;
  exerciseMinutes: number;
  /** Minutes the episode's trainings take with the lesson's workshop settings (front matter `training`), when it trains. */
  trainingMinutes?: number;
  questions: string[];
  objectives: string[];
  keypoints: string[];
  /** The episode in reading order; challenges appear as blocks of kind "challenge". */
  blocks: EpisodeBlock[];
  challenges: Challenge[];
  location: LessonLocation;
}

export type CalloutKind = "callout" | "discussion" | "caution" | "testimonial";

/** Markdown is kept as source; the panel renders it with the same markdown library. */
export type EpisodeBlock =
  | { kind: "markdown"; markdown: string; location: LessonLocation }
  | { kind: "callout"; calloutKind: CalloutKind; title: string; markdown: string; location: LessonLocation }
  | { kind: "challenge"; challengeId: string; location: LessonLocation };

export interface Challenge {
  /** Unique within the lesson, e.g. `conv2d-layer`. */
  id: string;
  episodeId: string;
  title: string;
  /** The task as markdown (everything in the div that is not a hint or a solution). */
  markdown: string;
  hints: string[];
  /** The solution's explanation as markdown; for code challenges the code is in `solutionFile`. */
  solutionMarkdown: string;
  /** A code challenge has both files (paths relative to the lesson root); an open question has neither. */
  starterFile?: string;
  solutionFile?: string;
  check?: CheckSpec;
  location: LessonLocation;
}

/**
 * What a code challenge's check expects, written in the challenge as a fenced ```check block of
 * YAML. Blanks are matched by order: the n-th `_____` in the starter file is `blanks[n]`.
 */
export interface CheckSpec {
  blanks: BlankSpec[];
  /** Whole-model expectations, checked when all blanks are filled. */
  model?: ModelExpectation;
  compile?: CompileExpectation;
  fit?: FitExpectation;
}

export interface BlankSpec {
  /** Short name used in messages and tests, e.g. `filters`. */
  id: string;
  /**
   * The canonical answer as a Python expression (`16`, `'relu'`, `inputs_intro`,
   * `keras.layers.Flatten()`). Anything the checker evaluates to an equal value is accepted:
   * `(3,3)` = `3` for a kernel size, `"relu"` = `keras.activations.relu`, keras. = tf.keras.
   */
  expect: string;
  /** Further expressions that are accepted although they are not equal in value. */
  accept?: string[];
  /** Anticipated wrong answers (Python expressions) and what to tell the learner about each. */
  mistakes?: { answer: string; message: string }[];
  /** Shown on request, before anything else; never states the answer. */
  hint?: string;
  /** What this blank is for, in the learner's terms; used in "wrong" messages. */
  explain?: string;
}

export interface ModelExpectation {
  /** The function to call (`create_model_intro`) or the variable that holds the model. */
  function?: string;
  variable?: string;
  /** Input shape without the batch dimension that the model is built for, e.g. [32, 32, 3]. */
  inputShape: number[];
  /** Layer class names in order, InputLayer first. */
  layers?: string[];
  /** Output shape of each layer without the batch dimension, same order as `layers`. */
  outputShapes?: number[][];
  totalParams?: number;
}

export interface CompileExpectation {
  optimizer?: string;
  loss?: string;
  metrics?: string[];
}

export interface FitExpectation {
  epochs?: number;
  batchSize?: number;
  /** True when `validation_data` must be given. */
  validationData?: boolean;
}

/** A problem found while parsing or validating a lesson. */
export interface LessonProblem {
  location: LessonLocation;
  message: string;
  severity: "error" | "warning";
}

export type { SourceRange };
