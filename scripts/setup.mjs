// `npm install` runs this: build the lib, create the project's Python
// environment (.venv) with JupyterLab, and register the tslab TypeScript
// kernel inside it. Each step is skipped when already done; a missing
// Python prints what to install and leaves the Node parts working.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, chmodSync, rmSync } from "node:fs";
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

// 1b. The native kernels (native/, C++ through node-gyp, which npm ships):
//     optional, the TypeScript kernels are used when they do not build.
log("building the native kernels (node-gyp)");
const npmDir = process.env.npm_execpath ? resolve(dirname(process.env.npm_execpath), "..") : undefined;
const gyp = [npmDir && join(npmDir, "node_modules", "node-gyp", "bin", "node-gyp.js"), join(root, "node_modules", "node-gyp", "bin", "node-gyp.js")].find((p) => p && existsSync(p));
// Node's own headers, when installed beside it, spare node-gyp a download.
const nodeDir = resolve(dirname(process.execPath), "..");
const nodeDirArg = existsSync(join(nodeDir, "include", "node", "node_api.h")) ? [`--nodedir=${nodeDir}`] : [];
if (!gyp || !run(process.execPath, [gyp, "rebuild", "--loglevel", "warn", ...nodeDirArg], { cwd: join(root, "native"), stdio: ["ignore", "ignore", "inherit"] })) {
  console.warn(`[nn-workbook setup] the native kernels did not build (${gyp ? "see the errors above" : "node-gyp not found"}); training uses the TypeScript kernels,
  several times slower on the full set. To build them: a C++ compiler (Debian: sudo apt install g++ make), then 'npm install' again.`);
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
