import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCheckBlock } from "../../src/lessons/checkSpec";

/** Problems as `line:column message`, the check block starting on line 10 of the episode, indented by 2. */
const problemsOf = (yaml: string): string[] => parseCheckBlock(yaml, "ep.md", 10, 2).problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`);

describe("check blocks read by their schema", () => {
  it("reads a whole block, a plain number in an expression kept as written", () => {
    const { spec, problems } = parseCheckBlock("blanks:\n  - id: rate\n    expect: 0.10\n    accept: [1e-1, '0.1']\nfit:\n  epochs: 2\n", "ep.md", 10);
    assert.deepEqual(problems, []);
    assert.deepEqual(spec, { blanks: [{ id: "rate", expect: "0.10", accept: ["1e-1", "0.1"] }], fit: { epochs: 2 } });
  });

  it("reports every unknown key of a mapping, each where it is written, with a did-you-mean", () => {
    assert.deepEqual(problemsOf("blanks:\n  - id: a\n    expect: '1'\n    hnit: x\n    explan: y\n"), [
      "13:7 unknown key `hnit` in blank 1; did you mean `hint`?",
      "14:7 unknown key `explan` in blank 1; did you mean `explain`?",
    ]);
  });

  it("names the field in the author's terms, with the blank's id once it has one", () => {
    assert.deepEqual(problemsOf("blanks:\n  - id: units\n    expect: '1'\n    mistakes:\n      - answer: '2'\n      - [3]\n    hint: 4\n"), [
      "14:11 a mistake of blank `units` has no `message`",
      "15:11 each mistake of blank `units` needs `answer` and `message`",
      "16:13 the hint of blank `units` must be text",
    ]);
  });

  it("tells a YAML list from a mapping", () => {
    assert.deepEqual(problemsOf("blanks:\n  - id: a\n    expect: '1'\ncompile:\n  - optimizer\n"), ["14:5 `compile` must be a mapping"]);
  });

  it("checks across fields: function or variable, one shape per layer, unique blank ids", () => {
    const yaml = "blanks:\n  - id: a\n    expect: '1'\n  - id: a\n    expect: '2'\nmodel:\n  function: f\n  variable: m\n  inputShape: [2]\n  layers: [InputLayer, Dense]\n  outputShapes: [[2]]\n";
    assert.deepEqual(problemsOf(yaml), [
      "13:7 two blanks share the id `a`",
      "17:5 `model` has either `function` or `variable`, not both",
      "20:5 `model.outputShapes` has 1 shapes but `model.layers` has 2 layers",
    ]);
  });

  it("keeps what it can read of a block with problems, each blank in its place", () => {
    const { spec, problems } = parseCheckBlock("blanks:\n  - id: a\n    expect: true\n  - id: b\n    expect: '2'\n    accept: ['2', 'not python (']\nfit:\n  epochs: 0\n  batchSize: 32\n", "ep.md", 1);
    assert.equal(problems.length, 3, problems.map((p) => p.message).join("\n"));
    assert.deepEqual(spec, { blanks: [{ id: "a", expect: "" }, { id: "b", expect: "2", accept: ["2"] }], fit: { batchSize: 32 } });
  });
});
