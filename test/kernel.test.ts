/**
 * `nn-workbook kernel install|uninstall|list` on scratch folders: what it
 * writes, when it refuses, what it removes. The kernel running in another
 * Jupyter is test/kernel-hub.test.ts.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { ROOT } from "../cli/paths";
import { KERNEL_NAME, kernelSpec } from "../cli/kernel";
import { tempDir, removeDir } from "./helpers";

describe("nn-workbook kernel", function () {
  this.timeout(60000);
  let dir: string;
  // A scratch HOME and Jupyter data folder: the user's own are never touched.
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "bin", "nn-workbook.js"), "kernel", ...args], {
      encoding: "utf8",
      cwd: dir,
      env: { ...process.env, HOME: dir, JUPYTER_DATA_DIR: join(dir, "user-data"), JUPYTER_PATH: "" },
    });
  const kernelJson = (prefix: string, name = KERNEL_NAME) => join(prefix, "share", "jupyter", "kernels", name, "kernel.json");
  beforeEach(() => (dir = tempDir("nnwb-kernel-")));
  afterEach(() => removeDir(dir));

  it("the kernelspec runs this project's tslab with node, by absolute paths, no shell script", () => {
    const spec = kernelSpec();
    assert.equal(spec.argv[0], process.execPath);
    assert.equal(spec.argv[1], join(ROOT, "node_modules", "tslab", "bin", "tslab"));
    assert.ok(spec.argv.slice(0, 2).every((p) => isAbsolute(p) && existsSync(p)), spec.argv.join(" "));
    assert.deepEqual(spec.argv.slice(2), ["kernel", "--config-path", "{connection_file}"]);
    assert.equal(spec.display_name, "TypeScript (nn-workbook)");
    assert.equal(spec.metadata.nn_workbook.root, ROOT);
  });

  it("install --prefix writes kernel.json there; again is a no-op; uninstall removes the folder", () => {
    const a = cli("install", "--prefix", dir);
    assert.equal(a.status, 0, a.stderr);
    assert.match(a.stdout, /kernel 'nn-workbook' \(TypeScript \(nn-workbook\)\) installed /);
    assert.deepEqual(JSON.parse(readFileSync(kernelJson(dir), "utf8")), kernelSpec());
    const again = cli("install", "--prefix", dir);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /already installed, unchanged/);
    const list = cli("list", "--prefix", dir);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^nn-workbook\\t${join(dir, "share", "jupyter", "kernels", "nn-workbook")}\\t\\(this project\\)$`, "m"));
    const u = cli("uninstall", "--prefix", dir);
    assert.equal(u.status, 0, u.stderr);
    assert.ok(!existsSync(join(dir, "share", "jupyter", "kernels", "nn-workbook")), "kernel folder still there");
    const twice = cli("uninstall", "--prefix", dir);
    assert.equal(twice.status, 2);
    assert.match(twice.stderr, /no kernel named 'nn-workbook' in .*kernels \(no kernels there\); nothing removed/);
  });

  it("a different kernel under the name needs --replace; --name installs beside it", () => {
    assert.equal(cli("install", "--prefix", dir).status, 0);
    const file = kernelJson(dir);
    const spec = JSON.parse(readFileSync(file, "utf8"));
    spec.argv[0] = "/old/node";
    writeFileSync(file, JSON.stringify(spec));
    const r = cli("install", "--prefix", dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /already holds nn-workbook's kernel of .* \(run by \/old\/node\); pass --replace to overwrite it, or --name/);
    const named = cli("install", "--prefix", dir, "--name", "nn-workbook-2");
    assert.equal(named.status, 0, named.stderr);
    assert.ok(existsSync(kernelJson(dir, "nn-workbook-2")));
    const replaced = cli("install", "--prefix", dir, "--replace");
    assert.equal(replaced.status, 0, replaced.stderr);
    assert.match(replaced.stdout, / replaced /);
    assert.equal(JSON.parse(readFileSync(file, "utf8")).argv[0], process.execPath);
  });

  it("leaves a kernel it did not install alone", () => {
    const other = join(dir, "share", "jupyter", "kernels", "tslab");
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, "kernel.json"), JSON.stringify({ argv: ["tslab", "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript", language: "typescript" }));
    const r = cli("install", "--prefix", dir, "--name", "tslab");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /already holds a kernel running "tslab"; pass --replace/);
    const u = cli("uninstall", "--prefix", dir, "--name", "tslab");
    assert.equal(u.status, 2);
    assert.match(u.stderr, /is not a kernel nn-workbook installed; left in place/);
    assert.ok(existsSync(join(other, "kernel.json")));
  });

  it("--user writes into the user's Jupyter data folder (JUPYTER_DATA_DIR here)", () => {
    const r = cli("install", "--user");
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(join(dir, "user-data", "kernels", "nn-workbook", "kernel.json")));
    const d = cli("install");
    assert.match(d.stdout, /unchanged: .*user-data/, "--user is the default");
    assert.equal(cli("uninstall", "--user").status, 0);
    assert.ok(!existsSync(join(dir, "user-data", "kernels", "nn-workbook")));
  });

  it("bad command lines get a clear error and exit 2", () => {
    const cases: [string[], RegExp][] = [
      [["install", "--prefix", join(dir, "nope")], /--prefix .*nope: no such folder; give an existing installation prefix/],
      [["install", "--user", "--prefix", dir], /--user and --prefix both say where; give one of/],
      [["install", "--prefix", dir, "--name", "my kernel"], /--name 'my kernel': a kernel name may hold only letters, digits/],
      [["install", "--python", "python3"], /--python goes with --sys-prefix/],
      [["install", "--sys-prefix", "--python", join(dir, "no-python")], /--sys-prefix: cannot run '.*no-python' .*; pass --python with the Python that runs your Jupyter, or --prefix DIR/],
      [["remove"], /unknown action 'remove'; use install, uninstall or list/],
      [[], /kernel: say install, uninstall or list/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
    }
    assert.ok(!existsSync(join(dir, "share")), "nothing written by a refused command");
  });

  it("--sys-prefix refuses a Python without Jupyter", function () {
    const probe = spawnSync("python3", ["-c", "import jupyter_client"], { encoding: "utf8" });
    if (probe.error || probe.status === 0) this.skip(); // needs a python3 on PATH without jupyter_client
    const r = cli("install", "--sys-prefix", "--python", "python3");
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /'python3' has no Jupyter \(jupyter_client is not installed there\)/);
  });
});
