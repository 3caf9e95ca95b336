/**
 * The grader's hard limits on one sandbox (cli/grading/cgroup.ts,
 * proctree.ts): a fork bomb stops at the task limit, tmpfs counts as
 * memory, whether the grader runs as root (control groups) or as another
 * user (RLIMIT_NPROC; the tree watch sees the tmpfs). A few seconds; needs
 * bubblewrap.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../cli/paths";
import { bubblewrap, grade } from "../cli/grade";
import { tempDir, removeDir } from "./helpers";
import { codeCell, notebook } from "./submission";
import { readNotebook } from "../cli/notebook-json";
import { SB, bwrapArgs, layoutBinds, studentLibDir } from "../cli/grading/sandbox";
import { nprocLimit, removeCgroups, sandboxCgroup } from "../cli/grading/cgroup";
import { treeUsage } from "../cli/grading/proctree";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("nn-workbook grade: hard limits of a sandbox", function () {
  this.timeout(60_000);
  const prefix = `nnwb-test-${process.pid}-`;
  let bwrap: string;
  before(function () {
    const found = bubblewrap();
    if (!found) this.skip();
    bwrap = found!;
  });
  after(() => removeCgroups(prefix));
  const sandboxed = (script: string) => [bwrap, ...bwrapArgs({ ro: [], tmpfsMb: 256, chdir: "/tmp" }), "--", "/bin/sh", "-c", script];

  it("a submission runs on the native kernels the install has (a source build or the prebuilt binary), as in the student's kernel", () => {
    const tmp = tempDir("nnwb-sblib-");
    const args = bwrapArgs({ ro: layoutBinds(studentLibDir(join(tmp, "lib"))), tmpfsMb: 64, chdir: SB });
    const r = spawnSync(bwrap, [...args, "--", "/usr/bin/node", "-e", `console.log(!!require("${SB}/dist/lib/array").nativeKernels)`], { encoding: "utf8" });
    removeDir(tmp);
    const host = !!(require(join(ROOT, "dist", "lib", "array")) as { nativeKernels?: unknown }).nativeKernels;
    assert.equal(r.stdout.trim(), String(host), r.stderr);
  });

  it("a fork bomb stops at the task limit (control group, or RLIMIT_NPROC for a user other than root)", async function () {
    const group = sandboxCgroup(`${prefix}tasks`, { tasks: 20, memoryMb: 256 });
    const nproc = group ? undefined : nprocLimit(20);
    // Root without control groups: the kernel enforces neither; the tree watch alone bounds processes.
    if (!group && nproc === undefined) this.skip();
    const command = [...(group?.launcher() ?? []), "/usr/bin/prlimit", ...(nproc ? [`--nproc=${nproc}`] : []), "--", ...sandboxed("for i in $(seq 200); do sleep 5 & done; sleep 5")];
    const child = spawn(command[0], command.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
    let err = "", closed = false, most = 0;
    child.stderr!.on("data", (d) => (err += d));
    child.on("close", () => (closed = true));
    // The shell stops at its first failed fork; without a limit it runs 200 sleeps for 5 s.
    for (let i = 0; i < 300 && !closed; i++) {
      most = Math.max(most, treeUsage(child.pid!).processes);
      await sleep(20);
    }
    child.kill("SIGKILL");
    while (!closed) await sleep(20);
    assert.ok(most < 40, `${most} processes in the sandbox`);
    assert.match(err, /fork/i);
  });

  it("what the sandbox writes in its tmpfs is memory: the tree watch sees it, the control group stops it", async () => {
    const fill = sandboxed("head -c 100000000 /dev/zero > /dev/shm/x; head -c 50000000 /dev/zero > /tmp/y; sleep 5");
    const child = spawn(fill[0], fill.slice(1), { stdio: "ignore" });
    let tmpfs = 0;
    for (let i = 0; i < 40 && tmpfs < 140; i++) {
      await sleep(100);
      tmpfs = treeUsage(child.pid!).tmpfsMb;
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.on("close", r));
    assert.ok(tmpfs >= 140 && tmpfs < 200, `tmpfs seen: ${tmpfs.toFixed(0)} MB (150 MB written)`);

    const group = sandboxCgroup(`${prefix}memory`, { tasks: 64, memoryMb: 64 });
    if (!group) return; // no control group for this user: the watch above is the limit
    const command = [...group.launcher(), ...sandboxed("head -c 200000000 /dev/zero > /dev/shm/x; echo written")];
    const r = spawnSync(command[0], command.slice(1), { encoding: "utf8" });
    assert.ok(!r.stdout.includes("written") || r.status !== 0, "200 MB went into /dev/shm under a 64 MB limit");
    assert.ok(group.oomKilled(), "the group's OOM kill is seen");
  });

  it("a figure over the output cap keeps its plotly version in the executed copy (its HTML inlines plotly.js)", async () => {
    const dir = tempDir("nnwb-grade-figure-");
    try {
      mkdirSync(join(dir, "subs", "s"), { recursive: true });
      const cell = `import { show, lineChart } from "../dist/lib";\nshow(lineChart([{ y: [3, 2, 1], name: "perte" }], { title: "courbe" }));`;
      writeFileSync(join(dir, "subs", "s", "1-une-couche.ipynb"), JSON.stringify(notebook([codeCell(cell)])));
      const out = join(dir, "out");
      await grade(join(dir, "subs"), { outDir: out, cellTimeout: 60, budget: 120, memoryMb: 1500, jobs: 1, pointsFile: join(ROOT, "grading", "points.json"), variant: 1 });
      const outputs = readNotebook(join(out, "executed", "s", "1-une-couche.ipynb")).cells[0].outputs ?? [];
      const figure = outputs.find((o) => o.data?.["application/vnd.plotly.v1+json"] !== undefined);
      assert.ok(figure, `no plotly figure among the outputs: ${JSON.stringify(outputs).slice(0, 500)}`);
      assert.equal(figure.data?.["text/html"], undefined, "the 1.5 MB HTML version is dropped");
      assert.doesNotMatch(JSON.stringify(outputs), /sortie tronquée/);
    } finally {
      removeDir(dir);
    }
  });

  it("a student the grader itself fails on still gets a row and feedback, and the class goes on", async () => {
    const dir = tempDir("nnwb-grade-fail-");
    try {
      // A folder named like a notebook: copying it fails inside the grader.
      mkdirSync(join(dir, "subs", "broken", "1-une-couche.ipynb"), { recursive: true });
      mkdirSync(join(dir, "subs", "empty"), { recursive: true });
      const out = join(dir, "out");
      const list = await grade(join(dir, "subs"), { outDir: out, cellTimeout: 30, budget: 60, memoryMb: 1500, jobs: 2, pointsFile: join(ROOT, "grading", "points.json"), variant: 1 });
      assert.deepEqual(list.map((g) => [g.student, g.total]), [["broken", 0], ["empty", 0]]);
      assert.match(readFileSync(join(out, "grades.csv"), "utf8"), /\nbroken,[^\n]*\nempty,/);
      assert.match(readFileSync(join(out, "feedback", "broken.md"), "utf8"), /le correcteur a échoué sur cette copie/);
      assert.match(readFileSync(join(out, "feedback", "empty.md"), "utf8"), /Aucun cahier/);
    } finally {
      removeDir(dir);
    }
  });
});
