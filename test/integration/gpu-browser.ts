/**
 * Headless Chromium with the trainer of `webview/gpu/` loaded, for the GPU benchmark and the
 * numerics test. With no GPU, Chromium's software renderer (SwiftShader) runs both WebGL 2 and
 * WebGPU: correct, not fast. The page is served from a localhost address (routed, no server)
 * because WebGPU exists only in a secure context.
 */
import * as esbuild from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import type { GpuHarness } from "../../webview/gpu/harness";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const PAGE_URL = "http://localhost:9/gpu.html";

/**
 * Chromium 144+ starts WebGL's software fallback only when told it is wanted; WebGPU on
 * SwiftShader needs its own two switches. A real GPU, where there is one, is used first.
 */
export const SOFTWARE_GPU_FLAGS = ["--enable-unsafe-swiftshader", "--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader", "--ignore-gpu-blocklist"];

export async function harnessBundle(): Promise<string> {
  const result = await esbuild.build({
    entryPoints: ["webview/gpu/harness.ts"],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "error",
  });
  return result.outputFiles[0]!.text;
}

export interface GpuPage {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** A fresh browser with the harness loaded as `window.dlGpu`. */
export async function openGpuPage(): Promise<GpuPage> {
  const script = await harnessBundle();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", ...SOFTWARE_GPU_FLAGS] });
  const page = await browser.newPage();
  await page.route(PAGE_URL, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><html><body></body></html>" }));
  await page.route("http://localhost:9/gpu.js", (route) => route.fulfill({ contentType: "text/javascript", body: script }));
  await page.goto(PAGE_URL);
  await page.addScriptTag({ url: "http://localhost:9/gpu.js" });
  await page.waitForFunction(() => "dlGpu" in globalThis);
  return { browser, page, close: () => browser.close() };
}

/**
 * `window.dlGpu`'s type, for `page.evaluate` callbacks: they run in the page, so they read it
 * from `globalThis` themselves (`(globalThis as unknown as PageGlobals).dlGpu`).
 */
export interface PageGlobals {
  dlGpu: GpuHarness;
}
