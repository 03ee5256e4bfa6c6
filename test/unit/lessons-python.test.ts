import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blankPositions, isPythonExpression, matchStarterAndSolution, normalizeExpression, readPython } from "../../src/python";
import { statesAnswer } from "../../src/lessons/validate";

describe("blanks in Python files", () => {
  it("counts names spelled `_____`, not the text in strings and comments", () => {
    const source = [
      "# Replace each _____ below",
      'note = "_____"',
      "x = keras.layers.Conv2D(_____, kernel_size=_____)(inputs)",
      'y = f"{_____} and _____"',
      "z = a._____ + ______ + __init__",
    ].join("\n");
    assert.deepEqual(
      blankPositions(source).map((b) => `${b.line}:${b.column}`),
      ["3:25", "3:44", "4:8", "5:7"],
    );
    assert.deepEqual(
      readPython(source).nearBlanks.map((b) => `${b.line}:${b.column}`),
      ["5:15"],
    );
  });
});

describe("a solution is its starter with the blanks filled", () => {
  const ROWS: { name: string; starter: string; solution: string; fills?: string[]; error?: RegExp }[] = [
    { name: "simple fills", starter: "f(_____, k=_____)\n", solution: "f(16, k=(3, 3))\n", fills: ["16", "(3, 3)"] },
    { name: "a call as a fill", starter: "x = _____(x)\n", solution: "x = keras.layers.Flatten()(x)\n", fills: ["keras.layers.Flatten()"] },
    { name: "whitespace inside a line does not matter", starter: "f(a,b)\n_____\n", solution: "f( a , b )\nmodel\n", fills: ["model"] },
    { name: "a bracket may be re-wrapped", starter: "f(a,\n  b=_____)\n", solution: "f(a, b=[1,\n        2])\n", fills: ["[1,\n        2]"] },
    { name: "a fill that contains the token after its blank", starter: "x = _____ + 1\n", solution: "x = a + b + 1\n", fills: ["a + b"] },
    { name: "a blank at the end of the file", starter: "x = _____", solution: "x = 2 * y", fills: ["2 * y"] },
    { name: "a changed token", starter: "f(_____, 3)\n", solution: "f(1, 4)\n", error: /the starter has `3` where the solution has `4`/ },
    { name: "an empty fill", starter: "f(_____)\n", solution: "f()\n", error: /leaves this blank empty/ },
    { name: "a fill that spills onto the next line", starter: "x = _____\ny = 1\n", solution: "x = 1\nz = 2\ny = 1\n", error: /the starter has `y` where the solution has `z`/ },
    { name: "a changed comment", starter: "# one\nx = _____\n", solution: "# two\nx = 1\n", error: /the starter has `# one` where the solution has `# two`/ },
    { name: "a changed indentation", starter: "if a:\n    b()\n", solution: "if a:\n  b()\n", error: /indentation differs/ },
    { name: "a missing line", starter: "a()\nb()\n", solution: "a()\n", error: /the solution ends where the starter continues/ },
  ];
  for (const row of ROWS) {
    it(row.name, () => {
      const result = matchStarterAndSolution(readPython(row.starter), readPython(row.solution));
      if (row.fills) {
        assert.ok(result.ok, JSON.stringify(result));
        assert.deepEqual(result.fills, row.fills);
      } else {
        assert.ok(!result.ok, "expected a difference");
        assert.match(result.message, row.error!);
      }
    });
  }
});

describe("check block expressions", () => {
  it("normalises quotes and spaces", () => {
    assert.equal(normalizeExpression("'relu'"), normalizeExpression('"relu"'));
    assert.equal(normalizeExpression("(3,3)"), normalizeExpression("(3, 3)"));
    assert.notEqual(normalizeExpression("relu"), normalizeExpression("'relu'"));
  });

  it("knows one Python expression from anything else", () => {
    for (const ok of ["16", "(3, 3)", "'relu'", "keras.layers.Dense(10, activation='softmax')", "inputs_intro", "[1, 2]"]) {
      assert.ok(isPythonExpression(ok), ok);
    }
    for (const bad of ["", "x = 1", "soft max", "f(", "a\nb", "import os"]) assert.ok(!isPythonExpression(bad), bad);
  });

  it("tells a message that gives the answer away", () => {
    assert.ok(statesAnswer("Use softmax here.", "'softmax'"));
    assert.ok(statesAnswer("Pass inputs_intro.", "inputs_intro"));
    assert.ok(!statesAnswer("CIFAR-10 has ten classes.", "10"));
    assert.ok(!statesAnswer("The activation that gives probabilities.", "'softmax'"));
    assert.ok(!statesAnswer("Call model.summary() to see.", "'summary'"));
  });
});

describe("syntax errors of lesson files", () => {
  it("are the one error CPython reports, at its line and column", () => {
    // CPython 3.11: SyntaxError: '(' was never closed (line 2, offset 24).
    const file = readPython("import keras\nx = keras.layers.Conv2D(16, (3, 3)\ny = 2\nz = 3\n");
    assert.equal(file.syntaxErrors.length, 1);
    assert.deepEqual({ line: file.syntaxErrors[0]?.line, column: file.syntaxErrors[0]?.column }, { line: 2, column: 24 });
    assert.match(file.syntaxErrors[0]?.message ?? "", /'\(' was never closed/);
    assert.deepEqual(readPython("x = (1,\n     2)\n").syntaxErrors, []);
  });
});
