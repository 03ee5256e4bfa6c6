import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import { checkChallenge } from "../../src/checker";
import { existsSync } from "node:fs";
import { createMarkdownRenderer, lessonFigurePath, loadLesson } from "../../src/lessons";
import { matchStarterAndSolution, readPython } from "../../src/python";
import type { Challenge, Lesson, LessonProblem } from "../../src/protocol/lesson";

/* The lesson the extension ships, held to the format: no lint problems, every challenge of the
 * curriculum in its episode, and every solution both a filled-in starter and a passing answer. */

const LESSON = path.join(__dirname, "..", "..", "lessons", "intro-image-classification-cnn");
// Bounded by steps, not by the clock, so a busy machine cannot cut an analysis short.
const UNHURRIED = { maxMillis: Number.POSITIVE_INFINITY };

/** Challenges per episode, as in the curriculum: 22 in all. */
const CHALLENGES_PER_EPISODE: [string, number][] = [
  ["01-introduction", 1],
  ["02-image-data", 2],
  ["03-build-a-cnn", 8],
  ["04-compile-and-train", 5],
  ["05-evaluate-and-predict", 6],
  ["06-share-and-next-steps", 0],
];

let lesson: Lesson;
let problems: LessonProblem[];
let codeChallenges: Challenge[];
const read = (file: string): Promise<string> => readFile(path.join(LESSON, file), "utf8");

before(async () => {
  ({ lesson, problems } = await loadLesson(LESSON));
  codeChallenges = lesson.episodes.flatMap((e) => e.challenges).filter((c) => c.starterFile !== undefined);
});

describe("the shipped lesson", () => {
  it("lint-lesson reports no problems", () => {
    const shown = problems.map((p) => `${path.relative(LESSON, p.location.file)}:${p.location.line}:${p.location.column}: ${p.severity}: ${p.message}`);
    assert.deepEqual(shown, []);
  });

  it("has six episodes with the curriculum's challenges, 22 in all", () => {
    assert.deepEqual(
      lesson.episodes.map((e) => [e.id, e.challenges.length]),
      CHALLENGES_PER_EPISODE,
    );
    assert.equal(lesson.episodes.reduce((n, e) => n + e.challenges.length, 0), 22);
  });

  it("gives every challenge a title, a task and a solution", () => {
    for (const challenge of lesson.episodes.flatMap((e) => e.challenges)) {
      assert.ok(challenge.title && challenge.markdown && challenge.solutionMarkdown, challenge.id);
    }
  });

  it("renders every block to HTML with its images and no div line left over", () => {
    const missing: string[] = [];
    // The episode panel's own rule: a file of the lesson's figures folder, else dropped.
    const renderer = createMarkdownRenderer({
      resolveImage: (src) => {
        const figure = lessonFigurePath(src);
        if (figure === undefined || !existsSync(path.join(LESSON, figure))) missing.push(src);
        return figure === undefined ? undefined : `lesson:/${figure}`;
      },
    });
    let images = 0;
    for (const episode of lesson.episodes) {
      const markdown = [
        ...episode.blocks.map((b) => (b.kind === "challenge" ? "" : b.markdown)),
        ...episode.challenges.flatMap((c) => [c.markdown, ...c.hints, c.solutionMarkdown]),
      ];
      for (const text of markdown) {
        const html = renderer.render(text);
        assert.doesNotMatch(html, /<p>:::/, `${episode.id}: a div line rendered as text`);
        assert.doesNotMatch(html, /\sstyle=/, `${episode.id}: an inline style, which the panel's CSP refuses`);
        images += (html.match(/<img /g) ?? []).length;
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(images > 0, "the lesson shows figures");
  });

  it("makes each solution file its starter with every blank filled", async () => {
    assert.ok(codeChallenges.length > 0);
    for (const challenge of codeChallenges) {
      const starter = readPython(await read(challenge.starterFile!));
      const solution = readPython(await read(challenge.solutionFile!));
      assert.ok(starter.blanks.length > 0, `${challenge.id}: the starter has blanks`);
      assert.equal(starter.blanks.length, challenge.check?.blanks.length, `${challenge.id}: one check entry per blank`);
      assert.deepEqual(solution.blanks, [], `${challenge.id}: the solution leaves no blank`);
      const match = matchStarterAndSolution(starter, solution);
      assert.ok(match.ok, `${challenge.id}: ${match.ok ? "" : match.message}`);
      assert.equal(match.fills.length, starter.blanks.length, challenge.id);
    }
  });

  it("makes each solution pass its own check spec", async () => {
    for (const challenge of codeChallenges) {
      const verdict = checkChallenge(await read(challenge.solutionFile!), await read(challenge.starterFile!), challenge.check!, UNHURRIED);
      const wrong = [
        ...verdict.blanks.filter((b) => b.status !== "correct").map((b) => `blank ${b.id}: ${b.message}`),
        ...verdict.modelChecks.filter((m) => m.status !== "correct").map((m) => m.message),
      ];
      assert.deepEqual(wrong, [], challenge.id);
      assert.equal(verdict.status, "correct", challenge.id);
    }
  });
});
