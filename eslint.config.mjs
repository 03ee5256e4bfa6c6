// Lint rules, including the folder boundaries of ARCHITECTURE.md: only src/extension may import
// 'vscode', nothing imports src/extension, and webviews import nothing from src/ but src/protocol.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import path from "node:path";
import { fileURLToPath } from "node:url";

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
);
