/**
 * The checker reads a file again from where it changed (the syntax check tokenizes on from the
 * last line it shares with a text read just before). What it finds must be what reading the file
 * from its start finds: for the lesson's files, edited the way a learner's keystrokes edit them
 * (brackets, quotes, indentation, line breaks, continuation lines), the syntax error reported
 * after reading the unedited file first equals the one reported with nothing read before.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { parsePython, pythonSyntaxError, syntaxErrors, type ParsedSource, type PythonSyntaxError } from "../../src/python";

const LESSON = join(import.meta.dirname, "../../lessons/intro-image-classification-cnn");
const FILES = ["challenges", "solutions"].flatMap((folder) =>
  readdirSync(join(LESSON, folder))
    .filter((file) => file.endsWith(".py"))
    .sort()
    .map((file) => readFileSync(join(LESSON, folder, file), "utf8")),
);
const INSERTS = ["(", ")", "[", "]", "{", "'", '"', '"""', ":", ",", "    ", "\t", "\n", "\n    ", "\\\n", "#", "x", "1", "print 1", "=", " if"];

/** A new parsed object for the text: the syntax error is worked out again, not taken from the object's cache. */
function fresh(text: string): ParsedSource {
  return { ...parsePython(text) };
}

/** The syntax error of `text` with no text read before it that it shares a line with. */
function fromTheStart(text: string): PythonSyntaxError | undefined {
  // Texts that share not even their first character with `text` push every earlier one out.
  for (let index = 0; index < 4; index++) pythonSyntaxError(fresh(`\u0007${index}\n${text}`));
  return pythonSyntaxError(fresh(text));
}

test("the syntax error of an edited file is the same whether or not the unedited file was read first", () => {
  const edit = fc.record({
    file: fc.nat({ max: FILES.length - 1 }),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    removed: fc.nat({ max: 6 }),
    inserted: fc.constantFrom(...INSERTS),
  });
  fc.assert(
    fc.property(edit, ({ file, at, removed, inserted }) => {
      const original = FILES[file] as string;
      const offset = Math.floor(at * original.length);
      const edited = original.slice(0, offset) + inserted + original.slice(offset + removed);
      const expected = fromTheStart(edited);
      pythonSyntaxError(fresh(original));
      assert.deepEqual(pythonSyntaxError(fresh(edited)), expected);
    }),
    { numRuns: 300, seed: 20261202 },
  );
});

test("two edits in a row, each read on from the one before, give the errors of reading each from the start", () => {
  const original = FILES[FILES.length - 1] as string;
  const middle = Math.floor(original.length / 2);
  const steps = [original.slice(0, middle) + "(" + original.slice(middle), original.slice(0, middle) + "()" + original.slice(middle), original];
  const expected = steps.map(fromTheStart);
  pythonSyntaxError(fresh(original));
  assert.deepEqual(
    steps.map((text) => pythonSyntaxError(fresh(text))),
    expected,
  );
});

test("the error nodes kept while parsing are those a walk of the tree finds", () => {
  for (const text of [FILES[0] as string, "x = f(1,\ny = 2\n", "a = 255.\nb = (1 2)\n"]) {
    let previous: ParsedSource | undefined;
    for (const edited of [text, `${text}\nz = [\n`, `${text}\nz = 1\n`]) {
      // Parsed on from the text before, as the checker parses a keystroke.
      const parsed = parsePython(edited, previous);
      previous = parsed;
      // A copy has no walks kept: its syntax errors come from a walk of the tree.
      assert.deepEqual(
        syntaxErrors(parsed).map((node) => [node.from, node.to]),
        syntaxErrors({ ...parsed }).map((node) => [node.from, node.to]),
      );
    }
  }
});
