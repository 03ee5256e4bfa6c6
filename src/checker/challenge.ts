/**
 * Checks a learner's copy of a challenge blank by blank against the challenge's check spec.
 *
 * A blank is correct when its text equals an accepted answer, or when putting the expected
 * answer in its place changes nothing the file does (same layers, model, compile and fit): that
 * is what makes `kernel_size=3`, `(3, 3)` and `[3, 3]`, or `'relu'` and
 * `keras.activations.relu`, equally right. Messages never state the expected answer; only
 * `revealBlank` does.
 */
import type { SyntaxNode } from "@lezer/common";
import type { CheckSpec, SourceRange } from "../protocol/lesson";
import type { CompileSpec, FitSpec } from "../protocol/modelSpec";
import type { CheckOutcome } from "../protocol/outcome";
import { LAYER_NAMES, layerSignature, INPUT_SIGNATURE } from "../keras/layers";
import type { Signature } from "../keras/python";
import { COMPILE_SIGNATURE, EVALUATE_SIGNATURE, FIT_SIGNATURE, MODEL_SIGNATURE, PREDICT_SIGNATURE, SEQUENTIAL_SIGNATURE } from "../keras/training";
import { locateBlanks, type BlankLocation } from "./align";
import type { Analysis, AnalyzeOptions, Diagnostic, LayerCallInfo, ModelInfo } from "./analysis";
import { analyzeSource, effectErrors, hasSameEffect } from "./evaluate";
import { BLANK, findBlanks, parsePython, positionAt, rangeOf, syntaxErrors, tokensOf, type ParsedSource } from "../python";
import { describeShape, type Shape } from "./values";
import * as wording from "./wording";

/** Why a blank is wrong, for tests and for the editor's choice of icon. */
export type MistakeKind =
  | "anticipated"
  | "syntax"
  | "not-found"
  | "shape"
  | "hidden-softmax"
  | "output-activation"
  | "output-units"
  | "wrong-input"
  | "pool-size"
  | "layer-argument"
  | "missing-validation"
  | "fit-setting"
  | "other";

export interface BlankVerdict {
  index: number;
  id: string;
  status: CheckOutcome;
  /** What the learner sees: names the line, says what is wrong, never the expected answer. */
  message: string;
  /** Where the learner's answer is (or where the blank still is). */
  range: SourceRange;
  /** The spec's hint for this blank; the editor shows it when asked, before anything else. */
  hint?: string;
  mistake?: MistakeKind;
}

export interface ModelCheck {
  status: Extract<CheckOutcome, "correct" | "wrong">;
  message: string;
  range?: SourceRange;
}

/** One row of a live `model.summary()`. */
export interface SummaryRow {
  name: string;
  className: string;
  outputShape: Shape;
  params: number;
}

export interface ChallengeVerdict {
  status: CheckOutcome;
  blanks: BlankVerdict[];
  /** Whole-model, compile and fit expectations; empty until every blank is filled. */
  modelChecks: ModelCheck[];
  /** Syntax, shape and other diagnostics of the whole file. */
  diagnostics: Diagnostic[];
  summary: SummaryRow[];
  analysis: Analysis;
}

export interface CheckOptions {
  /** Budget of one analysis, passed through. */
  maxSteps?: number;
  maxMillis?: number;
}

/**
 * Small caches, least recently used first out. Only what repeats is kept: the starter files, the
 * answers of the check specs, and the last check (the editor checks the same text again on save
 * or on a CodeLens). The files a check makes by putting an answer into a blank change with every
 * keystroke, so they are not kept: keeping them would only make the garbage collector copy them.
 * For the same reason only one verdict is kept: with its analysis it is some 100 KB of objects,
 * which every young-generation collection that finds it alive copies (bench:check, the longest
 * challenge with a blank wrong: a second kept verdict made those pauses twice as long).
 */
const starterCache = new Map<string, ParsedSource>();
const snippetCache = new Map<string, string>();
const verdictCache = new Map<string, { starter: string; spec: string; options: string; verdict: ChallengeVerdict }>();
const STARTER_CACHE_SIZE = 16;
const SNIPPET_CACHE_SIZE = 256;
const VERDICT_CACHE_SIZE = 1;

function keep<T>(cache: Map<string, T>, size: number, key: string, value: T): T {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > size) cache.delete(cache.keys().next().value as string);
  return value;
}

function remember<T>(cache: Map<string, T>, size: number, key: string, make: () => T): T {
  const hit = cache.get(key);
  return keep(cache, size, key, hit !== undefined ? hit : make());
}

/** The learner's text checked last: the next keystroke's parse starts from its tree. */
let lastLearnerParse: ParsedSource | undefined;

function parseLearner(text: string): ParsedSource {
  if (lastLearnerParse?.text !== text) lastLearnerParse = parsePython(text, lastLearnerParse);
  return lastLearnerParse;
}

function parseStarter(text: string): ParsedSource {
  return remember(starterCache, STARTER_CACHE_SIZE, text, () => parsePython(text));
}

/** Tokens of a Python expression, with `tf.keras.` read as `keras.` where `tf` is TensorFlow. */
function normalisedTokens(tokens: string[], tfImported = true): string {
  const result: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    if (tfImported && tokens[index] === "tf" && tokens[index + 1] === "." && tokens[index + 2] === "keras") {
      index++;
      continue;
    }
    result.push(tokens[index] as string);
  }
  return result.join(" ");
}

/** `import tensorflow as tf` in the file: without it, `tf.keras.` is an undefined name, not `keras.`. */
function importsTf(source: ParsedSource): boolean {
  let known = tfImportOf.get(source);
  if (known === undefined) {
    const tokens = tokensOf(source, source.tree.topNode);
    known = tokens.some((token, index) => token === "import" && tokens[index + 1] === "tensorflow" && tokens[index + 2] === "as" && tokens[index + 3] === "tf");
    tfImportOf.set(source, known);
  }
  return known;
}

/** `importsTf` of each file, asked once per blank of a check. */
const tfImportOf = new WeakMap<ParsedSource, boolean>();

function snippetTokens(text: string): string {
  return remember(snippetCache, SNIPPET_CACHE_SIZE, text, () => {
    const parsed = parsePython(text);
    return normalisedTokens(tokensOf(parsed, parsed.tree.topNode));
  });
}

/** An answer as it stands in the learner's blank: inside the starter's brackets where the learner replaced them. */
function inPlace(location: BlankLocation, answer: string): string {
  return location.wrapper ? `${location.wrapper.open}${answer}${location.wrapper.close}` : answer;
}

/** Puts `answer` where the learner's blank is, indenting its extra lines like the first. */
function substitute(learner: ParsedSource, location: BlankLocation, answer: string): string {
  const column = positionAt(learner, location.from).character;
  const indented = inPlace(location, answer).split("\n").join(`\n${" ".repeat(column)}`);
  return learner.text.slice(0, location.from) + indented + learner.text.slice(location.to);
}

/**
 * Same effect: the same trace, and no error the other file does not have (a string where a number
 * belongs, a name the file never defines).
 */
function sameEffect(a: Analysis, b: Analysis): boolean {
  return a.trace.length === b.trace.length && a.trace.every((entry, index) => entry === b.trace[index]) && effectErrors(a.diagnostics) === effectErrors(b.diagnostics);
}

/** The Keras signatures a blank can be an argument of, by the last name of the callee as written. */
const SIGNATURES_BY_NAME: ReadonlyMap<string, Signature> = new Map([
  ["Input", INPUT_SIGNATURE],
  ["Model", MODEL_SIGNATURE],
  ["Sequential", SEQUENTIAL_SIGNATURE],
  ["compile", COMPILE_SIGNATURE],
  ["fit", FIT_SIGNATURE],
  ["evaluate", EVALUATE_SIGNATURE],
  ["predict", PREDICT_SIGNATURE],
]);

/** Which parameters positional arguments bind to, for the callables the registry describes. */
function positionalParameters(callee: string): readonly string[] | undefined {
  const name = callee.slice(callee.lastIndexOf(".") + 1);
  const layerClass = LAYER_NAMES.get(name);
  const found = layerClass ? layerSignature(layerClass) : SIGNATURES_BY_NAME.get(name);
  return found?.params.filter((param) => !param.keywordOnly).map((param) => param.name);
}

/**
 * Explains, in the learner's terms, how the learner's file differs from the reference file (the
 * same file with the expected answer in this blank). Never mentions the expected value.
 */
/** How a blank's answer differs from the expected one; `decisive` when nothing else about it matters more (another layer, another input). */
interface Difference {
  kind: MistakeKind;
  message: string;
  decisive?: true;
}

function explainDifference(learner: Analysis, reference: Analysis, location: BlankLocation, learnerText: string, line: number): Difference | null {
  const inBlank = (range: SourceRange, from: number, to: number): boolean => from <= location.to && to >= location.from && range.start.line <= line + 1;
  const call = learner.layerCalls.find((info) => inBlank(info.range, info.from, info.to));
  const expectedCall = call ? reference.layerCalls.find((info) => info.from === call.from) : undefined;
  if (call && expectedCall && call.input !== expectedCall.input) return layerDifference(call, expectedCall, learnerText, line);
  // An error the evaluator found on the blank's lines (a shape that does not fit, an argument of
  // the wrong type) already says what is wrong in the learner's terms.
  const lastLine = Math.max(call?.range.end.line ?? line, line);
  const problem = learner.diagnostics.find(
    (diagnostic) =>
      diagnostic.severity === "error" &&
      diagnostic.code !== "syntax" &&
      diagnostic.range.start.line >= (call?.range.start.line ?? line) &&
      diagnostic.range.start.line <= lastLine &&
      !reference.diagnostics.some((other) => other.message === diagnostic.message),
  );
  if (problem) return { kind: problem.code === "shape" ? "shape" : "layer-argument", message: problem.message };
  // A name the file never defines (`tf` without `import tensorflow as tf`) is why the code differs.
  const undefinedName = learner.diagnostics.find(
    (diagnostic) =>
      diagnostic.code === "undefined-name" &&
      diagnostic.range.start.line >= line &&
      diagnostic.range.start.line <= lastLine &&
      !reference.diagnostics.some((other) => other.message === diagnostic.message),
  );
  if (undefinedName) return { kind: "other", message: wording.onLine(line + 1, undefinedName.message) };
  // A name the answer stopped defining (`model = ...` where later lines use `model_best`) fails where it is used.
  const lostName = learner.diagnostics.find(
    (diagnostic) => diagnostic.code === "undefined-name" && diagnostic.severity === "error" && !reference.diagnostics.some((other) => other.message === diagnostic.message),
  );
  if (lostName) return { kind: "other", message: wording.nameLost(line + 1, lostName.range.start.line + 1, lostName.message) };
  if (call && expectedCall) {
    const difference = layerDifference(call, expectedCall, learnerText, line);
    if (difference) return difference;
  }
  const compileDifference = explainCompile(learner, reference, line + 1);
  if (compileDifference) return compileDifference;
  const learnerFit = learner.runs[0]?.fit;
  const referenceFit = reference.runs[0]?.fit;
  if (learnerFit && referenceFit && referenceFit.validation.kind === "data" && learnerFit.validation.kind !== "data") {
    return {
      kind: "missing-validation",
      message: wording.missingValidation(line + 1),
    };
  }
  if (learnerFit && referenceFit && learnerFit.epochs !== referenceFit.epochs) {
    return { kind: "fit-setting", message: wording.otherEpochs(line + 1, learnerFit.epochs) };
  }
  if (learnerFit && referenceFit && learnerFit.batch_size !== referenceFit.batch_size) {
    return { kind: "fit-setting", message: wording.otherBatchSize(line + 1, learnerFit.batch_size) };
  }
  return null;
}

/** How the learner's compile settings differ from the expected answer's, said from the learner's values. */
function explainCompile(learner: Analysis, reference: Analysis, line: number): { kind: MistakeKind; message: string } | null {
  const compileOf = (analysis: Analysis): CompileSpec | undefined => analysis.models.find((model) => model.compile)?.compile ?? analysis.runs[0]?.compile;
  const got = compileOf(learner);
  const want = compileOf(reference);
  if (!got || !want) return null;
  if (got.optimizer.name !== want.optimizer.name) return { kind: "fit-setting", message: wording.otherOptimizer(line, got.optimizer.name) };
  if (got.optimizer.learning_rate !== want.optimizer.learning_rate) return { kind: "fit-setting", message: wording.otherLearningRate(line, got.optimizer.learning_rate, got.optimizer.learning_rate > want.optimizer.learning_rate) };
  if (got.loss !== want.loss) return { kind: "fit-setting", message: wording.otherLoss(line, got.loss) };
  if (JSON.stringify(got.metrics) !== JSON.stringify(want.metrics)) return { kind: "fit-setting", message: wording.otherMetrics(line, got.metrics) };
  return null;
}

function layerDifference(call: LayerCallInfo, expected: LayerCallInfo, learnerText: string, line: number): Difference | null {
  if (call.input !== expected.input) {
    return {
      kind: "wrong-input",
      decisive: true,
      message: wording.otherInput(line + 1, call.className, learnerText),
    };
  }
  const got = call.layer;
  const want = expected.layer;
  // A layer without an activation followed straight away by an Activation layer computes that activation.
  const effective = (info: LayerCallInfo, activation: string): string => (activation === "linear" && info.activationAfter ? info.activationAfter : activation);
  const gotActivation = "activation" in got.config ? effective(call, got.config.activation) : undefined;
  const wantActivation = "activation" in want.config ? effective(expected, want.config.activation) : undefined;
  if (gotActivation !== undefined && wantActivation !== undefined && gotActivation !== wantActivation) {
    if (gotActivation === "softmax" && !call.isModelOutput) {
      return { kind: "hidden-softmax", message: wording.softmaxInHiddenLayer(line + 1) };
    }
    if (call.isModelOutput && wantActivation === "softmax") {
      return { kind: "output-activation", message: wording.outputWithoutProbabilities(line + 1, gotActivation) };
    }
    return { kind: "layer-argument", message: wording.otherActivation(line + 1, gotActivation) };
  }
  // Only a classifier's output layer (softmax) needs one unit per class; a model still being
  // built ends on a hidden layer.
  if (got.class_name === "Dense" && want.class_name === "Dense" && got.config.units !== want.config.units && call.isModelOutput && want.config.activation === "softmax") {
    return { kind: "output-units", message: wording.outputUnits(line + 1, got.config.units) };
  }
  if ((got.class_name === "MaxPooling2D" || got.class_name === "AveragePooling2D") && got.class_name === want.class_name && got.config.pool_size.join() !== want.config.pool_size.join()) {
    const bigger = got.config.pool_size[0] * got.config.pool_size[1] > want.config.pool_size[0] * want.config.pool_size[1];
    return {
      kind: "pool-size",
      message: wording.otherPoolSize(line + 1, got.config.pool_size, bigger, describeShape(call.outputShape)),
    };
  }
  if (got.class_name !== want.class_name) {
    return { kind: "layer-argument", message: wording.otherLayerClass(line + 1, got.class_name), decisive: true };
  }
  const changed = Object.keys(got.config).find((key) => JSON.stringify((got.config as Record<string, unknown>)[key]) !== JSON.stringify((want.config as Record<string, unknown>)[key]));
  if (changed) {
    return { kind: "layer-argument", message: wording.otherLayerArgument(line + 1, changed, got.class_name, describeShape(call.outputShape), call.params) };
  }
  return null;
}

/** True when two ranges share at least one character (or an empty one sits inside the other). */
function overlaps(a: SourceRange, b: SourceRange): boolean {
  const before = (x: SourceRange["start"], y: SourceRange["start"]): boolean => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * An error Python or Keras 3 would raise on the blank's own text (a name never defined, a value
 * Keras refuses): such a blank is not correct, whatever answer it holds. A blank that holds the
 * expected name is not blamed for what that name holds (it was assigned elsewhere, or never).
 */
function blockingError(analysis: Analysis, learner: ParsedSource, location: BlankLocation, range: SourceRange, otherBlanks: readonly SourceRange[], holdsExpected: boolean): Diagnostic | undefined {
  const node = learner.tree.resolveInner(location.from, 1);
  const isName = node.name === "VariableName" && node.from === location.from && node.to === location.to;
  if (holdsExpected && isName) return undefined;
  // An error on a whole call that holds several blanks (compile without a loss) is no one blank's.
  return analysis.diagnostics.find(
    (diagnostic) => diagnostic.severity === "error" && diagnostic.code !== "syntax" && overlaps(diagnostic.range, range) && !otherBlanks.some((other) => overlaps(diagnostic.range, other)),
  );
}

/**
 * The lines CPython cannot read past a syntax error: from its line to the next line that starts a
 * new top-level statement (an unclosed bracket, a `def` without its colon swallow what follows).
 */
function unreadableLines(learner: ParsedSource, analysis: Analysis): { first: number; last: number } | undefined {
  const syntax = analysis.diagnostics.find((diagnostic) => diagnostic.code === "syntax" && diagnostic.severity === "error");
  if (!syntax) return undefined;
  const first = syntax.range.start.line;
  const starts = learner.lineStarts;
  for (let index = first + 1; index < starts.length; index++) {
    const start = starts[index] ?? learner.text.length;
    if (/^[^\s#)\]}]/.test(learner.text.slice(start, start + 1))) return { first, last: index - 1 };
  }
  return { first, last: starts.length - 1 };
}

function mistakeKind(diagnostic: Diagnostic): MistakeKind {
  return diagnostic.code === "shape" ? "shape" : diagnostic.code === "undefined-name" ? "other" : "layer-argument";
}

/** The string an answer like `'relu'` stands for, or undefined for any other expression. */
function stringAnswer(answer: string): string | undefined {
  const match = /^\s*(['"])([^'"]*)\1\s*$/.exec(answer);
  return match?.[2];
}

/**
 * The verdict for a blank whose argument the learner took out of the call. One case is still
 * right: a layer's `activation` moved into an `Activation` layer that takes its output straight
 * away, which Keras 3 computes the same way (keras/src/layers/activations/activation.py).
 */
function removedArgumentVerdict(base: Omit<BlankVerdict, "status" | "message">, name: string, argument: string | number, blank: CheckSpec["blanks"][number], learnerAnalysis: Analysis, location: BlankLocation): BlankVerdict {
  const line = base.range.start.line + 1;
  if (argument === "activation") {
    const call = learnerAnalysis.layerCalls.find((candidate) => candidate.from <= location.from && location.to <= candidate.to);
    const wanted = stringAnswer(blank.expect);
    if (wanted !== undefined && call?.activationAfter === wanted) return { ...base, status: "correct", message: wording.isCorrect(name) };
  }
  return { ...base, status: "wrong", mistake: "not-found", message: wording.argumentRemoved(name, line, argument, blank.explain) };
}

function verdictForBlank(
  spec: CheckSpec,
  location: BlankLocation,
  otherBlanks: readonly SourceRange[],
  unreadable: { first: number; last: number } | undefined,
  starterBlank: SyntaxNode | undefined,
  learner: ParsedSource,
  learnerAnalysis: Analysis,
  options: AnalyzeOptions,
): BlankVerdict {
  const blank = spec.blanks[location.index];
  const id = blank?.id ?? `blank-${location.index + 1}`;
  const range = rangeOf(learner, location.from, location.to);
  const line = range.start.line;
  const base = blank?.hint === undefined ? { index: location.index, id, range } : { index: location.index, id, range, hint: blank.hint };
  const name = wording.blankName(location.index);
  if (!location.found || !blank || !starterBlank) {
    // An unclosed quote or bracket hides the code around the blank until the line is finished.
    const firstError = syntaxErrors(learner)[0];
    if (firstError && blank && starterBlank) {
      const errorLine = positionAt(learner, firstError.from).line;
      return { ...base, range: rangeOf(learner, firstError.from, firstError.from), status: "invalid", mistake: "syntax", message: wording.hiddenBySyntaxError(name, errorLine + 1) };
    }
    return { ...base, status: "invalid", mistake: "not-found", message: wording.cannotBeFound(name) };
  }
  const learnerText = learner.text.slice(location.from, location.to);
  const learnerTokens = normalisedTokens(tokensOf(learner, null, location.from, location.to), importsTf(learner));
  if ((learnerTokens === "" || learnerTokens === BLANK) && location.removedArgument === undefined) {
    return { ...base, status: "todo", message: wording.notFilledIn(name, line + 1) };
  }
  const lastLine = range.end.line;
  // An unclosed bracket shows up as an error at the very start of the following line, unless
  // CPython puts its error on that line itself (an unexpected indent there): then this line is whole.
  const cpythonLine = learnerAnalysis.diagnostics.find((diagnostic) => diagnostic.code === "syntax" && diagnostic.severity === "error")?.range.start.line;
  const brokenAt = syntaxErrors(learner).find((error) => {
    const position = positionAt(learner, error.from);
    const lineText = learner.text.slice(learner.lineStarts[position.line] ?? 0, error.from);
    return (position.line >= line && position.line <= lastLine) || (position.line === lastLine + 1 && lineText.trim() === "" && cpythonLine !== position.line);
  });
  if (brokenAt || (unreadable && line >= unreadable.first && line <= unreadable.last)) {
    return { ...base, status: "invalid", mistake: "syntax", message: brokenAt || !unreadable ? wording.notValidPython(name, line + 1) : wording.hiddenBySyntaxError(name, unreadable.first + 1) };
  }
  if (location.removedArgument !== undefined) return removedArgumentVerdict(base, name, location.removedArgument, blank, learnerAnalysis, location);
  const mistakes = blank.mistakes ?? [];
  // A mistake the lesson anticipated, written exactly as the learner wrote it: its message fits.
  // The same value inside a list (`[keras.metrics.Accuracy()]` for `keras.metrics.Accuracy()`) has the same fault.
  const textMistake = mistakes.find((mistake) => snippetTokens(inPlace(location, mistake.answer)) === learnerTokens) ?? mistakes.find((mistake) => `[ ${snippetTokens(mistake.answer)} ]` === learnerTokens);
  if (textMistake) return { ...base, status: "wrong", mistake: "anticipated", message: wording.onLine(line + 1, textMistake.message) };
  const accepted = [blank.expect, ...(blank.accept ?? [])];
  const holdsAccepted = accepted.some((answer) => snippetTokens(inPlace(location, answer)) === learnerTokens);
  const blocking = blockingError(learnerAnalysis, learner, location, range, otherBlanks, holdsAccepted);
  if (blocking) {
    // A stored mistake written another way (`Dropout(50)` for `Dropout(rate=50)`) that Keras refuses
    // in the same words is still that mistake.
    const refusedWith = (answer: string): boolean => analyzeSource(parsePython(substitute(learner, location, answer), learner), options).diagnostics.some((other) => other.message === blocking.message);
    // Only when the refusal comes from the value: the expected answer in its place must not be refused.
    const sameRefusal = refusedWith(blank.expect) ? undefined : mistakes.find((mistake) => refusedWith(mistake.answer));
    if (sameRefusal) return { ...base, status: "wrong", mistake: "anticipated", message: wording.onLine(line + 1, sameRefusal.message) };
    return { ...base, status: "wrong", mistake: mistakeKind(blocking), message: wording.onLine(blocking.range.start.line + 1, blocking.message) };
  }
  if (holdsAccepted) return { ...base, status: "correct", message: wording.isCorrect(name) };

  // The expected answer's file is analysed in full: if it differs, it explains the difference.
  // The other answers only need a yes or no, which the evaluator gives at the first difference.
  const reference = analyzeSource(parsePython(substitute(learner, location, blank.expect), learner), options);
  const behavesLike = (answer: string): boolean => hasSameEffect(parsePython(substitute(learner, location, answer), learner), options, learnerAnalysis);
  if (sameEffect(learnerAnalysis, reference) || (blank.accept ?? []).some(behavesLike)) {
    return { ...base, status: "correct", message: wording.isCorrect(name) };
  }
  // An error the expected answer does not cause (an undefined name, a value Keras refuses) is what
  // is wrong, whatever stored mistake the value might otherwise resemble.
  const newError = learnerAnalysis.diagnostics.find(
    (diagnostic) =>
      (diagnostic.severity === "error" || diagnostic.code === "undefined-name") &&
      diagnostic.code !== "syntax" &&
      diagnostic.range.start.line >= line &&
      diagnostic.range.start.line <= lastLine &&
      !otherBlanks.some((other) => overlaps(diagnostic.range, other)) &&
      !reference.diagnostics.some((other) => other.message === diagnostic.message),
  );
  if (newError) return { ...base, status: "wrong", mistake: mistakeKind(newError), message: wording.onLine(newError.range.start.line + 1, newError.message) };
  // A warning on the blank's own text (a setting Keras 3 accepts but that cannot do what the task
  // needs, like from_logits=True after a softmax) says more than any stored mistake it resembles.
  const ownWarning = learnerAnalysis.diagnostics.find(
    (diagnostic) =>
      diagnostic.severity === "warning" &&
      overlaps(diagnostic.range, range) &&
      !otherBlanks.some((other) => overlaps(diagnostic.range, other)) &&
      !reference.diagnostics.some((other) => other.message === diagnostic.message),
  );
  const explained = explainDifference(learnerAnalysis, reference, location, learnerText.trim(), line);
  // Another kind of layer, or a layer applied to another tensor than the task's, is said first.
  if (explained?.decisive) return { ...base, status: "wrong", mistake: explained.kind, message: explained.message };
  if (ownWarning) return { ...base, status: "wrong", mistake: mistakeKind(ownWarning), message: wording.onLine(ownWarning.range.start.line + 1, ownWarning.message) };
  const effectMistake = mistakes.find((mistake) => behavesLike(mistake.answer));
  if (effectMistake) return { ...base, status: "wrong", mistake: "anticipated", message: wording.onLine(line + 1, effectMistake.message) };
  if (explained) return { ...base, status: "wrong", mistake: explained.kind, message: explained.message };
  // Code the checker does not follow (a Keras layer outside the lesson's) is named, not passed over.
  const unfollowed = learnerAnalysis.diagnostics.find((diagnostic) => diagnostic.code === "outside-subset" && overlaps(diagnostic.range, range));
  if (unfollowed) return { ...base, status: "wrong", mistake: "other", message: wording.unfollowedInBlank(line + 1, unfollowed.message, blank.explain) };
  return { ...base, status: "wrong", mistake: "other", message: wording.doesNotDoTheTask(name, line + 1, blank.explain) };
}

function findModel(spec: CheckSpec, analysis: Analysis): ModelInfo | undefined {
  const expectation = spec.model;
  const candidates = analysis.models.filter((model) =>
    expectation?.function ? model.builtBy === expectation.function : expectation?.variable ? model.variable === expectation.variable : true,
  );
  return candidates.find((model) => model.complete) ?? candidates[0];
}

export function summaryRows(model: ModelInfo): SummaryRow[] {
  return model.spec.layers.map((layer, index) => ({ name: layer.name, className: layer.class_name, outputShape: model.outputShapes[index] ?? [], params: model.params[index] ?? 0 }));
}

function modelChecks(spec: CheckSpec, analysis: Analysis): ModelCheck[] {
  const checks: ModelCheck[] = [];
  const expectation = spec.model;
  if (expectation) {
    const model = findModel(spec, analysis);
    const where = expectation.function ? `the function ${expectation.function}` : expectation.variable ? `the variable ${expectation.variable}` : "this file";
    // Why no model came out is the first thing that stopped it: an error Python or Keras 3 raises, or
    // a layer the checker does not follow; said on that line.
    const stoppedBy =
      analysis.diagnostics.find((diagnostic) => diagnostic.severity === "error" && diagnostic.code !== "syntax") ??
      analysis.diagnostics.find((diagnostic) => diagnostic.code === "outside-subset" && diagnostic.message.includes("keras.layers."));
    if (!model && stoppedBy) {
      checks.push({ status: "wrong", message: wording.noModelBecause(where, stoppedBy.message), range: stoppedBy.range });
    } else if (!model) {
      checks.push({ status: "wrong", message: wording.noModel(where, expectation.function !== undefined) });
    } else {
      const range = model.range;
      const withRange = (check: ModelCheck): ModelCheck => (range ? { ...check, range } : check);
      const classes = model.spec.layers.map((layer) => layer.class_name as string);
      let wrong = false;
      if (expectation.layers) {
        const firstDifference = expectation.layers.findIndex((name, index) => classes[index] !== name);
        if (firstDifference >= 0 || classes.length !== expectation.layers.length) {
          wrong = true;
          const position = firstDifference >= 0 ? firstDifference : Math.min(classes.length, expectation.layers.length);
          const actual = classes[position];
          // A layer of another class is reported on its own line, not on the keras.Model line.
          const calls = [...analysis.layerCalls].sort((a, b) => a.from - b.from);
          const offset = classes[0] === "InputLayer" ? 1 : 0;
          const atLayer = calls[position - offset]?.className === actual ? calls[position - offset] : calls.find((call) => call.className === actual);
          const message = actual ? wording.otherLayerInPlace(position + 1, actual) : wording.modelStopsEarly(classes.length);
          checks.push(actual && atLayer ? { status: "wrong", message, range: atLayer.range } : withRange({ status: "wrong", message }));
        }
      }
      if (!wrong && expectation.outputShapes) {
        const index = expectation.outputShapes.findIndex((shape, position) => JSON.stringify(shape) !== JSON.stringify((model.outputShapes[position] ?? []).slice(1)));
        if (index >= 0) {
          wrong = true;
          checks.push(withRange({ status: "wrong", message: wording.otherLayerShape(index + 1, model.spec.layers[index]?.name ?? "?", describeShape(model.outputShapes[index] ?? [])) }));
        }
      }
      if (!wrong && expectation.totalParams !== undefined && expectation.totalParams !== model.totalParams) {
        wrong = true;
        checks.push(withRange({ status: "wrong", message: wording.otherParameterCount(model.totalParams) }));
      }
      if (!wrong) checks.push(withRange({ status: "correct", message: wording.modelMatches(model.spec.layers.length, model.totalParams) }));
    }
  }
  if (spec.compile) {
    const compile: CompileSpec | undefined = analysis.models.find((model) => model.compile)?.compile ?? analysis.runs[0]?.compile;
    const want = spec.compile;
    // A compile call Keras 3 refuses is reported by what it refuses (the loss, the metrics), on its line.
    const refused = analysis.diagnostics.find((diagnostic) => diagnostic.severity === "error" && diagnostic.code === "compile");
    if (!compile && refused) checks.push({ status: "wrong", message: refused.message, range: refused.range });
    else if (!compile) checks.push({ status: "wrong", message: wording.notCompiled() });
    else if (want.optimizer && compile.optimizer.name !== want.optimizer.toLowerCase()) checks.push({ status: "wrong", message: wording.compileOtherOptimizer(compile.optimizer.name) });
    else if (want.loss && compile.loss !== want.loss) checks.push({ status: "wrong", message: wording.compileOtherLoss(compile.loss) });
    else if (want.metrics && JSON.stringify(compile.metrics) !== JSON.stringify(want.metrics)) checks.push({ status: "wrong", message: wording.compileOtherMetrics() });
    else checks.push({ status: "correct", message: wording.compileMatches() });
  }
  if (spec.fit) {
    const fit: FitSpec | undefined = analysis.runs[0]?.fit;
    const want = spec.fit;
    const refusedFit = analysis.diagnostics.find((diagnostic) => diagnostic.severity === "error" && diagnostic.code === "fit");
    if (!fit && refusedFit) checks.push({ status: "wrong", message: refusedFit.message, range: refusedFit.range });
    else if (!fit) checks.push({ status: "wrong", message: wording.notTrained() });
    else if (want.validationData && fit.validation.kind !== "data") checks.push({ status: "wrong", message: wording.fitWithoutValidation() });
    else if (want.epochs !== undefined && fit.epochs !== want.epochs) checks.push({ status: "wrong", message: wording.fitOtherEpochs(fit.epochs) });
    else if (want.batchSize !== undefined && fit.batch_size !== want.batchSize) checks.push({ status: "wrong", message: wording.fitOtherBatchSize(fit.batch_size) });
    else checks.push({ status: "correct", message: wording.fitMatches() });
  }
  return checks;
}

/** Checks the learner's `source` of a challenge whose starter file is `starter`. Never throws. */
export function checkChallenge(source: string, starter: string, spec: CheckSpec, options: CheckOptions = {}): ChallengeVerdict {
  const key = { starter, spec: specKey(spec), options: JSON.stringify(options) };
  const recent = verdictCache.get(source);
  if (recent && recent.starter === key.starter && recent.spec === key.spec && recent.options === key.options) return keep(verdictCache, VERDICT_CACHE_SIZE, source, recent).verdict;
  const verdict = checkAfresh(source, starter, spec, options);
  keep(verdictCache, VERDICT_CACHE_SIZE, source, { ...key, verdict });
  return verdict;
}

/**
 * The text of a check spec, to tell a repeated check from one with another spec. Specs are parsed
 * once from the lesson and never changed, and the editor passes the same object on every
 * keystroke, so the text is made once per spec.
 */
function specKey(spec: CheckSpec): string {
  let key = specKeys.get(spec);
  if (key === undefined) {
    key = JSON.stringify(spec);
    specKeys.set(spec, key);
  }
  return key;
}

const specKeys = new WeakMap<CheckSpec, string>();

function checkAfresh(source: string, starter: string, spec: CheckSpec, options: CheckOptions): ChallengeVerdict {
  const analyzeOptions: AnalyzeOptions = { ...options };
  if (spec.model?.inputShape) analyzeOptions.inputShape = spec.model.inputShape;
  const learner = parseLearner(source);
  const starterParsed = parseStarter(starter);
  const analysis = analyzeSource(learner, analyzeOptions);
  const starterBlanks = findBlanks(starterParsed);
  let blanks: BlankVerdict[];
  try {
    const locations = locateBlanks(starterParsed, learner, positionalParameters);
    const unreadable = unreadableLines(learner, analysis);
    const ranges = locations.map((location) => (location.found && location.removedArgument === undefined ? rangeOf(learner, location.from, location.to) : undefined));
    blanks = locations.map((location) => {
      const others = ranges.filter((other, index): other is SourceRange => other !== undefined && index !== location.index);
      return verdictForBlank(spec, location, others, unreadable, starterBlanks[location.index], learner, analysis, analyzeOptions);
    });
  } catch (error) {
    // Only a bug gets here; the learner still gets an answer rather than an exception.
    const start = { line: 0, character: 0 };
    blanks = starterBlanks.map((_, index) => ({ index, id: spec.blanks[index]?.id ?? `blank-${index + 1}`, status: "invalid", message: wording.checkerFailed(error instanceof Error ? error.message : String(error)), range: { start, end: start } }));
  }
  const allFilled = blanks.every((blank) => blank.status !== "todo" && blank.status !== "invalid");
  const checks = allFilled ? modelChecks(spec, analysis) : [];
  // A file Python cannot parse does not run at all, whatever its blanks hold.
  const status: CheckOutcome = blanks.some((blank) => blank.status === "invalid") || analysis.diagnostics.some((diagnostic) => diagnostic.code === "syntax" && diagnostic.severity === "error")
    ? "invalid"
    : blanks.some((blank) => blank.status === "todo")
      ? "todo"
      : // A file Python or Keras 3 raises on is not right, even where every blank and check is.
        blanks.some((blank) => blank.status === "wrong") || checks.some((check) => check.status === "wrong") || analysis.diagnostics.some((diagnostic) => diagnostic.severity === "error")
        ? "wrong"
        : "correct";
  const model = findModel(spec, analysis);
  return { status, blanks, modelChecks: checks, diagnostics: analysis.diagnostics, summary: model ? summaryRows(model) : [], analysis };
}

/** An edit that puts the expected answer into one blank: only for an explicit "reveal". */
export interface RevealEdit {
  range: SourceRange;
  newText: string;
}

export function revealBlank(source: string, starter: string, spec: CheckSpec, blankIndex: number): RevealEdit | null {
  const blank = spec.blanks[blankIndex];
  if (!blank) return null;
  const learner = parseLearner(source);
  const location = locateBlanks(parseStarter(starter), learner, positionalParameters)[blankIndex];
  if (!location?.found) return null;
  const column = positionAt(learner, location.from).character;
  return { range: rangeOf(learner, location.from, location.to), newText: inPlace(location, blank.expect).split("\n").join(`\n${" ".repeat(column)}`) };
}
