/**
 * The syntax error of a file is the one CPython reports, where it reports it. Each row's
 * `python` is what CPython 3.11's `ast.parse` raised for the code (type, `msg`, `lineno`,
 * `offset`), or null where it parsed; the reader must give the same type, message, line and
 * column, one error per file, with a learner's message that names the same line.
 *
 * Not modelled: CPython's checks of assignment targets (`f() = 1`: "cannot assign to function
 * call here"), which @lezer/python's grammar accepts; the checker reports nothing there.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parsePython, pythonSyntaxError, type PythonErrorKind } from "../../src/python";

interface Row {
  name: string;
  code: string;
  python: { kind: PythonErrorKind; message: string; line: number; column: number } | null;
}

const ROWS: Row[] = [
  { name: "unclosed call", code: "import keras\nx = keras.layers.Conv2D(16, (3, 3)\ny = 2\nz = 3\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 2, column: 24 } },
  { name: "unclosed call eof", code: "x = foo(1,\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 8 } },
  { name: "unclosed list", code: "a = [1, 2\nb = 3\n", python: { kind: "SyntaxError", message: "'[' was never closed", line: 1, column: 5 } },
  { name: "unclosed nested", code: "x = f(g(1)\ny = 2\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 6 } },
  { name: "unclosed brace", code: "d = {'a': 1\n", python: { kind: "SyntaxError", message: "'{' was never closed", line: 1, column: 5 } },
  { name: "extra close", code: "x = f(1))\n", python: { kind: "SyntaxError", message: "unmatched ')'", line: 1, column: 9 } },
  { name: "mismatch", code: "x = f(1]\n", python: { kind: "SyntaxError", message: "closing parenthesis ']' does not match opening parenthesis '('", line: 1, column: 8 } },
  { name: "mismatch ml", code: "x = f(1,\n  2]\n", python: { kind: "SyntaxError", message: "closing parenthesis ']' does not match opening parenthesis '(' on line 1", line: 2, column: 4 } },
  { name: "missing colon if", code: "if x\n    pass\n", python: { kind: "SyntaxError", message: "expected ':'", line: 1, column: 5 } },
  { name: "missing colon def", code: "def f()\n    return 1\n", python: { kind: "SyntaxError", message: "expected ':'", line: 1, column: 8 } },
  { name: "missing colon for", code: "for i in range(3)\n    print(i)\n", python: { kind: "SyntaxError", message: "expected ':'", line: 1, column: 18 } },
  { name: "unexpected indent", code: "x = 1\n    y = 2\n", python: { kind: "IndentationError", message: "unexpected indent", line: 2, column: 4 } },
  { name: "expected indent if", code: "if x:\npass\n", python: { kind: "IndentationError", message: "expected an indented block after 'if' statement on line 1", line: 2, column: 1 } },
  { name: "expected indent def", code: "def f():\nreturn 1\n", python: { kind: "IndentationError", message: "expected an indented block after function definition on line 1", line: 2, column: 1 } },
  { name: "expected indent for", code: "for i in x:\nprint(i)\n", python: { kind: "IndentationError", message: "expected an indented block after 'for' statement on line 1", line: 2, column: 1 } },
  { name: "expected indent eof", code: "def f():\n", python: { kind: "IndentationError", message: "expected an indented block after function definition on line 1", line: 1, column: 9 } },
  { name: "unindent", code: "if x:\n        a = 1\n    b = 2\n", python: { kind: "IndentationError", message: "unindent does not match any outer indentation level", line: 3, column: 10 } },
  { name: "unterminated str", code: "x = 'relu\ny = 2\n", python: { kind: "SyntaxError", message: "unterminated string literal (detected at line 1)", line: 1, column: 5 } },
  { name: "unterminated dq", code: "x = \"relu)\n", python: { kind: "SyntaxError", message: "unterminated string literal (detected at line 1)", line: 1, column: 5 } },
  { name: "unterminated triple", code: "x = '''abc\ny = 2\n", python: { kind: "SyntaxError", message: "unterminated triple-quoted string literal (detected at line 2)", line: 1, column: 5 } },
  { name: "missing comma", code: "x = f(a b)\n", python: { kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 7 } },
  { name: "missing comma list", code: "x = [1 2]\n", python: { kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 6 } },
  { name: "missing value", code: "x = \n", python: { kind: "SyntaxError", message: "invalid syntax", line: 1, column: 5 } },
  { name: "missing kwarg value", code: "f(a=)\n", python: { kind: "SyntaxError", message: "invalid syntax", line: 1, column: 5 } },
  { name: "eq in if", code: "if x = 1:\n    pass\n", python: { kind: "SyntaxError", message: "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", line: 1, column: 4 } },
  { name: "trailing op", code: "x = 1 +\n", python: { kind: "SyntaxError", message: "invalid syntax", line: 1, column: 8 } },
  { name: "unclosed then other", code: "x = f(1\ny = [2\n", python: { kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 7 } },
  { name: "tab mix", code: "if x:\n\tif y:\n        a = 1\n", python: { kind: "TabError", message: "inconsistent use of tabs and spaces in indentation", line: 3, column: 1 } },
  { name: "keyword arg first", code: "f(a=1, 2)\n", python: { kind: "SyntaxError", message: "positional argument follows keyword argument", line: 1, column: 9 } },
  { name: "stray colon", code: "x = 1:\n", python: { kind: "SyntaxError", message: "invalid syntax", line: 1, column: 6 } },
  { name: "unclosed str in call", code: "f('relu)\n", python: { kind: "SyntaxError", message: "unterminated string literal (detected at line 1)", line: 1, column: 3 } },
  { name: "blank ok", code: "x = f(_____)\n", python: null },
  { name: "lambda", code: "x = lambda: \n", python: { kind: "SyntaxError", message: "invalid syntax", line: 1, column: 13 } },
  { name: "unclosed then colon", code: "model.add(Dense(10)\nif x:\n    pass\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 10 } },
  { name: "print2", code: "print 'hi'\n", python: { kind: "SyntaxError", message: "Missing parentheses in call to 'print'. Did you mean print(...)?", line: 1, column: 1 } },
  { name: "dot end", code: "x = keras.\n", python: { kind: "SyntaxError", message: "invalid syntax", line: 1, column: 11 } },
  { name: "unclosed two deep", code: "m = keras.Sequential([\n  Dense(1),\n  Dense(2)\n", python: { kind: "SyntaxError", message: "'[' was never closed", line: 1, column: 22 } },
  { name: "fstring unterminated", code: "x = f'abc\n", python: { kind: "SyntaxError", message: "unterminated string literal (detected at line 1)", line: 1, column: 5 } },
  { name: "continuation eof", code: "x = 1 + \\\n", python: { kind: "SyntaxError", message: "unexpected EOF while parsing", line: 1, column: 10 } },
  { name: "empty call comma", code: "f(,)\n", python: { kind: "SyntaxError", message: "invalid syntax", line: 1, column: 3 } },
  { name: "kw repeat", code: "f(a=1, a=2)\n", python: null },
  { name: "return outside", code: "return 1\n", python: null },
  { name: "invalid char", code: "x = 1 $ 2\n", python: { kind: "SyntaxError", message: "invalid syntax", line: 1, column: 7 } },
  { name: "unicode quote", code: "x = ‘relu’\n", python: { kind: "SyntaxError", message: "invalid character '‘' (U+2018)", line: 1, column: 5 } },
  { name: "dedent eof in parens", code: "def f():\n    x = g(1\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 2, column: 10 } },
  { name: "parse then tok", code: "x = f(a b)\ny = 'abc\n", python: { kind: "SyntaxError", message: "unterminated string literal (detected at line 2)", line: 2, column: 5 } },
  { name: "parse then unindent", code: "x = f(a b)\nif x:\n        a = 1\n    b = 2\n", python: { kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 7 } },
  { name: "indent then tok", code: "x = 1\n    y = 2\nz = 'abc\n", python: { kind: "IndentationError", message: "unexpected indent", line: 2, column: 4 } },
  { name: "first line indent", code: "  x = 1\n", python: { kind: "IndentationError", message: "unexpected indent", line: 1, column: 2 } },
  { name: "colon then unclosed", code: "if x\n    y = f(1\n", python: { kind: "SyntaxError", message: "expected ':'", line: 1, column: 5 } },
  { name: "unclosed then tok", code: "x = f(1\ny = 'a\n", python: { kind: "SyntaxError", message: "unterminated string literal (detected at line 2)", line: 2, column: 5 } },
  { name: "expected indent else", code: "if x:\n    pass\nelse:\npass\n", python: { kind: "IndentationError", message: "expected an indented block after 'else' statement on line 3", line: 4, column: 1 } },
  { name: "expected indent while", code: "while x:\nx = 1\n", python: { kind: "IndentationError", message: "expected an indented block after 'while' statement on line 1", line: 2, column: 1 } },
  { name: "expected indent with", code: "with x:\ny = 1\n", python: { kind: "IndentationError", message: "expected an indented block after 'with' statement on line 1", line: 2, column: 1 } },
  { name: "expected indent class", code: "class A:\nx = 1\n", python: { kind: "IndentationError", message: "expected an indented block after class definition on line 1", line: 2, column: 1 } },
  { name: "expected indent try", code: "try:\nx = 1\n", python: { kind: "IndentationError", message: "expected an indented block after 'try' statement on line 1", line: 2, column: 1 } },
  { name: "expected indent elif", code: "if x:\n    a\nelif y:\nb\n", python: { kind: "IndentationError", message: "expected an indented block after 'elif' statement on line 3", line: 4, column: 1 } },
  { name: "comment after colon", code: "if x:  # c\n    pass\n", python: null },
  { name: "missing colon else", code: "if x:\n    a\nelse\n    b\n", python: { kind: "SyntaxError", message: "expected ':'", line: 3, column: 5 } },
  { name: "missing colon class", code: "class A\n    pass\n", python: { kind: "SyntaxError", message: "expected ':'", line: 1, column: 8 } },
  { name: "missing colon while", code: "while x\n    pass\n", python: { kind: "SyntaxError", message: "expected ':'", line: 1, column: 8 } },
  { name: "missing colon with eof", code: "def f(x)\n", python: { kind: "SyntaxError", message: "expected ':'", line: 1, column: 9 } },
  { name: "oneliner", code: "if x: pass\n", python: null },
  { name: "unexpected indent comment", code: "x = 1\n    # c\ny = 2\n", python: null },
  { name: "unexpected indent in body", code: "def f():\n    x = 1\n        y = 2\n", python: { kind: "IndentationError", message: "unexpected indent", line: 3, column: 8 } },
  { name: "two errors", code: "x = (1\ny = 2)\n", python: { kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 6 } },
  { name: "unmatched close ml", code: "x = 1\n)\n", python: { kind: "SyntaxError", message: "unmatched ')'", line: 2, column: 1 } },
  { name: "missing comma kw", code: "Conv2D(16 kernel_size=3)\n", python: { kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 8 } },
  { name: "unclosed blank", code: "x = f(_____\ny = 1\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 6 } },
  { name: "close in str", code: "x = f('a)'\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 6 } },
  { name: "dict colon", code: "d = {'a' 1}\n", python: { kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 6 } },
  { name: "dup eq", code: "x == = 1\n", python: { kind: "SyntaxError", message: "invalid syntax", line: 1, column: 6 } },
  { name: "walrus", code: "if (n := 10) > 5:\n    pass\n", python: null },
  { name: "match", code: "match x:\n    case 1:\n        pass\n", python: null },
  { name: "unclosed no newline", code: "x = f(1,", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 6 } },
  { name: "unclosed blank in conv", code: "x = keras.layers.Conv2D(_____, (3, 3)\nx = keras.layers.MaxPooling2D((2, 2))(x)\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 24 } },
  { name: "lesson like missing paren", code: "inputs = keras.Input(shape=(32, 32, 3))\nx = keras.layers.Conv2D(16, (3, 3), activation='relu'(inputs)\nx = keras.layers.MaxPooling2D((2, 2))(x)\nmodel = keras.Model(inputs=inputs, outputs=x)\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 2, column: 24 } },
  { name: "missing close in fit", code: "history = model.fit(train_images, train_labels, epochs=10,\n                    validation_data=(val_images, val_labels)\nprint(history)\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 20 } },
  { name: "ok file", code: "import keras\nx = [1,\n     2]\nif x:\n    y = 1\n", python: null },
  { name: "unclosed call on the last line, with a gap", code: "x = f(a b\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 6 } },
  { name: "unclosed call on the last line, positional after keyword", code: "f(a=1, 2\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 2 } },
  { name: "unclosed list on the last line, with a gap", code: "x = [1 2\n", python: { kind: "SyntaxError", message: "'[' was never closed", line: 1, column: 5 } },
  { name: "unclosed tuple on the last line, with an assignment", code: "x = (1, a = 2\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 5 } },
  { name: "unclosed call on the last line, string then name", code: "x = f(\"a\" b\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 6 } },
  { name: "unclosed group in an if header", code: "if (a b:\n    pass\n", python: { kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 5 } },
  { name: "a bracket continued on an indented line, then more lines", code: "x = f(1,\n     2)(y)\nz = 1\n", python: null },
  { name: "a comment eats the rest of a call", code: "x = keras.layers.Conv2D(filters=16, kernel_#size=(3, 3))(inputs)\ny = keras.layers.Dense(10)(x)\nz = keras.layers.Dense(10)(y)\n", python: { kind: "SyntaxError", message: "'(' was never closed", line: 1, column: 24 } },
  { name: "error right after an opener mid-file", code: "x = keras(.layers.Dense(10)\ny = 2\n", python: { kind: "SyntaxError", message: "invalid syntax", line: 1, column: 11 } },
  { name: "error inside a closed group of an unclosed call", code: "y = np.argmax(p, (axis=1)\n", python: { kind: "SyntaxError", message: "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", line: 1, column: 19 } },
  { name: "decimal run into a name", code: "x = f(test_siz0.2, b)\n", python: { kind: "SyntaxError", message: "invalid syntax. Perhaps you forgot a comma?", line: 1, column: 7 } },
  { name: "a float with a trailing dot", code: "x = train_images / 255.\ny = 1\n", python: null },
  { name: "a float with a trailing dot inside a call", code: "y = f(a / 255., 2)\n", python: null },
  { name: "an attribute of a float with a trailing dot", code: "x = 1..real\n", python: null },
  { name: "a name run into a number", code: "x = keras.layers.Conv2D(16, 3kernel_size)\n", python: { kind: "SyntaxError", message: "invalid decimal literal", line: 1, column: 29 } },
  { name: "a letter after a float", code: "x = 2.5x\n", python: { kind: "SyntaxError", message: "invalid decimal literal", line: 1, column: 7 } },
  { name: "an exponent with no digits", code: "x = 255.e\n", python: { kind: "SyntaxError", message: "invalid decimal literal", line: 1, column: 8 } },
  { name: "a letter after a hexadecimal number", code: "x = 0x1g\n", python: { kind: "SyntaxError", message: "invalid hexadecimal literal", line: 1, column: 7 } },
  { name: "a keyword right after a number", code: "x = 1if y else 2\n", python: null },
];

describe("syntax errors where CPython 3.11 reports them", () => {
  for (const row of ROWS) {
    test(row.name, () => {
      const error = pythonSyntaxError(parsePython(row.code));
      if (row.python === null) {
        assert.equal(error, undefined);
        return;
      }
      assert.ok(error, "an error");
      assert.deepEqual({ kind: error.kind, message: error.pythonMessage, line: error.line, column: error.column }, row.python);
      // The learner's message names CPython's line, quotes CPython's words, and underlines code on that line.
      assert.match(error.message, new RegExp(`^Line ${row.python.line}\\b`));
      assert.ok(error.message.endsWith(`${row.python.message})`), error.message);
      assert.ok(error.to >= error.from);
    });
  }
});

