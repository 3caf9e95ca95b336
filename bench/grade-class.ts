/**
 * Grades a made-up class of 12 and reports the wall time, the peak memory of
 * the whole grading (grader, runners, kernels, check sandboxes) and each
 * student's CPU seconds (usage.csv). The students hand in the student version
 * (`assign`): 4 filled in with the real student's cells (test/fixtures/student),
 * 4 with one of that student's mistakes each (test/student.ts VARIANTS),
 * 4 untouched (every function a stub).
 *
 *   npm run build && node dist/bench/grade-class.js [--jobs 2] [--out DIR]
 */
import { spawn } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { ROOT } from "../cli/paths";
import { notebookFiles } from "../cli/answers";
import { assign } from "../cli/assign";
import { treeUsage } from "../cli/grading/proctree";
import { VARIANTS, filledStudentFolder } from "../test/student";

const { values } = parseArgs({ options: { jobs: { type: "string", default: "2" }, out: { type: "string" } } });
const dir = values.out ?? join(tmpdir(), `nnwb-class-${process.pid}`);
const subs = join(dir, "submissions");
const mistakes = Object.values(VARIANTS);
for (let i = 0; i < 12; i++) {
  const folder = join(dir, "folders", String(i));
  if (i % 3 === 0) filledStudentFolder(folder);
  if (i % 3 === 1) filledStudentFolder(folder, mistakes[Math.floor(i / 3) % mistakes.length]);
  if (i % 3 === 2) assign(notebookFiles(), folder);
  for (const nb of notebookFiles()) cpSync(join(folder, "notebooks", basename(nb)), join(subs, `student-${String(i + 1).padStart(2, "0")}`, basename(nb)));
}

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
  // Per kind: students 1, 4, 7, 10 correct; 2, 5, 8, 11 one mistake each; 3, 6, 9, 12 stubs.
  const cpu = usage.trim().split("\n").slice(1).map((l) => Number(l.split(",")[1]));
  for (const [k, kind] of ["correct", "one mistake", "stubs"].entries()) {
    const mine = cpu.filter((_, i) => i % 3 === k);
    console.log(`${kind}: ${Math.min(...mine)}–${Math.max(...mine)} s CPU per student`);
  }
});
