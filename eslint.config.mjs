// Lint rules, including the folder boundaries of ARCHITECTURE.md: only src/extension may import
// 'vscode', nothing imports src/extension, and webviews import nothing from src/ but src/protocol.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

const noVscode = {
  paths: [{ name: "vscode", message: "Only src/extension may import 'vscode'." }],
  patterns: [{ group: ["**/extension/**", "**/extension"], message: "src/extension is the top layer; nothing imports it." }],
};

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
    files: ["src/training/**", "src/lessons/**", "src/checker/**", "src/protocol/**", "src/cli/**"],
    rules: { "no-restricted-imports": ["error", noVscode] },
  },
  {
    // The checker thread and its client run without the VS Code API (a worker; the benchmark).
    files: ["src/extension/editor/checkWorker.ts", "src/extension/editor/checkWorkerClient.ts", "src/extension/editor/checkReport.ts"],
    rules: { "no-restricted-imports": ["error", { paths: noVscode.paths }] },
  },
  {
    // The Python reader knows Python only: lessons, checker, training and the editor build on it.
    files: ["src/python/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...noVscode,
          patterns: [
            ...noVscode.patterns,
            { group: ["**/training/**", "**/lessons/**", "**/checker/**", "**/cli/**", "**/keras/**"], message: "src/python imports only src/protocol and the parser." },
          ],
        },
      ],
    },
  },
  {
    // The Keras 3 registry is data and rules: the checker, the spec check, the summary and the tfjs
    // builder read it, so it reads none of them, and it names tfjs only by its types.
    files: ["src/keras/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...noVscode,
          patterns: [
            ...noVscode.patterns,
            { group: ["**/training/**", "**/lessons/**", "**/checker/**", "**/cli/**", "**/python/**"], message: "src/keras imports only src/protocol." },
            { group: ["@tensorflow/*"], allowTypeImports: true, message: "src/keras may name tfjs's types, not load it (the checker runs without tfjs)." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/protocol/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          ...noVscode,
          patterns: [
            ...noVscode.patterns,
            { group: ["**/training/**", "**/lessons/**", "**/checker/**", "**/cli/**"], message: "src/protocol depends on nothing." },
          ],
        },
      ],
    },
  },
  {
    files: ["webview/**"],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "vscode", message: "Webviews talk to the host by messages only." }],
          patterns: [
            { group: ["**/src/extension/**", "**/src/training/**", "**/src/lessons/**", "**/src/checker/**", "**/src/cli/**"], message: "Webviews may import only src/protocol." },
            { group: ["node:*", "fs", "path", "child_process"], message: "Webviews run in a browser." },
          ],
        },
      ],
    },
  },
  {
    // The GPU trainer's webview runs the engine's browser-safe trainer (it imports neither Node
    // nor the DOM), and so that one module of src/training.
    files: ["webview/gpu/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "vscode", message: "Webviews talk to the host by messages only." }],
          patterns: [
            { group: ["**/src/extension/**", "**/src/training/**", "!**/src/training/gpuTrainer", "**/src/lessons/**", "**/src/checker/**", "**/src/cli/**"], message: "Webviews may import only src/protocol (the GPU webview also src/training/gpuTrainer)." },
            { group: ["node:*", "fs", "path", "child_process"], message: "Webviews run in a browser." },
          ],
        },
      ],
    },
  },
);
