import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMarkdownRenderer } from "../../src/lessons";
import { parseEpisode } from "../../src/lessons/parse";

/* A lesson file is outside input: however deeply its divs nest, lint-lesson reports problems
 * instead of overflowing the stack (a recursive walk of the div tree did, at a few thousand). */

const FRONT_MATTER = "---\ntitle: Deep\nteaching: 1\nexercises: 1\n---\n";

describe("deeply nested divs", () => {
  it("are walked without overflowing the stack, each misplaced div reported once", () => {
    const depth = 20_000;
    const source = FRONT_MATTER + "::: callout\n### A box\n".repeat(depth) + ":::\n".repeat(depth);
    const { problems, episode } = parseEpisode(source, "deep.md", "01-deep", 1);
    const nested = problems.filter((p) => p.message.includes("cannot be inside `callout`"));
    assert.equal(nested.length, depth - 1);
    assert.deepEqual(nested[0]?.location, { file: "deep.md", line: 8, column: 5 });
    assert.equal(episode.blocks.filter((b) => b.kind === "callout").length, 1);
  });

  it("close in order: an unclosed innermost div is named at its own line", () => {
    const source = FRONT_MATTER + "::: challenge {id=\"a\"}\n### A\n::: solution\nText.\n:::\n";
    const { problems } = parseEpisode(source, "open.md", "01-open", 1);
    assert.ok(problems.some((p) => p.location.line === 6 && /`challenge` div opened here is never closed/.test(p.message)), JSON.stringify(problems));
  });
});

describe("a solution fold inside a callout", () => {
  const source = FRONT_MATTER + "::: callout\n### Predict\nWhat does it do?\n\n::: solution\nIt finds edges.\n:::\n:::\n";

  it("is allowed in a callout, and still not loose in the episode", () => {
    const { problems, episode } = parseEpisode(source, "fold.md", "01-fold", 1);
    assert.deepEqual(problems.filter((p) => p.severity === "error"), []);
    const callout = episode.blocks.find((b) => b.kind === "callout");
    assert.ok(callout?.kind === "callout" && callout.markdown.includes("::: solution"));
    const loose = parseEpisode(FRONT_MATTER + "::: solution\nAn answer.\n:::\n", "loose.md", "01-loose", 1);
    assert.ok(loose.problems.some((p) => /belongs inside a `challenge` div/.test(p.message)));
  });

  it("renders the answer closed behind a summary, the callout's other text open", () => {
    const { episode } = parseEpisode(source, "fold.md", "01-fold", 1);
    const callout = episode.blocks.find((b) => b.kind === "callout")!;
    const html = createMarkdownRenderer().render(callout.markdown);
    assert.match(html, /<p>What does it do\?<\/p>\n<details class="lesson-div lesson-solution-fold solution">\n<summary>Show the answer<\/summary>\n<p>It finds edges.<\/p>\n<\/details>/);
  });
});
