/**
 * Real VS Code for the end-to-end tests: code-server (VS Code served to a browser) with the built
 * .vsix installed, driven in Debian's Chromium through playwright-core. Each session gets its own
 * user-data and extensions folders under test-output/, so runs never share state.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Frame, type Page } from "playwright-core";

export const REPO_ROOT = resolve(__dirname, "..", "..");
export const OUTPUT_ROOT = join(REPO_ROOT, "test-output");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const LESSON = "intro-image-classification-cnn";
/** Real Fashion-MNIST, from Debian's dataset-fashion-mnist package: what the offline tests train on. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/**
 * A fresh workspace folder under test-output/workspaces/: the lesson's solution files named (as if
 * the learner had solved those challenges) in its challenge folder, and any other files at its root.
 */
export function lessonWorkspace(name: string, solutions: readonly string[], files: Readonly<Record<string, Uint8Array | string>> = {}): string {
  const workspace = join(OUTPUT_ROOT, "workspaces", name);
  rmSync(workspace, { recursive: true, force: true });
  const challenges = join(workspace, "dl-lessons", LESSON);
  mkdirSync(challenges, { recursive: true });
  for (const file of solutions) copyFileSync(join(REPO_ROOT, "lessons", LESSON, "solutions", file), join(challenges, file));
  for (const [file, content] of Object.entries(files)) writeFileSync(join(workspace, file), content);
  return workspace;
}

/**
 * The settings of a workshop without internet: training on Fashion-MNIST (CIFAR-10 cannot be
 * downloaded here), on wasm, with an empty data folder of the session's own (it keeps what one
 * run leaves for the next, such as auto's GPU measurement); `settings` add to them.
 */
export function fashionMnistSettings(name: string, settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const data = join(OUTPUT_ROOT, `${name}-data`);
  rmSync(data, { recursive: true, force: true });
  return {
    "dlLessons.trainDataset": "fashion-mnist",
    "dlLessons.backend": "wasm",
    "dlLessons.dataDirectory": data,
    ...settings,
  };
}

/** A run folder the extension saved, once its status.json no longer says "running". */
export interface SavedRun {
  dir: string;
  status: { status: string; message?: string };
  /** A JSON file of the run, parsed. */
  read(file: string): unknown;
}

/** Installs code-server with the project's script (idempotent) and returns its entry script. */
export function codeServerEntry(): string {
  const result = spawnSync("bash", [join(REPO_ROOT, "scripts", "install-code-server.sh")], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`installing code-server failed:\n${result.stderr}`);
  const entry = result.stdout.trim().split("\n").pop() ?? "";
  if (!existsSync(entry)) throw new Error(`code-server entry script not found at '${entry}'`);
  return entry;
}

/** The .vsix that `npm run package` produced. */
export function builtVsix(): string {
  const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { name: string; version: string };
  const vsix = join(REPO_ROOT, `${name}-${version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first.`);
  return vsix;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface SessionOptions {
  /** Folder name under test-output/ for this session's state, logs and screenshots. */
  name: string;
  /** The workspace folder code-server opens. */
  workspace: string;
  colorTheme?: "Default Light Modern" | "Default Dark Modern";
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Chromium switches in place of the default `--disable-gpu` (GPU training starts WebGL/WebGPU in software). */
  gpuArgs?: string[];
}

export interface Session {
  page: Page;
  outputDir: string;
  userDataDir: string;
  /** Saves a screenshot into the session's output folder and returns its path. */
  screenshot(name: string): Promise<string>;
  /** A screenshot the test keeps: saved, printed, and listed again when the session closes. */
  shot(name: string): Promise<void>;
  /** Runs a command from the palette by its title, e.g. "Lessons: Open Lesson". */
  runCommand(title: string): Promise<void>;
  /** Runs a command kept out of the palette (`"when": "false"`) by the keybinding this session gives it. */
  runHiddenCommand(id: keyof typeof HIDDEN_COMMAND_KEYS): Promise<void>;
  /** Opens a workspace file by name through Quick Open, with the mouse (see runCommand). */
  openFile(name: string): Promise<void>;
  /** What the window shows now (tabs, notifications, webview texts, the log's end, a screenshot), for a failure message. */
  describeWindow(reason: string): Promise<string>;
  /** Text of the extension's own log (the "Deep Learning Lessons" output channel). */
  extensionLog(): string;
  /**
   * The webview whose page holds `selector` (webviews are nested iframes: VS Code's outer frame,
   * then the extension's page). Waits until one does.
   */
  webviewFrame(selector: string, timeoutMs?: number): Promise<Frame>;
  /** As webviewFrame, but undefined where none shows `selector` in time (a wait that may well end so). */
  findWebviewFrame(selector: string, timeoutMs: number): Promise<Frame | undefined>;
  /** Lessons: Next Episode until the episode panel shows episode `number`; returns its webview. */
  nextEpisode(number: number): Promise<Frame>;
  /** Switches the colour theme the way a learner does, with Preferences: Color Theme. */
  setColorTheme(theme: NonNullable<SessionOptions["colorTheme"]>): Promise<void>;
  /** Waits for a line of the extension's log matching `pattern` and returns the match. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Waits until the webview's text holds `text` (numbers are checked as the learner reads them); returns that text. */
  waitForText(frame: Frame, text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Opens the Training Monitor from the activity bar, as a learner does, and returns its webview. */
  openMonitor(): Promise<Frame>;
  /** The folder the extension saves its runs in. */
  runsFolder(): string;
  /** The newest of `count` saved runs, once it finished (completed, cancelled or failed). */
  finishedRun(count: number, timeoutMs: number): Promise<SavedRun>;
  /** Keeps a last screenshot, closes the browser and code-server, and lists the screenshots kept. */
  close(): Promise<void>;
}

/**
 * Developer commands hidden from the palette, bound to keys in the session's user keybindings so
 * a test can still run them (a learner's VS Code has no such binding).
 */
const HIDDEN_COMMAND_KEYS = {
  "dlLessons.measureResponsiveness": { vscode: "ctrl+shift+alt+f9", playwright: "Control+Shift+Alt+F9" },
} as const;

/** Starts code-server with the built extension installed and opens the workspace in Chromium. */
export async function startSession(options: SessionOptions): Promise<Session> {
  const entry = codeServerEntry();
  const outputDir = join(OUTPUT_ROOT, options.name);
  rmSync(outputDir, { recursive: true, force: true });
  const userDataDir = join(outputDir, "user-data");
  const extensionsDir = join(outputDir, "extensions");
  mkdirSync(join(userDataDir, "User"), { recursive: true });
  writeFileSync(
    join(userDataDir, "User", "settings.json"),
    JSON.stringify(
      {
        "workbench.colorTheme": options.colorTheme ?? "Default Light Modern",
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "security.workspace.trust.enabled": false,
        "extensions.autoCheckUpdates": false,
        "extensions.autoUpdate": false,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "window.restoreWindows": "none",
        "git.enabled": false,
        "git.openRepositoryInParentFolders": "never",
        ...options.settings,
      },
      null,
      2,
    ),
  );

  writeFileSync(
    join(userDataDir, "User", "keybindings.json"),
    JSON.stringify(Object.entries(HIDDEN_COMMAND_KEYS).map(([command, keys]) => ({ key: keys.vscode, command })), null, 2),
  );

  const install = spawnSync(process.execPath, [entry, "--user-data-dir", userDataDir, "--extensions-dir", extensionsDir, "--install-extension", builtVsix()], {
    encoding: "utf8",
  });
  if (install.status !== 0) throw new Error(`installing the .vsix into code-server failed:\n${install.stdout}\n${install.stderr}`);

  const port = await freePort();
  const server: ChildProcess = spawn(
    process.execPath,
    [entry, "--auth", "none", "--bind-addr", `127.0.0.1:${port}`, "--user-data-dir", userDataDir, "--extensions-dir", extensionsDir,
      "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", options.workspace],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CS_DISABLE_GETTING_STARTED_OVERRIDE: "1" } },
  );
  let serverLog = "";
  server.stdout?.on("data", (chunk: Buffer) => (serverLog += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (serverLog += chunk.toString()));
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, () => serverLog);

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", ...(options.gpuArgs ?? ["--disable-gpu"]), "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 90_000 });
  // The status bar appears once the workbench has restored its parts.
  await page.locator(".statusbar").waitFor({ timeout: 90_000 });

  const shots: string[] = [];
  const session: Session = {
    page,
    outputDir,
    userDataDir,
    async screenshot(name) {
      const path = join(outputDir, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async shot(name) {
      const path = await session.screenshot(name);
      shots.push(path);
      console.log(`screenshot: ${path}`);
    },
    async runCommand(title) {
      const input = page.locator(".quick-input-widget input");
      const label = title.split(": ").pop() ?? title;
      const wanted = new RegExp(`(^|: )${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
      // Resolved when clicked, not from an earlier look at the list: the list filters asynchronously,
      // and a row index read a moment before can point at another command by the time of the click.
      const row = page.locator(".quick-input-list .monaco-list-row", { has: page.locator(".label-name", { hasText: wanted }) }).first();
      // Keys pressed while a webview has focus reach the workbench late, and a webview that takes
      // focus as it loads closes the palette: the palette is opened with the mouse, from the title
      // bar's command center, the command's row is clicked, and all of it is done again when
      // something closed the palette on the way.
      for (let attempt = 1; ; attempt++) {
        try {
          if (await input.isVisible()) await input.press("Escape");
          await page.locator(".command-center .command-center-center").first().click();
          await input.fill(`>${title}`, { timeout: 5_000 });
          await row.click({ timeout: 10_000 });
          return;
        } catch (error) {
          if (attempt === 4) throw error;
          await page.waitForTimeout(500);
        }
      }
    },
    async runHiddenCommand(id) {
      // Keys pressed while a webview has focus reach the workbench late (see runCommand): the
      // palette is opened with the mouse first, so the key is pressed in the workbench's own input.
      const input = page.locator(".quick-input-widget input");
      if (!(await input.isVisible())) await page.locator(".command-center .command-center-center").first().click();
      await input.waitFor({ timeout: 5_000 });
      await input.press(HIDDEN_COMMAND_KEYS[id].playwright);
      if (await input.isVisible()) await input.press("Escape");
    },
    async openFile(name) {
      const input = page.locator(".quick-input-widget input");
      const row = page.locator(".quick-input-list .monaco-list-row", { has: page.locator(".label-name", { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }) }).first();
      // Quick Open can take the click while its list still shows the previous results (the pick
      // then opens nothing): the learner would simply try again, and so does the test.
      for (let attempt = 1; ; attempt++) {
        if (await input.isVisible()) await input.press("Escape");
        await page.locator(".command-center .command-center-center").first().click();
        await input.fill(name);
        await row.click();
        try {
          await page.locator(".tab.active", { hasText: name }).waitFor({ timeout: 10_000 });
          return;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    },
    async describeWindow(reason) {
      const shot = await session.screenshot(`failed-${reason}-${Date.now()}`).catch(() => "(no screenshot)");
      const notifications = await page.locator(".notifications-toasts .notification-toast").allInnerTexts().catch(() => []);
      const tabs = await page.locator(".tab").allInnerTexts().catch(() => []);
      const webviews: string[] = [];
      for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        const text = await frame.locator("body").innerText({ timeout: 1_000 }).catch(() => "");
        if (text.trim()) webviews.push(text.trim().replace(/\s+/g, " ").slice(0, 200));
      }
      return [
        `screenshot: ${shot}`,
        `tabs: ${JSON.stringify(tabs.map((tab) => tab.trim()))}`,
        `notifications: ${JSON.stringify(notifications)}`,
        `webviews: ${JSON.stringify(webviews)}`,
        `the extension's log ends with:\n${session.extensionLog().slice(-2000)}`,
      ].join("\n");
    },
    extensionLog() {
      return findFiles(join(userDataDir, "logs"), (file) => file.endsWith("Deep Learning Lessons.log"))
        .map((file) => readFileSync(file, "utf8"))
        .join("\n");
    },
    async findWebviewFrame(selector, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        for (const frame of page.frames()) {
          if (frame === page.mainFrame()) continue;
          if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
        }
        await page.waitForTimeout(250);
      }
      return undefined;
    },
    async webviewFrame(selector, timeoutMs = 30_000) {
      const frame = await session.findWebviewFrame(selector, timeoutMs);
      if (frame) return frame;
      throw new Error(`no webview shows '${selector}' within ${timeoutMs / 1000} s\n${await session.describeWindow("no-webview")}`);
    },
    async nextEpisode(number) {
      // A palette pick that a loading webview swallowed is tried again: these tests are about the
      // extension, not about that race.
      for (let attempt = 0; attempt < 3; attempt++) {
        await session.runCommand("Lessons: Next Episode");
        const shown = await session.findWebviewFrame(`text=/Episode ${number} of 6/`, 8_000);
        if (shown) return shown;
      }
      throw new Error(`Next Episode never reached episode ${number}\n${await session.describeWindow("next-episode")}`);
    },
    async setColorTheme(theme) {
      await session.runCommand("Preferences: Color Theme");
      const input = page.locator(".quick-input-widget input");
      // The picker lists the themes without the "Default" of their setting value.
      const label = theme.replace(/^Default /, "");
      await input.fill(label);
      await page.locator(".quick-input-list .monaco-list-row", { hasText: label }).first().waitFor({ timeout: 10_000 });
      await input.press("Enter");
      const dark = theme.includes("Dark");
      await page.waitForFunction((wantDark) => document.querySelector(".monaco-workbench")?.classList.contains(wantDark ? "vs-dark" : "vs") ?? false, dark, { timeout: 30_000 });
    },
    async waitForLog(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = session.extensionLog().match(pattern);
        if (match) return match;
        await page.waitForTimeout(250);
      }
      throw new Error(`the extension's log has no line matching ${pattern} within ${timeoutMs / 1000} s:\n${session.extensionLog().slice(-3000)}`);
    },
    async waitForText(frame, text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let seen = "";
      while (Date.now() < deadline) {
        seen = await frame.locator("body").innerText().catch(() => "");
        if (typeof text === "string" ? seen.includes(text) : text.test(seen)) return seen;
        await page.waitForTimeout(250);
      }
      throw new Error(`the webview never showed ${typeof text === "string" ? `"${text}"` : String(text)}; it shows:\n${seen.slice(0, 1500)}`);
    },
    async openMonitor() {
      await page.locator(".activitybar .action-label[aria-label^='Deep Learning Lessons']").click();
      return session.webviewFrame("text=/Current run/i", 30_000);
    },
    runsFolder() {
      return join(userDataDir, "User", "globalStorage", "dl-lessons.dl-lessons", "runs");
    },
    async finishedRun(count, timeoutMs) {
      const runs = session.runsFolder();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const dirs = existsSync(runs) ? readdirSync(runs).sort() : [];
        const newest = dirs.length === count ? dirs.at(-1) : undefined;
        if (newest) {
          const dir = join(runs, newest);
          const read = (file: string): unknown => JSON.parse(readFileSync(join(dir, file), "utf8"));
          const status = existsSync(join(dir, "status.json")) ? (read("status.json") as SavedRun["status"]) : undefined;
          if (status && status.status !== "running") return { dir, status, read };
        }
        if (Date.now() > deadline) throw new Error(`no finished run number ${count} under ${runs} (folders: ${dirs.join(", ")}):\n${session.extensionLog().slice(-3000)}`);
        await page.waitForTimeout(250);
      }
    },
    async close() {
      await session.screenshot("last-state").catch(() => undefined);
      if (shots.length > 0) console.log(`screenshots (${shots.length}):\n${shots.join("\n")}`);
      await browser.close().catch(() => undefined);
      server.kill("SIGTERM");
      await new Promise((resolveExit) => {
        if (server.exitCode !== null) resolveExit(undefined);
        else server.once("exit", resolveExit);
      });
    },
  };
  return session;
}

async function waitForHttp(url: string, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs / 1000} s:\n${log()}`);
}

function findFiles(dir: string, match: (file: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(path, match));
    else if (match(path)) found.push(path);
  }
  return found;
}
