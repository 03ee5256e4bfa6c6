/**
 * A learner stops a training run, and nothing is lost or left half-written: in real VS Code
 * (code-server + Chromium), Train Model on the lesson's fit-model.py, press the Training Monitor's
 * Stop button mid-epoch, then train again and stop with "Lessons: Stop Training" after the first
 * epoch. Each time the monitor says the run stopped, the status bar no longer shows training, and
 * the run folder the extension saved says "cancelled", holds only the epochs that finished and no
 * temporary files. Screenshots of the stopped monitor (light and dark) and dark ones of the
 * Dataset Preview and Classify Image panels are kept in test-output/stop-training/.
 *
 * Like the learner-path test, it trains on a Fashion-MNIST subset (Debian's dataset-fashion-mnist)
 * through the test-only settings dlLessons.trainDataset, trainLimit and maxEpochs.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Frame } from "playwright-core";
import { PNG } from "pngjs";
import { FASHION_MNIST_DIR, fashionMnistSettings, lessonWorkspace, startSession, type Session } from "./codeServer";

const EPOCHS = 3;
const FASHION_MNIST = join(FASHION_MNIST_DIR, "train-images-idx3-ubyte.gz");

let session: Session;
/** A light square on a dark background, larger than the model's input. */
function square(size: number): PNG {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const value = x > size * 0.25 && x < size * 0.75 && y > size * 0.25 && y < size * 0.75 ? 220 : 0;
      png.data.set([value, value, value, 255], (y * size + x) * 4);
    }
  }
  return png;
}

before(async () => {
  const workspace = lessonWorkspace("stop-training", ["fit-model.py"], { "square.png": PNG.sync.write(square(64)) });
  session = await startSession({
    name: "stop-training",
    workspace,
    settings: fashionMnistSettings("stop-training", { "dlLessons.trainLimit": 20_000, "dlLessons.maxEpochs": EPOCHS }),
  });
});

after(async () => {
  await session?.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** What a stopped run must look like on screen and on disk; returns its history length. */
async function assertStopped(monitor: Frame, count: number): Promise<number> {
  const { page } = session;
  const stopped = monitor.locator("section.card.state-cancelled");
  await stopped.waitFor({ timeout: 10_000 });
  // The title names the file and the dataset the run trained on.
  assert.match(await stopped.locator(".run-title").innerText(), /fit-model\.py · Fashion-MNIST — stopped$/, "the monitor says the run stopped");
  assert.equal(await monitor.locator('vscode-button[data-focus-key="stop"]').count(), 0, "no Stop button once stopped");

  // The status bar: no epoch progress or "Stopping…" left, it says the training stopped.
  await page.locator(".statusbar-item", { hasText: "Training stopped" }).waitFor({ timeout: 5_000 });
  assert.equal(await page.locator(".statusbar-item", { hasText: /Epoch \d+\/\d+|Stopping|Loading/ }).count(), 0, "the status bar no longer shows training");

  const saved = await session.finishedRun(count, 15_000);
  const run = { ...saved, history: saved.read("history.json") as { epoch: number }[] };
  assert.equal(run.status.status, "cancelled", `status.json of ${run.dir}`);
  assert.ok(run.history.length < EPOCHS, `fewer epochs than planned (${run.history.length} of ${EPOCHS})`);
  assert.match(run.status.message ?? "", new RegExp(`Cancelled after ${run.history.length} of ${EPOCHS} epochs`));
  const files = filesUnder(run.dir).map((file) => file.slice(run.dir.length + 1));
  assert.deepEqual(files.filter((file) => file.endsWith(".tmp")), [], "no half-written files");
  for (const file of ["spec.json", "history.json", "history.csv", "model/model.json", "model/weights.bin"]) assert.ok(files.includes(file), `the run keeps ${file} (has ${files.join(", ")})`);
  assert.deepEqual(run.history.map((logs) => logs.epoch), Array.from({ length: run.history.length }, (_, i) => i + 1), "the finished epochs, in order");

  // The monitor agrees with the files, and lists the run as stopped among the past runs.
  await monitor.locator("section.card.state-cancelled .muted", { hasText: `${run.history.length} of ${EPOCHS} epochs` }).waitFor({ timeout: 5_000 });
  await monitor.locator("ul.past li").first().waitFor({ timeout: 5_000 });
  const rows = await monitor.locator("ul.past li .sub").allInnerTexts();
  assert.equal(rows.length, count, `one past run per run (${JSON.stringify(rows)})`);
  const epochs = `${run.history.length} ${run.history.length === 1 ? "epoch" : "epochs"}`;
  assert.match(rows[0] ?? "", new RegExp(`· ${epochs} · .* · stopped$`), "the newest past run is marked stopped");
  return run.history.length;
}

test("a learner stops a run from the monitor and from the palette, and the run is kept as cancelled", { timeout: 150_000 }, async () => {
  assert.ok(existsSync(FASHION_MNIST), "this test needs Debian's dataset-fashion-mnist package");
  const { page } = session;
  await session.waitForLog(/Activated in/, 60_000);

  // First run: the monitor's Stop button, mid-way through epoch 1.
  await session.openFile("fit-model.py");
  const monitor = await session.openMonitor();
  await session.runCommand("Lessons: Train Model");
  await monitor.locator("section.card.state-training", { hasText: /Batch [1-9]/ }).waitFor({ timeout: 60_000 });
  await page.locator(".statusbar-item", { hasText: /Epoch 1\/3/ }).waitFor({ timeout: 10_000 });
  const clicked = Date.now();
  // A person's press lasts a while; batches keep arriving meanwhile, and the button must survive them.
  await monitor.locator('section.card.state-training vscode-button[data-focus-key="stop"]').click({ delay: 250 });
  await monitor.locator("section.card.state-cancelled").waitFor({ timeout: 5_000 });
  console.log(`Stop button to "stopped" in the monitor: ${Date.now() - clicked} ms`);
  assert.equal(await assertStopped(monitor, 1), 0, "stopped before the first epoch ended");
  // The curves panel lists the run as cancelled too.
  await session.webviewFrame("text=/cancelled/", 15_000);
  await session.shot("light-monitor-stopped");

  // Second run: Lessons: Stop Training from the palette, once epoch 1 is done (fit-model.py is still open).
  await session.runCommand("Lessons: Train Model");
  await monitor.locator("section.card.state-training", { hasText: /Epoch 2\/3/ }).waitFor({ timeout: 60_000 });
  const asked = Date.now();
  await session.runCommand("Lessons: Stop Training");
  await monitor.locator("section.card.state-cancelled").waitFor({ timeout: 5_000 });
  console.log(`Lessons: Stop Training to "stopped" in the monitor: ${Date.now() - asked} ms`);
  assert.equal(await assertStopped(monitor, 2), 1, "the finished first epoch is kept");

  // Nothing trains now: Stop Training says so.
  await session.runCommand("Lessons: Stop Training");
  await page.locator(".notifications-toasts", { hasText: "Nothing is training right now." }).waitFor({ timeout: 10_000 });
});

test("dark theme: the stopped monitor, the dataset preview and Classify Image on the stopped run's model", { timeout: 90_000 }, async () => {
  const { page } = session;
  await session.runCommand("Notifications: Clear All Notifications");
  await session.setColorTheme("Default Dark Modern");
  await session.webviewFrame("section.card.state-cancelled", 10_000);
  await session.shot("dark-monitor-stopped");

  await session.runCommand("Lessons: Show Dataset Preview");
  const preview = await session.webviewFrame("text=/Fashion-MNIST training images/", 60_000);
  await preview.locator("canvas, img").nth(24).waitFor({ timeout: 30_000 });
  await session.shot("dark-dataset-preview");

  // Classify Image… from the Explorer: the newest run (stopped after one epoch) classifies it.
  await page.locator(".activitybar .action-label[aria-label^='Explorer']").click();
  const image = page.locator(".explorer-folders-view .monaco-list-row", { hasText: "square.png" });
  await image.waitFor({ timeout: 15_000 });
  await image.click({ button: "right" });
  await page.locator(".context-view .action-label", { hasText: "Classify Image…" }).hover();
  await page.keyboard.press("Enter");
  const classified = await session.webviewFrame("article.own-image", 60_000);
  // The learner's image is added to the predictions panel as its own card, named by its file.
  assert.equal(await classified.locator("article.own-image .file-name").innerText(), "square.png");
  assert.equal(await classified.locator(".own-image .bar .pct").count(), 5, "the five most likely classes");
  await session.shot("dark-classify-image");
});
