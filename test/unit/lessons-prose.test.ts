import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lintProseRuns, MAX_PROSE_RUN } from "../../src/lessons/prose";

/* Walls of text: lint-lesson warns about a run of paragraphs longer than 300 words. */

const words = (n: number): string => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

describe("prose runs", () => {
  it("warns about a run of paragraphs over the limit, at its first line", () => {
    const problems = lintProseRuns(`## Heading\n\n${words(200)}\n\n## Another heading\n\n${words(MAX_PROSE_RUN - 200 + 3)}\n`, "ep.md");
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.location.line, 1);
    // 200 + 103 words of paragraphs and 3 of the headings, which do not break the run.
    assert.match(problems[0]!.message, /^306 words of prose in a row from here/);
  });

  it("lets a figure, a list, a callout or code break the run", () => {
    for (const divider of ["![A figure](f.svg)", "- one\n- two", "::: callout\n### Note\nShort.\n:::", "```python\nx = 1\n```"]) {
      assert.deepEqual(lintProseRuns(`${words(250)}\n\n${divider}\n\n${words(250)}\n`, "ep.md"), [], divider);
    }
    assert.deepEqual(lintProseRuns(`${words(MAX_PROSE_RUN)}\n`, "ep.md"), []);
  });
});
