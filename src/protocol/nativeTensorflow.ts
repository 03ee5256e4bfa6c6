/**
 * What native GPU training (@tensorflow/tfjs-node-gpu 4.22) needs, checked on this machine by
 * file name: that package is built for x86-64 Linux only, against CUDA 11.2 and cuDNN 8.1, and
 * its binding loads `libcudart.so.11.0` and `libcudnn.so.8` (CUDA 12 has neither). The backend
 * report gives these facts where the native GPU backend did not load, so a learner or an
 * instructor knows what is missing. The package can be installed into the extension's storage
 * folder (Lessons: Install Native TensorFlow); the training process looks there first.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The folder (a node_modules) where the install command puts the native packages; set by the host. */
export const NATIVE_MODULES_ENV = "DL_LESSONS_NATIVE_MODULES";

export const NATIVE_GPU_PACKAGE = "@tensorflow/tfjs-node-gpu";
export const NATIVE_CPU_PACKAGE = "@tensorflow/tfjs-node";
/** The version the rest of TensorFlow.js here is: the native binding must match tfjs-core. */
export const NATIVE_VERSION = "4.22.0";

const CUDA_RUNTIME = "libcudart.so.11.0";
const CUDNN = "libcudnn.so.8";

/** Where the dynamic loader and CUDA's installers put libraries (LD_LIBRARY_PATH first). */
export function libraryDirectories(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env["LD_LIBRARY_PATH"] ?? "").split(":").filter((dir) => dir !== "");
  const cudaHomes = ["/usr/local"].flatMap((root) => {
    try {
      return fs.readdirSync(root).filter((name) => /^cuda(-[\d.]+)?$/.test(name)).map((name) => path.join(root, name, "lib64"));
    } catch {
      return [];
    }
  });
  return [...new Set([...fromEnv, ...cudaHomes, "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu"])];
}

/** The first directory holding `fileName`, if any. */
export function findLibrary(fileName: string, directories: readonly string[] = libraryDirectories()): string | undefined {
  return directories.find((dir) => fs.existsSync(path.join(dir, fileName)));
}

/** Where the native package resolves from: the install command's folder first, then the extension's own. */
export function nativePackagePath(pkg: string, env: NodeJS.ProcessEnv = process.env): string {
  const installed = env[NATIVE_MODULES_ENV];
  if (installed && fs.existsSync(path.join(installed, ...pkg.split("/"), "package.json"))) return path.join(installed, ...pkg.split("/"));
  return pkg;
}

/** One sentence on what native GPU training needs here, and what of it this machine has. */
export function nativeGpuNeeds(platform: NodeJS.Platform = process.platform, arch: string = process.arch, directories?: readonly string[]): string {
  if (platform !== "linux") {
    return `Native TensorFlow has no GPU build for ${platform === "darwin" ? "macOS" : platform === "win32" ? "Windows" : platform} (${NATIVE_GPU_PACKAGE} is for Linux only): train on the GPU with the webgpu or webgl backend instead.`;
  }
  if (arch !== "x64") return `Native TensorFlow's GPU build is for x86-64 Linux only, and this machine is ${arch}: train on the GPU with the webgl backend instead.`;
  const dirs = directories ?? libraryDirectories();
  const runtime = findLibrary(CUDA_RUNTIME, dirs);
  const cudnn = findLibrary(CUDNN, dirs);
  const runtimeText = runtime ? `the CUDA 11 runtime ${CUDA_RUNTIME} is in ${runtime}` : `the CUDA 11 runtime ${CUDA_RUNTIME} was not found (CUDA 12 does not provide it; install CUDA 11.2 beside it or put its lib64 folder on LD_LIBRARY_PATH)`;
  const cudnnText = cudnn ? `cuDNN 8 ${CUDNN} is in ${cudnn}` : `cuDNN 8 ${CUDNN} was not found`;
  return `Native GPU training needs ${NATIVE_GPU_PACKAGE} ${NATIVE_VERSION} (Lessons: Install Native TensorFlow), CUDA 11.2 and cuDNN 8.1: ${runtimeText}; ${cudnnText}.`;
}
