/**
 * The challenge checker: parses a learner's Keras code with a real Python parser
 * (@lezer/python), evaluates it without running it, and checks it blank by blank.
 *
 * ## What the editor glue calls
 *
 * - `analyzePython(text, options?) -> Analysis` — for any Python file, on every change:
 *   - `diagnostics`: `{ range, severity, code, message }` with 0-based ranges; map them 1:1 to
 *     VS Code diagnostics (`code` is stable: "syntax", "shape", "outside-subset", ...).
 *   - `layerCalls`: one per `keras.layers.X(...)(x)` call, sorted by position: `range`,
 *     `className`, `outputShape` (batch first, `null` = None), `params`. Use
 *     `formatLayerHint(call)` for the inlay hint text `→ (None, 30, 30, 16) · 448 params`, placed
 *     at `range.end`.
 *   - `models`: every `keras.Model(...)` built (a function called in a loop builds several):
 *     `spec` (the ModelSpec the training engine takes), `totalParams`, per-layer `outputShapes`
 *     and `params`, `compile`, `builtBy` (function name), `variable`, `range`, `complete`
 *     (false when analysed with unknown arguments, e.g. a function nobody calls).
 *   - `runs`: every `model.fit(...)` with its model, compile and fit specs (what "Train" runs).
 *   - `grids`: every `GridSearchCV(...).fit(...)`, expanded into one run per combination.
 *   - `calls`: every Keras call bound onto its Keras 3 signature (as Python binds it): for each
 *     parameter, the offsets of the argument that holds it (`layerCalls[].arguments` likewise).
 * - `checkChallenge(text, starterText, checkSpec, options?) -> ChallengeVerdict` — for a
 *   challenge file: `status` ("todo" | "correct" | "wrong" | "invalid"), `blanks[]` (`id`,
 *   `status`, `message`, `range`, `hint`, `mistake`), `modelChecks[]` (whole-model, compile and
 *   fit expectations, only once every blank is filled), `summary` rows for a live
 *   `model.summary()`, plus the file's `diagnostics` and full `analysis` (no need to call
 *   analyzePython as well). A "todo" blank is not an error: decorate it, do not underline it.
 *   The feedback ladder is: `hint` (the spec's hint, on request) → `message` (what is wrong,
 *   never the answer) → `revealBlank`.
 * - `revealBlank(text, starterText, checkSpec, blankIndex) -> { range, newText } | null` — the
 *   edit that writes the expected answer into one blank; call it only when the learner asks.
 * - `checkPythonFile(path, options?)` — reads a file and analyses it (CLI, `dl-lessons train`).
 *
 * Nothing here throws on learner input, imports `vscode`, or runs learner code. Each analysis
 * has a step and time budget (`maxSteps`, `maxMillis`). `checkChallenge` answers a repeat of its
 * last check (same text, starter, spec and options) from a cache: do not modify a verdict.
 *
 * ## The Python the checker follows
 *
 * Imports of keras / tensorflow (`tf.keras.` is `keras.`), numpy, scikit-learn's
 * train_test_split and GridSearchCV, scikeras's KerasClassifier; assignments with unpacking;
 * numbers, strings, tuples, lists, dicts; attributes, subscripts and slices of known shapes;
 * calls with positional and keyword arguments; `def`/`return` and calls of the learner's own
 * functions; `for` over lists; `if` with a known condition; arithmetic. CIFAR-10, MNIST and
 * Fashion-MNIST `load_data()`, `to_categorical`, `keras.Input`, the lesson's layers,
 * `keras.Model`, `keras.Sequential` (and `.add`), `compile`, `fit`, `predict`, `evaluate`, `summary`,
 * `save`, `load_model`. What Keras 3 accepts and raises comes from the registry in `src/keras/`.
 * Other libraries (plots, pandas, print) give unknown values silently; while, class, lambda,
 * comprehensions and other Keras APIs get an info diagnostic and are skipped.
 */
import { readFile } from "node:fs/promises";
import type { Analysis, AnalyzeOptions, LayerCallInfo } from "./analysis";
import { analyzePython } from "./evaluate";
import { describeShape } from "./values";

export { analyzePython, analyzeSource } from "./evaluate";
export type { Analysis, AnalyzeOptions, Diagnostic, DiagnosticCode, GridSearchInfo, LayerCallInfo, ModelInfo, Severity, TrainingRun } from "./analysis";
export { checkChallenge, revealBlank, summaryRows } from "./challenge";
export type { BlankVerdict, ChallengeVerdict, CheckOptions, MistakeKind, ModelCheck, RevealEdit, SummaryRow } from "./challenge";
export { describeShape } from "./values";
export type { CheckSpec } from "../protocol/lesson";
export type { Shape } from "./values";

/** The inlay hint after a layer call: `→ (None, 30, 30, 16) · 448 params`. */
export function formatLayerHint(call: LayerCallInfo): string {
  // Placeholder values for unfilled arguments would give made-up shapes; say what is missing instead.
  if (call.unknownArguments.length > 0) return `→ shape once ${call.unknownArguments.join(", ")} ${call.unknownArguments.length === 1 ? "is" : "are"} filled in`;
  if (!call.upstreamKnown) return "→ shape once the layers above are complete";
  return `→ ${describeShape(call.outputShape)} · ${call.params.toLocaleString("en-US")} params`;
}

/** Reads and analyses a Python file; a file that cannot be read is reported, not thrown. */
export async function checkPythonFile(path: string, options: AnalyzeOptions = {}): Promise<Analysis | { error: string }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    return { error: `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
  return analyzePython(text, options);
}
