import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";
import { createMarkdownRenderer, loadLesson, withComputedValues } from "../../src/lessons";
import { lintComputedValues, loadValueContext, modelFor, type ValueContext } from "../../src/lessons/values";
import type { Lesson } from "../../src/protocol/lesson";
import type { DatasetName } from "../../src/protocol/modelSpec";
import { CLASS_NAMES, IMAGE_SHAPES } from "../../src/training/datasets/catalog";
import { splitTrainValidation } from "../../src/training/datasets/split";
import { formatCount, formatShape, summarizeModel } from "../../src/training/summary";

/* The episodes show the numbers of the dataset the workspace trains on: every computed form in
 * the shipped lesson is rendered for CIFAR-10 and for Fashion-MNIST and compared with what the
 * model summary and the split code give, and lint-lesson rejects those numbers written by hand. */

const LESSON = path.join(__dirname, "..", "..", "lessons", "intro-image-classification-cnn");
const DATASETS: DatasetName[] = ["cifar10", "fashion-mnist"];
const PUBLISHED: Record<DatasetName, { train: number; test: number }> = { cifar10: { train: 50_000, test: 10_000 }, "fashion-mnist": { train: 60_000, test: 10_000 }, mnist: { train: 60_000, test: 10_000 } };

let lesson: Lesson;
const contexts = new Map<DatasetName, ValueContext>();

before(async () => {
  ({ lesson } = await loadLesson(LESSON));
  for (const dataset of DATASETS) contexts.set(dataset, await loadValueContext(lesson, dataset));
});

/** The split as training cuts it: the real split code on a set of the published size. */
function splitOf(dataset: DatasetName): { train: number; validation: number } {
  const count = PUBLISHED[dataset].train;
  const { train, validation } = splitTrainValidation({ images: new Uint8Array(count), labels: new Uint8Array(count), count }, { validationFraction: 0.2, seed: 42 });
  return { train: train.count, validation: validation.count };
}

/** What one form must show, computed here from the summary and the split rather than by the form code. */
function expected(name: string, args: string[], dataset: DatasetName, context: ValueContext): string | undefined {
  const model = (): ReturnType<typeof summarizeModel> => summarizeModel(modelFor(context.models.get(args[0]!)!, dataset));
  const split = splitOf(dataset);
  const published = PUBLISHED[dataset];
  const counts: Record<string, number> = {
    train: published.train,
    test: published.test,
    all: published.train + published.test,
    "split-train": split.train,
    "split-validation": split.validation,
  };
  switch (name) {
    case "params":
      return formatCount(model().totalParams);
    case "layer-shape":
      return formatShape(model().rows[Number(args[1])]!.outputShape);
    case "layer-params":
      return formatCount(model().rows[Number(args[1])]!.params);
    case "summary":
      return model().text;
    case "steps-per-epoch":
      return formatCount(Math.ceil(split.train / 32));
    case "images":
      return counts[args[0]!] === undefined ? undefined : formatCount(counts[args[0]!]!);
    case "images-raw":
      return counts[args[0]!] === undefined ? undefined : String(counts[args[0]!]);
    case "array-shape":
      return counts[args[0]!] === undefined ? undefined : `(${[counts[args[0]!], ...IMAGE_SHAPES[dataset]].join(", ")})`;
    case "image-shape":
      return `(${IMAGE_SHAPES[dataset].join(", ")})`;
    case "classes":
      return CLASS_NAMES[dataset].join(", ");
    default:
      return undefined;
  }
}

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

describe("computed values in the shipped lesson", () => {
  it("knows the models behind the forms, with the parameter counts Keras 3 gives each dataset", () => {
    const cifar = contexts.get("cifar10")!;
    const count = (id: string, dataset: DatasetName): number => summarizeModel(modelFor(cifar.models.get(id)!, dataset)).totalParams;
    assert.equal(count("create-model-intro", "cifar10"), 79_530);
    assert.equal(count("create-model-intro", "fashion-mnist"), 56_714);
    assert.equal(count("create-model-dropout", "cifar10"), 33_834);
    assert.equal(count("create-model-dropout", "fashion-mnist"), 29_066);
    assert.deepEqual(splitOf("fashion-mnist"), { train: 48_000, validation: 12_000 });
  });

  for (const dataset of DATASETS) {
    it(`renders every episode for ${dataset} with the summary's and the split's numbers`, () => {
      const context = contexts.get(dataset)!;
      const renderer = withComputedValues(createMarkdownRenderer({ resolveImage: (src) => src }), context);
      let checked = 0;
      for (const episode of lesson.episodes) {
        const texts = [
          ...episode.blocks.flatMap((b) => (b.kind === "challenge" ? [] : [b.markdown, ...(b.kind === "callout" ? [b.title] : [])])),
          ...episode.challenges.flatMap((c) => [c.markdown, ...c.hints, c.solutionMarkdown]),
        ];
        for (const text of texts) {
          const html = renderer.render(text);
          assert.doesNotMatch(html, /\{\{/, `${episode.id}: a computed value was left unrendered`);
          for (const match of text.matchAll(/\{\{([^{}\n]*)\}\}/g)) {
            const [main = "", modifier] = match[1]!.split("|").map((part) => part.trim());
            const [name = "", ...args] = main.split(/\s+/);
            const target = modifier === undefined || modifier === "beside" ? dataset : modifier === "lesson" ? lesson.dataset : (modifier as DatasetName);
            const want = expected(name, args, target, context);
            if (want === undefined) continue;
            assert.ok(html.includes(escapeHtml(want)), `${episode.id}: {{${match[1]}}} should show ${want} for ${target}`);
            if (modifier === "beside" && target !== lesson.dataset) {
              const lessonValue = expected(name, args, lesson.dataset, context)!;
              if (lessonValue !== want) assert.ok(html.includes(escapeHtml(lessonValue)), `${episode.id}: {{${match[1]}}} should show the CIFAR-10 value ${lessonValue} beside`);
            }
            checked++;
          }
        }
      }
      assert.ok(checked > 50, `only ${checked} computed values were checked`);
    });
  }

  it("shows Fashion-MNIST learners their own numbers where the text quotes the learner's data", () => {
    const context = contexts.get("fashion-mnist")!;
    const episode = lesson.episodes.find((e) => e.id === "04-compile-and-train")!;
    const renderer = withComputedValues(createMarkdownRenderer(), context);
    const html = episode.blocks.map((b) => (b.kind === "challenge" ? "" : renderer.render(b.markdown))).join("\n");
    assert.match(html, /48,000 training images and batches of 32, one epoch is 48,000 \/ 32 = <strong>1,500 steps<\/strong>/);
  });

  it("shows episode 05's measured Fashion-MNIST confusion matrix only to a workspace that trains on Fashion-MNIST", () => {
    const episode = lesson.episodes.find((e) => e.id === "05-evaluate-and-predict")!;
    const render = (dataset: DatasetName): string => {
      const renderer = withComputedValues(createMarkdownRenderer({ resolveImage: (src) => src }), contexts.get(dataset)!);
      return episode.blocks.map((b) => (b.kind === "challenge" ? "" : renderer.render(b.markdown))).join("\n");
    };
    const fashion = render("fashion-mnist");
    const cifar = render("cifar10");
    assert.match(fashion, /<img src="..\/figures\/05-confusion-matrix-fashion-mnist.svg"/);
    assert.match(fashion, /only 345 of the 1,000 shirts are right/);
    assert.doesNotMatch(fashion, /\{\{only/);
    assert.doesNotMatch(cifar, /fashion-mnist.svg|shirts|\{\{only/);
    // The CIFAR-10 figure and its reading stay for everyone.
    for (const html of [fashion, cifar]) assert.match(html, /05-confusion-matrix.svg/);
  });
});

describe("lint-lesson and computed values", () => {
  const lint = (source: string): string[] => lintComputedValues(`---\ntitle: T\n---\n${source}\n`, "ep.md", contexts.get("cifar10")!).map((p) => `${p.location.line}:${p.location.column} ${p.message}`);

  it("rejects a dataset-dependent number written by hand, naming the form to use", () => {
    const problems = lint("The intro model has 79,530 parameters and trains on 40,000 images.");
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(problems[0]!, /^4:21 `79,530` depends on the dataset; write `\{\{params [a-z-]+\}\}`/);
    assert.match(problems[1]!, /^4:53 `40,000` depends on the dataset; write `\{\{images split-train\}\}`/);
  });

  it("rejects them in output blocks, not in the learner's Python code", () => {
    assert.equal(lint("```output\n(40000, 32, 32, 3)\n```").length, 1);
    assert.deepEqual(lint("```python\nkeras.Input(shape=(32, 32, 3))  # 40,000 images\n```"), []);
  });

  it("accepts the computed forms, and numbers that are the same on every dataset", () => {
    assert.deepEqual(lint("{{params create-model-intro | beside}} parameters; {{images test}} test images, also written 10,000."), []);
  });

  it("takes `{{only DATASET}}` at the start of a line only, and lets that line write its dataset's numbers", () => {
    assert.deepEqual(lint("{{only fashion-mnist}} Fashion-MNIST has 48,000 training images here; CIFAR-10 40,000."), []);
    const problems = lint("Text {{only fashion-mnist}} here.\n{{only somewhere}} line\n{{only cifar10 | beside}} line");
    assert.equal(problems.length, 3, problems.join("\n"));
    assert.match(problems[0]!, /^4:6 `\{\{only DATASET\}\}` starts a line/);
    assert.match(problems[1]!, /^5:1 `only` takes a dataset/);
    assert.match(problems[2]!, /^6:1 `\{\{only DATASET\}\}` starts a line, with no modifier/);
  });

  it("rejects a form it cannot compute", () => {
    const problems = lint("{{params no-such-challenge}} and {{parameters create-model-intro}} and {{images train | somewhere}}");
    assert.equal(problems.length, 3, problems.join("\n"));
    assert.match(problems[0]!, /no model for `no-such-challenge`/);
    assert.match(problems[1]!, /unknown computed value `parameters`/);
    assert.match(problems[2]!, /unknown modifier `somewhere`/);
  });
});
