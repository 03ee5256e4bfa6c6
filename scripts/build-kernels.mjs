// Builds the WebAssembly SIMD training kernels (src/training/kernels/wasm/*.c) with clang and
// lld for wasm32, without Emscripten or a C library (Debian: apt-get install clang lld; see
// scripts/setup.sh). Two builds, one per tfjs wasm build whose memory they import: a plain
// memory for the single-threaded backend, a shared one for the threaded backend.
//
//   node scripts/build-kernels.mjs [outDir]     (default out/wasm; esbuild.mjs copies it to dist/wasm)
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const outDir = process.argv[2] ?? join("out", "wasm");
const source = "src/training/kernels/wasm/training_kernels.c";

/** The clang to use: CLANG from the environment, else the first of the usual names that runs. */
function findClang() {
  const candidates = process.env.CLANG ? [process.env.CLANG] : ["clang", "clang-19", "clang-18", "clang-17", "clang-16", "clang-15", "clang-14"];
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ["--version"], { stdio: "ignore" });
      return candidate;
    } catch {
      // Try the next name.
    }
  }
  throw new Error(`No clang found (tried ${candidates.join(", ")}). On Debian: apt-get install clang lld (scripts/setup.sh does it).`);
}

const common = [
  "--target=wasm32",
  "-O3",
  "-msimd128",
  "-mmutable-globals",
  "-nostdlib",
  "-ffreestanding",
  "-fno-builtin",
  "-Wall",
  "-Werror",
  "-Wl,--no-entry",
  "-Wl,--import-memory",
  // The loader points the stack at a block it allocates from the backend (simd.ts).
  "-Wl,--export=__stack_pointer",
  "-Wl,-z,stack-size=0",
];
const builds = [
  { file: "training-kernels.wasm", flags: [] },
  { file: "training-kernels-threaded.wasm", flags: ["-matomics", "-mbulk-memory", "-Wl,--shared-memory", "-Wl,--max-memory=4294967296"] },
];

/** Section ids of a wasm binary; a data section (11) would write over the backend's heap. */
function sectionIds(bytes) {
  const ids = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      size |= (byte & 0x7f) << shift;
      if (!(byte & 0x80)) break;
    }
    ids.push(id);
    at += size;
  }
  return ids;
}

const clang = findClang();
mkdirSync(outDir, { recursive: true });
for (const build of builds) {
  const out = join(outDir, build.file);
  execFileSync(clang, [...common, ...build.flags, "-o", out, source], { stdio: "inherit" });
  if (sectionIds(readFileSync(out)).includes(11)) throw new Error(`${out} has a data section; the kernels must keep no static data.`);
}
console.log(`Training kernels built with ${clang} into ${outDir}/`);
