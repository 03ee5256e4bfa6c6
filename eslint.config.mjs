// Lint rules: type-aware checks for every TypeScript file (each read with its own tsconfig:
// webview/ has a DOM one), and the folder boundaries of ARCHITECTURE.md as one table.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

const VSCODE = { name: "vscode", message: "Only src/extension may import 'vscode'." };
const EXTENSION = { group: ["**/extension/**", "**/extension"], message: "src/extension is the top layer; nothing imports it." };
/** An import pattern refusing the folders named (`training` → any path through a `training/` folder). */
const folders = (names, message) => ({ group: names.map((name) => `**/${name}/**`), message });

/**
 * The folder boundaries, one entry each: the files it covers and the imports they may not make
 * (`paths`: modules by name; `patterns`: paths by glob). ESLint takes the last entry matching a
 * file for a rule, so a narrower folder comes after a wider one and repeats what still applies.
 */
const boundaries = [
  {
    files: ["src/training/**", "src/lessons/**", "src/checker/**", "src/protocol/**", "src/cli/**"],
    paths: [VSCODE],
    patterns: [EXTENSION],
  },
  {
    // The checker thread, its client and the command ids run without the VS Code API (a worker;
    // the benchmark; the drift test).
    files: ["src/extension/editor/checkWorker.ts", "src/extension/editor/checkWorkerClient.ts", "src/extension/editor/checkReport.ts", "src/extension/commandIds.ts"],
    paths: [VSCODE],
  },
  {
    // The Python reader knows Python only: lessons, checker, training and the editor build on it.
    files: ["src/python/**"],
    paths: [VSCODE],
    patterns: [EXTENSION, folders(["training", "lessons", "checker", "cli", "keras"], "src/python imports only src/protocol and the parser.")],
  },
  {
    // The Keras 3 registry is data and rules: the checker, the spec check, the summary and the tfjs
    // builder read it, so it reads none of them, and it names tfjs only by its types.
    files: ["src/keras/**"],
    paths: [VSCODE],
    patterns: [
      EXTENSION,
      folders(["training", "lessons", "checker", "cli", "python"], "src/keras imports only src/protocol."),
      { group: ["@tensorflow/*"], allowTypeImports: true, message: "src/keras may name tfjs's types, not load it (the checker runs without tfjs)." },
    ],
  },
  {
    files: ["src/protocol/**"],
    paths: [VSCODE],
    patterns: [EXTENSION, folders(["training", "lessons", "checker", "cli"], "src/protocol depends on nothing.")],
  },
  {
    files: ["webview/**"],
    paths: [{ name: "vscode", message: "Webviews talk to the host by messages only." }],
    patterns: [
      folders(["src/extension", "src/training", "src/lessons", "src/checker", "src/cli"], "Webviews may import only src/protocol."),
      { group: ["node:*", "fs", "path", "child_process"], message: "Webviews run in a browser." },
    ],
  },
];

export default tseslint.config(
  // Built output, installed tools (code-server) and test output are not ours to lint.
  { ignores: ["dist/**", "node_modules/**", "out/**", ".tools/**", ".vscode-test/**", "test-output/**", "*.vsix", "lessons/**/*.py"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
    },
  },
  {
    // Type-aware rules: each file is read with the tsconfig that includes it (the project service
    // finds it), so webview/ is typed against the DOM and the rest against Node.
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its error: await it, or `void` it where its rejection is handled.
      // node:test's runner awaits the promise of each test() and describe() itself.
      "@typescript-eslint/no-floating-promises": ["error", { allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["test", "it", "describe", "suite"] }] }],
      // A switch over a union names every member; a `default:` does not stand in for the ones left out.
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false }],
    },
  },
  ...boundaries.map(({ files, paths, patterns }) => ({
    files,
    rules: { "no-restricted-imports": ["error", { paths, ...(patterns ? { patterns } : {}) }] },
  })),
  { files: ["webview/**"], languageOptions: { globals: { ...globals.browser } } },
);
