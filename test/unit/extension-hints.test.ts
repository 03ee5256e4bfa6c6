import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { analyzePython, formatLayerHint } from "../../src/checker";
import { answerDiffHtml, answerLines } from "../../src/extension/editor/answerDiff";
import { AdaptedSummaries, layerHints } from "../../src/extension/editor/layerHints";
import { hintLadder, lessonCompletion } from "../../src/extension/lesson/episodeView";
import * as v from "valibot";
import { LessonActionCommandSchema } from "../../src/protocol/panels";
import { completionWords } from "../../webview/episode/model";
import { loadLesson } from "../../src/lessons";
import { summarizeModel } from "../../src/training/summary";

/** The training process answers a summary with the engine's summarizeModel; the test calls it directly. */
const summarize = (model: Parameters<typeof summarizeModel>[0]) => Promise.resolve(summarizeModel(model));

/** A training process that answers with the engine's summary and counts what it was asked. */
function countingProcess(): { asked: string[]; summaries: (capacity?: number) => AdaptedSummaries } {
  const asked: string[] = [];
  const answer = (model: Parameters<typeof summarizeModel>[0]) => {
    asked.push(model.name);
    return summarize(model);
  };
  return { asked, summaries: (capacity) => new AdaptedSummaries(answer, capacity) };
}

const LESSON_DIR = join(__dirname, "..", "..", "lessons", "intro-image-classification-cnn");

test("one hint ladder: a hint per blank first, then the challenge's written hints, none giving the answer", async () => {
  const { lesson } = await loadLesson(LESSON_DIR);
  const challenge = lesson.episodes.flatMap((e) => e.challenges).find((c) => c.id === "conv2d-layer");
  assert.ok(challenge?.check, "the lesson has the conv2d-layer code challenge");
  const ladder = hintLadder(challenge);
  const blankHints = challenge.check.blanks.filter((blank) => blank.hint);
  assert.ok(blankHints.length > 0);
  assert.equal(ladder.length, blankHints.length + challenge.hints.length);
  blankHints.forEach((blank, index) => {
    assert.ok(ladder[index]?.includes(blank.hint!), `step ${index + 1} is the hint of blank ${blank.id}, in full`);
    assert.ok(ladder[index]?.includes(`\`${blank.id}\``), "and names its blank");
  });
  assert.deepEqual(ladder.slice(blankHints.length), challenge.hints);
  assert.ok(!ladder.some((step) => /filters\s*=\s*16/.test(step)), "no step states the answer");
});

test("a challenge without a check has only its written hints", () => {
  assert.deepEqual(hintLadder({ hints: ["Think of the shape."] }), ["Think of the shape."]);
});

test("Reveal shows only the lines with blanks, as they are and with the answers filled in", async () => {
  const { lesson } = await loadLesson(LESSON_DIR);
  const challenge = lesson.episodes.flatMap((e) => e.challenges).find((c) => c.id === "conv2d-layer");
  assert.ok(challenge?.check && challenge.starterFile);
  const starter = readFileSync(join(LESSON_DIR, challenge.starterFile), "utf8");
  // The learner got one blank right and left the others open.
  const learner = starter.replace("filters=_____", "filters=16");
  const changed = answerLines(learner, starter, challenge.check);
  assert.ok(changed.length >= 1 && changed.length < learner.split("\n").length / 4, "a few lines, not the whole file");
  for (const line of changed) {
    assert.equal(learner.split("\n")[line.line - 1], line.before, "the learner's own line");
    assert.ok(line.before.includes("_____"));
    assert.ok(!line.after.includes("_____"), "every blank on it filled");
  }
  assert.ok(changed.some((line) => line.after.includes("relu")), "the answers are there");
  const html = answerDiffHtml(changed);
  assert.match(html, /class="diff-line removed"/);
  assert.match(html, /class="diff-line added"/);
  assert.ok(!html.includes("<script"), "the code is escaped");
  assert.deepEqual(answerLines(readFileSync(join(LESSON_DIR, challenge.solutionFile!), "utf8"), starter, challenge.check), [], "a finished file has nothing to show");
});

test("after the last episode: the whole lesson's challenges and runs, and whether it is finished", async () => {
  const { lesson } = await loadLesson(LESSON_DIR);
  const ids = lesson.episodes.flatMap((e) => e.challenges.map((c) => c.id));
  const none = lessonCompletion(lesson, { challenges: {} }, 0);
  assert.deepEqual(none, { challengeCount: ids.length, passed: 0, revealed: 0, runs: 0, finished: false });
  assert.equal(completionWords(none).title, "The end of the lesson");
  assert.match(completionWords(none).summary, new RegExp(`${ids.length} challenges are still open`));
  const challenges = Object.fromEntries(ids.map((id, i) => [id, { status: i === 0 ? ("revealed" as const) : ("correct" as const), hintsShown: 0 }]));
  const all = lessonCompletion(lesson, { challenges }, 3);
  assert.equal(all.finished, true);
  const words = completionWords(all);
  assert.equal(words.title, "Lesson complete");
  assert.deepEqual(words.facts, [`${ids.length - 1} of ${ids.length} challenges passed, 1 revealed`, "3 training runs saved, in the Training Monitor"]);
});

test("the lesson-complete view's buttons are the only lesson actions the host accepts", () => {
  assert.ok(v.is(LessonActionCommandSchema, { type: "lessonAction", action: "exportScript" }));
  assert.ok(!v.is(LessonActionCommandSchema, { type: "lessonAction", action: "deleteEverything" }));
});

test("the layer hints follow the dataset Train uses: on Fashion-MNIST the intro model's shapes and parameters are Keras 3's for 28×28×1, with the code's own beside them", async () => {
  const analysis = analyzePython(readFileSync(join(LESSON_DIR, "solutions", "create-model-intro.py"), "utf8"));
  // Keras 3 (3.16) for the same model with keras.Input(shape=(28, 28, 1)): output shapes and parameters.
  const keras3 = [
    ["(None, 26, 26, 16)", 160],
    ["(None, 13, 13, 16)", 0],
    ["(None, 11, 11, 32)", 4640],
    ["(None, 5, 5, 32)", 0],
    ["(None, 800)", 0],
    ["(None, 64)", 51264],
    ["(None, 10)", 650],
  ] as const;
  const onCifar = await layerHints(analysis, "cifar10", new AdaptedSummaries(summarize));
  assert.deepEqual(
    onCifar.map((hint) => hint.label),
    analysis.layerCalls.map((call) => formatLayerHint(call)),
    "on the dataset the code is written for, the hints are the code's own",
  );
  const onFashion = await layerHints(analysis, "fashion-mnist", new AdaptedSummaries(summarize));
  assert.equal(onFashion.length, analysis.layerCalls.length + 1, "one hint per layer call, and one on the input");
  const [input, ...layers] = onFashion;
  assert.equal(input!.label, "→ (None, 28, 28, 1) on Fashion-MNIST");
  assert.match(input!.tooltip, /instead of the 32×32×3 written here/);
  layers.forEach((hint, index) => {
    const [shape, params] = keras3[index]!;
    const call = analysis.layerCalls[index]!;
    assert.equal(hint.label, `→ ${shape} · ${params.toLocaleString("en-US")} params`);
    // Where the code's own numbers differ, the tooltip names them; where they are the same, the hint is the plain one.
    const own = formatLayerHint(call).slice(2);
    if (hint.label !== formatLayerHint(call)) assert.ok(hint.tooltip.endsWith(`it would give ${own}.`), hint.tooltip);
  });
  assert.ok(layers.some((hint) => hint.tooltip.includes("it would give (None, 30, 30, 16) · 448 params")), "the first convolution's tooltip names the code's own shape");
  // VS Code shows an inlay hint's first 43 characters (editor.inlayHints.maximumLength) and an ellipsis.
  for (const hint of onFashion) assert.ok(hint.label.length <= 43, `"${hint.label}" is cut by VS Code`);
  assert.equal(layers.at(-1)!.label, "→ (None, 10) · 650 params", "the output layer is the same on both datasets");
});

test("the layer hints ask the training process once per model and dataset: scrolling and typing elsewhere in the file ask nothing again", async () => {
  const text = readFileSync(join(LESSON_DIR, "solutions", "create-model-intro.py"), "utf8");
  const process = countingProcess();
  const summaries = process.summaries();
  const first = await layerHints(analyzePython(text), "fashion-mnist", summaries);
  assert.deepEqual(process.asked, ["cifar_model_intro"], "the first hints ask for the adapted model's summary");
  // VS Code asks again as the learner scrolls; the learner adds a line above the model: its layers move, the model is the same.
  const moved = analyzePython(text.replace("def create_model_intro():", "# my model\ndef create_model_intro():"));
  const again = await layerHints(moved, "fashion-mnist", summaries);
  assert.deepEqual(process.asked, ["cifar_model_intro"], "the same model is not asked for again");
  assert.deepEqual(
    again.map((hint) => hint.label),
    first.map((hint) => hint.label),
  );
  assert.equal(again[1]!.position.line, first[1]!.position.line + 1, "the kept hints stand where the layers now are");
  // The learner changes the model: that one is asked for.
  const changed = await layerHints(analyzePython(text.replace("filters=16", "filters=8")), "fashion-mnist", summaries);
  assert.equal(process.asked.length, 2, "a changed model is asked for");
  assert.equal(changed[1]!.label, "→ (None, 26, 26, 8) · 80 params");
  // Another dataset Train uses: its summaries are forgotten (the extension clears them) and asked again.
  summaries.clear();
  await layerHints(analyzePython(text), "fashion-mnist", summaries);
  assert.equal(process.asked.length, 3, "after clear() the model is asked for again");
});

test("the kept summaries are bounded, least recently used forgotten first, and a failed ask is not kept", async () => {
  const text = readFileSync(join(LESSON_DIR, "solutions", "create-model-intro.py"), "utf8");
  const withFilters = (filters: number) => analyzePython(text.replace("filters=16", `filters=${filters}`));
  const [a, b, c] = [withFilters(16), withFilters(8), withFilters(4)];
  const process = countingProcess();
  const summaries = process.summaries(2);
  await layerHints(a, "fashion-mnist", summaries);
  await layerHints(b, "fashion-mnist", summaries);
  await layerHints(a, "fashion-mnist", summaries);
  assert.equal(process.asked.length, 2, "both kept");
  await layerHints(c, "fashion-mnist", summaries);
  await layerHints(a, "fashion-mnist", summaries);
  assert.equal(process.asked.length, 3, "a, used last, is still kept");
  await layerHints(b, "fashion-mnist", summaries);
  assert.equal(process.asked.length, 4, "b, used least recently, was forgotten");

  // The training process is restarting: the first ask fails, the hints are the code's own, the next ask tries again.
  let answers = 0;
  const flaky = new AdaptedSummaries((model) => (++answers === 1 ? Promise.reject(new Error("the training process exited")) : summarize(model)));
  const offline = await layerHints(a, "fashion-mnist", flaky);
  assert.deepEqual(
    offline.map((hint) => hint.label),
    a.layerCalls.map((call) => formatLayerHint(call)),
  );
  const online = await layerHints(a, "fashion-mnist", flaky);
  assert.equal(answers, 2);
  assert.equal(online[0]!.label, "→ (None, 28, 28, 1) on Fashion-MNIST");
});
