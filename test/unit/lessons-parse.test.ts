import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { createMarkdownRenderer, findLessonDirectories, lessonStats, loadLesson, parseEpisode } from "../../src/lessons";
import type { CheckSpec } from "../../src/protocol/lesson";

const FIXTURES = path.join(__dirname, "..", "fixtures", "lessons");
const TINY = path.join(FIXTURES, "tiny");

describe("lesson parsing: the tiny fixture lesson", () => {
  it("reads lesson.yaml and the episodes in order", async () => {
    const { lesson, problems } = await loadLesson(TINY);
    assert.deepEqual(problems, []);
    assert.equal(lesson.id, "tiny");
    assert.equal(lesson.dataset, "mnist");
    assert.equal(lesson.root, TINY);
    assert.deepEqual(
      lesson.episodes.map((e) => [e.id, e.index, e.title, e.teachingMinutes, e.exerciseMinutes]),
      [
        ["01-first-steps", 1, "First steps", 5, 5],
        ["02-a-small-model", 2, "A small model", 10, 10],
      ],
    );
    const first = lesson.episodes[0]!;
    assert.deepEqual(first.questions, ["What does a pixel hold?", "Why scale the pixel values?"]);
    assert.deepEqual(first.objectives, ["Describe an image as a grid of numbers.", "Scale pixel values to the range 0 to 1."]);
    assert.deepEqual(first.keypoints, ["An image is a grid of numbers.", "Scale pixel values to 0-1 before training."]);
    assert.deepEqual(first.location, { file: path.join(TINY, "episodes", "01-first-steps.md"), line: 1, column: 1 });
  });

  it("keeps blocks in reading order with their markdown source", async () => {
    const { lesson } = await loadLesson(TINY);
    const blocks = lesson.episodes[0]!.blocks;
    assert.deepEqual(
      blocks.map((b) => (b.kind === "callout" ? `${b.calloutKind}: ${b.title}` : b.kind === "challenge" ? `challenge ${b.challengeId}` : b.kind)),
      [
        "markdown",
        "callout: Scaling",
        "discussion: Which digit is hardest?",
        "caution: Keep the test images apart",
        "testimonial: From a workshop",
        "challenge why-scale",
      ],
    );
    const prose = blocks[0]!;
    assert.equal(prose.kind, "markdown");
    assert.equal(prose.location.line, 17);
    // The code fence that shows `:::` lines is markdown, not a div.
    assert.match(prose.kind === "markdown" ? prose.markdown : "", /```markdown\n::: callout\n### Not a callout\n:::\n```$/);
    assert.ok(prose.kind === "markdown" && prose.markdown.startsWith("## Images are numbers\n\nA grayscale image"));
    const callout = blocks[1]!;
    assert.equal(callout.kind === "callout" ? callout.markdown : "", "Dividing by 255 puts every pixel value between 0 and 1.");
  });

  it("reads an open question: title, task, hints and solution, nested by count", async () => {
    const { lesson } = await loadLesson(TINY);
    const [challenge] = lesson.episodes[0]!.challenges;
    assert.deepEqual(challenge, {
      id: "why-scale",
      episodeId: "01-first-steps",
      title: "Why scale the pixels?",
      markdown: "What could go wrong if the network saw values up to 255?",
      hints: ["Think about the size of the numbers that flow through the network."],
      solutionMarkdown: "Large inputs make large activations and large gradients, so training becomes unstable.",
      location: { file: path.join(TINY, "episodes", "01-first-steps.md"), line: 57, column: 1 },
    });
  });

  it("reads a code challenge: files, check block, hints, a callout kept in the task", async () => {
    const { lesson } = await loadLesson(TINY);
    const challenge = lesson.episodes[1]!.challenges[0]!;
    assert.equal(challenge.id, "dense-layer");
    assert.equal(challenge.starterFile, "challenges/dense-layer.py");
    assert.equal(challenge.solutionFile, "solutions/dense-layer.py");
    assert.equal(
      challenge.markdown,
      "Fill in the blanks of the output layer and of the compile call.\n\n::: callout\n### One-hot labels\nThe labels were turned into vectors of ten numbers, so the loss is the categorical one.\n:::",
    );
    assert.deepEqual(challenge.hints, ["The output layer has one unit per class.", "Probabilities come from the activation used for the last layer of a classifier."]);
    assert.equal(challenge.solutionMarkdown, "Ten units, one per digit, and an activation that turns their outputs into probabilities.");
    const expected: CheckSpec = {
      blanks: [
        {
          id: "units",
          expect: "10",
          explain: "the number of outputs, one per class",
          hint: "How many different digits are there?",
          mistakes: [{ answer: "1", message: "One output can only say yes or no; this model chooses among all the classes." }],
        },
        { id: "activation", expect: "'softmax'", accept: ["keras.activations.softmax"], explain: "the function that turns the outputs into probabilities" },
        {
          id: "loss",
          expect: "'categorical_crossentropy'",
          accept: ["keras.losses.CategoricalCrossentropy()"],
          explain: "what the training minimises for one-hot labels",
        },
      ],
      model: {
        function: "create_model_tiny",
        inputShape: [28, 28],
        layers: ["InputLayer", "Flatten", "Dense"],
        outputShapes: [[28, 28], [784], [10]],
        totalParams: 7850,
      },
      compile: { optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] },
      fit: { epochs: 2, batchSize: 32, validationData: true },
    };
    assert.deepEqual(challenge.check, expected);
    const blocks = lesson.episodes[1]!.blocks;
    assert.deepEqual(blocks.map((b) => b.kind), ["markdown", "challenge"]);
  });

  it("counts words, challenges and minutes per episode", async () => {
    const { episodes } = await lessonStats(TINY);
    assert.deepEqual(
      episodes.map((e) => [e.id, e.challenges, e.codeChallenges, e.teachingMinutes + e.exerciseMinutes]),
      [
        ["01-first-steps", 1, 0, 10],
        ["02-a-small-model", 1, 1, 20],
      ],
    );
    for (const e of episodes) assert.ok(e.words > 50 && e.words < 300, `${e.id}: ${e.words} words`);
  });

  it("finds lesson folders below a root, and a lesson folder itself", async () => {
    assert.deepEqual(await findLessonDirectories(FIXTURES), [TINY]);
    assert.deepEqual(await findLessonDirectories(TINY), [TINY]);
    assert.deepEqual(await findLessonDirectories(path.join(TINY, "episodes")), []);
  });
});

describe("lesson parsing: divs and front matter", () => {
  const parse = (source: string) => parseEpisode(source, "/l/episodes/01-x.md", "01-x", 1);
  const FRONT = "---\ntitle: T\nteaching: 1\nexercises: 1\n---\n\n::: questions\n- q\n:::\n\n::: objectives\n- o\n:::\n\n::: keypoints\n- k\n:::\n";

  it("closes the innermost div whatever the number of colons", () => {
    const parsed = parse(
      `${FRONT}\n::::::::::::: challenge {id="a"}\n### A\nTask.\n\n::::: hint\nH.\n:::::::::::::::\n\n: not a div line\n\n::: solution\nS.\n:::\n:::\n`,
    );
    assert.deepEqual(parsed.problems, []);
    const c = parsed.episode.challenges[0]!;
    assert.deepEqual([c.title, c.markdown, c.hints, c.solutionMarkdown], ["A", "Task.\n\n: not a div line", ["H."], "S."]);
  });

  it("ends a paragraph, a list and a blockquote at a div line", () => {
    const parsed = parse(`${FRONT}\n::: callout\n### C\ntext runs on\n- item\n> quoted\n:::\n\nAfter.\n`);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.episode.blocks.map((b) => b.kind),
      ["callout", "markdown"],
    );
  });

  it("does not take an indented or list-item `:::` for a div", () => {
    const parsed = parse(`${FRONT}\n    ::: callout\n\n- item\n\n  ::: callout\n`);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.episode.blocks.length, 1);
  });

  it("reads attributes in double quotes, single quotes, bare and as #id", () => {
    for (const attrs of ['{id="a"}', "{id='a'}", "{id=a}", "{#a}", '{ id = "a" }']) {
      const parsed = parse(`${FRONT}\n::: challenge ${attrs}\n### A\nQ\n::: solution\nS\n:::\n:::\n`);
      assert.deepEqual(parsed.problems, [], attrs);
      assert.equal(parsed.episode.challenges[0]?.id, "a", attrs);
    }
  });

  it("reports an unreadable attribute list at its column", () => {
    const parsed = parse(`${FRONT}\n::: challenge {id="a" "b"}\n### A\nQ\n::: solution\nS\n:::\n:::\n`);
    assert.deepEqual(
      parsed.problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`),
      ['19:23 cannot read this attribute; write attributes as key="value"'],
    );
  });

  it("warns about a callout without a title and an episode without key points", () => {
    const parsed = parse("---\ntitle: T\nteaching: 1\nexercises: 1\n---\n::: questions\n- q\n:::\n::: objectives\n- o\n:::\n::: callout\nNo heading.\n:::\n");
    assert.deepEqual(
      parsed.problems.map((p) => `${p.location.line}:${p.location.column} ${p.severity} ${p.message}`),
      ["12:5 warning the `callout` has no title; start it with a `###` heading", "1:1 warning the episode has no `keypoints` div"],
    );
  });

  it("reads Windows line ends", () => {
    const parsed = parse(`${FRONT}\n::: callout\n### C\nBody.\n:::\n`.replace(/\n/g, "\r\n"));
    assert.deepEqual(parsed.problems, []);
    const callout = parsed.episode.blocks[0]!;
    assert.deepEqual(callout.kind === "callout" ? [callout.title, callout.markdown] : [], ["C", "Body."]);
  });
});

describe("markdown renderer for the episode panel", () => {
  it("highlights python code blocks", () => {
    const html = createMarkdownRenderer().render("```python\ndef f():\n    return 'relu'  # the activation\n```");
    assert.match(html, /<pre><code class="hljs language-python">/);
    assert.match(html, /<span class="hljs-/);
  });

  it("escapes raw HTML instead of passing it through", () => {
    const html = createMarkdownRenderer().render('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">');
    assert.ok(!html.includes("<script>"), html);
    assert.ok(!html.includes("<img"), html);
    assert.match(html, /&lt;script&gt;/);
  });

  it("drops javascript: links", () => {
    const html = createMarkdownRenderer().render("[click](javascript:alert(1))");
    assert.ok(!html.includes('href="javascript:'), html);
  });

  it("resolves images through the caller's function and drops those it refuses", () => {
    const seen: string[] = [];
    const renderer = createMarkdownRenderer({
      resolveImage: (src) => {
        seen.push(src);
        return src.endsWith(".svg") ? `vscode-resource:/lesson/${src.replace("../", "")}` : undefined;
      },
    });
    const html = renderer.render("![A grid](../figures/my%20grid.svg) and ![remote](https://example.org/x.png)");
    assert.deepEqual(seen, ["../figures/my grid.svg", "https://example.org/x.png"]);
    assert.match(html, /<img src="vscode-resource:\/lesson\/figures\/my grid.svg" alt="A grid">/);
    assert.match(html, /<span class="lesson-missing-image" role="note">Image not shown [^<]*: remote<\/span>/);
    assert.match(createMarkdownRenderer().render("![alt](../figures/a.svg)"), /<span class="lesson-missing-image" role="note">Image not shown [^<]*: alt<\/span>/);
  });

  it("renders fenced divs inside a block as divs, and inline markdown without a paragraph", () => {
    const renderer = createMarkdownRenderer();
    assert.equal(renderer.render("::: callout\n### T\nBody\n:::\n"), '<div class="lesson-div lesson-callout">\n<h3>T</h3>\n<p>Body</p>\n</div>\n');
    assert.equal(renderer.renderInline("Use `Conv2D` *now*"), "Use <code>Conv2D</code> <em>now</em>");
  });
});

describe("lesson parsing never throws on broken markdown", () => {
  it("survives lines deleted, duplicated and replaced with div lines, and points inside the file", () => {
    // A small deterministic generator, so a failure can be replayed.
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const sources = ["01-first-steps.md", "02-a-small-model.md"].map((f) => readFileSync(path.join(TINY, "episodes", f), "utf8").split("\n"));
    const noise = [":::", "::::::: challenge", "::: hint", "::: solution {x=1}", "```check", "```", "---", "  - id: a", "::: {", "### T"];
    for (let round = 0; round < 300; round++) {
      const lines = [...sources[round % 2]!];
      for (let edit = 0; edit < 1 + random(4); edit++) {
        const at = random(lines.length);
        const kind = random(3);
        if (kind === 0) lines.splice(at, 1 + random(3));
        else if (kind === 1) lines.splice(at, 0, lines[random(lines.length)] ?? "");
        else lines[at] = noise[random(noise.length)]!;
      }
      const parsed = parseEpisode(lines.join("\n"), "/l/episodes/01-x.md", "01-x", 1);
      for (const p of parsed.problems) {
        assert.ok(p.location.line >= 1 && p.location.line <= lines.length + 1, `round ${round}: line ${p.location.line}: ${p.message}`);
        assert.ok(p.location.column >= 1, `round ${round}: column ${p.location.column}: ${p.message}`);
      }
    }
  });
});
