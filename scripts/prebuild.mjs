// `npm run prebuilds`: builds the native addon from source (in a temporary
// copy of native/, leaving native/build alone) and writes it to
// prebuilds/<platform>-<arch>/nn_kernels.napi.node once it passes the
// kernel check. N-API (version 8): one file serves every Node >= 20. The
// install (scripts/setup.mjs) then needs no compiler on this platform.
// (Not named `prebuild`: npm would run that before every `npm run build`.)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { buildFromSource, describeSpeed, missingBuildTools, prebuildPath, root, smokeTest } from "./native-build.mjs";

const fail = (msg) => {
  console.error(`[prebuilds] ${msg}`);
  process.exit(1);
};
const missing = missingBuildTools();
if (missing) fail(`no ${missing} on PATH: a prebuilt binary is built from source (Debian/Ubuntu: sudo apt install g++ make)`);

const work = mkdtempSync(join(tmpdir(), "nn-workbook-prebuild-"));
try {
  cpSync(join(root, "native", "binding.gyp"), join(work, "binding.gyp"));
  cpSync(join(root, "native", "src"), join(work, "src"), { recursive: true });
  console.log("[prebuilds] building native/ from source (node-gyp, about a minute)");
  const b = buildFromSource(work);
  if (!b.ok) fail(`the build failed:\n${b.output}`);
  mkdirSync(dirname(prebuildPath), { recursive: true });
  // Not stripped (it would save a fifth): the test that no AVX instruction
  // sits outside the AVX kernels reads the function names.
  // Copied beside it, then renamed over it: a process that has the old file
  // loaded (a test run, a kernel) keeps its mapping instead of crashing.
  copyFileSync(join(work, "build", "Release", "nn_kernels.node"), `${prebuildPath}.tmp`);
  renameSync(`${prebuildPath}.tmp`, prebuildPath);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const r = smokeTest(prebuildPath);
if (r.kernels !== "native" || r.error) {
  rmSync(prebuildPath, { force: true });
  fail(`the binary does not pass the kernel check, removed: ${r.error ?? "the TypeScript kernels ran"}`);
}
const sha = createHash("sha256").update(readFileSync(prebuildPath)).digest("hex");
// The newest glibc symbol version it needs: the oldest Linux it loads on.
const objdump = spawnSync("objdump", ["-T", prebuildPath], { encoding: "utf8" });
const glibc = [...(objdump.stdout ?? "").matchAll(/GLIBC_(\d+)\.(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).pop();
console.log(`[prebuilds] ${relative(root, prebuildPath)}: ${(statSync(prebuildPath).size / 1024).toFixed(0)} kB, sha256 ${sha.slice(0, 16)}…${glibc ? `, needs glibc >= ${glibc.join(".")}` : ""}; ${describeSpeed(r)}`);
