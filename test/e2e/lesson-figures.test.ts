/**
 * The episode panel's figures in real VS Code (code-server + Chromium): markdown is rendered once
 * with the panel's own image resolver, so every figure arrives as a webview URI of the lesson's
 * figures/ folder and loads, and no image is dropped. A workspace that trains on Fashion-MNIST
 * also sees episode 05's measured Fashion-MNIST confusion matrix. Screenshots are kept in
 * test-output/lesson-figures/.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Frame } from "playwright-core";
import { OUTPUT_ROOT, startSession, type Session } from "./codeServer";

let session: Session;

before(async () => {
  const workspace = join(OUTPUT_ROOT, "workspaces", "lesson-figures");
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(join(workspace, "dl-lessons"), { recursive: true });
  session = await startSession({ name: "lesson-figures", workspace, settings: { "dlLessons.trainDataset": "fashion-mnist" } });
});

after(async () => {
  await session?.close();
});

/** Every image of the episode once loaded: its source and its decoded width (0 when it failed to load). */
async function images(episode: Frame): Promise<{ src: string; width: number }[]> {
  await episode.waitForFunction(() => Array.from(document.images).every((img) => img.complete), undefined, { timeout: 30_000 });
  return episode.evaluate(() => Array.from(document.images).map((img) => ({ src: img.getAttribute("src") ?? "", width: img.naturalWidth })));
}

test("every figure of an episode loads through a webview URI of the lesson's figures", { timeout: 240_000 }, async () => {
  await session.waitForLog(/Activated in/, 60_000);
  await session.runCommand("Lessons: Open Lesson");
  let episode = await session.webviewFrame("text=/Episode 1 of 6/", 60_000);
  const seen: string[] = [];
  for (let number = 1; number <= 5; number++) {
    if (number > 1) episode = await session.nextEpisode(number);
    const shown = await images(episode);
    assert.equal(await episode.locator(".lesson-missing-image").count(), 0, `episode ${number} dropped an image`);
    for (const image of shown) {
      assert.doesNotMatch(image.src, /^\.\.\/|^figures\//, `episode ${number}: an image path reached the webview as written`);
      assert.match(image.src, /\/figures\/[\w-]+\.svg$/, `episode ${number}: ${image.src}`);
      assert.ok(image.width > 0, `episode ${number}: ${image.src} did not load`);
      seen.push(image.src.slice(image.src.lastIndexOf("/") + 1));
    }
    await session.screenshot(`episode-${number}`);
  }
  assert.ok(seen.includes("05-confusion-matrix.svg"), seen.join(", "));
  assert.ok(seen.includes("05-confusion-matrix-fashion-mnist.svg"), "a Fashion-MNIST workspace sees the measured Fashion-MNIST matrix");
  await episode.locator("text=/only 345 of the 1,000 shirts/").waitFor();
});
