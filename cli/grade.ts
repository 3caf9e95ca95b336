/**
 * `nn-workbook grade <submissions>`: runs each student's notebooks with the
 * project's TypeScript kernel in a closed sandbox (cli/grading/sandbox.ts),
 * for the executed copies and the feedback on failing cells, then checks
 * every handout function from outside the student's process: the
 * declarations of the notebook run in a second sandbox that answers calls
 * over a pipe, and the grader compares the answers with the teacher's
 * reference in its own memory (cli/grading/harness.ts). Limits are in CPU
 * seconds. Writes grades.csv (one row per student), usage.csv (CPU, wall
 * time, memory per student) and one French feedback file per student.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { ROOT, projectPython, UsageError } from "./paths";
import { debianProgram } from "./debian";
import { writeAtomic } from "./notebook-json";
import { rewriteParameters } from "./parameters";
import type { Notebook } from "./notebook-json";
import { CHECKS, CHECK_IDS, GRADED_FUNCTIONS } from "../lib/grading/registry";
import { reference, initReference } from "../lib/grading/reference";
import type { Extracted } from "./grading/extract";
import { checkStudent, notebookModule } from "./grading/check-student";
import type { ScoredCheck } from "./grading/check-student";

export type { ScoredCheck };
import { studentLibDir, privateDir } from "./grading/sandbox";
import type { KernelSandbox } from "./grading/kernel-wrapper";
import { ReferenceCache } from "./grading/harness";
import type { HarnessLimits } from "./grading/harness";
import { typeset } from "../lib/text/french";
import { writeExpected } from "./grading/expected";
import { mergeCommand } from "./grading/merge";
import { removeCgroups } from "./grading/cgroup";
import { GRADER_LIMITS } from "./limits";

import { GRADE_HELP } from "./grade-help";
export { GRADE_HELP };

export interface GradeOptions {
  outDir: string;
  cellTimeout: number;
  budget: number;
  memoryMb: number;
  jobs: number;
  pointsFile: string;
  /** Which inputs the checks use (≥ 1; a random one when not given): not the self-check's, whose answers the students' lib stores. */
  variant?: number;
  /** [k, n]: grade the students whose index i (in name order) has i % n === k - 1. */
  shard?: [number, number];
  /** Run the notebooks with their own parameters, not grading/parameters.json's shorter runs. */
  fullRuns?: boolean;
}

/** The parameters each notebook runs with when graded (grading/parameters.json), by file name. */
export function gradingParameters(): Record<string, Record<string, number | string | boolean>> {
  const file = join(ROOT, "grading", "parameters.json");
  const all = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.endsWith(".ipynb"))) as Record<string, Record<string, number | string | boolean>>;
}

export interface NotebookReport {
  file: string;
  /** Why the notebook could not be run at all (unreadable file…). */
  error?: string;
  cells: { cell: number; status: string; message: string; source: string; cpu?: number }[];
  not_run: number[];
  seconds: number;
  cpu_seconds?: number;
}

export interface StudentGrade {
  student: string;
  checks: ScoredCheck[];
  total: number;
  max: number;
  notebooks: NotebookReport[];
  /** CPU seconds of the student's kernels and check sandboxes. */
  cpuSeconds: number;
  wallSeconds: number;
  peakMb: number;
}

/** bubblewrap (installed with apt when missing and allowed), if it can run the grader's sandbox here; undefined otherwise. */
export function bubblewrap(): string | undefined {
  const found = debianProgram(["/usr/bin/bwrap", "/bin/bwrap"], "bubblewrap");
  if (found && spawnSync(found, ["--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534", "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", ...(existsSync("/usr/lib64") ? ["--symlink", "usr/lib64", "/lib64"] : []), "--", "/usr/bin/true"], { stdio: "ignore" }).status !== 0) return undefined;
  return found;
}

/** Points per check: the file's `points` map, `default` for the others. Unknown check ids are an error. */
export function loadPoints(file: string): (id: string) => number {
  let config: { default?: number; points?: Record<string, number> };
  try {
    config = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`${file}: cannot read the points file (${(e as Error).message})`);
  }
  const known = new Set(CHECK_IDS);
  for (const [id, p] of Object.entries(config.points ?? {})) {
    if (!known.has(id)) throw new UsageError(`${file}: unknown check '${id}'; checks are: ${[...known].join(", ")}`);
    if (!(typeof p === "number" && p >= 0)) throw new UsageError(`${file}: points of '${id}' must be a number ≥ 0`);
  }
  const fallback = config.default ?? 1;
  return (id) => config.points?.[id] ?? fallback;
}

/** The students of a submissions folder: name → notebook files. */
export function submissions(dir: string): Map<string, string[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: not a folder of submissions`);
  const out = new Map<string, string[]>();
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) {
      const nbs = readdirSync(p).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(p, f));
      out.set(entry, nbs);
    } else if (entry.endsWith(".ipynb")) {
      out.set(entry.replace(/\.ipynb$/, ""), [p]);
    }
  }
  return out;
}

interface RunnerResult {
  ok: boolean;
  error?: string;
  cells: NotebookReport["cells"];
  not_run: number[];
  seconds: number;
  cpu_seconds?: number;
}

/** Runs python/grade_notebook.py; its output goes to a capped file, its result to a file: nothing unbounded in this process. */
function runGradeNotebook(args: string[], env: NodeJS.ProcessEnv, dir: string, limitMs: number): Promise<RunnerResult> {
  return new Promise((done) => {
    const logFile = join(dir, "runner.log"), resultFile = join(dir, "result.json");
    const log = openSync(logFile, "w");
    const child = spawn("/usr/bin/prlimit", ["--fsize=60000000", "--", projectPython(), join(ROOT, "python", "grade_notebook.py"), ...args, "--result", resultFile],
      { env, stdio: ["ignore", log, log], detached: true });
    closeSync(log);
    // A last resort: the runner enforces the limits itself, in CPU seconds.
    const timer = setTimeout(() => { try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ } }, limitMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      try {
        done(JSON.parse(readFileSync(resultFile, "utf8")) as RunnerResult);
      } catch {
        let tail = "";
        try { tail = readFileSync(logFile, "utf8").slice(-800); } catch { /* none */ }
        done({ ok: false, error: `le correcteur n'a pas pu exécuter ce cahier (code ${code}) : ${tail.trim()}`, cells: [], not_run: [], seconds: 0 });
      }
    });
  });
}

async function pool<T>(items: T[], jobs: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/** The students of this shard, in name order. */
export function shardOf<T>(students: T[], shard: [number, number] | undefined): T[] {
  if (!shard) return students;
  const [k, n] = shard;
  return students.filter((_, i) => i % n === k - 1);
}

/** Grading runs of this process (runs at once, as tests do, keep their control groups apart). */
let runs = 0;

/** Grades every submission of `dir`; writes grades.csv, usage.csv, feedback and executed notebooks. */
export async function grade(dir: string, opts: GradeOptions, log: (line: string) => void = () => {}): Promise<StudentGrade[]> {
  const all = submissions(resolve(dir));
  const students = shardOf([...all.keys()], opts.shard);
  const points = loadPoints(opts.pointsFile);
  const bwrap = bubblewrap();
  if (!bwrap) throw new UsageError("bubblewrap (bwrap) cannot run a sandbox here: grading needs it (sudo apt install bubblewrap; user namespaces must be allowed)");
  const work = mkdtempSync(join(tmpdir(), "nnwb-grade-"));
  const studentLib = studentLibDir(join(work, "student-lib"));
  const jupyterPath = join(work, "jupyter");
  const spec = join(jupyterPath, "kernels", "nnwb-grade");
  mkdirSync(spec, { recursive: true });
  writeFileSync(join(spec, "kernel.json"), JSON.stringify({
    argv: [process.execPath, join(ROOT, "dist", "cli", "grading", "kernel-wrapper.js"), "{connection_file}"], display_name: "TypeScript (grading)", language: "typescript", interrupt_mode: "signal",
  }));
  // Control groups of this run (cgroup.ts) are named after it, so that the end of the run removes what sandboxes killed with SIGKILL left.
  const cgroupPrefix = `nnwb-${process.pid}-${++runs}-`;
  const sandbox: KernelSandbox = { bwrap, studentLib, tmpfsMb: 256, memoryMb: opts.memoryMb, outputBytes: 50_000_000, tasks: 512, cgroupPrefix };
  const env = { ...process.env, JUPYTER_PATH: jupyterPath, JUPYTER_RUNTIME_DIR: join(work, "runtime"), PYDEVD_DISABLE_FILE_VALIDATION: "1", NNWB_SANDBOX: JSON.stringify(sandbox) };
  const limits: HarnessLimits = { callCpuSeconds: opts.cellTimeout, memoryMb: opts.memoryMb, processes: 64, tmpfsMb: 256, outputBytes: 5_000_000, tasks: 256, cgroupPrefix };
  mkdirSync(join(opts.outDir, "executed"), { recursive: true });
  mkdirSync(join(opts.outDir, "feedback"), { recursive: true });
  await initReference();
  const ref = new ReferenceCache(reference);
  const variant = opts.variant ?? 1 + Math.floor(Math.random() * 100000);
  writeAtomic(join(opts.outDir, "run.json"), JSON.stringify({ variant }) + "\n");
  // merge compares the points of the shares.
  writeAtomic(join(opts.outDir, "points.json"), readFileSync(opts.pointsFile, "utf8"));

  // The checks call the functions themselves: the notebooks' long trainings run shorter (grading/parameters.json).
  const runParameters = opts.fullRuns ? {} : gradingParameters();
  const grades = new Map<string, StudentGrade>();
  try {
    const gradeStudent = async (student: string) => {
      const t0 = Date.now();
      const mine = privateDir(work, `student-${students.indexOf(student)}`);
      // The student's notebooks, side by side as the student had them: part 2 loads part 1's functions.
      const notebooks = privateDir(mine, "notebooks");
      for (const file of all.get(student)!) cpSync(file, join(notebooks, basename(file)));
      const studentEnv = { ...env, NNWB_SANDBOX: JSON.stringify({ ...sandbox, notebooks }) };
      const runs: { report: NotebookReport; module?: Extracted }[] = [];
      let cpu = 0, peak = 0;
      for (const [n, file] of all.get(student)!.entries()) {
        const name = basename(file);
        let nb: Notebook;
        try {
          nb = JSON.parse(readFileSync(file, "utf8")) as Notebook;
          if (!Array.isArray(nb.cells)) throw new Error("no list of cells");
        } catch (e) {
          runs.push({ report: { file: name, error: `fichier illisible, ce n'est pas un cahier Jupyter valide (${(e as Error).message.slice(0, 200)})`, cells: [], not_run: [], seconds: 0 } });
          continue;
        }
        const job = privateDir(mine, `nb-${n}`);
        const ipc = privateDir(job, "kernel");
        const copy = join(job, "notebook.ipynb");
        const shorter = runParameters[name];
        if (shorter) writeFileSync(copy, JSON.stringify(rewriteParameters(nb, shorter, "valeur du correcteur")));
        else cpSync(file, copy);
        const executed = join(opts.outDir, "executed", student);
        mkdirSync(executed, { recursive: true });
        const args = [copy, "--output", join(executed, name), "--cwd", job, "--kernel", "nnwb-grade", "--ipc-dir", ipc,
          "--cell-cpu", String(opts.cellTimeout), "--budget-cpu", String(opts.budget), "--memory-mb", String(opts.memoryMb), "--processes", String(GRADER_LIMITS.processes)];
        // Last resort (the runner enforces the CPU limits itself): a runner stuck on a dead kernel still ends.
        const r = await runGradeNotebook(args, studentEnv, job, (opts.budget * 3 + 300) * 1000);
        cpu += r.cpu_seconds ?? 0;
        runs.push({ report: { file: name, error: r.ok ? undefined : r.error, cells: r.cells ?? [], not_run: r.not_run ?? [], seconds: r.seconds, cpu_seconds: r.cpu_seconds }, module: notebookModule(nb) });
        rmSync(copy, { force: true });
      }
      const checked = await checkStudent(runs.map((r) => r.module), { studentLib, notebooks, work: mine, limits, bwrap, ref, variant, points });
      const checks = checked.checks;
      cpu += checked.cpuSeconds;
      peak = Math.max(peak, checked.peakRssMb);
      const total = checks.reduce((s, c) => s + c.points, 0), max = checks.reduce((s, c) => s + c.max, 0);
      const g: StudentGrade = { student, checks, total, max, notebooks: runs.map((r) => r.report), cpuSeconds: Math.round(cpu * 10) / 10, wallSeconds: Math.round((Date.now() - t0) / 100) / 10, peakMb: Math.round(peak) };
      grades.set(student, g);
      writeAtomic(join(opts.outDir, "feedback", `${student}.md`), feedback(g));
      if (!process.env.NNWB_GRADE_KEEP) rmSync(mine, { recursive: true, force: true });
      log(`${student}: ${total} / ${max} (${g.wallSeconds.toFixed(1)} s, ${g.cpuSeconds.toFixed(1)} s CPU)`);
    };
    // One student the grader itself fails on (a bug, a full disk) still gets a row and feedback; the class goes on.
    await pool(students, opts.jobs, (student) => gradeStudent(student).catch((e: unknown) => {
      const why = `le correcteur a échoué sur cette copie (${String((e as Error)?.message ?? e).slice(0, 300)}) : signalez-le à l'enseignant`;
      const checks = CHECK_IDS.map((id) => {
        const fn = id.slice(0, id.indexOf("/")), name = id.slice(id.indexOf("/") + 1);
        return { id, function: fn, title: CHECKS[fn].find((c) => c.name === name)?.title ?? name, ok: false, message: why, points: 0, max: points(id) };
      });
      const g: StudentGrade = { student, checks, total: 0, max: checks.reduce((t, c) => t + c.max, 0), notebooks: [], cpuSeconds: 0, wallSeconds: 0, peakMb: 0 };
      grades.set(student, g);
      writeAtomic(join(opts.outDir, "feedback", `${student}.md`), feedback(g));
      log(`${student}: grader failed: ${(e as Error)?.stack ?? e}`);
    }));
  } finally {
    // NNWB_GRADE_KEEP=1 keeps the sandboxes' folders (kernel logs) for debugging the grader.
    if (process.env.NNWB_GRADE_KEEP) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
    await removeCgroups(cgroupPrefix);
  }
  const list = students.map((s) => grades.get(s)!).filter(Boolean);
  writeAtomic(join(opts.outDir, "grades.csv"), gradesCsv(list));
  writeAtomic(join(opts.outDir, "usage.csv"), usageCsv(list));
  return list;
}

export function usageCsv(grades: StudentGrade[]): string {
  return ["student,cpu_seconds,wall_seconds,check_peak_mb", ...grades.map((g) => [g.student, g.cpuSeconds, g.wallSeconds, g.peakMb].map(csvField).join(","))].join("\n") + "\n";
}

const csvField = (v: string | number) => (/[",\n;]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

export function gradesCsv(grades: StudentGrade[]): string {
  const rows = [["student", ...CHECK_IDS, "total", "max"]];
  for (const g of grades) rows.push([g.student, ...CHECK_IDS.map((id) => String(g.checks.find((c) => c.id === id)?.points ?? 0)), String(g.total), String(g.max)]);
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

const STATUS: Record<string, string> = {
  error: "erreur", timeout: "temps dépassé", memory: "mémoire dépassée", died: "noyau arrêté", skipped: "non exécutée", processes: "trop de processus", disk: "trop de fichiers écrits",
};

/** The line of an error report that says what went wrong: "TypeError: …", a compile error "3:36 - …", else the first. */
export function errorLine(message: string): string {
  const lines = message.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^(?:[A-Z]\w*)?Error\b/.test(l)) ?? lines.find((l) => /^\d+:\d+ - /.test(l)) ?? lines[0] ?? "";
}

/** "3 à 7, 9" for [3, 4, 5, 6, 7, 9]. */
export function ranges(cells: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < cells.length; i++) {
    let j = i;
    while (j + 1 < cells.length && cells[j + 1] === cells[j] + 1) j++;
    out.push(j > i ? `${cells[i]} à ${cells[j]}` : String(cells[i]));
    i = j;
  }
  return out.join(", ");
}

/** The feedback a student reads, in French (French typography). */
export function feedback(g: StudentGrade): string {
  const lines = [`# Correction — ${g.student}`, "", `**Note : ${g.total} / ${g.max}**`, ""];
  lines.push("## Exécution des cahiers", "");
  if (!g.notebooks.length) lines.push("Aucun cahier (.ipynb) rendu.", "");
  for (const nb of g.notebooks) {
    if (nb.error) {
      lines.push(`- \`${nb.file}\` : ${nb.error}`);
      continue;
    }
    const bad = nb.cells.filter((c) => c.status !== "ok" && c.status !== "skipped");
    const skipped = nb.cells.filter((c) => c.status === "skipped").map((c) => c.cell);
    const cpu = nb.cpu_seconds === undefined ? "" : ` (${nb.cpu_seconds.toFixed(0)} s de calcul)`;
    lines.push(`- \`${nb.file}\` : ${nb.cells.length} cellules de code exécutées en ${nb.seconds.toFixed(0)} s${cpu}, ${bad.length ? `${bad.length} en échec` : "aucune en échec"}.`);
    for (const c of bad) lines.push(`  - cellule ${c.cell} (${STATUS[c.status] ?? c.status}) : ${errorLine(c.message).slice(0, 300)}`);
    if (skipped.length) lines.push(`  - ${skipped.length} cellules non exécutées, temps de calcul total du cahier dépassé : ${ranges(skipped)}`);
    if (nb.not_run.length) lines.push(`  - ${nb.not_run.length} cellules jamais exécutées (le noyau n'a pas pu les atteindre) : ${ranges(nb.not_run)}`);
  }
  lines.push("", "Les vérifications appellent vos fonctions elles-mêmes, dans un processus séparé : elles ne dépendent ni des cellules d'entraînement ni de ce que le cahier affiche.");
  lines.push("", "## Vérifications", "");
  for (const fn of GRADED_FUNCTIONS) {
    const cs = g.checks.filter((c) => c.function === fn);
    const got = cs.reduce((s, c) => s + c.points, 0), max = cs.reduce((s, c) => s + c.max, 0);
    lines.push(`### \`${fn}\` — ${got} / ${max}`, "");
    for (const c of cs) lines.push(`- ${c.ok ? "✔" : "✘"} ${c.title} (${c.points}/${c.max})${c.ok ? "" : ` : ${c.message}`}`);
    lines.push("");
  }
  return typeset(lines.join("\n"));
}

export async function gradeCommand(argv: string[]): Promise<number> {
  if (argv[0] === "merge") return mergeCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      out: { type: "string" }, timeout: { type: "string" }, budget: { type: "string" }, memory: { type: "string" },
      jobs: { type: "string" }, points: { type: "string" }, shard: { type: "string" }, variant: { type: "string" }, "full-runs": { type: "boolean" }, "write-expected": { type: "boolean" }, help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(GRADE_HELP);
    return 0;
  }
  if (values["write-expected"]) {
    const file = await writeExpected(join(ROOT, "grading", "expected.json"));
    console.log(`expected values of the self-checks: ${file}`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("grade needs one folder of submissions: nn-workbook grade <submissions-dir>");
  const num = (v: string | undefined, def: number, what: string) => {
    if (v === undefined) return def;
    const n = Number(v);
    if (!(n > 0)) throw new UsageError(`--${what} must be a positive number, got '${v}'`);
    return n;
  };
  let shard: [number, number] | undefined;
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || !(Number(m[1]) >= 1 && Number(m[1]) <= Number(m[2]))) throw new UsageError(`--shard must be K/N with 1 ≤ K ≤ N (e.g. 2/3), got '${values.shard}'`);
    shard = [Number(m[1]), Number(m[2])];
  }
  const opts: GradeOptions = {
    outDir: resolve(values.out ?? join(ROOT, "out", "grades")),
    cellTimeout: num(values.timeout, GRADER_LIMITS.cellCpuSeconds, "timeout"),
    budget: num(values.budget, GRADER_LIMITS.notebookCpuSeconds, "budget"),
    memoryMb: num(values.memory, GRADER_LIMITS.memoryMb, "memory"),
    jobs: Math.floor(num(values.jobs, 1, "jobs")),
    pointsFile: resolve(values.points ?? join(ROOT, "grading", "points.json")),
    shard,
    variant: values.variant === undefined ? undefined : Math.floor(num(values.variant, 1, "variant")),
    fullRuns: values["full-runs"],
  };
  const grades = await grade(positionals[0], opts, (l) => console.log(l));
  console.log(`grades: ${join(opts.outDir, "grades.csv")}, feedback: ${join(opts.outDir, "feedback")}/ (${grades.length} students)`);
  return 0;
}
