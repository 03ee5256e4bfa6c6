// Builds the bundles and packs them with the lesson content into dl-lessons-<version>.vsix.
// Dependencies are bundled by esbuild, so vsce runs with --no-dependencies.
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";

const { name, version } = JSON.parse(readFileSync("package.json", "utf8"));
const out = `${name}-${version}.vsix`;
execFileSync(process.execPath, ["esbuild.mjs"], { stdio: "inherit" });
execFileSync(process.execPath, ["node_modules/@vscode/vsce/vsce", "package", "--no-dependencies", "--allow-missing-repository", "--out", out], {
  stdio: "inherit",
});
const bytes = statSync(out).size;
console.log(`${out}: ${(bytes / 1024 / 1024).toFixed(2)} MiB (${bytes.toLocaleString("en-US")} bytes)`);
