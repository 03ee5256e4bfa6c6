// One build script for every entry point: the extension host, the training process, the CLI and
// each webview. Type checking is separate (`npm run typecheck`); esbuild only bundles.
//
//   node esbuild.mjs            build once (minified, with source maps)
//   node esbuild.mjs --watch    rebuild on change
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const watch = process.argv.includes("--watch");
const outdir = "dist";

// Native TensorFlow is optional: it is required at run time when installed, never bundled.
const nodeExternals = ["vscode", "@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"];

const nodeCommon = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: watch ? "linked" : false,
  minify: !watch,
  external: nodeExternals,
  logLevel: "info",
  // tfjs probes for these optional packages in browsers only.
  define: { "process.env.NODE_ENV": '"production"' },
};

const nodeEntries = [
  { in: "src/extension/extension.ts", out: "extension" },
  { in: "src/training/process.ts", out: "training-process" },
  // The editor's checker thread (a worker_threads Worker the extension host starts).
  { in: "src/extension/editor/checkWorker.ts", out: "check-worker" },
  { in: "src/cli/main.ts", out: "cli", banner: "#!/usr/bin/env node" },
].filter((entry) => existsSync(entry.in));

const webviewEntries = existsSync("webview")
  ? readdirSync("webview", { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== "shared" && existsSync(join("webview", d.name, "main.ts")))
      .map((d) => ({ in: join("webview", d.name, "main.ts"), out: join("webview", d.name) }))
  : [];

/** Files the bundles load at run time: the tfjs wasm binaries and the webviews' stylesheet. */
function copyRuntimeAssets() {
  const wasmSrc = "node_modules/@tensorflow/tfjs-backend-wasm/dist";
  mkdirSync(join(outdir, "wasm"), { recursive: true });
  for (const file of readdirSync(wasmSrc).filter((f) => f.endsWith(".wasm"))) {
    cpSync(join(wasmSrc, file), join(outdir, "wasm", file));
  }
  // The threaded build's Emscripten glue and worker script (a string export), which the training
  // process writes out as real files for Node's workers (src/training/wasmThreads.ts).
  const wasmOut = "node_modules/@tensorflow/tfjs-backend-wasm/wasm-out";
  for (const file of ["tfjs-backend-wasm-threaded-simd.js", "tfjs-backend-wasm-threaded-simd.worker.js"]) cpSync(join(wasmOut, file), join(outdir, "wasm", file));
  const codicons = "node_modules/@vscode/codicons/dist";
  if (existsSync(codicons)) {
    mkdirSync(join(outdir, "codicons"), { recursive: true });
    for (const file of ["codicon.css", "codicon.ttf"]) cpSync(join(codicons, file), join(outdir, "codicons", file));
  }
}

const contexts = [];
for (const entry of nodeEntries) {
  contexts.push(
    await esbuild.context({
      ...nodeCommon,
      entryPoints: [{ in: entry.in, out: entry.out }],
      outdir,
      ...(entry.banner ? { banner: { js: entry.banner } } : {}),
    }),
  );
}
if (webviewEntries.length > 0) {
  contexts.push(
    await esbuild.context({
      bundle: true,
      platform: "browser",
      format: "iife",
      target: "es2022",
      sourcemap: watch ? "inline" : false,
      minify: !watch,
      entryPoints: webviewEntries,
      outdir,
      logLevel: "info",
      loader: { ".css": "text" },
    }),
  );
}

if (!watch) rmSync(outdir, { recursive: true, force: true });
copyRuntimeAssets();
// The WebAssembly SIMD training kernels, compiled from C by clang (src/training/kernels/wasm/).
execFileSync(process.execPath, ["scripts/build-kernels.mjs", join(outdir, "wasm")], { stdio: "inherit" });
if (watch) {
  await Promise.all(contexts.map((ctx) => ctx.watch()));
} else {
  for (const ctx of contexts) {
    await ctx.rebuild();
    await ctx.dispose();
  }
}
