import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { datasetChoiceView, datasetChoiceWords, decideDataset, type DatasetSituation } from "../../src/extension/datasets/datasetChoice";
import { planTraining } from "../../src/extension/training/trainingPlan";
import type { DatasetName } from "../../src/protocol/modelSpec";
import { introModel, lessonCompile, lessonFit } from "../../src/training/models";

function situation(present: DatasetName[], changes: Partial<DatasetSituation> = {}): DatasetSituation {
  return { lesson: "cifar10", configured: "lesson", remembered: undefined, present: new Set(present), ...changes };
}

describe("which dataset Train uses", () => {
  it("the lesson's, when it is here and nothing else is chosen", () => {
    assert.deepEqual(decideDataset(situation(["cifar10", "fashion-mnist"])), { kind: "use", name: "cifar10", why: "" });
  });

  it("asks, listing what is here, when the lesson's dataset is missing and nothing is chosen", () => {
    assert.deepEqual(decideDataset(situation(["fashion-mnist"])), { kind: "choose", lesson: "cifar10", alternatives: ["fashion-mnist"] });
    assert.deepEqual(decideDataset(situation([])), { kind: "choose", lesson: "cifar10", alternatives: [] });
  });

  it("the workspace's remembered choice, and says why", () => {
    const decision = decideDataset(situation(["fashion-mnist"], { remembered: "fashion-mnist" }));
    assert.equal(decision.kind, "use");
    assert.equal(decision.kind === "use" && decision.name, "fashion-mnist");
    assert.match(decision.kind === "use" ? decision.why : "", /you chose Fashion-MNIST for this workspace, as CIFAR-10 is not on this computer/);
  });

  it("a remembered dataset that has gone missing is asked about again", () => {
    assert.equal(decideDataset(situation([], { remembered: "mnist" })).kind, "choose");
  });

  it("the room's setting wins over the workspace's choice, and a missing one is fetched", () => {
    assert.deepEqual(decideDataset(situation(["fashion-mnist", "mnist"], { configured: "mnist", remembered: "fashion-mnist" })), {
      kind: "use",
      name: "mnist",
      why: "the dlLessons.trainDataset setting chooses MNIST",
    });
    assert.equal(decideDataset(situation(["fashion-mnist"], { configured: "cifar10" })).kind, "fetch");
  });
});

describe("the dataset choice in the learner's words", () => {
  it("offers the datasets that are here first, then Download and Import", () => {
    const words = datasetChoiceWords("cifar10", ["fashion-mnist"]);
    assert.equal(words.message, "CIFAR-10, the lesson's dataset, is not on this computer.");
    assert.match(words.detail, /Fashion-MNIST is on this computer \(28×28 grey images of clothing and shoes, 10 classes\): train on it now/);
    assert.deepEqual(words.useButtons, [{ name: "fashion-mnist", label: "Train on Fashion-MNIST" }]);
    assert.equal(words.download, "Download CIFAR-10");
  });

  it("the monitor shows the choice while it is open, and the dataset in use once made", () => {
    const open = datasetChoiceView(situation(["fashion-mnist"]));
    assert.equal(open.inUse, undefined);
    assert.deepEqual(open.lesson, { name: "cifar10", title: "CIFAR-10", present: false });
    assert.deepEqual(
      open.alternatives.map((a) => a.name),
      ["fashion-mnist"],
    );
    const made = datasetChoiceView(situation(["fashion-mnist", "mnist"], { remembered: "fashion-mnist" }));
    assert.equal(made.inUse?.title, "Fashion-MNIST");
    assert.deepEqual(
      made.alternatives.map((a) => a.name),
      ["mnist"],
      "the others that are here stay one click away",
    );
  });

  it("the plan says why the input layer changed, in the choice's words", () => {
    const decision = decideDataset(situation(["fashion-mnist"], { remembered: "fashion-mnist" }));
    assert.ok(decision.kind === "use");
    const plan = planTraining("intro", introModel([32, 32, 3]), lessonCompile(), lessonFit(1), "cifar10", { dataset: decision.name, trainLimit: 0, maxEpochs: 0, datasetWhy: decision.why });
    assert.match(plan.adjustments[0] ?? "", /input is 32×32×3; Fashion-MNIST images are 28×28×1, so the input layer takes that shape \(you chose Fashion-MNIST for this workspace/);
  });
});
