// `npm install` runs this: build the lib, create the project's Python
// environment (.venv) with JupyterLab, and register the project's TypeScript
// kernel (tslab, as 'nn-workbook') inside it. Each step is skipped when
// already done; a missing Python prints what to install and leaves the Node
// parts working.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { buildFromSource, buildPath, describeSpeed, missingBuildTools, platformTag, prebuildPath, smokeTest } from "./native-build.mjs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const venv = join(root, ".venv");
const started = Date.now();

const log = (msg) => console.log(`[nn-workbook setup] ${msg}`);
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts });
  return r.status === 0;
}

// 1. The lib, compiled to dist/ (notebooks import the compiled .js + .d.ts).
//    Without the dev dependencies (`npm ci --omit=dev`, how an image is
//    built) the tests cannot compile: tsconfig.build.json leaves them out.
const withTests = existsSync(join(root, "node_modules", "@types", "mocha"));
const tsconfig = withTests ? "tsconfig.json" : "tsconfig.build.json";
log(`building the TypeScript lib (tsc -p ${tsconfig})`);
if (!run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", tsconfig])) {
  console.error("[nn-workbook setup] tsc failed: see the errors above");
  process.exit(1);
}
// What differs between platforms, and the kernelspec, from the lib just built.
const require = createRequire(import.meta.url);
const { systemPython, venvPython, venvProgram } = require("../dist/cli/platform.js");
const { installKernel, kernelSpec, KERNEL_NAME } = require("../dist/cli/kernel.js");
const py = venvPython(venv);

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
  let why = missing ? `no ${missing} found to build them` : undefined;
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

// 2. Python with venv. NN_WORKBOOK_NO_VENV=1 skips the Python side: an image
//    whose Jupyter lives elsewhere registers the kernel there instead
//    (npx nn-workbook kernel install --sys-prefix).
if (process.env.NN_WORKBOOK_NO_VENV === "1") {
  log("NN_WORKBOOK_NO_VENV=1: no .venv; register the kernel in your Jupyter with 'npx nn-workbook kernel install --sys-prefix' (or --user, --prefix DIR)");
  process.exit(0);
}
const python = systemPython();
const probe = spawnSync(python, ["-c", "import venv, ensurepip, sys; print(sys.version.split()[0])"], { encoding: "utf8" });
if (probe.status !== 0) {
  console.warn(`
[nn-workbook setup] Python 3 with venv was not found (tried '${python}').
  The lib, the tests of the lib and 'npx nn-workbook train' work without it;
  JupyterLab, the notebooks and 'nn-workbook run' need it. Install it, then run 'npm install' again:
    Debian/Ubuntu:  sudo apt install python3 python3-venv
    macOS:          brew install python
    Windows:        the python.org installer (tick "Add python.exe to PATH"), or work in WSL
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
      console.error(`[nn-workbook setup] '${python} -m venv .venv' failed; on Debian/Ubuntu: sudo apt install python3-venv`);
      process.exit(1);
    }
  }
  log("installing JupyterLab, nbclient, nbconvert, plotly into .venv (pip, the versions python/requirements.txt pins)");
  // Offline mirrors answer at once but a public index that cannot be reached is
  // retried for minutes: no retries unless PIP_RETRIES says otherwise.
  const retries = process.env.PIP_RETRIES ? [] : ["--retries", "0"];
  if (!run(py, ["-m", "pip", "install", "--disable-pip-version-check", "-q", ...retries, "-r", reqFile])) {
    console.error("[nn-workbook setup] pip install failed: see above; fix the network or the index, then run 'npm install' again");
    process.exit(1);
  }
  writeFileSync(stamp, reqHash);
}

// 4. The kernel, registered in .venv only (never in the user's global
//    Jupyter) under a name of its own: node runs the project's tslab directly.
//    Before it was named 'tslab' (and 'jslab'), started by a shell script.
const kernels = join(venv, "share", "jupyter", "kernels");
for (const old of ["tslab", "jslab"]) {
  const spec = join(kernels, old, "kernel.json");
  if (existsSync(spec) && readFileSync(spec, "utf8").includes("nn-workbook-tslab")) rmSync(join(kernels, old), { recursive: true, force: true });
}
rmSync(venvProgram(venv, "nn-workbook-tslab"), { force: true });
const { dir, outcome } = installKernel(join(venv, "share", "jupyter"), KERNEL_NAME, kernelSpec(), true);
log(`kernel '${KERNEL_NAME}' ${outcome === "unchanged" ? "already registered" : "registered"} in .venv (${dir})`);
const listed = spawnSync(venvProgram(venv, "jupyter"), ["kernelspec", "list", "--json"], { encoding: "utf8" });
let found;
try {
  found = JSON.parse(listed.stdout).kernelspecs[KERNEL_NAME]?.resource_dir;
} catch {
  found = undefined;
}
if (found === undefined || resolve(found) !== resolve(dir)) {
  console.error(`[nn-workbook setup] .venv's Jupyter does not list the '${KERNEL_NAME}' kernel of ${dir}:\n${listed.stdout}${listed.stderr}`);
  process.exit(1);
}
log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: 'npm start' opens JupyterLab${withTests ? ", 'npm test' runs the tests" : ""}`);
