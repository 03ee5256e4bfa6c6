/**
 * The installed .vsix activates in real VS Code (code-server): a "Lessons" command run from the
 * palette opens the Deep Learning Lessons side bar with its Lessons view.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { OUTPUT_ROOT, startSession, type Session } from "./codeServer";

let session: Session;

before(async () => {
  const workspace = join(OUTPUT_ROOT, "workspaces", "activation");
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  session = await startSession({ name: "activation", workspace });
});

after(async () => {
  await session?.close();
});

test("Lessons: Open Lesson shows the Lessons view of the installed extension", { timeout: 180_000 }, async () => {
  const { page } = session;
  await session.runCommand("Lessons: Open Lesson");
  const sideBar = page.locator(".part.sidebar");
  await sideBar.locator(".composite.title", { hasText: /Deep Learning Lessons/i }).waitFor({ timeout: 60_000 });
  const lessonsPane = sideBar.locator(".pane-header", { hasText: /^Lessons/ });
  await lessonsPane.waitFor({ timeout: 30_000 });
  assert.equal(await lessonsPane.isVisible(), true);
  await sideBar.locator(".pane-header", { hasText: /Training Monitor/ }).waitFor({ timeout: 30_000 });
  const shot = await session.screenshot("lessons-view");
  console.log(`screenshot: ${shot}`);

  // The extension logs how long activate() took; the log proves it ran inside code-server.
  let activation: RegExpMatchArray | null = null;
  for (let attempt = 0; attempt < 40 && !activation; attempt++) {
    activation = session.extensionLog().match(/Activated in ([\d.]+) ms/);
    if (!activation) await page.waitForTimeout(250);
  }
  assert.ok(activation, "the extension's log has no activation line");
  console.log(`activation time (activate()): ${activation[1]} ms`);
});
