/**
 * `nn-workbook kernel install|uninstall|list`: this project's TypeScript
 * kernel (tslab) in any Jupyter: a JupyterHub's, VS Code's, the project's own
 * .venv. Like `jupyter kernelspec install`, it writes
 * `<data dir>/kernels/<name>/kernel.json`, without needing jupyter on PATH.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ROOT, UsageError, VENV } from "./paths";
import { jupyterPathDirs, kernelDirIn, prefixDataDir, systemDataDirs, systemPython, userDataDir } from "./platform";

/** The kernel's name in Jupyter and in the notebooks' metadata; unique, so a global `tslab` kernel cannot shadow it. */
export const KERNEL_NAME = "nn-workbook";
export const KERNEL_DISPLAY_NAME = "TypeScript (nn-workbook)";

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  /** `nn_workbook.root`: the project this kernel runs, how `uninstall` and `list` recognise our kernels. */
  metadata: { nn_workbook: { root: string } };
}

/**
 * kernel.json for the project at `root`: node itself runs the project's tslab
 * (absolute paths, no shell script, no PATH lookup), so it works from any
 * working directory and on Windows too.
 */
export function kernelSpec(root: string = ROOT, node: string = process.execPath): KernelSpec {
  return {
    argv: [node, join(root, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    metadata: { nn_workbook: { root } },
  };
}

/** Jupyter's rule for kernel names (jupyter_client's kernelspec module). */
const NAME = /^[a-z0-9._-]+$/i;

export function checkKernelName(name: string): string {
  if (!NAME.test(name)) throw new UsageError(`--name '${name}': a kernel name may hold only letters, digits, '.', '_' and '-'`);
  return name;
}

function readSpec(dir: string): Partial<KernelSpec> | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8")) as Partial<KernelSpec>;
  } catch {
    return undefined;
  }
}

const ours = (spec: Partial<KernelSpec> | undefined): spec is KernelSpec => typeof spec?.metadata?.nn_workbook?.root === "string";

export type InstallOutcome = "installed" | "replaced" | "unchanged";

/**
 * Writes `spec` as kernel `name` under the Jupyter data folder `dataDir`.
 * The same spec already there is left as is; another one is an error unless
 * `replace`.
 */
export function installKernel(dataDir: string, name: string, spec: KernelSpec = kernelSpec(), replace = false): { dir: string; outcome: InstallOutcome } {
  const dir = kernelDirIn(dataDir, checkKernelName(name));
  let outcome: InstallOutcome = "installed";
  if (existsSync(dir)) {
    const old = readSpec(dir);
    if (old && JSON.stringify(old) === JSON.stringify(spec)) return { dir, outcome: "unchanged" };
    if (!replace) {
      const what = ours(old) ? `nn-workbook's kernel of ${old.metadata.nn_workbook.root} (run by ${old.argv[0]})` : old ? `a kernel running ${JSON.stringify(old.argv?.[0] ?? "?")}` : "a folder without a readable kernel.json";
      throw new UsageError(`${dir} already holds ${what}; pass --replace to overwrite it, or --name to install under another name`);
    }
    rmSync(dir, { recursive: true, force: true });
    outcome = "replaced";
  }
  // Written aside then renamed: a Jupyter listing kernels meanwhile never reads half a file.
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, "kernel.json"), JSON.stringify(spec, null, 1) + "\n");
  renameSync(tmp, dir);
  return { dir, outcome };
}

/** Removes kernel `name` from `dataDir`; refuses a kernel nn-workbook did not install. */
export function uninstallKernel(dataDir: string, name: string): string {
  const dir = kernelDirIn(dataDir, checkKernelName(name));
  if (!existsSync(dir)) {
    const there = kernelsIn(dataDir).map((k) => k.name);
    throw new UsageError(`no kernel named '${name}' in ${join(dataDir, "kernels")} (${there.length ? `there: ${there.join(", ")}` : "no kernels there"}); nothing removed`);
  }
  if (!ours(readSpec(dir))) {
    throw new UsageError(`${dir} is not a kernel nn-workbook installed; left in place (remove it with 'jupyter kernelspec uninstall ${name}' if you mean to)`);
  }
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

export interface InstalledKernel {
  name: string;
  dir: string;
  /** The project it runs, when nn-workbook installed it. */
  root?: string;
}

/** The kernels of a Jupyter data folder. */
export function kernelsIn(dataDir: string): InstalledKernel[] {
  const kernels = join(dataDir, "kernels");
  if (!existsSync(kernels)) return [];
  return readdirSync(kernels)
    .filter((name) => statSync(join(kernels, name)).isDirectory() && existsSync(join(kernels, name, "kernel.json")))
    .sort()
    .map((name) => {
      const spec = readSpec(join(kernels, name));
      return { name, dir: join(kernels, name), root: ours(spec) ? spec.metadata.nn_workbook.root : undefined };
    });
}

/** sys.prefix of `python`, which must have Jupyter (jupyter_client) installed. */
export function jupyterPrefix(python: string): string {
  const r = spawnSync(python, ["-c", "import sys, jupyter_client; print(sys.prefix)"], { encoding: "utf8" });
  if (r.error) throw new UsageError(`--sys-prefix: cannot run '${python}' (${r.error.message}); pass --python with the Python that runs your Jupyter, or --prefix DIR`);
  if (r.status !== 0) {
    const why = /No module named/.test(r.stderr) ? "has no Jupyter (jupyter_client is not installed there)" : `failed: ${r.stderr.trim().split("\n").pop()}`;
    throw new UsageError(`--sys-prefix: '${python}' ${why}; pass --python with the Python that runs your Jupyter, or --prefix DIR`);
  }
  return r.stdout.trim();
}

export const KERNEL_HELP = `nn-workbook kernel install|uninstall|list [where] [--name N] [--replace]
  Registers this project's TypeScript kernel (display name "${KERNEL_DISPLAY_NAME}")
  in a Jupyter that already runs: a JupyterHub image's, VS Code's, your own.
  Its kernel.json runs this project's node and tslab by absolute path, from
  any folder; notebooks import the lib as "../dist/lib", so they sit one folder
  below the project (notebooks/, student/). Where (one of):
    --user          the per-user Jupyter data folder (the default)
    --sys-prefix    the environment of the Python that runs Jupyter: --python PY,
                    default ${systemPython()} (a hub image: /opt/conda, a venv)
    --prefix DIR    DIR/share/jupyter/kernels (DIR must exist)
  --name N          kernel name (default ${KERNEL_NAME}; notebooks ask for ${KERNEL_NAME})
  --replace         overwrite a different kernel already installed under that name
  'list' shows the kernels of the user folder, the project's .venv, JUPYTER_PATH
  and the system folders, marking the ones nn-workbook installed.`;

/** The Jupyter data folder the flags name. */
function dataDirOf(values: { user?: boolean; "sys-prefix"?: boolean; prefix?: string; python?: string }): string {
  const chosen = [values.user && "--user", values["sys-prefix"] && "--sys-prefix", values.prefix !== undefined && "--prefix"].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`kernel: ${chosen.join(" and ")} both say where; give one of --user, --sys-prefix, --prefix DIR`);
  if (values.python !== undefined && !values["sys-prefix"]) throw new UsageError("kernel: --python goes with --sys-prefix (the Python whose environment gets the kernel)");
  if (values.prefix !== undefined) {
    const prefix = resolve(values.prefix);
    if (!existsSync(prefix) || !statSync(prefix).isDirectory()) {
      throw new UsageError(`--prefix ${values.prefix}: no such folder; give an existing installation prefix (a venv or conda env folder, /usr/local)`);
    }
    return prefixDataDir(prefix);
  }
  if (values["sys-prefix"]) return prefixDataDir(jupyterPrefix(values.python ?? systemPython()));
  return userDataDir(process.platform, process.env, homedir());
}

export async function kernelCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      user: { type: "boolean" },
      "sys-prefix": { type: "boolean" },
      prefix: { type: "string" },
      python: { type: "string" },
      name: { type: "string", default: KERNEL_NAME },
      replace: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(KERNEL_HELP);
    return 0;
  }
  const [action, ...extra] = positionals;
  if (extra.length) throw new UsageError(`kernel: unexpected argument '${extra[0]}'\n\n${KERNEL_HELP}`);
  const name = checkKernelName(values.name);
  switch (action) {
    case "install": {
      const { dir, outcome } = installKernel(dataDirOf(values), name, kernelSpec(), values.replace);
      const verb = { installed: "installed", replaced: "replaced", unchanged: "already installed, unchanged:" }[outcome];
      console.log(`kernel '${name}' (${KERNEL_DISPLAY_NAME}) ${verb} ${dir}`);
      return 0;
    }
    case "uninstall":
      console.log(`removed ${uninstallKernel(dataDirOf(values), name)}`);
      return 0;
    case "list": {
      const dirs = [...(values.prefix !== undefined || values["sys-prefix"] ? [dataDirOf(values)] : []), userDataDir(process.platform, process.env, homedir()), prefixDataDir(VENV),
        ...jupyterPathDirs(), ...systemDataDirs()];
      let found = 0;
      for (const dir of [...new Set(dirs)]) {
        for (const k of kernelsIn(dir)) {
          if (k.root === undefined && k.name !== name) continue;
          found++;
          const whose = k.root === undefined ? "not nn-workbook's" : k.root === ROOT ? "this project" : `project ${k.root}`;
          console.log(`${k.name}\t${k.dir}\t(${whose})`);
        }
      }
      if (!found) console.log(`no nn-workbook kernel found; 'nn-workbook kernel install --help' says how to add one`);
      return 0;
    }
    case undefined:
      throw new UsageError(`kernel: say install, uninstall or list\n\n${KERNEL_HELP}`);
    default:
      throw new UsageError(`kernel: unknown action '${action}'; use install, uninstall or list`);
  }
}
