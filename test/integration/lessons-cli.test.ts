import assert from "node:assert/strict";
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { cli, REPO, scratchFolder, type CliResult } from "./harness";

/* `dl-lessons lint-lesson` run as a user runs it: a separate process, its output and exit code. */

const FIXTURE = path.join(REPO, "test", "fixtures", "lessons", "tiny");

/** `dl-lessons lint-lesson ARGS`, started from `cwd`. */
function lint(args: string[], cwd: string): Promise<CliResult> {
  return cli(["lint-lesson", ...args], { cwd });
}

let scratch: string;
before(async () => {
  scratch = await scratchFolder("lessons-cli");
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("dl-lessons lint-lesson", () => {
  it("says a clean lesson has no problems and prints its statistics", async () => {
    const result = await lint(["tiny", "--stats"], path.dirname(FIXTURE));
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines[lines.length - 1], "tiny: no problems");
    assert.match(result.stdout, /^01-first-steps\s+\d+\s+1\s+0\s+5 min\s+5 min\s+0 min$/m);
    assert.match(result.stdout, /^02-a-small-model\s+\d+\s+1\s+1\s+10 min\s+10 min\s+0 min$/m);
    assert.match(result.stdout, /^total\s+\d+\s+2\s+1\s+15 min\s+15 min\s+0 min$/m);
  });

  it("prints each problem as file:line:column relative to the current folder and exits 1 on errors", async () => {
    const root = path.join(scratch, "broken");
    await cp(FIXTURE, root, { recursive: true });
    const episode = path.join(root, "episodes", "01-first-steps.md");
    await writeFile(episode, (await readFile(episode, "utf8")).replace("::: caution", "::: cuation"));
    await writeFile(path.join(root, "episodes", "09-draft.md"), "---\ntitle: Draft\n---\n");
    const result = await lint([root], scratch);
    assert.equal(result.code, 1);
    assert.deepEqual(result.stdout.trim().split("\n"), [
      "broken/episodes/01-first-steps.md:47:5: error: unknown div `cuation`; did you mean `caution`?",
      "broken/episodes/09-draft.md:1:1: warning: episode `09-draft.md` is not listed in lesson.yaml",
      "broken: 1 error, 1 warning",
    ]);
  });

  it("exits 0 on warnings alone, 1 with --strict", async () => {
    const root = path.join(scratch, "warned");
    await cp(FIXTURE, root, { recursive: true });
    await writeFile(path.join(root, "episodes", "09-draft.md"), "---\ntitle: Draft\n---\n");
    assert.equal((await lint([root], scratch)).code, 0);
    assert.equal((await lint([root, "--strict"], scratch)).code, 1);
  });

  it("explains a folder without a lesson and a missing argument", async () => {
    const empty = await lint([scratch + path.sep + "nothing-here"], scratch);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /no lesson.yaml in .*nothing-here or below it/);
    const missing = await lint([], scratch);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /give one lesson folder/);
  });
});
