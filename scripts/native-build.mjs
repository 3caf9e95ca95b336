// Building and checking the native addon, shared by scripts/setup.mjs (npm
// install) and scripts/prebuild.mjs (npm run prebuild).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KERNEL_CHECK } from "./kernel-check.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const platformTag = `${process.platform}-${process.arch}`;
/** The prebuilt binary for this platform, as the loader (lib/array/addon.ts) looks for it. */
export const prebuildPath = join(root, "prebuilds", platformTag, "nn_kernels.napi.node");
export const buildPath = join(root, "native", "build", "Release", "nn_kernels.node");

/** node-gyp: npm's own copy, else one in node_modules. */
export function findGyp() {
  const npmDir = process.env.npm_execpath ? resolve(dirname(process.env.npm_execpath), "..") : undefined;
  const candidates = [npmDir && join(npmDir, "node_modules", "node-gyp", "bin", "node-gyp.js"), join(root, "node_modules", "node-gyp", "bin", "node-gyp.js")];
  // npm run sets npm_execpath; a plain `node scripts/…` finds npm beside node.
  candidates.push(join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  return candidates.find((p) => p && existsSync(p));
}

function onPath(names) {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  return names.find((n) => dirs.some((d) => existsSync(join(d, n))));
}

/** What a source build lacks here (a C++ compiler, make), or undefined when it can be tried. */
export function missingBuildTools() {
  if (process.platform === "win32") return undefined; // node-gyp finds Visual Studio itself
  const missing = [];
  const cxx = process.env.CXX ? process.env.CXX.split(" ")[0] : undefined;
  if (!(cxx ? existsSync(cxx) || onPath([cxx]) : onPath(["c++", "g++", "clang++"]))) missing.push("a C++ compiler");
  if (!onPath(["make", "gmake"])) missing.push("make");
  return missing.length ? missing.join(" and ") : undefined;
}

/**
 * Builds native/ (or a copy of it in `dir`) from source into its build/
 * (node-gyp rebuild). Its output is kept and returned (printed by the caller
 * only when the build fails).
 */
export function buildFromSource(dir = join(root, "native")) {
  const gyp = findGyp();
  if (!gyp) return { ok: false, output: "node-gyp not found (it comes with npm)" };
  // Node's own headers, when installed beside it, spare node-gyp a download.
  const nodeDir = resolve(dirname(process.execPath), "..");
  const nodeDirArg = existsSync(join(nodeDir, "include", "node", "node_api.h")) ? [`--nodedir=${nodeDir}`] : [];
  const r = spawnSync(process.execPath, [gyp, "rebuild", "--loglevel", "warn", ...nodeDirArg], { cwd: dir, encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

/**
 * Loads an addon in a child process, checks a few products against the
 * reference and times two-layer passes (scripts/kernel-check.mjs):
 * {kernels, isa, path, ms_per_pass, error}; a crash is an error too. With
 * `typescript`, times the TypeScript kernels instead.
 */
export function smokeTest(addonPath, { typescript = false } = {}) {
  const env = { ...process.env };
  if (addonPath) env.NN_WORKBOOK_ADDON = addonPath;
  else delete env.NN_WORKBOOK_ADDON;
  if (typescript) env.NN_WORKBOOK_KERNELS = "js";
  else delete env.NN_WORKBOOK_KERNELS;
  const r = spawnSync(process.execPath, [KERNEL_CHECK], { cwd: root, env, encoding: "utf8", timeout: 300000 });
  const line = (r.stdout ?? "").trim().split("\n").pop() ?? "";
  let report;
  try {
    report = JSON.parse(line);
  } catch {
    return { kernels: "none", error: `the check ${r.signal ? `was killed by ${r.signal}` : `exited with status ${r.status}`}: ${(r.stderr ?? "").trim().split("\n").slice(-1)[0] ?? ""}` };
  }
  if (r.status !== 0 && !report.error) report.error = `exit status ${r.status}`;
  return report;
}

/** "avx512 variant, 2.9 ms per two-layer pass (Q = 100, shipped set)" */
export function describeSpeed(report) {
  const speed = report.ms_per_pass !== undefined ? `${report.ms_per_pass.toFixed(1)} ms per two-layer pass (Q = 100, shipped set)` : "speed not measured";
  return report.isa ? `${report.isa} variant, ${speed}` : speed;
}
