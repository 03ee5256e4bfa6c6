/**
 * The parse helpers the checker speeds itself up with must give exactly what the plain ones
 * give: an incremental parse the same tree as a fresh parse, and tokens read from the file's
 * token list the same tokens as a walk of the node.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { SyntaxNode, Tree } from "@lezer/common";
import { parser } from "@lezer/python";
import { parsePython, syntaxErrors, tokensOf, type ParsedSource } from "../../src/python";
import { parsePythonWithin } from "../../src/python";
import { caseCount } from "./thorough";

const CHALLENGES = join(import.meta.dirname, "../../lessons/intro-image-classification-cnn/challenges");
const files = readdirSync(CHALLENGES)
  .filter((file) => file.endsWith(".py"))
  .map((file) => readFileSync(join(CHALLENGES, file), "utf8"));

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = ["(", ")", "'", '"', ":", ",", "_____", "\n", "\n    ", "x", " = ", "# ", "keras.layers.Dense(10)", "f'{a}'", "def f(", "'''"];

/** A keystroke-sized edit: delete a few characters and insert one of INSERTS. */
function edit(text: string, random: () => number): string {
  const at = Math.floor(random() * text.length);
  const removed = Math.floor(random() * 4);
  return text.slice(0, at) + (INSERTS[Math.floor(random() * INSERTS.length)] ?? "") + text.slice(at + removed);
}

function shape(tree: Tree): string {
  const parts: string[] = [];
  tree.iterate({ enter: (ref) => void parts.push(`${ref.name}@${ref.from}-${ref.to}`) });
  return parts.join(" ");
}

/** The tokens of a range as the checker computed them before it kept a token list per file. */
function walkedTokens(source: ParsedSource, from: number, to: number): string[] {
  const tokens: string[] = [];
  source.tree.iterate({
    from,
    to,
    enter: (ref) => {
      if (ref.from < from || ref.to > to) return true;
      if (ref.name === "Comment") return false;
      if ((!ref.node.firstChild && ref.to > ref.from) || ref.name === "String") {
        const text = source.text.slice(ref.from, ref.to);
        tokens.push(ref.name === "String" && (text[0] === "'" || text[0] === '"') ? `"${text.slice(1, -1)}"` : text);
        return false;
      }
      return true;
    },
  });
  return tokens;
}

function everyNode(source: ParsedSource): SyntaxNode[] {
  const nodes: SyntaxNode[] = [];
  source.tree.iterate({ enter: (ref) => void nodes.push(ref.node) });
  return nodes;
}

/** An edit that keeps valid code valid: a character added to a name, a number or a comment. */
function validEdit(text: string, random: () => number): string {
  const candidates: { at: number; insert: string }[] = [];
  parsePython(text).tree.iterate({
    enter: (ref) => {
      if (ref.name === "VariableName" || ref.name === "Comment") candidates.push({ at: ref.to, insert: "x" });
      if (ref.name === "Number") candidates.push({ at: ref.to, insert: "0" });
    },
  });
  const chosen = candidates[Math.floor(random() * candidates.length)];
  return chosen ? text.slice(0, chosen.at) + chosen.insert + text.slice(chosen.at) : text;
}

test("an incremental parse after an edit gives the same tree as a fresh parse", () => {
  const random = prng(7);
  let clean = 0;
  let broken = 0;
  // Edits that keep the file valid (the incremental path), then runs of edits that break it
  // more and more (error recovery, where reusing nodes can move error nodes).
  const brokenRuns = caseCount(1, 3);
  const runs: ((text: string) => string)[][] = [Array(20).fill((text: string) => validEdit(text, random)), ...Array(brokenRuns).fill(Array(30).fill((text: string) => edit(text, random)))];
  for (const file of files) {
    for (const run of runs) {
      let previous = parsePython(file);
      for (const [step, change] of run.entries()) {
        const text = change(previous.text);
        const incremental = parsePython(text, previous);
        // The parser itself, not parsePython, which answers a repeat of its last text from memory.
        const fresh = parser.parse(text);
        assert.equal(shape(incremental.tree), shape(fresh), `edit ${step}`);
        if (syntaxErrors(incremental).length === 0) clean++;
        else broken++;
        previous = incremental;
      }
    }
  }
  assert.ok(clean > 100 && broken > (800 / 3) * brokenRuns, `${clean} clean and ${broken} broken texts compared`);
});

test("tokens from the file's token list equal a walk of each node and of ranges that cut strings", () => {
  const random = prng(11);
  for (const file of files) {
    for (const text of [file, edit(file, random), edit(edit(file, random), random)]) {
      const source = parsePython(text);
      for (const node of everyNode(source)) assert.deepEqual(tokensOf(source, node), walkedTokens(source, node.from, node.to), `${node.name}@${node.from}`);
      for (let sample = 0; sample < 50; sample++) {
        const from = Math.floor(random() * text.length);
        const to = from + Math.floor(random() * 80);
        assert.deepEqual(tokensOf(source, null, from, to), walkedTokens(source, from, to), `${from}-${to}`);
      }
    }
  }
});

test("a parse within a time budget gives the parser's own tree, or nothing when the budget runs out", () => {
  const text = `${files.join("\n")}\n# within\n`;
  const parsed = parsePythonWithin(text, Number.POSITIVE_INFINITY);
  assert.ok(parsed);
  assert.equal(shape(parsed.tree), shape(parser.parse(text)));
  // The checker asks for the same text next: it gets that parse, not a second one.
  assert.equal(parsePython(text), parsed);
  const long = "x = keras.layers.Dense(10)(x)\n".repeat(20_000);
  assert.equal(parsePythonWithin(long, 0), undefined);
});
