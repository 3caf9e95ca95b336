// `npm install` runs this: build the lib, create the project's Python
// environment (.venv) with JupyterLab, and register the tslab TypeScript
// kernel inside it. Each step is skipped when already done; a missing
// Python prints what to install and leaves the Node parts working.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, chmodSync, rmSync } from "node:fs";
import { buildFromSource, buildPath, describeSpeed, missingBuildTools, platformTag, prebuildPath, smokeTest } from "./native-build.mjs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const venv = join(root, ".venv");
const py = join(venv, "bin", "python");
const started = Date.now();

const log = (msg) => console.log(`[nn-workbook setup] ${msg}`);
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  return r.status === 0;
}

// 1. The lib, compiled to dist/ (notebooks import the compiled .js + .d.ts).
log("building the TypeScript lib (tsc)");
if (!run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"])) {
  console.error("[nn-workbook setup] tsc failed: see the errors above");
  process.exit(1);
}

// 1b. The native kernels (native/, C++): the prebuilt binary for this
//     platform when it loads and passes its check (no compiler needed),
//     else a source build with npm's node-gyp (NN_WORKBOOK_BUILD_FROM_SOURCE=1
//     builds even when a prebuilt binary fits), else the TypeScript kernels.
//     Each case ends in one line saying which kernels run and how fast.
const fromSource = process.env.NN_WORKBOOK_BUILD_FROM_SOURCE === "1";
const nativeDone = (where, report) => log(`native kernels: ${where}, ${describeSpeed(report)}`);
let native = false;
const prebuilt = existsSync(prebuildPath) ? () => smokeTest(prebuildPath) : undefined;
if (prebuilt && !fromSource) {
  const r = prebuilt();
  if (r.kernels === "native" && !r.error) {
    // A source build left by an earlier install would be loaded first.
    rmSync(join(root, "native", "build"), { recursive: true, force: true });
    nativeDone(`prebuilt binary prebuilds/${platformTag} (no compiler needed; NN_WORKBOOK_BUILD_FROM_SOURCE=1 builds them here)`, r);
    native = true;
  } else {
    log(`the prebuilt binary prebuilds/${platformTag} does not run here (${r.error}): building from source`);
  }
}
if (!native) {
  const missing = missingBuildTools();
  let why = missing ? `no ${missing} on PATH to build them` : undefined;
  if (!missing) {
    log("building the native kernels (node-gyp, about a minute)");
    const b = buildFromSource();
    const r = b.ok ? smokeTest(buildPath) : undefined;
    if (r && r.kernels === "native" && !r.error) {
      nativeDone("built here", r);
      native = true;
    } else {
      if (!b.ok) console.warn(b.output.trim().split("\n").slice(-25).join("\n"));
      rmSync(join(root, "native", "build"), { recursive: true, force: true });
      why = b.ok ? `the build does not run (${r?.error})` : "the build failed (errors above)";
    }
  }
  if (!native && prebuilt && fromSource) {
    const r = prebuilt();
    if (r.kernels === "native" && !r.error) {
      nativeDone(`prebuilt binary prebuilds/${platformTag} (${why})`, r);
      native = true;
    }
  }
  if (!native) {
    const r = smokeTest(undefined, { typescript: true });
    const advice = missing ? "Debian/Ubuntu: sudo apt install g++ make; macOS: xcode-select --install" : "see above";
    console.warn(`[nn-workbook setup] TypeScript kernels: ${describeSpeed(r)}, several times slower than the native ones (${why}${prebuilt ? "" : `, no prebuilt binary for ${platformTag}`}; ${advice}; then npm install again)`);
  }
}

// 2. Python with venv.
const python = process.env.NN_WORKBOOK_PYTHON ?? "python3";
const probe = spawnSync(python, ["-c", "import venv, ensurepip, sys; print(sys.version.split()[0])"], { encoding: "utf8" });
if (probe.status !== 0) {
  console.warn(`
[nn-workbook setup] Python 3 with venv was not found (tried '${python}').
  The lib, the tests of the lib and 'npx nn-workbook train' work without it;
  JupyterLab, the notebooks and 'nn-workbook run' need it. Install it, then run 'npm install' again:
    Debian/Ubuntu:  sudo apt install python3 python3-venv
    macOS:          brew install python
  or point NN_WORKBOOK_PYTHON at a Python >= 3.9 that has the venv module.
`);
  process.exit(0);
}
log(`using ${python} (Python ${probe.stdout.trim()})`);

// 3. .venv with JupyterLab, reinstalled only when requirements change.
const reqFile = join(root, "python", "requirements.txt");
const reqHash = createHash("sha256").update(readFileSync(reqFile)).digest("hex");
const stamp = join(venv, ".nn-workbook-requirements");
const ready = existsSync(py) && existsSync(stamp) && readFileSync(stamp, "utf8") === reqHash;
if (!ready) {
  if (!existsSync(py)) {
    log("creating .venv");
    rmSync(venv, { recursive: true, force: true });
    if (!run(python, ["-m", "venv", venv])) {
      console.error("[nn-workbook setup] 'python3 -m venv .venv' failed; on Debian/Ubuntu: sudo apt install python3-venv");
      process.exit(1);
    }
  }
  log("installing JupyterLab, nbclient, nbconvert, plotly into .venv (pip)");
  // Offline mirrors answer at once but a public index that cannot be reached is
  // retried for minutes: no retries unless PIP_RETRIES says otherwise.
  const retries = process.env.PIP_RETRIES ? [] : ["--retries", "0"];
  if (!run(py, ["-m", "pip", "install", "--disable-pip-version-check", "-q", ...retries, "-r", reqFile])) {
    console.error("[nn-workbook setup] pip install failed: see above; fix the network or the index, then run 'npm install' again");
    process.exit(1);
  }
  writeFileSync(stamp, reqHash);
}

// 4. The kernel: a launcher with absolute paths (no node_modules/.bin on PATH
//    needed), registered in .venv only, never in the user's global Jupyter.
const launcher = join(venv, "bin", "nn-workbook-tslab");
writeFileSync(launcher, `#!/bin/sh\n# Written by nn-workbook's npm install: the TypeScript kernel of this project.\nexec "${process.execPath}" "${join(root, "node_modules", "tslab", "bin", "tslab")}" "$@"\n`);
chmodSync(launcher, 0o755);
log("registering the tslab TypeScript kernel in .venv");
if (!run(process.execPath, [join(root, "node_modules", "tslab", "bin", "tslab"), "install", "--python", py, "--binary", launcher, "--sys-prefix"], { stdio: ["ignore", "ignore", "inherit"] })) {
  console.error("[nn-workbook setup] registering the kernel failed: see above");
  process.exit(1);
}
const kernels = spawnSync(join(venv, "bin", "jupyter"), ["kernelspec", "list"], { encoding: "utf8" });
if (!/tslab\s+.*\.venv/.test(kernels.stdout)) {
  console.error(`[nn-workbook setup] the tslab kernel is not listed by .venv's Jupyter:\n${kernels.stdout}${kernels.stderr}`);
  process.exit(1);
}
log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: 'npm start' opens JupyterLab, 'npm test' runs the tests`);
