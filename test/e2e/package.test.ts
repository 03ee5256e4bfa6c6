/**
 * The .vsix a workshop installs: it must carry the bundles, the lesson, the media and the
 * TensorFlow.js WebAssembly binaries, and none of the TypeScript sources or tests.
 */
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { test } from "node:test";
import yauzl from "yauzl";
import { builtVsix } from "./codeServer";

function zipEntries(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error("cannot open zip"));
      const names: string[] = [];
      zip.on("entry", (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on("end", () => resolve(names));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

test("the .vsix holds what runs and nothing of the sources", async () => {
  const vsix = builtVsix();
  const names = await zipEntries(vsix);
  // vsce lower-cases the readme's name (extension/readme.md); compare names without case.
  const lowerNames = new Set(names.map((n) => n.toLowerCase()));
  const has = (name: string) => lowerNames.has(`extension/${name}`.toLowerCase());

  for (const bundle of ["dist/extension.js", "dist/training-process.js", "dist/cli.js", "package.json", "README.md", "LICENSE.txt"]) {
    assert.ok(has(bundle), `${bundle} is missing from the .vsix`);
  }
  for (const wasm of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm"]) {
    assert.ok(has(`dist/wasm/${wasm}`), `the WebAssembly binary ${wasm} is missing`);
  }
  assert.ok(has("lessons/intro-image-classification-cnn/lesson.yaml"), "the lesson is missing");
  assert.ok(names.some((n) => /^extension\/lessons\/intro-image-classification-cnn\/episodes\/0\d-.*\.md$/.test(n)), "no episode files");
  assert.ok(names.some((n) => n.startsWith("extension/media/")), "no media");
  assert.ok(names.some((n) => /^extension\/dist\/webview\/[^/]+\.js$/.test(n)), "no webview bundles");

  const leaked = names.filter((n) => /\.ts$|\.map$|^extension\/(src|test|bench|scripts|node_modules)\//.test(n));
  assert.deepEqual(leaked, [], "sources, tests or dependencies leaked into the .vsix");

  const bytes = statSync(vsix).size;
  console.log(`${vsix.split("/").pop()}: ${(bytes / 1024 / 1024).toFixed(2)} MiB, ${names.length} files`);
  assert.ok(bytes < 20 * 1024 * 1024, "the .vsix grew past 20 MiB");
});
