/**
 * `nn-workbook run` under the grader's limits (issue 15 item 8): the same
 * watch as `grade` (python/grade_notebook.py), the same French messages, one
 * source for the default limits (cli/limits.ts). Small limits here: the
 * defaults would take minutes of CPU to trip.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runNotebook, longestCell, RUN_HELP, STUDENT_RUN_HELP } from "../cli/run";
import { GRADER_LIMITS } from "../cli/limits";
import type { NotebookLimits } from "../cli/limits";
import { ROOT } from "../cli/paths";
import { tempDir, removeDir } from "./helpers";

/** A notebook of code cells. */
function notebook(dir: string, name: string, cells: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: "nn-workbook", display_name: "TypeScript", language: "typescript" } },
    cells: cells.map((source, i) => ({ id: `c${i}`, cell_type: "code", metadata: {}, execution_count: null, outputs: [], source })),
  }));
  return file;
}

/** Burns `s` seconds of CPU in the kernel. */
const spin = (s: number) => `{ const t = process.cpuUsage(); let x = 0; while ((process.cpuUsage(t).user + process.cpuUsage(t).system) / 1e6 < ${s}) x++; console.log("spun", x > 0); }`;

describe("nn-workbook run under the grader's limits", function () {
  this.timeout(300000);
  let dir: string;
  before(() => (dir = tempDir("nnwb-limits-")));
  after(() => removeDir(dir));
  const small: NotebookLimits = { cellCpuSeconds: 4, notebookCpuSeconds: 600, memoryMb: 1500, processes: 200 };

  it("stops a cell over its CPU seconds with the grader's message, and reports each cell's CPU", async () => {
    const nb = notebook(dir, "cpu.ipynb", ['console.log("avant");', spin(1), spin(60), 'console.log("jamais");']);
    const r = await runNotebook(nb, { outDir: join(dir, "out"), limits: small });
    assert.equal(r.ok, false);
    assert.equal(r.failed_cell, 2);
    assert.equal(r.reason, "timeout");
    assert.equal(r.error, "trop long (limite de 4 s de calcul) : le noyau a été arrêté");
    // The cell that spun 1 s counts about 1 s; the killed one about its limit.
    assert.ok(r.cpu && r.cpu["1"] >= 0.9 && r.cpu["1"] < 3, JSON.stringify(r.cpu));
    assert.deepEqual(longestCell(r)?.cell, 3);
    assert.ok(longestCell(r)!.cpu >= 4 && longestCell(r)!.cpu < 8, JSON.stringify(r.cpu));
    assert.ok((r.cpu_seconds ?? 0) >= 5);
    const cells = (JSON.parse(readFileSync(r.output, "utf8")) as { cells: { outputs: unknown[] }[] }).cells;
    assert.match(JSON.stringify(cells[0].outputs), /avant/);
    assert.equal(cells[3].outputs.length, 0, "nothing runs after the stopped cell");
  });

  it("stops a kernel over the memory cap with the grader's message", async () => {
    const nb = notebook(dir, "memory.ipynb", ["const kept: Buffer[] = []; for (let i = 0; i < 40; i++) kept.push(Buffer.alloc(100e6, 1)); console.log(kept.length);"]);
    const r = await runNotebook(nb, { outDir: join(dir, "out"), limits: { ...small, cellCpuSeconds: 60, memoryMb: 900 } });
    assert.equal(r.ok, false);
    assert.equal(r.reason, "memory");
    assert.equal(r.error, "mémoire dépassée (plus de 900 Mo) : le noyau a été arrêté");
  });

  it("stops when the notebook's CPU budget is spent, as the grader does", async () => {
    const nb = notebook(dir, "budget.ipynb", [spin(2), spin(2), spin(2), spin(2), spin(2), spin(2)]);
    const r = await runNotebook(nb, { outDir: join(dir, "out"), limits: { ...small, notebookCpuSeconds: 7 } });
    assert.equal(r.ok, false);
    // The kernel's start-up counts too (as graded): the budget runs out in a cell (cut to what is left) or before one.
    assert.ok(r.reason === "budget" ? r.error === "non exécutée : temps de calcul total du cahier dépassé (7 s)" : r.error === "temps de calcul total du cahier dépassé (7 s) pendant cette cellule : le noyau a été arrêté", `${r.reason}: ${r.error}`);
    assert.ok((r.failed_cell ?? 0) >= 1 && (r.failed_cell ?? 9) <= 4, String(r.failed_cell));
  });

  it("runs an honest notebook to the end and says how much of the limits it used", async () => {
    const nb = notebook(dir, "ok.ipynb", ["const a = 1 + 1;", "console.log(a);"]);
    const r = await runNotebook(nb, { outDir: join(dir, "out"), limits: small });
    assert.ok(r.ok, r.error);
    assert.deepEqual(Object.keys(r.cpu ?? {}).sort(), ["0", "1"]);
  });

  it("the student's run applies the grader's default limits; the teacher's with --as-graded; one source for both", () => {
    for (const v of [GRADER_LIMITS.cellCpuSeconds, GRADER_LIMITS.notebookCpuSeconds, GRADER_LIMITS.memoryMb]) {
      assert.match(STUDENT_RUN_HELP, new RegExp(`\\b${v}\\b`));
      assert.match(RUN_HELP, new RegExp(`\\b${v}\\b`));
    }
    assert.match(STUDENT_RUN_HELP, /--no-limits/);
    assert.match(RUN_HELP, /--as-graded/);
    // The grader's runner has no defaults of its own: cli/limits.ts is the one source.
    assert.doesNotMatch(readFileSync(join(ROOT, "python", "grade_notebook.py"), "utf8"), /--(cell-cpu|budget-cpu|memory-mb|processes)", type=\w+, default=/);
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "nn-workbook.js"), "run", ...args], { encoding: "utf8", cwd: ROOT });
    const both = cli("x.ipynb", "--as-graded", "--no-limits");
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--as-graded and --no-limits contradict/);
    const timeout = cli("x.ipynb", "--as-graded", "--timeout", "5");
    assert.equal(timeout.status, 2);
    assert.match(timeout.stderr, new RegExp(`as graded, a cell gets ${GRADER_LIMITS.cellCpuSeconds} CPU seconds`));
  });
});
