// Lint rules: type-aware checks for every TypeScript file (each read with its own tsconfig:
// webview/ has a DOM one), and the folder boundaries of ARCHITECTURE.md as one table.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import path from "node:path";
import { fileURLToPath } from "node:url";

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
  {
    // The GPU trainer's webview runs the engine's browser-safe trainer (it imports neither Node
    // nor the DOM), and so that one module of src/training.
    files: ["webview/gpu/**"],
    paths: [{ name: "vscode", message: "Webviews talk to the host by messages only." }],
    patterns: [
      folders(["src/extension", "src/lessons", "src/checker", "src/cli"], "Webviews may import only src/protocol (the GPU webview also src/training/gpuTrainer)."),
      { group: ["**/src/training/**", "!**/src/training/gpuTrainer"], message: "The GPU webview may import src/training/gpuTrainer only." },
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
  {
    // The extension host reaches training only through src/protocol and the training process: it
    // may import src/training/client.ts, the one module that forks the process and speaks its typed
    // RPC (the host has to start it somehow), and nothing else of src/training — not its pure
    // functions or types either, which belong in src/protocol. A path rule, not a name pattern:
    // src/extension has a training/ folder of its own.
    files: ["src/extension/**"],
    plugins: {
      boundaries: {
        rules: {
          "host-reaches-training-through-client": {
            meta: { type: "problem", schema: [], messages: { engine: "src/extension reaches src/training only through src/training/client.ts (the process) and src/protocol; '{{source}}' is the engine." } },
            create(context) {
              const training = path.join(path.dirname(fileURLToPath(import.meta.url)), "src", "training");
              const allowed = new Set([path.join(training, "client"), path.join(training, "client.ts")]);
              const check = (node) => {
                const source = node.source;
                if (!source || source.type !== "Literal" || typeof source.value !== "string" || !source.value.startsWith(".")) return;
                const target = path.resolve(path.dirname(context.filename), source.value);
                if ((target === training || target.startsWith(training + path.sep)) && !allowed.has(target)) {
                  context.report({ node: source, messageId: "engine", data: { source: source.value } });
                }
              };
              return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
            },
          },
        },
      },
    },
    rules: { "boundaries/host-reaches-training-through-client": "error" },
  },
  { files: ["webview/**"], languageOptions: { globals: { ...globals.browser } } },
);
