/**
 * The editor's checks in real VS Code (code-server), through the bundled checker thread: a
 * missing ')' is reported once, on the line of the '(' as CPython reports it, a file just under
 * the size limit is checked (its inlay hints appear) while the host stays responsive, and a 3 MB
 * file gets one info diagnostic instead of a check.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { OUTPUT_ROOT, REPO_ROOT, startSession, type Session } from "./codeServer";

let session: Session;

const BROKEN = [
  "import keras",
  "inputs = keras.Input(shape=(32, 32, 3))",
  "x = keras.layers.Conv2D(16, (3, 3), activation='relu'(inputs)",
  "x = keras.layers.Flatten()(x)",
  "outputs = keras.layers.Dense(10)(x)",
  "model = keras.Model(inputs=inputs, outputs=outputs)",
  "",
].join("\n");

before(async () => {
  const workspace = join(OUTPUT_ROOT, "workspaces", "editor-checking");
  rmSync(workspace, { recursive: true, force: true });
  // A dl-lessons folder makes the extension activate at start-up.
  mkdirSync(join(workspace, "dl-lessons"), { recursive: true });
  writeFileSync(join(workspace, "broken.py"), BROKEN);
  const solution = readFileSync(join(REPO_ROOT, "lessons/intro-image-classification-cnn/solutions/tune-activation.py"), "utf8");
  writeFileSync(join(workspace, "big.py"), `${solution}\n`.repeat(Math.ceil((3 * 1024 * 1024) / (solution.length + 1))));
  // A valid model, then comments up to just under the 256 KB limit: checked in full on the thread.
  const model = BROKEN.replace("activation='relu'(inputs)", "activation='relu')(inputs)");
  const filler = "# a comment line that makes the file long enough to take the checker a while\n";
  writeFileSync(join(workspace, "medium.py"), model + filler.repeat(Math.floor((250 * 1024 - model.length) / filler.length)));
  session = await startSession({ name: "editor-checking", workspace });
});

after(async () => {
  await session?.close();
});

test("a missing ')' is one error on the line of its '(', and a 3 MB file is not checked but said", { timeout: 180_000 }, async () => {
  const { page } = session;
  await session.waitForLog(/Activated in/, 60_000);
  await session.openFile("broken.py");
  await page.locator(".monaco-editor .squiggly-error").first().waitFor({ timeout: 30_000 });
  await session.runCommand("View: Focus Problems (Errors, Warnings, Infos)");
  const problems = page.locator(".markers-panel");
  await problems.locator(".monaco-list-row", { hasText: "was never closed" }).waitFor({ timeout: 20_000 });
  const rows = await problems.locator(".monaco-list-row").allInnerTexts();
  console.log(`problems of broken.py:\n${rows.join("\n")}`);
  const errors = rows.filter((row) => /never closed|not valid|must be|cannot/.test(row));
  assert.equal(errors.length, 1, "one error, not one per line the parser recovered on");
  assert.match(rows.find((row) => row.includes("broken.py")) ?? "", /broken\.py\s+1\s*$/, "the file's badge counts one problem");
  assert.match(errors[0] ?? "", /Ln 3, Col 24/, "on the '(' of Conv2D, where CPython puts it");
  console.log(`screenshot: ${await session.screenshot("missing-paren")}`);

  // Just under the limit: checked on the thread (the layer's inlay hint appears). The host's
  // event loop is measured with nothing to check, then while the file is checked.
  const measure = async (when: string): Promise<void> => {
    await session.runHiddenCommand("dlLessons.measureResponsiveness");
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "Extension host" }).last();
    await toast.waitFor({ timeout: 30_000 });
    console.log(`${when}: ${await toast.innerText()}`);
    await page.keyboard.press("Escape");
  };
  await measure("with nothing to check");
  await session.openFile("medium.py");
  await measure("while medium.py (250 KB) is checked");
  await page.locator(".monaco-editor", { hasText: "(None, 30, 30, 16) · 448 params" }).first().waitFor({ timeout: 30_000 });

  await session.openFile("big.py");
  await problems.locator(".monaco-list-row", { hasText: "too large for the checker" }).waitFor({ timeout: 30_000 });
  await session.waitForLog(/Not checking big\.py: too large/, 10_000);
  console.log(`screenshot: ${await session.screenshot("big-file")}`);
});
