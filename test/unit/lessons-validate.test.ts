import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { loadLesson } from "../../src/lessons";

/*
 * One broken variant of the tiny fixture lesson per problem the validator knows. Each row edits a
 * fresh copy of the fixture and lists every problem the lint must then report, with its
 * `file:line:column`, so that a row also fails when an edit causes problems nobody expected.
 */

const FIXTURE = path.join(__dirname, "..", "fixtures", "lessons", "tiny");
const EP1 = "episodes/01-first-steps.md";
const EP2 = "episodes/02-a-small-model.md";
const STARTER = "challenges/dense-layer.py";
const SOLUTION = "solutions/dense-layer.py";

type Edit =
  | { file: string; replace: string | RegExp; with: string }
  | { file: string; append: string }
  | { file: string; write: string }
  | { file: string; remove: true };

interface Row {
  name: string;
  edits: Edit[];
  /** `file:line:column: severity` followed by a pattern the message must match. */
  expect: [string, RegExp][];
}

const ROWS: Row[] = [
  {
    name: "unknown div",
    edits: [{ file: EP1, replace: "::: caution", with: "::: cuation" }],
    expect: [[`${EP1}:47:5: error`, /unknown div `cuation`/]],
  },
  {
    name: "div never closed",
    edits: [{ file: EP1, replace: /- Scale pixel values to 0-1 before training.\n:::\n$/, with: "- Scale pixel values to 0-1 before training.\n" }],
    expect: [[`${EP1}:70:5: error`, /`keypoints` div opened here is never closed/]],
  },
  {
    name: "closing line without an open div",
    edits: [{ file: EP1, append: "\n:::\n" }],
    expect: [[`${EP1}:75:1: error`, /closes no div/]],
  },
  {
    name: "div line without a name",
    edits: [{ file: EP1, replace: "::: testimonial", with: '::: {id="x"}' }],
    expect: [[`${EP1}:52:5: error`, /has no name/]],
  },
  {
    name: "hint outside a challenge",
    edits: [{ file: EP1, append: "\n::: hint\nLook closer.\n:::\n" }],
    expect: [[`${EP1}:75:5: error`, /`hint` div belongs inside a `challenge`/]],
  },
  {
    // A solution inside a callout is the fold of a "predict" question; a hint has no place there.
    name: "hint inside a callout",
    edits: [{ file: EP1, replace: "Never train on the images you test with.\n", with: "Never train on the images you test with.\n::: hint\nNo.\n:::\n" }],
    expect: [[`${EP1}:50:5: error`, /`hint` div belongs inside a `challenge` div, not inside `caution`/]],
  },
  {
    name: "challenge without a solution",
    edits: [{ file: EP1, replace: "::: solution\nLarge inputs make large activations and large gradients, so training becomes unstable.\n:::\n", with: "" }],
    expect: [[`${EP1}:57:10: error`, /challenge `why-scale` has no `solution` div/]],
  },
  {
    name: "challenge without a title",
    edits: [{ file: EP1, replace: "### Why scale the pixels?\n", with: "" }],
    expect: [[`${EP1}:57:10: error`, /challenge has no title/]],
  },
  {
    name: "challenge without an id",
    edits: [{ file: EP1, replace: ':::::::: challenge {id="why-scale"}', with: ":::::::: challenge" }],
    expect: [[`${EP1}:57:10: error`, /challenge has no id/]],
  },
  {
    name: "duplicate challenge id",
    edits: [{ file: EP2, append: '\n::: challenge {id="why-scale"}\n### Again\nWhy?\n::: solution\nBecause.\n:::\n:::\n' }],
    expect: [[`${EP2}:78:20: error`, /challenge id `why-scale` is already used at episodes\/01-first-steps.md:57:25/]],
  },
  {
    name: "challenge inside a callout",
    edits: [{ file: EP1, replace: "Talk with your neighbour about which digits look alike.\n", with: 'Talk.\n::: challenge {id="inner"}\n### Inner\nQ?\n::: solution\nA.\n:::\n:::\n' }],
    expect: [[`${EP1}:45:5: error`, /`challenge` div belongs at the top level of the episode, not inside `discussion`/]],
  },
  {
    name: "callout inside a callout",
    edits: [{ file: EP1, replace: "Talk with your neighbour about which digits look alike.\n", with: "Talk.\n::: callout\n### Inner\nText.\n:::\n" }],
    expect: [[`${EP1}:45:5: error`, /a `callout` div cannot be inside `discussion`; put it after it/]],
  },
  {
    name: "attributes on a div that takes none",
    edits: [{ file: EP1, replace: "::: callout\n### Scaling", with: '::: callout {id="s"}\n### Scaling' }],
    expect: [[`${EP1}:37:14: error`, /the `callout` div takes no attributes/]],
  },
  {
    name: "unknown challenge attribute",
    edits: [{ file: EP1, replace: '{id="why-scale"}', with: '{id="why-scale" level="easy"}' }],
    expect: [[`${EP1}:57:36: error`, /unknown challenge attribute `level`/]],
  },
  {
    name: "episode without a title",
    edits: [{ file: EP1, replace: "title: First steps\n", with: "" }],
    expect: [[`${EP1}:1:1: error`, /no `title` in its front matter/]],
  },
  {
    name: "episode without front matter",
    edits: [{ file: EP1, replace: /^---\n[^]*?\n---\n/, with: "" }],
    expect: [[`${EP1}:1:1: error`, /has no front matter/]],
  },
  {
    name: "front matter value of the wrong type",
    edits: [{ file: EP1, replace: "teaching: 5", with: "teaching: five" }],
    expect: [[`${EP1}:3:11: error`, /`teaching` is a number of minutes/]],
  },
  {
    name: "questions that are not one bullet list",
    edits: [{ file: EP2, replace: "- How many outputs does a classifier need?", with: "How many outputs does a classifier need?" }],
    expect: [[`${EP2}:7:5: error`, /`questions` holds exactly one bullet list/]],
  },
  {
    name: "starter file missing",
    edits: [{ file: STARTER, remove: true }],
    expect: [[`${EP2}:19:59: error`, /starter file `challenges\/dense-layer.py` of challenge `dense-layer` does not exist/]],
  },
  {
    name: "solution file missing",
    edits: [{ file: SOLUTION, remove: true }],
    expect: [[`${EP2}:19:96: error`, /solution file `solutions\/dense-layer.py` of challenge `dense-layer` does not exist/]],
  },
  {
    name: "code challenge without a solution file",
    edits: [{ file: EP2, replace: ' solution="solutions/dense-layer.py"', with: "" }],
    expect: [
      [`${EP2}:19:22: error`, /names both a `starter` and a `solution` file; this one has no `solution`/],
      [`${SOLUTION}:1:1: warning`, /`solutions\/dense-layer.py` is not named by any challenge/],
    ],
  },
  {
    name: "code challenge without a check block",
    edits: [{ file: EP2, replace: /```check\n[^]*?```\n/, with: "" }],
    expect: [[`${EP2}:19:22: error`, /carries a ```check block/]],
  },
  {
    name: "check block outside a challenge",
    edits: [{ file: EP2, append: "\n```check\nblanks: []\n```\n" }],
    expect: [[`${EP2}:78:1: error`, /```check block belongs directly inside a `challenge`/]],
  },
  {
    name: "more blanks in the starter than in the check block",
    edits: [{ file: STARTER, replace: "epochs=2", with: "epochs=_____" }],
    expect: [[`${EP2}:24:1: error`, /starter `challenges\/dense-layer.py` has 4 blanks but the check block lists 3; the first one without an entry is at challenges\/dense-layer.py:23:46/]],
  },
  {
    name: "fewer blanks in the starter than in the check block",
    edits: [
      { file: STARTER, replace: "loss=_____", with: "loss='categorical_crossentropy'" },
      { file: SOLUTION, replace: 'loss="categorical_crossentropy"', with: "loss='categorical_crossentropy'" },
    ],
    expect: [[`${EP2}:24:1: error`, /starter `challenges\/dense-layer.py` has 2 blanks but the check block lists 3$/]],
  },
  {
    name: "blanks inside strings and comments do not count",
    edits: [{ file: STARTER, append: '\n# _____\nprint("_____")\n' }, { file: SOLUTION, append: '\n# _____\nprint("_____")\n' }],
    expect: [],
  },
  {
    name: "a name that is almost a blank",
    edits: [{ file: STARTER, replace: "loss=_____", with: "loss=______" }],
    expect: [
      [`${STARTER}:22:38: warning`, /looks like a blank, but a blank is exactly five underscores/],
      [`${EP2}:24:1: error`, /has 2 blanks but the check block lists 3/],
      [`${SOLUTION}:22:38: error`, /not its starter with the blanks filled: the starter has `______` where the solution has `"categorical_crossentropy"` \(starter challenges\/dense-layer.py:22:38\)/],
    ],
  },
  {
    name: "solution that still contains a blank",
    edits: [{ file: SOLUTION, replace: "units=10", with: "units=_____" }],
    expect: [[`${SOLUTION}:17:40: error`, /solution of challenge `dense-layer` still contains a blank/]],
  },
  {
    name: "solution that changes code outside the blanks",
    edits: [{ file: SOLUTION, replace: "batch_size=32", with: "batch_size=64" }],
    expect: [[`${SOLUTION}:23:60: error`, /the starter has `32` where the solution has `64` \(starter challenges\/dense-layer.py:23:60\)/]],
  },
  {
    name: "solution that changes the indentation",
    edits: [{ file: SOLUTION, replace: "    return keras.Model", with: "    if True:\n        return keras.Model" }],
    expect: [[`${SOLUTION}:18:5: error`, /the starter has `return` where the solution has `if`/]],
  },
  {
    name: "solution that leaves a blank empty",
    edits: [{ file: SOLUTION, replace: "units=10, ", with: "units=, " }],
    expect: [
      [`${SOLUTION}:17:40: error`, /not valid Python/],
    ],
  },
  {
    name: "solution with extra code at the end",
    edits: [{ file: SOLUTION, append: "print(model)\n" }],
    expect: [[`${SOLUTION}:25:1: error`, /the solution has code the starter does not: `print`/]],
  },
  {
    name: "solution whose fill contains the token after its blank",
    edits: [
      { file: STARTER, replace: "test_images = test_images / 255", with: "test_images = _____ / 255" },
      { file: SOLUTION, replace: "test_images = test_images / 255", with: "test_images = test_images / 255 / 255" },
      { file: EP2, replace: "blanks:\n", with: 'blanks:\n  - id: images\n    expect: "test_images"\n' },
    ],
    expect: [[`${SOLUTION}:6:15: warning`, /fills blank 1 \(`images`\) with `test_images \/ 255`, but its check block expects `test_images`/]],
  },
  {
    name: "solution whose answer differs from the check block's",
    edits: [{ file: SOLUTION, replace: 'activation="softmax"', with: 'activation="sigmoid"' }],
    expect: [[`${SOLUTION}:17:55: warning`, /fills blank 2 \(`activation`\) with `"sigmoid"`, but its check block expects `'softmax'`/]],
  },
  {
    name: "solution with an accepted alternative answer",
    edits: [{ file: SOLUTION, replace: 'activation="softmax"', with: "activation=keras.activations.softmax" }],
    expect: [],
  },
  {
    name: "check block with an unknown key",
    edits: [{ file: EP2, replace: "    explain: the number of outputs", with: "    explan: the number of outputs" }],
    expect: [[`${EP2}:27:5: error`, /unknown key `explan` in blank 1; did you mean `explain`?/]],
  },
  {
    name: "check block with a key that is nothing like a known one",
    edits: [{ file: EP2, replace: "fit:\n", with: "training:\n  epochs: 2\nfit:\n" }],
    expect: [[`${EP2}:50:1: error`, /unknown key `training` in the check block; known keys: blanks, model, compile, fit/]],
  },
  {
    name: "check block with a misspelt key",
    edits: [{ file: EP2, replace: "  inputShape: [28, 28]", with: "  input_shape: [28, 28]" }],
    expect: [
      [`${EP2}:40:1: error`, /`model` has no `inputShape`/],
      [`${EP2}:42:3: error`, /unknown key `input_shape` in `model`; did you mean `inputShape`\?/],
    ],
  },
  {
    name: "check block with values of the wrong type",
    edits: [
      { file: EP2, replace: "totalParams: 7850", with: "totalParams: many" },
      { file: EP2, replace: "validationData: true", with: "validationData: yes please" },
      { file: EP2, replace: "layers: [InputLayer, Flatten, Dense]", with: "layers: [InputLayer, Flaten, Dense]" },
    ],
    expect: [
      [`${EP2}:43:24: error`, /unknown layer class `Flaten`/],
      [`${EP2}:45:16: error`, /`model.totalParams` must be a whole number/],
      [`${EP2}:53:19: error`, /`fit.validationData` must be true or false/],
    ],
  },
  {
    name: "check block with an answer that is not text",
    edits: [{ file: EP2, replace: 'expect: "10"', with: "expect: true" }],
    expect: [[`${EP2}:26:13: error`, /`expect` of blank `units` must be a Python expression written as a quoted string/]],
  },
  {
    name: "check block with an answer that is not Python",
    edits: [{ file: EP2, replace: `expect: "'softmax'"`, with: `expect: "soft max ("` }],
    expect: [[`${EP2}:33:13: error`, /`expect` of blank `activation` `soft max \(` is not one Python expression/]],
  },
  {
    name: "check block that is not YAML",
    edits: [{ file: EP2, replace: "  - id: loss\n", with: "  - id: loss\n   bad: [\n" }],
    expect: [[`${EP2}:37:1: error`, /check block:/]],
  },
  {
    name: "check block whose hint gives the answer away",
    edits: [{ file: EP2, replace: "    explain: the function that turns the outputs into probabilities", with: "    hint: Use softmax here." }],
    expect: [[`${EP2}:32:5: warning`, /the hint of blank `activation` states the expected answer/]],
  },
  {
    name: "mistake that is the expected answer",
    edits: [{ file: EP2, replace: 'answer: "1"', with: 'answer: "10"' }],
    expect: [[`${EP2}:25:5: error`, /blank `units` lists its own expected answer `10` as a mistake/]],
  },
  {
    name: "image that does not exist",
    edits: [{ file: EP1, replace: "../figures/square.svg", with: "../figures/circle.svg" }],
    expect: [
      [`${EP1}:21:1: error`, /image `..\/figures\/circle.svg` does not exist \(looked for figures\/circle.svg\)/],
      ["figures/square.svg:1:1: warning", /figure `figures\/square.svg` is not shown by any episode/],
    ],
  },
  {
    name: "figure that no episode shows",
    edits: [{ file: "figures/unused.svg", write: "<svg/>" }],
    expect: [["figures/unused.svg:1:1: warning", /figure `figures\/unused.svg` is not shown by any episode/]],
  },
  {
    name: "image from the network",
    edits: [{ file: EP1, replace: "../figures/square.svg", with: "https://example.org/square.svg" }],
    expect: [
      [`${EP1}:21:1: error`, /not a file in the lesson; the episode panel loads nothing from the network/],
      ["figures/square.svg:1:1: warning", /figure `figures\/square.svg` is not shown by any episode/],
    ],
  },
  {
    name: "image in a callout, outside the lesson folder",
    edits: [{ file: EP1, replace: "Dividing by 255 puts", with: "See ![x](../../outside.png). Dividing by 255 puts" }],
    expect: [[`${EP1}:39:5: error`, /image `..\/..\/outside.png` is outside the lesson folder/]],
  },
  {
    name: "image in the lesson but not in figures/, which the episode panel would not show",
    edits: [
      { file: "images/square.svg", write: "<svg/>" },
      { file: EP1, replace: "../figures/square.svg", with: "../images/square.svg" },
    ],
    expect: [
      [`${EP1}:21:1: error`, /image `..\/images\/square.svg` is not in the lesson's `figures\/` folder/],
      ["figures/square.svg:1:1: warning", /figure `figures\/square.svg` is not shown by any episode/],
    ],
  },
  {
    name: "lesson.yaml lists an episode that does not exist",
    edits: [{ file: "lesson.yaml", append: "  - 03-missing.md\n" }],
    expect: [["lesson.yaml:7:5: error", /episode file `03-missing.md` does not exist \(looked for episodes\/03-missing.md\)/]],
  },
  {
    name: "lesson.yaml with an unknown dataset and key",
    edits: [{ file: "lesson.yaml", replace: "dataset: mnist", with: "dataset: imagenet\nauthor: me" }],
    expect: [
      ["lesson.yaml:3:10: error", /`dataset` is one of cifar10, fashion-mnist, mnist/],
      ["lesson.yaml:4:1: warning", /unknown key `author` in lesson.yaml/],
    ],
  },
  {
    name: "episode file that lesson.yaml does not list",
    edits: [{ file: "episodes/03-draft.md", write: "---\ntitle: Draft\n---\n" }],
    expect: [["episodes/03-draft.md:1:1: warning", /not listed in lesson.yaml/]],
  },
  {
    name: "missing lesson.yaml",
    edits: [{ file: "lesson.yaml", remove: true }],
    expect: [["lesson.yaml:1:1: error", /no lesson.yaml in .*: this is not a lesson folder/]],
  },
];

let scratch: string;

before(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "lessons-validate-"));
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function applyEdits(root: string, edits: Edit[]): Promise<void> {
  for (const edit of edits) {
    const file = path.join(root, edit.file);
    if ("remove" in edit) {
      await rm(file);
    } else if ("write" in edit) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, edit.write);
    } else if ("append" in edit) {
      await writeFile(file, (await readFile(file, "utf8")) + edit.append);
    } else {
      const before = await readFile(file, "utf8");
      const afterEdit = before.replace(edit.replace, edit.with);
      assert.notEqual(afterEdit, before, `the edit of ${edit.file} must change it (${String(edit.replace)})`);
      await writeFile(file, afterEdit);
    }
  }
}

async function problemsOf(root: string): Promise<string[]> {
  const { problems } = await loadLesson(root);
  return problems.map((p) => `${path.relative(root, p.location.file)}:${p.location.line}:${p.location.column}: ${p.severity}: ${p.message}`);
}

describe("lesson validation: one broken fixture per problem", () => {
  it("the fixture itself has no problems", async () => {
    assert.deepEqual(await problemsOf(FIXTURE), []);
  });

  for (const [n, row] of ROWS.entries()) {
    it(row.name, async () => {
      const root = path.join(scratch, `case-${n}`);
      await cp(FIXTURE, root, { recursive: true });
      await applyEdits(root, row.edits);
      const actual = await problemsOf(root);
      const describe = `actual problems:\n  ${actual.join("\n  ") || "(none)"}`;
      assert.equal(actual.length, row.expect.length, describe);
      row.expect.forEach(([where, message], i) => {
        const line = actual[i]!;
        assert.ok(line.startsWith(`${where}: `), `problem ${i + 1} should be at ${where}\n${describe}`);
        assert.match(line.slice(where.length + 2), message, describe);
      });
    });
  }
});
