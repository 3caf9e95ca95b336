/**
 * Grades a made-up class of 12 (4 correct, 4 partly wrong, 4 stubs) built
 * from test/submission.ts and reports the wall time, the peak memory of the
 * whole grading (grader, runners, kernels, check sandboxes) and each
 * student's CPU seconds (usage.csv).
 *
 *   npm run build && node dist/bench/grade-class.js [--jobs 2] [--out DIR]
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { ROOT } from "../cli/paths";
import { treeUsage } from "../cli/grading/proctree";
import { PART1, PART2, codeCell, correct } from "../test/submission";
import type { Notebook } from "../cli/notebook-json";

const { values } = parseArgs({ options: { jobs: { type: "string", default: "2" }, out: { type: "string" } } });
const dir = values.out ?? join(tmpdir(), `nnwb-class-${process.pid}`);
const subs = join(dir, "submissions");

/** Replaces the cell that starts like `from` in every notebook. */
function replaced(nbs: Record<string, Notebook>, from: string, to: string): Record<string, Notebook> {
  for (const nb of Object.values(nbs)) for (const c of nb.cells) if (String(c.source) === from) c.source = to;
  return nbs;
}
const stub = (src: string) => src.replace(/\{\n[\s\S]*\n\}$/, '{\n  throw new Error("À compléter");\n}');
for (let i = 0; i < 12; i++) {
  let nbs = correct();
  if (i % 3 === 1) nbs = replaced(replaced(nbs, PART1.derivative, PART1.derivative.replace("[dot(x, d, { transA: true }), sum(d, 0)]", "[mul(dot(x, d, { transA: true }), 2), sum(d, 0)]")), PART2.predict, PART2.predict.replace("tanh(", "("));
  if (i % 3 === 2) for (const k of ["softmax", "loss", "derivative", "descent"] as const) nbs = replaced(nbs, PART1[k], stub(PART1[k]));
  mkdirSync(join(subs, `student-${String(i + 1).padStart(2, "0")}`), { recursive: true });
  for (const [name, nb] of Object.entries(nbs)) writeFileSync(join(subs, `student-${String(i + 1).padStart(2, "0")}`, name), JSON.stringify(nb));
}
void codeCell;

const t0 = Date.now();
const child = spawn(process.execPath, [join(ROOT, "bin", "nn-workbook.js"), "grade", subs, "--out", join(dir, "out"), "--jobs", values.jobs!, "--variant", "3"], { stdio: "inherit" });
let peak = 0;
const timer = setInterval(() => { peak = Math.max(peak, treeUsage(child.pid!).rssMb); }, 500);
child.on("exit", (code) => {
  clearInterval(timer);
  const usage = readFileSync(join(dir, "out", "usage.csv"), "utf8");
  const grades = readFileSync(join(dir, "out", "grades.csv"), "utf8").trim().split("\n").slice(1).map((l) => { const f = l.split(","); return `${f[0]} ${f[f.length - 2]}/${f[f.length - 1]}`; });
  console.log(`exit ${code}; class of 12, --jobs ${values.jobs}: ${((Date.now() - t0) / 1000).toFixed(0)} s wall, peak memory of the grading tree ${peak.toFixed(0)} MB`);
  console.log(grades.join("\n"));
  console.log(usage);
  // Per kind: students 1, 4, 7, 10 correct; 2, 5, 8, 11 partly wrong; 3, 6, 9, 12 stubs.
  const cpu = usage.trim().split("\n").slice(1).map((l) => Number(l.split(",")[1]));
  for (const [k, kind] of ["correct", "partly wrong", "stubs"].entries()) {
    const mine = cpu.filter((_, i) => i % 3 === k);
    console.log(`${kind}: ${Math.min(...mine)}–${Math.max(...mine)} s CPU per student`);
  }
});
