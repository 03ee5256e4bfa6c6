import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { BackendReport } from "../../src/protocol/training";
import { CALIBRATION_FILE, keepCalibration, loadKeptCalibration } from "../../src/training/calibrationStore";

const onIntelGpu: BackendReport = {
  active: "wasm",
  attempts: [
    { backend: "webgpu", loaded: false, reason: "no adapter" },
    { backend: "webgl", loaded: true, detail: "ANGLE (Intel, Intel(R) Iris(R) Xe Graphics)" },
    { backend: "tensorflow", loaded: false, reason: "not installed" },
    { backend: "wasm", loaded: true, detail: "SIMD, 3 threads" },
  ],
};
const measured = { chosen: "webgl" as const, imagesPerSecond: { webgl: 2400, wasm: 1300 } };

function folder(): string {
  return mkdtempSync(join(tmpdir(), "dl-lessons-calibration-"));
}

test("a measurement kept in the data folder is read back by the next process on the same machine", async () => {
  const dir = folder();
  try {
    assert.equal(await loadKeptCalibration(dir, onIntelGpu), undefined, "nothing measured yet");
    assert.equal(await keepCalibration(dir, onIntelGpu, measured), undefined);
    assert.deepEqual(await loadKeptCalibration(dir, onIntelGpu), measured);
    assert.deepEqual(readdirSync(dir), [CALIBRATION_FILE], "no partial file is left behind");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("another GPU, another thread count or a newly loaded backend measures again", async () => {
  const dir = folder();
  try {
    await keepCalibration(dir, onIntelGpu, measured);
    const otherGpu: BackendReport = { ...onIntelGpu, attempts: onIntelGpu.attempts.map((a) => (a.backend === "webgl" ? { ...a, detail: "ANGLE (NVIDIA, GeForce RTX 3060)" } : a)) };
    const otherThreads: BackendReport = { ...onIntelGpu, attempts: onIntelGpu.attempts.map((a) => (a.backend === "wasm" ? { ...a, detail: "SIMD, 1 thread" } : a)) };
    const nativeInstalled: BackendReport = { ...onIntelGpu, attempts: onIntelGpu.attempts.map((a) => (a.backend === "tensorflow" ? { backend: "tensorflow", loaded: true } : a)) };
    for (const report of [otherGpu, otherThreads, nativeInstalled]) assert.equal(await loadKeptCalibration(dir, report), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a damaged or hand-edited file counts as not measured, never as a choice", async () => {
  const dir = folder();
  try {
    await keepCalibration(dir, onIntelGpu, measured);
    const file = join(dir, CALIBRATION_FILE);
    const good = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const damaged = [
      "{ not json",
      JSON.stringify({ ...good, chosen: "quantum" }),
      JSON.stringify({ ...good, imagesPerSecond: { webgl: -5, wasm: 1300 } }),
      JSON.stringify({ ...good, imagesPerSecond: { wasm: 1300 } }),
      JSON.stringify({ ...good, measuredOn: "webgl" }),
    ];
    for (const text of damaged) {
      writeFileSync(file, text);
      assert.equal(await loadKeptCalibration(dir, onIntelGpu), undefined, text);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a folder that cannot be written gives a reason for the log, not an error", async () => {
  const dir = folder();
  try {
    // A data folder path that runs through a file cannot be created, even by root.
    writeFileSync(join(dir, "a-file"), "");
    const reason = await keepCalibration(join(dir, "a-file", "datasets"), onIntelGpu, measured);
    assert.match(reason ?? "", /could not be kept for the next window/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
