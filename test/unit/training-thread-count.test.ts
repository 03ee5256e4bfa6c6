import assert from "node:assert/strict";
import { test } from "node:test";
import { physicalCores, requestedThreads } from "../../src/training/wasmThreads";
import { TRAINING_THREADS_ENV } from "../../src/protocol/training";

test("the thread count comes from the setting when it is a positive whole number, else physical cores less one", () => {
  const automatic = Math.max(1, physicalCores() - 1);
  assert.deepEqual(requestedThreads({ [TRAINING_THREADS_ENV]: "3" }), { threads: 3, fromSetting: true });
  for (const value of [undefined, "", "0", "-2", "1.5", "many"]) {
    assert.deepEqual(requestedThreads(value === undefined ? {} : { [TRAINING_THREADS_ENV]: value }), { threads: automatic, fromSetting: false }, `setting ${value}`);
  }
  assert.ok(physicalCores() >= 1);
});
