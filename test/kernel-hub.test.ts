/**
 * The kernel in a Jupyter that is not the project's: a second venv stands for
 * a JupyterHub's (jupyter_client, nbclient, ipykernel at the lock's versions),
 * `nn-workbook kernel install --prefix` registers the kernel there, that
 * venv's nbclient runs a notebook of a course folder with it (PATH holding
 * nothing but the venv: node and tslab are found by absolute path), and
 * `kernel uninstall` removes it.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import type { SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, projectLayout } from "../cli/paths";
import { KERNEL_NAME } from "../cli/kernel";
import { systemPython, venvBin, venvProgram, venvPython } from "../cli/platform";
import { tempDir, removeDir } from "./helpers";

const LOCK = join(ROOT, "python", "requirements.txt");

/** The version python/requirements.txt pins for `name`. */
function locked(name: string): string {
  const line = readFileSync(LOCK, "utf8").split("\n").find((l) => l.toLowerCase().replace(/_/g, "-").startsWith(`${name}==`));
  assert.ok(line, `${name} is not pinned in ${LOCK}`);
  return line.split("==")[1].trim();
}

const RUN = `
import json, sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, kernel_name=sys.argv[2], timeout=300, resources={"metadata": {"path": sys.argv[3]}}).execute()
print(json.dumps([[o.get("text", "") for o in c.outputs if o.output_type == "stream"] for c in nb.cells]))
`;

const cell = (source: string) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source });

describe("the kernel in another Jupyter (a hub's venv)", function () {
  this.timeout(15 * 60 * 1000);
  let dir: string;
  before(() => (dir = tempDir("nnwb-hub-")));
  after(() => removeDir(dir));

  const show = (what: string, r: SpawnSyncReturns<string>) => `${what}: exit ${r.status}\n${r.stdout}\n${r.stderr}`.slice(-4000);

  it("installs with --prefix, runs a notebook with that Jupyter's nbclient, uninstalls", () => {
    const hub = join(dir, "hub");
    const py = venvPython(hub);
    const venv = spawnSync(systemPython(), ["-m", "venv", hub], { encoding: "utf8" });
    assert.equal(venv.status, 0, show("python -m venv", venv));
    const pkgs = ["jupyter_client", "nbclient", "ipykernel"].map((p) => `${p}==${locked(p.replace(/_/g, "-"))}`);
    // The lock as constraints: their dependencies at the project's versions too.
    const pip = spawnSync(py, ["-m", "pip", "install", "--retries", "0", "-q", "--disable-pip-version-check", "-c", LOCK, ...pkgs], { encoding: "utf8" });
    assert.equal(pip.status, 0, show(`pip install ${pkgs.join(" ")}`, pip));
    console.log(`      hub venv: ${hub} with ${pkgs.join(" ")}`);

    const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "nn-workbook.js"), "kernel", ...args], { encoding: "utf8", cwd: dir });
    const install = cli("install", "--prefix", hub);
    assert.equal(install.status, 0, show("kernel install", install));
    console.log(`      $ nn-workbook kernel install --prefix ${hub}\n      ${install.stdout.trim()}`);
    const kernelDir = join(hub, "share", "jupyter", "kernels", KERNEL_NAME);
    assert.ok(existsSync(join(kernelDir, "kernel.json")));

    // Only the hub's Jupyter folders, and a PATH without node or the project on it.
    const env = {
      PATH: venvBin(hub),
      HOME: dir,
      JUPYTER_DATA_DIR: join(dir, "user-data"),
      JUPYTER_CONFIG_DIR: join(dir, "user-config"),
      JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
      JUPYTER_PATH: "",
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
    };
    const specs = spawnSync(venvProgram(hub, "jupyter"), ["kernelspec", "list", "--json"], { encoding: "utf8", env });
    assert.equal(specs.status, 0, show("jupyter kernelspec list", specs));
    const listed = JSON.parse(specs.stdout).kernelspecs as Record<string, { resource_dir: string; spec: { display_name: string } }>;
    assert.equal(listed[KERNEL_NAME]?.resource_dir, kernelDir, `the hub's Jupyter lists: ${Object.keys(listed).join(", ")}`);
    assert.equal(listed[KERNEL_NAME].spec.display_name, "TypeScript (nn-workbook)");

    // A course folder: notebooks one level below what stands for the project.
    const course = join(dir, "course");
    mkdirSync(join(course, "notebooks"), { recursive: true });
    projectLayout(course, "link");
    const nb = join(course, "notebooks", "hello.ipynb");
    writeFileSync(nb, JSON.stringify({
      nbformat: 4, nbformat_minor: 5,
      metadata: { kernelspec: { name: KERNEL_NAME, display_name: "TypeScript (nn-workbook)", language: "typescript" } },
      cells: [
        cell('import { load_data } from "../dist/lib";\nconst d = load_data("../data");\nconsole.log(`train ${d.x_train.rows} test ${d.x_test.rows}`);'),
        cell("const typed: number = [1, 2, 3].reduce((a, b) => a + b, 0);\nconsole.log(`sum ${typed} in ${process.cwd()}`);"),
      ],
    }));
    const run = spawnSync(py, ["-c", RUN, nb, KERNEL_NAME, join(course, "notebooks")], { encoding: "utf8", env });
    assert.equal(run.status, 0, show("nbclient", run));
    const outputs = JSON.parse(run.stdout.trim().split("\n").pop()!) as string[][];
    console.log(`      hub nbclient ran hello.ipynb: ${outputs.map((o) => o.join("").trim()).join(" | ")}`);
    assert.equal(outputs[0].join("").trim(), "train 1000 test 1000");
    assert.equal(outputs[1].join("").trim(), `sum 6 in ${join(course, "notebooks")}`);

    // Uninstalled through the hub's Python (--sys-prefix): the same folder.
    const uninstall = cli("uninstall", "--sys-prefix", "--python", py);
    assert.equal(uninstall.status, 0, show("kernel uninstall", uninstall));
    console.log(`      $ nn-workbook kernel uninstall --sys-prefix --python ${py}\n      ${uninstall.stdout.trim()}`);
    assert.ok(!existsSync(kernelDir), `${kernelDir} still there`);
    const after = spawnSync(venvProgram(hub, "jupyter"), ["kernelspec", "list", "--json"], { encoding: "utf8", env });
    assert.ok(!(KERNEL_NAME in JSON.parse(after.stdout).kernelspecs), "the hub's Jupyter still lists the kernel");
  });
});
