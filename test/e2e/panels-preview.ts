/**
 * Development harness for the webviews: builds the bundles, serves each one in a plain page under
 * the same CSP as in VS Code, with a stand-in `acquireVsCodeApi` that answers like the host would
 * (snapshots from a real short training, see panels-preview-data.ts), and screenshots every panel
 * in a light and a dark theme into test-output/panels/. Exits non-zero on a CSP violation or a
 * page error.
 *
 *   node --import tsx test/e2e/panels-preview.ts
 */
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import { chromium, type Page } from "playwright-core";
import type { CellImagesRequest, CurveRun, MonitorRunState, PredictionFilter } from "../../src/protocol/panels";
import { curvesAfterEvent, curvesAfterResult } from "../../src/extension/results/curvesState";
import * as v from "valibot";
import { SetPredictionFilterCommandSchema } from "../../src/protocol/panels";
import { buildWebviewHtml, createNonce } from "../../src/extension/panels/html";
import { monitorStateAfterEvent, monitorStateAfterResult, pastRunFromResult } from "../../src/extension/training/monitorState";
import { confusionViewState } from "../../src/extension/panels/viewStates";
import { buildEpisodeViewState } from "../../src/extension/lesson/episodeView";
import type { LessonProgress } from "../../src/extension/lesson/progress";
import { createMarkdownRenderer, lessonFigurePath, loadLesson } from "../../src/lessons";
import { previewData, type PreviewData } from "./panels-preview-data";

const repository = resolve(".");
const outputFolder = join(repository, "test-output", "panels");
const lessonFolder = join(repository, "lessons", "intro-image-classification-cnn");

/** VS Code's Light Modern and Dark Modern values of the variables the panels and elements read. */
const themes = {
  light: {
    bodyClass: "vscode-light",
    vars: {
      "--vscode-font-family": 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      "--vscode-font-size": "13px",
      "--vscode-font-weight": "normal",
      "--vscode-editor-font-family": '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
      "--vscode-editor-font-size": "13px",
      "--vscode-foreground": "#3b3b3b",
      "--vscode-descriptionForeground": "#717171",
      "--vscode-editor-background": "#ffffff",
      "--vscode-editor-foreground": "#3b3b3b",
      "--vscode-sideBar-background": "#f8f8f8",
      "--vscode-sideBarSectionHeader-foreground": "#3b3b3b",
      "--vscode-panel-border": "#e5e5e5",
      "--vscode-widget-border": "#e5e5e5",
      "--vscode-editorWidget-background": "#f8f8f8",
      "--vscode-editorWidget-border": "#c8c8c8",
      "--vscode-focusBorder": "#005fb8",
      "--vscode-textLink-foreground": "#005fb8",
      "--vscode-textLink-activeForeground": "#005fb8",
      "--vscode-textCodeBlock-background": "#f3f3f3",
      "--vscode-textBlockQuote-background": "#f8f8f8",
      "--vscode-textBlockQuote-border": "#e5e5e5",
      "--vscode-button-background": "#005fb8",
      "--vscode-button-foreground": "#ffffff",
      "--vscode-button-hoverBackground": "#0258a8",
      "--vscode-button-border": "#0000001a",
      "--vscode-button-secondaryBackground": "#e5e5e5",
      "--vscode-button-secondaryForeground": "#3b3b3b",
      "--vscode-button-secondaryHoverBackground": "#cccccc",
      "--vscode-settings-checkboxBackground": "#f8f8f8",
      "--vscode-settings-checkboxBorder": "#cecece",
      "--vscode-settings-checkboxForeground": "#3b3b3b",
      "--vscode-checkbox-background": "#f8f8f8",
      "--vscode-checkbox-border": "#cecece",
      "--vscode-checkbox-foreground": "#3b3b3b",
      "--vscode-checkbox-selectBackground": "#f8f8f8",
      "--vscode-checkbox-selectBorder": "#3b3b3b",
      "--vscode-progressBar-background": "#005fb8",
      "--vscode-list-hoverBackground": "#f2f2f2",
      "--vscode-charts-blue": "#1a85ff",
      "--vscode-charts-red": "#e51400",
      "--vscode-charts-green": "#388a34",
      "--vscode-charts-yellow": "#bf8803",
      "--vscode-charts-orange": "#d18616",
      "--vscode-charts-purple": "#652d90",
      "--vscode-testing-iconPassed": "#388a34",
      "--vscode-testing-iconFailed": "#e51400",
      "--vscode-editorWarning-foreground": "#bf8803",
      "--vscode-editorInfo-foreground": "#1a85ff",
      "--vscode-editor-findMatchHighlightBackground": "#ea5c0033",
      "--vscode-badge-background": "#cccccc",
      "--vscode-badge-foreground": "#3b3b3b",
      "--vscode-icon-foreground": "#3b3b3b",
      "--vscode-toolbar-hoverBackground": "#b8b8b850",
      "--vscode-debugTokenExpression-name": "#9b46b0",
      "--vscode-debugTokenExpression-string": "#a31515",
      "--vscode-debugTokenExpression-number": "#098658",
      "--vscode-symbolIcon-functionForeground": "#652d90",
      "--vscode-symbolIcon-variableForeground": "#007acc",
    },
  },
  dark: {
    bodyClass: "vscode-dark",
    vars: {
      "--vscode-font-family": 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
      "--vscode-font-size": "13px",
      "--vscode-font-weight": "normal",
      "--vscode-editor-font-family": '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
      "--vscode-editor-font-size": "13px",
      "--vscode-foreground": "#cccccc",
      "--vscode-descriptionForeground": "#9d9d9d",
      "--vscode-editor-background": "#1f1f1f",
      "--vscode-editor-foreground": "#cccccc",
      "--vscode-sideBar-background": "#181818",
      "--vscode-sideBarSectionHeader-foreground": "#cccccc",
      "--vscode-panel-border": "#2b2b2b",
      "--vscode-widget-border": "#313131",
      "--vscode-editorWidget-background": "#202020",
      "--vscode-editorWidget-border": "#454545",
      "--vscode-focusBorder": "#0078d4",
      "--vscode-textLink-foreground": "#4daafc",
      "--vscode-textLink-activeForeground": "#4daafc",
      "--vscode-textCodeBlock-background": "#2b2b2b",
      "--vscode-textBlockQuote-background": "#2b2b2b",
      "--vscode-textBlockQuote-border": "#616161",
      "--vscode-button-background": "#0078d4",
      "--vscode-button-foreground": "#ffffff",
      "--vscode-button-hoverBackground": "#026ec1",
      "--vscode-button-border": "#ffffff12",
      "--vscode-button-secondaryBackground": "#313131",
      "--vscode-button-secondaryForeground": "#cccccc",
      "--vscode-button-secondaryHoverBackground": "#3c3c3c",
      "--vscode-settings-checkboxBackground": "#313131",
      "--vscode-settings-checkboxBorder": "#3c3c3c",
      "--vscode-settings-checkboxForeground": "#cccccc",
      "--vscode-checkbox-background": "#313131",
      "--vscode-checkbox-border": "#3c3c3c",
      "--vscode-checkbox-foreground": "#cccccc",
      "--vscode-checkbox-selectBackground": "#1f1f1f",
      "--vscode-checkbox-selectBorder": "#cccccc",
      "--vscode-progressBar-background": "#0078d4",
      "--vscode-list-hoverBackground": "#2a2d2e",
      "--vscode-charts-blue": "#3794ff",
      "--vscode-charts-red": "#f14c4c",
      "--vscode-charts-green": "#89d185",
      "--vscode-charts-yellow": "#cca700",
      "--vscode-charts-orange": "#d18616",
      "--vscode-charts-purple": "#b180d7",
      "--vscode-testing-iconPassed": "#73c991",
      "--vscode-testing-iconFailed": "#f14c4c",
      "--vscode-editorWarning-foreground": "#cca700",
      "--vscode-editorInfo-foreground": "#3794ff",
      "--vscode-editor-findMatchHighlightBackground": "#ea5c0055",
      "--vscode-badge-background": "#616161",
      "--vscode-badge-foreground": "#f8f8f8",
      "--vscode-icon-foreground": "#cccccc",
      "--vscode-toolbar-hoverBackground": "#5a5d5e50",
      "--vscode-debugTokenExpression-name": "#c586c0",
      "--vscode-debugTokenExpression-string": "#ce9178",
      "--vscode-debugTokenExpression-number": "#b5cea8",
      "--vscode-symbolIcon-functionForeground": "#b180d7",
      "--vscode-symbolIcon-variableForeground": "#75beff",
    },
  },
} as const;
type ThemeName = keyof typeof themes;

/** A stand-in for the extension host: answers each message the webview posts. */
type FakeHost = (message: unknown) => unknown[];

interface Scenario {
  name: string;
  bundle: string;
  viewport: { width: number; height: number };
  host: FakeHost;
  /** Clicks and key presses before the screenshot. */
  act?: (page: Page) => Promise<void>;
  /** The whole page (default) or only the viewport, for long pages. */
  fullPage?: boolean;
  /** A console error the scenario provokes on purpose (a malformed message); any other still fails. */
  expectedConsoleError?: RegExp;
}

/** Replies to `ready` with `snapshot()`, to anything else with `onCommand`. */
function snapshotHost(snapshot: () => unknown, onCommand: (message: { type: string }) => unknown[] = () => []): FakeHost {
  return (message) => {
    const typed = message as { type: string };
    return typed.type === "ready" ? [snapshot()] : onCommand(typed);
  };
}

function curvesRuns(data: PreviewData, liveEpochs: number | undefined): CurveRun[] {
  let runs: CurveRun[] = [];
  data.runs.forEach((run, i) => {
    const isLive = liveEpochs !== undefined && i === data.runs.length - 1;
    let epochsSeen = 0;
    for (const event of run.events) {
      if (event.kind === "epoch") epochsSeen += 1;
      if (isLive && epochsSeen > liveEpochs) break;
      runs = curvesAfterEvent(runs, event);
    }
    if (!isLive) runs = curvesAfterResult(runs, run.result);
  });
  return runs;
}

function monitorAt(data: PreviewData, fraction: number | undefined): MonitorRunState {
  const run = data.runs.at(-1)!;
  const stop = fraction === undefined ? run.events.length : Math.floor(run.events.length * fraction);
  const state = run.events.slice(0, stop).reduce<MonitorRunState>(monitorStateAfterEvent, { kind: "idle" });
  return fraction === undefined ? monitorStateAfterResult(state, run.result) : state;
}

async function episodeScenarioState(baseUrl: string): Promise<unknown> {
  const { lesson } = await loadLesson(lessonFolder);
  const index = lesson.episodes.findIndex((e) => e.challenges.length >= 3);
  const episode = lesson.episodes[index >= 0 ? index : 0]!;
  const [first, second, third] = episode.challenges;
  const progress: LessonProgress = { challenges: {} };
  if (first) progress.challenges[first.id] = { status: "correct", hintsShown: 0, lastCheck: { outcome: "correct", message: "All blanks are right. Well done!", blanks: [{ id: "optimizer", verdict: "correct", line: 4 }], checkedAt: new Date().toISOString() } };
  if (second) {
    progress.challenges[second.id] = {
      status: "wrong",
      hintsShown: 1,
      lastCheck: { outcome: "wrong", message: "1 of 2 blanks is right.", blanks: [{ id: "epochs", verdict: "correct", line: 7 }, { id: "validation", verdict: "wrong", line: 8, message: "This is the training data again; the model should be checked on data it does not learn from." }], checkedAt: new Date().toISOString() },
    };
  }
  if (third) progress.challenges[third.id] = { status: "revealed", hintsShown: 0 };
  const started = new Set([first?.id, second?.id]);
  // What EpisodePanel does with asWebviewUri, here with the test server's URLs.
  const resolveImage = (src: string): string | undefined => {
    const figure = lessonFigurePath(src);
    return figure === undefined ? undefined : `${baseUrl}/lessons/intro-image-classification-cnn/${figure}`;
  };
  const state = buildEpisodeViewState({
    lesson,
    episode,
    progress,
    renderer: createMarkdownRenderer({ resolveImage }),
    solutionCode: (challenge) => (challenge.solutionFile ? readFileSync(join(lessonFolder, challenge.solutionFile), "utf8") : undefined),
    isStarted: (challenge) => started.has(challenge.id),
  });
  return { type: "didChangeEpisode", state };
}

function scenarios(data: PreviewData, episodeSnapshot: unknown): Scenario[] {
  const editor = { width: 1100, height: 820 };
  const sidebar = { width: 330, height: 820 };
  const pastRuns = data.runs.slice(0, -1).map((run) => pastRunFromResult(run.result, run.label, new Date(run.startedAt))).reverse();
  const byIndex = new Map(data.testImages.map((t, i) => [i, t]));
  let filter: PredictionFilter = "all";
  let sampleOffset = 0;
  const predictionsSnapshot = (): unknown => ({
    type: "didChangePredictions",
    state: { runLabel: data.runs[0]!.label, classNames: data.classNames, filter, items: data.evaluation.predictions.map((p) => ({ ...p, image: byIndex.get(p.index)!.image })) },
  });
  return [
    { name: "episode", bundle: "episode", viewport: { width: 1000, height: 1000 }, host: snapshotHost(() => episodeSnapshot), fullPage: false },
    {
      name: "episode-challenges",
      bundle: "episode",
      viewport: { width: 1000, height: 1000 },
      host: snapshotHost(() => episodeSnapshot),
      fullPage: false,
      act: async (page) => {
        await page.locator(".box.challenge").nth(1).scrollIntoViewIfNeeded();
        await page.evaluate(() => window.scrollBy(0, -60));
      },
    },
    { name: "summary", bundle: "summary", viewport: editor, host: snapshotHost(() => ({ type: "didChangeSummary", summary: data.summary, source: "create_model_intro() · the lesson's intro model on 32×32×3 images" })) },
    { name: "curves", bundle: "curves", viewport: editor, host: snapshotHost(() => ({ type: "didChangeCurves", runs: curvesRuns(data, undefined) })) },
    { name: "curves-live", bundle: "curves", viewport: editor, host: snapshotHost(() => ({ type: "didChangeCurves", runs: curvesRuns(data, 2) })) },
    { name: "curves-empty", bundle: "curves", viewport: editor, host: snapshotHost(() => ({ type: "didChangeCurves", runs: [] })) },
    {
      name: "confusion",
      bundle: "confusion",
      viewport: { width: 1100, height: 1000 },
      host: snapshotHost(
        () => ({ type: "didChangeConfusion", state: confusionViewState(data.evaluation, data.runs[0]!.label) }),
        (message) => {
          const request = message as CellImagesRequest;
          const matching = data.testImages.filter((t) => t.trueLabel === request.trueLabel && t.predictedLabel === request.predictedLabel);
          return [{ type: "cellImagesResponse", requestId: request.requestId, trueLabel: request.trueLabel, predictedLabel: request.predictedLabel, images: matching.slice(0, 48).map((t) => t.image), total: matching.length }];
        },
      ),
      act: async (page) => {
        await page.locator(".side li button").first().click();
        await page.locator(".images canvas").first().waitFor();
      },
    },
    {
      // A host answer that fails the webview's schema (an image whose pixels do not match its size)
      // is not drawn: the panel says so above the matrix it still shows.
      name: "confusion-malformed",
      bundle: "confusion",
      viewport: { width: 1100, height: 1000 },
      expectedConsoleError: /ignored a "cellImagesResponse" message it cannot show/,
      host: snapshotHost(
        () => ({ type: "didChangeConfusion", state: confusionViewState(data.evaluation, data.runs[0]!.label) }),
        (message) => {
          const request = message as CellImagesRequest;
          return [{ type: "cellImagesResponse", requestId: request.requestId, trueLabel: request.trueLabel, predictedLabel: request.predictedLabel, images: [{ width: 28, height: 28, channels: 1, pixelsBase64: "AAAA" }], total: 1 }];
        },
      ),
      act: async (page) => {
        await page.locator(".side li button").first().click();
        await page.getByRole("alert").getByText("This panel received data it cannot show").waitFor();
        await page.locator("table.matrix").waitFor();
      },
    },
    {
      name: "predictions",
      bundle: "predictions",
      viewport: editor,
      host: snapshotHost(predictionsSnapshot, (message) => {
        if (v.is(SetPredictionFilterCommandSchema, message)) filter = message.filter;
        return [predictionsSnapshot()];
      }),
    },
    {
      name: "predictions-wrong",
      bundle: "predictions",
      viewport: editor,
      host: snapshotHost(predictionsSnapshot, (message) => {
        if (v.is(SetPredictionFilterCommandSchema, message)) filter = message.filter;
        return [predictionsSnapshot()];
      }),
      act: async (page) => {
        await page.getByText(/^Wrong only/).click();
        await page.waitForFunction(() => document.querySelectorAll("article.prediction:not(.wrong)").length === 0);
      },
    },
    {
      name: "dataset",
      bundle: "dataset",
      viewport: { width: 800, height: 900 },
      host: snapshotHost(
        () => ({ type: "didChangeDatasetPreview", state: { title: data.datasetTitle, classNames: data.classNames, loading: false, samples: data.trainSamples.slice(sampleOffset, sampleOffset + 25) } }),
        () => {
          sampleOffset = (sampleOffset + 25) % 50;
          return [{ type: "didChangeDatasetPreview", state: { title: data.datasetTitle, classNames: data.classNames, loading: false, samples: data.trainSamples.slice(sampleOffset, sampleOffset + 25) } }];
        },
      ),
    },
    { name: "monitor-training", bundle: "monitor", viewport: sidebar, host: snapshotHost(() => ({ type: "didChangeMonitor", current: monitorAt(data, 0.6), pastRuns })) },
    { name: "monitor-done", bundle: "monitor", viewport: sidebar, host: snapshotHost(() => ({ type: "didChangeMonitor", current: monitorAt(data, undefined), pastRuns })) },
    { name: "monitor-idle", bundle: "monitor", viewport: sidebar, host: snapshotHost(() => ({ type: "didChangeMonitor", current: { kind: "idle" }, pastRuns: [] })) },
  ];
}

const contentTypes: Record<string, string> = { ".js": "text/javascript", ".css": "text/css", ".ttf": "font/ttf", ".svg": "image/svg+xml", ".png": "image/png" };

/** Serves dist/ and lessons/ (what localResourceRoots allows in VS Code) and one page per scenario. */
function serve(pages: Map<string, string>): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    if (path === "/favicon.ico") {
      response.writeHead(204).end();
      return;
    }
    const page = pages.get(path);
    if (page !== undefined) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
      return;
    }
    const file = normalize(join(repository, path));
    const inside = ["dist", "lessons"].some((folder) => !relative(join(repository, folder), file).startsWith(".."));
    if (!inside || !file.startsWith(repository + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": contentTypes[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(response);
  });
  return new Promise((ready) => server.listen(0, "127.0.0.1", () => ready(server)));
}

/** The page VS Code would build, plus the stand-in API (nonce'd, so the CSP lets it run). */
function pageHtml(baseUrl: string, bundle: string, theme: ThemeName): string {
  const nonce = createNonce();
  const html = buildWebviewHtml({ title: bundle, cspSource: baseUrl, nonce, scriptUri: `${baseUrl}/dist/webview/${bundle}.js`, codiconsUri: `${baseUrl}/dist/codicons/codicon.css` });
  const { bodyClass, vars } = themes[theme];
  const fakeApi = `<script nonce="${nonce}">
document.body.className = ${JSON.stringify(bodyClass)};
for (const [name, value] of Object.entries(${JSON.stringify(vars)})) document.documentElement.style.setProperty(name, value);
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
let state;
window.acquireVsCodeApi = () => ({
  postMessage: (message) => window.__host(message).then((replies) => replies.forEach((reply) => window.postMessage(reply, "*"))),
  getState: () => state,
  setState: (next) => { state = next; },
});
</script>\n`;
  return html.replace(`<script nonce="${nonce}" src=`, `${fakeApi}<script nonce="${nonce}" src=`);
}

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, ["esbuild.mjs"], { stdio: "inherit" });
  if (build.status !== 0) throw new Error("The build failed.");
  mkdirSync(outputFolder, { recursive: true });
  const data = await previewData(outputFolder);

  const pages = new Map<string, string>();
  const server = await serve(pages);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const all = scenarios(data, await episodeScenarioState(baseUrl));
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const problems: string[] = [];
  try {
    for (const scenario of all) {
      for (const theme of Object.keys(themes) as ThemeName[]) {
        const path = `/${scenario.name}-${theme}.html`;
        pages.set(path, pageHtml(baseUrl, scenario.bundle, theme));
        const page = await browser.newPage({ viewport: scenario.viewport });
        page.on("pageerror", (error) => problems.push(`${scenario.name}/${theme}: ${error.message}`));
        page.on("console", (message) => {
          if (message.type() === "error" && !scenario.expectedConsoleError?.test(message.text())) problems.push(`${scenario.name}/${theme}: console: ${message.text()}`);
        });
        await page.exposeFunction("__host", (message: unknown) => scenario.host(message));
        await page.goto(`${baseUrl}${path}`);
        try {
          await page.waitForFunction(() => document.getElementById("root")?.getAttribute("aria-busy") !== "true", undefined, { timeout: 10_000 });
          await scenario.act?.(page);
        } catch (error) {
          problems.push(`${scenario.name}/${theme}: ${String(error).split("\n")[0]}`);
        }
        // Let charts and custom elements finish their first paint.
        await page.waitForTimeout(300);
        const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
        problems.push(...violations.map((v) => `${scenario.name}/${theme}: CSP blocked ${v}`));
        const file = join(outputFolder, `${scenario.name}-${theme}.png`);
        await page.screenshot({ path: file, fullPage: scenario.fullPage ?? true });
        console.log(`screenshot ${relative(repository, file)}`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
