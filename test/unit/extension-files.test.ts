import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { backupFilePath, challengeFilePath, challengeOfPath, sameCode } from "../../src/extension/lesson/challengeFiles";
import { buildExportScript, defaultExportPath } from "../../src/extension/lesson/exportScript";

test("a challenge file's path and the challenge found back from it", () => {
  const file = challengeFilePath("/ws", "dl-lessons", "intro", "conv2d-layer");
  assert.equal(file, join("/ws", "dl-lessons", "intro", "conv2d-layer.py"));
  assert.deepEqual(challengeOfPath(file, "/ws", "dl-lessons"), { lessonId: "intro", challengeId: "conv2d-layer" });
  assert.equal(challengeOfPath(join("/ws", "other", "intro", "x.py"), "/ws", "dl-lessons"), undefined);
  assert.equal(challengeOfPath(join("/ws", "dl-lessons", "intro", "notes.txt"), "/ws", "dl-lessons"), undefined);
  assert.equal(challengeOfPath(join("/ws", "dl-lessons", "intro", "runs", "x.py"), "/ws", "dl-lessons"), undefined);
});

test("the backup name keeps the .py extension and the local time of the reset", () => {
  const when = new Date(2026, 0, 5, 9, 7, 3);
  assert.equal(backupFilePath("/ws/a/conv2d-layer.py", when), "/ws/a/conv2d-layer.py.bak-20260105-090703.py");
});

test("line endings and trailing spaces are not edits, anything else is", () => {
  assert.equal(sameCode("x = 1\r\ny = 2  \n", "x = 1\ny = 2"), true);
  assert.equal(sameCode("x = _____\n", "x = 16\n"), false);
});

test("the exported script hoists imports once and leaves out unfinished challenges", () => {
  const result = buildExportScript("Intro", [
    { challengeId: "a", title: "First", episodeTitle: "Ep 3", source: "from tensorflow import keras\nimport numpy as np\n\nx = keras.Input(shape=(32, 32, 3))\n" },
    { challengeId: "b", title: "Second", episodeTitle: "Ep 3", source: "from tensorflow import keras\ny = _____\n" },
    { challengeId: "c", title: "Third", episodeTitle: "Ep 4", source: undefined },
    { challengeId: "d", title: "Fourth", episodeTitle: "Ep 4", source: "from tensorflow import keras\n\ndef f():\n    import os\n    return 1\n" },
  ]);
  assert.deepEqual(result.included, ["a", "d"]);
  assert.deepEqual(result.skipped, [{ challengeId: "b", reason: "blanks left" }, { challengeId: "c", reason: "not started" }]);
  assert.equal(result.script.match(/from tensorflow import keras/g)?.length, 1);
  assert.ok(result.script.indexOf("import numpy as np") < result.script.indexOf("x = keras.Input"));
  assert.ok(result.script.includes("    import os"), "an indented import stays where it is");
  assert.ok(!result.script.includes("_____\n"), "no blank reaches the script");
  assert.ok(result.script.indexOf("# --- First") < result.script.indexOf("# --- Fourth"), "lesson order is kept");
});

test("Save As… proposes <lessons folder>/<lesson>-complete.py, beside the challenge folders, not inside one", () => {
  const file = defaultExportPath("/ws", "dl-lessons", "intro");
  assert.equal(file, join("/ws", "dl-lessons", "intro-complete.py"));
  assert.equal(challengeOfPath(file, "/ws", "dl-lessons"), undefined, "the exported script is not taken for a challenge file");
  assert.equal(defaultExportPath("/ws", "my lessons", "intro"), join("/ws", "my lessons", "intro-complete.py"));
});
