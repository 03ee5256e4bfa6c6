/**
 * A learner in an offline workshop, in real VS Code (code-server + Chromium): CIFAR-10, the
 * lesson's dataset, is not on the laptop, but Fashion-MNIST is (Debian's dataset-fashion-mnist
 * package). No setting names a dataset: the Training Monitor and a dialog offer the choice, the
 * learner takes Fashion-MNIST, and the run names it in the monitor, the curves, the summary and the
 * confusion matrix. The summary is of the model as trained (28×28×1 input), asked for with the
 * curves panel focused; the result panels are tabs of one editor group; a confusion-matrix cell
 * shows as many images as its count, up to a page. Then the dropout-rate sweep of episode 5: five
 * runs, "run k of n" in the monitor, a colour per run and the comparison chart. Screenshots, at 1366×768, in the light and the
 * dark theme, are kept in test-output/offline-workshop/.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { planTraining } from "../../src/extension/training/trainingPlan";
import { introModel, lessonCompile, lessonFit } from "../../src/training/models";
import { summarizeModel } from "../../src/training/summary";
import { FASHION_MNIST_DIR, lessonWorkspace, OUTPUT_ROOT, startSession, type Session } from "./codeServer";

const TRAIN_LIMIT = 3_000;
const FASHION_MNIST = join(FASHION_MNIST_DIR, "train-images-idx3-ubyte.gz");

let session: Session;

before(async () => {
  const workspace = lessonWorkspace("offline-workshop", ["fit-model.py", "tune-dropout-rate.py"]);
  const data = join(OUTPUT_ROOT, "offline-workshop-data");
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  session = await startSession({
    name: "offline-workshop",
    workspace,
    settings: {
      "dlLessons.trainLimit": TRAIN_LIMIT,
      "dlLessons.maxEpochs": 1,
      "dlLessons.backend": "wasm",
      "dlLessons.dataDirectory": data,
    },
  });
  // The smallest screen a workshop laptop has.
  await session.page.setViewportSize({ width: 1366, height: 768 });
});

after(async () => {
  await session?.close();
});

/** The tab titles of each editor group, left to right. */
async function editorGroups(): Promise<string[][]> {
  return session.page.locator(".editor-group-container").evaluateAll((groups) =>
    groups.map((group) => Array.from(group.querySelectorAll(".tab .label-name")).map((label) => label.textContent?.trim() ?? "")),
  );
}

test("without CIFAR-10, the learner trains on Fashion-MNIST and every result says so", { timeout: 420_000 }, async () => {
  assert.ok(existsSync(FASHION_MNIST), "this test needs Debian's dataset-fashion-mnist package");
  const { page } = session;
  await session.waitForLog(/Activated in/, 60_000);

  // Before any Train, the monitor already says what is missing and what is here.
  // (The activity bar's icon would close the side bar if the monitor already showed.)
  const monitor = (await session.findWebviewFrame("text=/Current run/i", 5_000)) ?? (await session.openMonitor());
  await monitor.locator("section.dataset.choice", { hasText: "CIFAR-10 is not on this computer" }).waitFor({ timeout: 30_000 });
  await monitor.locator("section.dataset.choice", { hasText: "Fashion-MNIST is on this computer" }).waitFor();
  await monitor.locator("vscode-button", { hasText: "Train on Fashion-MNIST" }).waitFor();
  await monitor.locator("vscode-button", { hasText: "Download CIFAR-10" }).waitFor();
  await monitor.locator("vscode-button", { hasText: "Import File…" }).waitFor();
  await session.shot("light-monitor-dataset-choice");

  // Train asks once, in a dialog that stays until answered.
  await session.openFile("fit-model.py");
  await session.runCommand("Lessons: Train Model");
  const dialog = page.locator(".monaco-dialog-box");
  await dialog.waitFor({ timeout: 30_000 });
  assert.match(await dialog.innerText(), /CIFAR-10, the lesson's dataset, is not on this computer/);
  assert.match(await dialog.innerText(), /Fashion-MNIST is on this computer/);
  await session.shot("light-dataset-dialog");
  await dialog.locator(".monaco-button", { hasText: "Train on Fashion-MNIST" }).click();

  // The monitor names the dataset of the run and the reason for it.
  await monitor.locator("section.card.state-training", { hasText: "Fashion-MNIST" }).waitFor({ timeout: 120_000 });
  await monitor.locator("section.dataset", { hasText: "Dataset: Fashion-MNIST" }).waitFor({ timeout: 10_000 });
  assert.match(await monitor.locator("section.dataset").innerText(), /you chose Fashion-MNIST for this workspace/);
  await session.shot("light-monitor-training");
  await monitor.locator("section.card.state-done", { hasText: "Fashion-MNIST" }).waitFor({ timeout: 300_000 });
  await session.waitForLog(/Test accuracy/, 60_000);

  // The curves' legend names the dataset too.
  const curves = await session.webviewFrame("[data-meta-for]", 30_000);
  await curves.locator('.runs vscode-checkbox[label*="Fashion-MNIST"]').first().waitFor({ timeout: 30_000 });

  // With the curves panel in front, Show Model Summary is about the run just trained, as trained.
  await page.locator(".tab", { hasText: "Training Curves" }).click();
  await session.runCommand("Lessons: Show Model Summary");
  const summary = await session.webviewFrame("text=/Total params:/", 30_000);
  const asTrained = summarizeModel(planTraining("intro", introModel([32, 32, 3]), lessonCompile(), lessonFit(1), "cifar10", { dataset: "fashion-mnist", trainLimit: 0, maxEpochs: 0 }).model);
  const summaryText = await session.waitForText(summary, "As trained");
  assert.match(summaryText, /Trained on Fashion-MNIST \(28×28×1 images\)/);
  assert.match(summaryText, /input layer takes that shape \(you chose Fashion-MNIST for this workspace/);
  await session.waitForText(summary, asTrained.totalParams.toLocaleString("en-US"));
  assert.ok(!summaryText.includes("79,530"), "not the 32×32×3 model of the file");
  await session.shot("light-summary-as-trained");

  // The confusion matrix names the dataset; a cell shows as many images as its count, up to a page.
  await session.runCommand("Lessons: Show Confusion Matrix");
  const confusion = await session.webviewFrame("text=/Confusion matrix/", 120_000);
  await session.waitForText(confusion, "Fashion-MNIST test images");
  const counts = await confusion.locator("button.cell").evaluateAll((cells) => cells.map((cell) => ({ row: Number(cell.getAttribute("data-row")), column: Number(cell.getAttribute("data-column")), count: Number(cell.textContent?.replace(/,/g, "")) })));
  const small = counts.filter((c) => c.row !== c.column && c.count > 1 && c.count <= 48).sort((a, b) => b.count - a.count)[0];
  const large = counts.filter((c) => c.count > 48).sort((a, b) => b.count - a.count)[0];
  for (const cell of [small, large]) {
    if (!cell) continue;
    await confusion.locator(`button.cell[data-row="${cell.row}"][data-column="${cell.column}"]`).click();
    const note = confusion.locator(`.detail [data-cell-total="${cell.count}"]`);
    await note.waitFor({ timeout: 30_000 });
    await confusion.locator(".detail .images canvas").nth(Math.min(cell.count, 48) - 1).waitFor({ timeout: 30_000 });
    assert.equal(await confusion.locator(".detail .images canvas").count(), Math.min(cell.count, 48), `cell ${cell.row},${cell.column} of ${cell.count} images`);
    assert.match(await confusion.locator(".detail .images figcaption").first().innerText(), /\d+(\.\d)?\s?%/, "each image has its probability");
    if (cell.count > 48) {
      await confusion.locator(".detail .page-button", { hasText: "Next" }).click();
      await confusion.locator(`.detail [data-cell-shown="${Math.min(48, cell.count - 48)}"]`).waitFor({ timeout: 30_000 });
      assert.match(await confusion.locator(".detail").innerText(), new RegExp(`Test images 49–${Math.min(96, cell.count)} of ${cell.count}`));
    }
  }
  assert.ok(small ?? large, "some cell has images");
  await confusion.locator(".detail").scrollIntoViewIfNeeded();
  await session.shot("light-confusion-drill-down");

  // The result panels are tabs of one group beside the code, not a column each.
  const groups = await editorGroups();
  const resultGroups = groups.filter((tabs) => tabs.some((title) => ["Training Curves", "Model Summary", "Confusion Matrix"].includes(title)));
  assert.equal(resultGroups.length, 1, `one group holds the results: ${JSON.stringify(groups)}`);
  assert.ok(["Training Curves", "Model Summary", "Confusion Matrix"].every((title) => resultGroups[0]?.includes(title)), JSON.stringify(groups));
  assert.ok(groups.length <= 2, `the code and the results, two columns: ${JSON.stringify(groups)}`);

  await session.setColorTheme("Default Dark Modern");
  for (const [tab, shows, name] of [["Confusion Matrix", "button.cell", "confusion"], ["Model Summary", "text=/Total params/", "summary"], ["Training Curves", "[data-meta-for]", "curves"]] as const) {
    await page.locator(".tab", { hasText: tab }).click();
    // A hidden webview is rebuilt when it comes back: wait for its content.
    await session.webviewFrame(shows, 30_000);
    await page.waitForTimeout(800);
    await session.shot(`dark-${name}`);
  }
  await session.shot("dark-monitor-and-code");
});

test("the dropout-rate sweep says which run it is on, gives each run its colour, and compares them", { timeout: 480_000 }, async () => {
  const { page } = session;
  await session.setColorTheme("Default Light Modern");
  const monitor = await session.webviewFrame("text=/Current run/i", 30_000);
  // The file opens beside the other one, in the code's group, not among the results.
  await page.locator(".tab", { hasText: "fit-model.py" }).click();
  await session.openFile("tune-dropout-rate.py");
  // From the keyboard: a mouse click on the palette's row would land on the quick pick that replaces it, and pick a single run.
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.fill(">Lessons: Train Model");
  await page.locator(".quick-input-list .monaco-list-row.focused", { hasText: "Train Model" }).waitFor({ timeout: 10_000 });
  await input.press("Enter");
  // The file trains five models in a loop: all of them, one after another. The workspace's dataset choice holds, so no dialog.
  await page.locator('.quick-input-widget input[placeholder*="trains several models"]').waitFor({ timeout: 30_000 });
  await page.locator(".quick-input-list .monaco-list-row.focused", { hasText: "All 5, one after another" }).waitFor({ timeout: 10_000 });
  await input.press("Enter");
  await monitor.locator('.sweep-line[data-sweep-run="1"][data-sweep-runs="5"]').waitFor({ timeout: 120_000 });
  await monitor.locator('.sweep-line[data-sweep-run="2"]', { hasText: /Run 2 of 5 · (about .* left for the whole sweep|estimating)/ }).waitFor({ timeout: 240_000 });
  await session.shot("light-monitor-sweep");

  const curves = await session.webviewFrame("[data-meta-for]", 30_000);
  await curves.locator('.comparison[data-comparison-rows="5"]').waitFor({ timeout: 420_000 });
  const comparison = await curves.locator(".comparison").innerText();
  assert.match(comparison, /Final validation loss and accuracy by Dropout rate/);
  for (const rate of ["0.15", "0.3", "0.45", "0.6", "0.75"]) assert.ok(comparison.includes(rate), `the table has rate ${rate}`);
  assert.match(comparison, /Lowest validation loss: Dropout rate 0\.\d+/);
  // Only the sweep's five runs are on the chart, each in its own colour.
  const colours = await curves.locator(".runs li").evaluateAll((rows) =>
    rows.filter((row) => row.querySelector("vscode-checkbox")?.hasAttribute("checked")).map((row) => (row.querySelector(".swatch") as HTMLElement | null)?.style.background ?? ""),
  );
  assert.equal(colours.length, 5, `five runs shown: ${JSON.stringify(colours)}`);
  assert.equal(new Set(colours).size, 5, `five colours: ${JSON.stringify(colours)}`);
  await curves.locator(".comparison").scrollIntoViewIfNeeded();
  await session.shot("light-sweep-comparison");
  await session.setColorTheme("Default Dark Modern");
  const dark = await session.webviewFrame(".comparison", 30_000);
  await dark.locator(".comparison").scrollIntoViewIfNeeded();
  await page.waitForTimeout(800);
  await session.shot("dark-sweep-comparison");
});
