import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { findLibrary, NATIVE_MODULES_ENV, nativeGpuNeeds, nativePackagePath } from "../../src/protocol/nativeTensorflow";

function folderWith(...files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-lessons-native-"));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), "");
  }
  return dir;
}

test("the CUDA 11 runtime and cuDNN 8 are found by their file names, or said to be missing", () => {
  const cuda11 = folderWith("libcudart.so.11.0", "libcudnn.so.8");
  const cuda12 = folderWith("libcudart.so.12");
  assert.equal(findLibrary("libcudart.so.11.0", [cuda12, cuda11]), cuda11);
  const found = nativeGpuNeeds("linux", "x64", [cuda11]);
  assert.match(found, new RegExp(`libcudart\\.so\\.11\\.0 is in ${cuda11.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  assert.match(found, /libcudnn\.so\.8 is in/);
  const missing = nativeGpuNeeds("linux", "x64", [cuda12]);
  assert.match(missing, /libcudart\.so\.11\.0 was not found \(CUDA 12 does not provide it/);
  assert.match(missing, /libcudnn\.so\.8 was not found/);
  assert.match(missing, /Lessons: Install Native TensorFlow/);
});

test("macOS and Windows are told that native TensorFlow has no GPU build there, and what to use instead", () => {
  assert.match(nativeGpuNeeds("darwin", "arm64"), /no GPU build for macOS .* webgpu or webgl/);
  assert.match(nativeGpuNeeds("win32", "x64"), /no GPU build for Windows/);
  assert.match(nativeGpuNeeds("linux", "arm64"), /x86-64 Linux only/);
});

test("the native package is taken from the install command's folder when it is there", () => {
  const modules = folderWith(path.join("@tensorflow", "tfjs-node-gpu", "package.json"));
  assert.equal(nativePackagePath("@tensorflow/tfjs-node-gpu", { [NATIVE_MODULES_ENV]: modules }), path.join(modules, "@tensorflow", "tfjs-node-gpu"));
  assert.equal(nativePackagePath("@tensorflow/tfjs-node", { [NATIVE_MODULES_ENV]: modules }), "@tensorflow/tfjs-node");
  assert.equal(nativePackagePath("@tensorflow/tfjs-node-gpu", {}), "@tensorflow/tfjs-node-gpu");
});
