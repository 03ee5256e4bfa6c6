/*
 * Lessons: Install Native TensorFlow runs the learner's real npm. These tests run it too, against
 * the npm registry this machine reaches: @tensorflow/tfjs-node comes from the registry, and its own
 * install script then downloads libtensorflow from Google's storage. Where that download cannot
 * happen (no internet beyond the registry) the verdict must say so and leave nothing half
 * installed for the training process to trip over; where it can, the package must be there.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { NATIVE_CPU_PACKAGE, NATIVE_VERSION } from "../../src/protocol/nativeTensorflow";
import { judgeNpmInstall, runNpmInstall } from "../../src/extension/training/npmInstall";

const scratch = mkdtempSync(path.join(os.tmpdir(), "dl-lessons-npm-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

function prefix(name: string): { prefix: string; modules: string } {
  const folder = path.join(scratch, name);
  return { prefix: folder, modules: path.join(folder, "node_modules") };
}

test("the native package installs where the internet is reachable, and otherwise says why and leaves nothing behind", { timeout: 300_000 }, async () => {
  const { prefix: folder, modules } = prefix("native");
  const spec = `${NATIVE_CPU_PACKAGE}@${NATIVE_VERSION}`;
  const printed: string[] = [];
  const outcome = await runNpmInstall(folder, spec, { onLine: (line) => printed.push(line) });
  assert.deepEqual(printed, outcome.lines, "every line npm printed reaches the progress and the log");
  const verdict = judgeNpmInstall(outcome, spec, NATIVE_CPU_PACKAGE, modules);
  console.log(`npm exited with ${outcome.code}: ${verdict.message}`);
  if (outcome.code === 0) {
    assert.ok(verdict.installed, verdict.message);
    assert.ok(existsSync(path.join(modules, "@tensorflow", "tfjs-node", "package.json")));
    return;
  }
  assert.equal(verdict.installed, false);
  assert.match(outcome.lines.join("\n"), /libtensorflow/, "npm got the package and ran its install script, which downloads libtensorflow");
  assert.match(verdict.message, /could not reach the internet/);
  assert.match(verdict.message, /Training still works without it/);
  // npm rolls a failed install back: no half-installed package for the training process to load.
  assert.ok(!existsSync(path.join(modules, "@tensorflow", "tfjs-node")), `left behind: ${existsSync(modules) ? readdirSync(modules).join(", ") : "nothing"}`);
});

test("a package the registry does not have is a failed install, not an offline one", { timeout: 120_000 }, async () => {
  const { prefix: folder, modules } = prefix("missing");
  const spec = "@tensorflow/tfjs-node-does-not-exist@0.0.1";
  const outcome = await runNpmInstall(folder, spec);
  const verdict = judgeNpmInstall(outcome, spec, "@tensorflow/tfjs-node-does-not-exist", modules);
  assert.equal(verdict.installed, false);
  assert.notEqual(outcome.code, 0);
  assert.match(verdict.message, new RegExp(`could not be installed \\(npm exited with ${outcome.code}; its output is in the Deep Learning Lessons log\\)`));
});

test("without npm the learner is told where it comes from; a cancelled install says it was cancelled", async () => {
  const { prefix: folder, modules } = prefix("no-npm");
  const missing = await runNpmInstall(folder, "left-pad@1.3.0", { npm: path.join(scratch, "no-such-npm") });
  assert.equal(missing.spawnError?.code, "ENOENT");
  assert.match(judgeNpmInstall(missing, "left-pad@1.3.0", "left-pad", modules).message, /npm is not installed on this computer.*nodejs\.org/);

  const cancel = new AbortController();
  const running = runNpmInstall(prefix("cancelled").prefix, `${NATIVE_CPU_PACKAGE}@${NATIVE_VERSION}`, { signal: cancel.signal });
  cancel.abort();
  const cancelled = await running;
  assert.equal(cancelled.cancelled, true);
  const verdict = judgeNpmInstall(cancelled, "x", NATIVE_CPU_PACKAGE, prefix("cancelled").modules);
  assert.equal(verdict.installed, false);
  assert.match(verdict.message, /^Installing x was cancelled\./);
});

test("npm that succeeds without leaving the package is not called installed", () => {
  const { modules } = prefix("empty");
  const verdict = judgeNpmInstall({ code: 0, cancelled: false, lines: ["up to date"] }, "pkg@1.0.0", "pkg", modules);
  assert.equal(verdict.installed, false);
  assert.match(verdict.message, /npm finished, but pkg is not in/);
});
