import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { checkChallengeSource } from "../../src/extension/editor/checkReport";
import { analyzePython } from "../../src/checker";
import { planGridSearch, planTraining, sweepLabels } from "../../src/extension/training/trainingPlan";
import { describeTrainingError } from "../../src/extension/training/trainingErrors";
import { loadLesson } from "../../src/lessons";
import { TrainingErrorCodes } from "../../src/protocol/training";
import { TrainingProcessExitedError } from "../../src/training/client";
import { introModel, lessonCompile, lessonFit } from "../../src/training/models";

// Bounded by steps, not by the clock, so a busy machine cannot cut an analysis short.
const UNHURRIED = { maxMillis: Number.POSITIVE_INFINITY };

const LESSON_DIR = join(__dirname, "..", "..", "lessons", "intro-image-classification-cnn");

test("a plan on the lesson's dataset keeps the learner's model and fit as written", () => {
  const model = introModel([32, 32, 3]);
  const plan = planTraining("intro", model, lessonCompile(), lessonFit(10), "cifar10", { dataset: "lesson", trainLimit: 0, maxEpochs: 0 });
  assert.equal(plan.model, model);
  assert.equal(plan.fit.epochs, 10);
  assert.deepEqual(plan.dataset, { name: "cifar10", splitSeed: 42 });
  assert.deepEqual(plan.adjustments, []);
});

test("settings for a quick offline run adapt the input, cap the epochs and take a subset, and say so", () => {
  const model = introModel([32, 32, 3]);
  const plan = planTraining("intro", model, lessonCompile(), lessonFit(10), "cifar10", { dataset: "fashion-mnist", trainLimit: 2000, maxEpochs: 1 });
  const input = plan.model.layers[0];
  assert.equal(input?.class_name, "InputLayer");
  assert.deepEqual(input?.class_name === "InputLayer" ? input.config.shape : undefined, [28, 28, 1]);
  assert.deepEqual(plan.model.layers.slice(1), model.layers.slice(1), "only the input layer changes");
  assert.deepEqual(model.layers[0]?.class_name === "InputLayer" ? model.layers[0].config.shape : undefined, [32, 32, 3], "the learner's spec is not mutated");
  assert.equal(plan.fit.epochs, 1);
  assert.deepEqual(plan.dataset, { name: "fashion-mnist", splitSeed: 42, trainLimit: 2000, testLimit: 400 });
  assert.equal(plan.adjustments.length, 3);
  assert.match(plan.adjustments.join(" "), /28×28×1/);
});

test("the Conv2D challenge's check reads blank by blank, and a blank left open is not an error", async () => {
  const { lesson } = await loadLesson(LESSON_DIR);
  const challenge = lesson.episodes.flatMap((e) => e.challenges).find((c) => c.id === "conv2d-layer");
  assert.ok(challenge?.check && challenge.starterFile && challenge.solutionFile, "the lesson has the conv2d-layer code challenge");
  const starter = readFileSync(join(LESSON_DIR, challenge.starterFile), "utf8");
  const solution = readFileSync(join(LESSON_DIR, challenge.solutionFile), "utf8");
  const now = new Date("2026-01-05T10:00:00Z");

  const untouched = checkChallengeSource(starter, starter, challenge.check, now);
  assert.equal(untouched.report.outcome, "todo");
  assert.deepEqual(untouched.diagnostics, [], "open blanks get a decoration, not an error");
  assert.ok(untouched.report.blanks.every((b) => b.verdict === "todo"));

  const wrong = checkChallengeSource(solution.replace("filters=16", "filters=32"), starter, challenge.check, now);
  assert.equal(wrong.report.outcome, "wrong");
  assert.match(wrong.report.message, /2 blanks of 3 right; 1 blank needs another look/);
  const filters = wrong.report.blanks.find((b) => b.id === "filters");
  assert.equal(filters?.verdict, "wrong");
  assert.ok(wrong.diagnostics.some((d) => d.severity === "error" && d.message === filters?.message), "the wrong blank is an editor error with the same words");
  assert.ok(!/\b16\b/.test(filters?.message ?? ""), "feedback does not give the answer away");

  const passed = checkChallengeSource(solution, starter, challenge.check, now);
  assert.equal(passed.report.outcome, "correct");
  assert.deepEqual(passed.diagnostics, []);
  assert.equal(passed.report.checkedAt, now.toISOString());
});

test("training errors reach the learner as sentences, the engine's own wording kept", () => {
  const responseError = (code: number, message: string) => Object.assign(new Error(message), { code });
  const missing = describeTrainingError(responseError(TrainingErrorCodes.datasetMissing, "CIFAR-10 is not in /data yet."));
  assert.equal(missing.message, "CIFAR-10 is not in /data yet.");
  assert.equal(describeTrainingError(responseError(TrainingErrorCodes.cancelled, "cancelled")).cancelled, true);
  assert.match(describeTrainingError(responseError(TrainingErrorCodes.outOfMemory, "Out of memory.")).message, /smaller batch_size/);
  const crash = describeTrainingError(new TrainingProcessExitedError(null, "SIGKILL"));
  assert.match(crash.message, /stopped unexpectedly/);
  assert.doesNotMatch(crash.message, /at .*\(.*:\d+:\d+\)/, "no stack trace");
  assert.match(describeTrainingError(new Error("boom")).message, /^Training could not run: boom$/);
});

test("the runs of the lesson's sweeps are told apart by what the loop varies", () => {
  const runsOf = (file: string) => analyzePython(readFileSync(join(LESSON_DIR, "solutions", file), "utf8"), UNHURRIED).runs.map((run) => run.model);
  assert.deepEqual(sweepLabels(runsOf("tune-dropout-rate.py")), ["Dropout rate 0.15", "Dropout rate 0.3", "Dropout rate 0.45", "Dropout rate 0.6", "Dropout rate 0.75"]);
  const activations = sweepLabels(runsOf("tune-activation.py"));
  assert.equal(new Set(activations).size, 4, `four different labels: ${activations.join(" | ")}`);
  assert.ok(activations.every((label) => /activation (relu|sigmoid|tanh|selu|elu)/.test(label)), activations.join(" | "));
  assert.deepEqual(sweepLabels([introModel([32, 32, 3]), introModel([32, 32, 3])]), ["", ""]);
});

test("the lesson's GridSearchCV becomes one plan per optimizer, scored over its cv folds, with the settings applied", () => {
  const [grid] = analyzePython(readFileSync(join(LESSON_DIR, "solutions", "tune-activation.py"), "utf8"), UNHURRIED).grids;
  assert.ok(grid, "the solution has a grid search");
  const search = planGridSearch(grid, "cifar10", { dataset: "fashion-mnist", trainLimit: 600, maxEpochs: 1 });
  assert.equal(search.parameter, "optimizer");
  assert.equal(search.folds, 3);
  assert.deepEqual(search.plans.map((plan) => [plan.label, plan.compile.optimizer.name, plan.fit.epochs]), [["SGD", "sgd", 1], ["RMSprop", "rmsprop", 1], ["Adam", "adam", 1]]);
  assert.ok(search.plans.every((plan) => plan.dataset.trainLimit === 600 && plan.dataset.name === "fashion-mnist"));
});

test("the host reaches src/training only through the client that forks the training process (the lint rule, on real source)", async () => {
  const { ESLint } = await import("eslint");
  // The snippets are not files of a tsconfig, so they are linted without type information (the
  // boundary rule reads import paths only) and the type-aware rules are off for them.
  const eslint = new ESLint({
    cwd: join(__dirname, "..", ".."),
    overrideConfig: {
      files: ["**/*.ts"],
      languageOptions: { parserOptions: { projectService: false } },
      rules: { "@typescript-eslint/no-floating-promises": "off", "@typescript-eslint/switch-exhaustiveness-check": "off" },
    },
  });
  const ruleId = "boundaries/host-reaches-training-through-client";
  const problems = async (file: string, code: string) => (await eslint.lintText(code, { filePath: join(__dirname, "..", "..", file) }))[0]!.messages.filter((m) => m.ruleId === ruleId).map((m) => m.line);
  // The engine, its types and its dataset readers are refused, from any depth of src/extension.
  assert.deepEqual(await problems("src/extension/results/x.ts", 'import { loadRun } from "../../training/runs";\nimport type { ImageSet } from "../../training/datasets/types";\nexport const x = [loadRun];\n'), [1, 2]);
  assert.deepEqual(await problems("src/extension/x.ts", 'export { summarizeModel } from "../training/summary";\n'), [1]);
  // The client is allowed, and so is the host's own training/ folder (a path rule, not a name match).
  assert.deepEqual(await problems("src/extension/results/x.ts", 'import { TrainingClient } from "../../training/client";\nimport { planTraining } from "../training/trainingPlan";\nexport const x = [TrainingClient, planTraining];\n'), []);
  assert.deepEqual(await problems("src/extension/x.ts", 'import { TrainCommands } from "./training/trainCommands";\nexport const x = [TrainCommands];\n'), []);
});
