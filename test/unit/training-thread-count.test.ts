import assert from "node:assert/strict";
import { test } from "node:test";
import { MEASURE_ALL_THREADS_ENV, physicalCores, requestedThreads } from "../../src/training/wasmThreads";
import { TRAINING_THREADS_ENV } from "../../src/protocol/training";

test("the thread count comes from the setting when it is a positive whole number, else physical cores less one", () => {
  const automatic = Math.max(1, physicalCores() - 1);
  assert.deepEqual(requestedThreads({ [TRAINING_THREADS_ENV]: "3" }, 8), { threads: 3, fromSetting: true });
  for (const value of [undefined, "", "0", "-2", "1.5", "many"]) {
    assert.deepEqual(requestedThreads(value === undefined ? {} : { [TRAINING_THREADS_ENV]: value }), { threads: automatic, fromSetting: false }, `setting ${value}`);
  }
  assert.ok(physicalCores() >= 1);
});

test("the setting never puts a thread on every core (slower than one thread on two cores), unless measuring", () => {
  assert.deepEqual(requestedThreads({ [TRAINING_THREADS_ENV]: "2" }, 2), { threads: 1, fromSetting: true, asked: 2 });
  assert.deepEqual(requestedThreads({ [TRAINING_THREADS_ENV]: "8" }, 4), { threads: 3, fromSetting: true, asked: 8 });
  assert.deepEqual(requestedThreads({ [TRAINING_THREADS_ENV]: "1" }, 1), { threads: 1, fromSetting: true });
  assert.deepEqual(requestedThreads({ [TRAINING_THREADS_ENV]: "99" }, 1), { threads: 1, fromSetting: true, asked: 64 });
  assert.deepEqual(requestedThreads({ [TRAINING_THREADS_ENV]: "2", [MEASURE_ALL_THREADS_ENV]: "1" }, 2), { threads: 2, fromSetting: true });
  assert.deepEqual(requestedThreads({}, 2), { threads: 1, fromSetting: false });
  assert.deepEqual(requestedThreads({}, 16), { threads: 15, fromSetting: false });
});
