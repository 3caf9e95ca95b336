/**
 * `nn-workbook grade <submissions>`: runs each student's notebooks with the
 * project's TypeScript kernel in a sandbox of its own (a temporary folder
 * with the shipped data; with bubblewrap, the rest of the disk is read-only),
 * under a time limit per cell, a time budget per notebook and a memory cap,
 * then scores the grader's checks of every handout function. Writes
 * grades.csv (one row per student) and one French feedback file per student.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { ROOT, projectLayout, projectPython, UsageError } from "./paths";
import { debianProgram } from "./debian";
import { sourceText, writeAtomic } from "./notebook-json";
import type { Notebook } from "./notebook-json";
import { CHECKS, GRADED_FUNCTIONS } from "../lib/grading/checks";
import type { CheckResult } from "../lib/grading/checks";
import { GRADE_MARKER } from "../lib/grading";

export const GRADE_HELP = `nn-workbook grade <submissions-dir> [--out DIR] [--timeout S] [--budget S] [--memory MB] [--jobs N] [--points FILE]
  Grades every submission of <submissions-dir>: a .ipynb file per student
  (named after the student) or a folder per student holding .ipynb files.
  Each notebook runs in its own sandbox; each check of each handout function
  scores on its own. Writes DIR/grades.csv, DIR/feedback/<student>.md and the
  executed notebooks in DIR/executed/ (default DIR: out/grades).
    --timeout S   seconds per cell before the kernel is killed (default 120)
    --budget S    seconds for all the cells of one notebook (default 900)
    --memory MB   memory cap of one kernel (default 2048)
    --jobs N      notebooks graded at once (default 1)
    --points FILE points per check (default grading/points.json)`;

export interface GradeOptions {
  outDir: string;
  cellTimeout: number;
  budget: number;
  memoryMb: number;
  jobs: number;
  pointsFile: string;
}

/** One check as scored for one student. */
export interface ScoredCheck extends CheckResult {
  points: number;
  max: number;
}

export interface NotebookReport {
  file: string;
  /** Why the notebook could not be run at all (unreadable file…). */
  error?: string;
  cells: { cell: number; status: string; message: string; source: string }[];
  not_run: number[];
  seconds: number;
}

export interface StudentGrade {
  student: string;
  checks: ScoredCheck[];
  total: number;
  max: number;
  notebooks: NotebookReport[];
}

/** bubblewrap (installed with apt when missing and allowed), if it can run here; undefined otherwise. */
export function bubblewrap(): string | undefined {
  const found = debianProgram(["/usr/bin/bwrap", "/bin/bwrap"], "bubblewrap");
  if (found && spawnSync(found, ["--ro-bind", "/", "/", "true"], { stdio: "ignore" }).status !== 0) return undefined;
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
  const known = new Set(GRADED_FUNCTIONS.flatMap((f) => CHECKS[f].map((c) => `${f}/${c.name}`)));
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

/** Graded functions a notebook declares (function f, const f =, let f =). */
export function declaredFunctions(nb: Notebook): string[] {
  const code = nb.cells.filter((c) => c.cell_type === "code").map((c) => sourceText(c.source)).join("\n");
  return GRADED_FUNCTIONS.filter((f) => new RegExp(`(?:function\\s*\\*?\\s*|(?:const|let|var)\\s+)${f}\\b`).test(code));
}

/** A sandbox folder laid out like the project: notebooks/, a copy of data/, links to dist/ and node_modules/. */
function makeSandbox(root: string, notebook: string): { dir: string; notebook: string } {
  const dir = mkdtempSync(join(root, "sb-"));
  mkdirSync(join(dir, "notebooks"));
  mkdirSync(join(dir, "tmp"));
  projectLayout(dir, "copy");
  const copy = join(dir, "notebooks", basename(notebook));
  cpSync(notebook, copy);
  return { dir, notebook: copy };
}

/** The kernelspec the grader runs: tslab inside bubblewrap, only the sandbox writable. */
function writeKernelSpec(jupyterPath: string, bwrap: string | undefined, memoryMb: number): void {
  const tslab = [process.execPath, `--max-old-space-size=${Math.max(256, Math.round(memoryMb))}`, join(ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"];
  // The sandbox folder is bound by the wrapper script (it knows the cwd jupyter gives it).
  mkdirSync(jupyterPath, { recursive: true });
  const wrapper = join(jupyterPath, "nnwb-grade-kernel.sh");
  const jail = bwrap
    ? `exec "${bwrap}" --ro-bind / / --bind "$SB" "$SB" --dev /dev --proc /proc --unshare-pid --unshare-ipc --die-with-parent --chdir "$PWD" --setenv TMPDIR "$SB/tmp" -- "$@"`
    : `export TMPDIR="$SB/tmp"; exec "$@"`;
  writeFileSync(wrapper, `#!/bin/sh\n# nn-workbook grade: the sandbox is the folder above the notebook's (cwd).\nSB="$(dirname "$PWD")"\n${jail}\n`, { mode: 0o755 });
  const spec = join(jupyterPath, "kernels", "nnwb-grade");
  mkdirSync(spec, { recursive: true });
  writeFileSync(join(spec, "kernel.json"), JSON.stringify({ argv: [wrapper, ...tslab], display_name: "TypeScript (grading)", language: "typescript" }));
}

interface RunnerResult {
  ok: boolean;
  error?: string;
  cells: NotebookReport["cells"];
  not_run: number[];
  checks: Record<string, { results?: CheckResult[]; status?: string; message?: string }>;
  seconds: number;
}

function runGradeNotebook(args: string[], env: NodeJS.ProcessEnv, limitMs: number): Promise<RunnerResult> {
  return new Promise((done) => {
    const child = spawn(projectPython(), [join(ROOT, "python", "grade_notebook.py"), ...args], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "", stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b));
    child.stderr.on("data", (b: Buffer) => (stderr += b));
    // A last resort: the runner enforces the limits itself.
    const timer = setTimeout(() => { try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ } }, limitMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").pop() ?? "";
      try {
        done(JSON.parse(line) as RunnerResult);
      } catch {
        done({ ok: false, error: `le correcteur n'a pas pu exécuter ce cahier (code ${code}) : ${stderr.trim().slice(-800)}`, cells: [], not_run: [], checks: {}, seconds: 0 });
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

/** Grades every submission of `dir`; writes grades.csv, feedback and executed notebooks. */
export async function grade(dir: string, opts: GradeOptions, log: (line: string) => void = () => {}): Promise<StudentGrade[]> {
  const students = submissions(resolve(dir));
  const points = loadPoints(opts.pointsFile);
  const bwrap = bubblewrap();
  if (!bwrap) log("warning: bubblewrap (bwrap) is not available: notebooks run without a read-only file system around their folder (sudo apt install bubblewrap)");
  const work = mkdtempSync(join(tmpdir(), "nnwb-grade-"));
  const jupyterPath = join(work, "jupyter");
  writeKernelSpec(jupyterPath, bwrap, opts.memoryMb);
  const env = { ...process.env, JUPYTER_PATH: jupyterPath, JUPYTER_RUNTIME_DIR: join(work, "runtime"), PYDEVD_DISABLE_FILE_VALIDATION: "1" };
  mkdirSync(join(opts.outDir, "executed"), { recursive: true });
  mkdirSync(join(opts.outDir, "feedback"), { recursive: true });

  const reports = new Map<string, { report: NotebookReport; checks: RunnerResult["checks"] }[]>();
  const jobs: { student: string; file: string }[] = [];
  for (const [student, files] of students) {
    reports.set(student, []);
    for (const file of files) jobs.push({ student, file });
  }
  try {
    await pool(jobs, opts.jobs, async ({ student, file }) => {
      const name = basename(file);
      let nb: Notebook;
      try {
        nb = JSON.parse(readFileSync(file, "utf8")) as Notebook;
        if (!Array.isArray(nb.cells)) throw new Error("no list of cells");
      } catch (e) {
        reports.get(student)!.push({ report: { file: name, error: `fichier illisible, ce n'est pas un cahier Jupyter valide (${(e as Error).message.slice(0, 200)})`, cells: [], not_run: [], seconds: 0 }, checks: {} });
        log(`${student}/${name}: unreadable`);
        return;
      }
      const sandbox = makeSandbox(work, file);
      const executed = join(opts.outDir, "executed", student);
      mkdirSync(executed, { recursive: true });
      const args = [sandbox.notebook, "--output", join(executed, name), "--cwd", join(sandbox.dir, "notebooks"), "--kernel", "nnwb-grade",
        "--cell-timeout", String(opts.cellTimeout), "--budget", String(opts.budget), "--check-timeout", String(opts.cellTimeout),
        "--memory-mb", String(opts.memoryMb), "--grading-module", join(ROOT, "dist", "lib", "grading"), "--marker", GRADE_MARKER, "--functions", declaredFunctions(nb).join(",")];
      const t0 = Date.now();
      const r = await runGradeNotebook(args, env, (opts.budget * 3 + opts.cellTimeout * (GRADED_FUNCTIONS.length + 2)) * 1000 + 60000);
      rmSync(sandbox.dir, { recursive: true, force: true });
      reports.get(student)!.push({ report: { file: name, error: r.ok ? undefined : r.error, cells: r.cells ?? [], not_run: r.not_run ?? [], seconds: r.seconds }, checks: r.checks ?? {} });
      log(`${student}/${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const grades: StudentGrade[] = [];
  for (const student of students.keys()) {
    const runs = reports.get(student)!.sort((a, b) => a.report.file.localeCompare(b.report.file));
    const checks: ScoredCheck[] = GRADED_FUNCTIONS.flatMap((fn) => {
      const found = runs.find((r) => r.checks[fn])?.checks[fn];
      return CHECKS[fn].map((c): ScoredCheck => {
        const id = `${fn}/${c.name}`, max = points(id);
        const result = found?.results?.find((x) => x.id === id);
        if (result) return { ...result, points: result.ok ? max : 0, max };
        const message = found ? (found.message ?? "").split("\n")[0].slice(0, 300) || "vérification impossible" : `${fn} n'est définie dans aucun cahier rendu`;
        return { id, function: fn, title: c.title, ok: false, message: found ? `vérification impossible : ${message}` : message, points: 0, max };
      });
    });
    const total = checks.reduce((s, c) => s + c.points, 0), max = checks.reduce((s, c) => s + c.max, 0);
    const g: StudentGrade = { student, checks, total, max, notebooks: runs.map((r) => r.report) };
    grades.push(g);
    writeAtomic(join(opts.outDir, "feedback", `${student}.md`), feedback(g));
  }
  writeAtomic(join(opts.outDir, "grades.csv"), gradesCsv(grades));
  return grades;
}

const csvField = (v: string | number) => (/[",\n;]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

export function gradesCsv(grades: StudentGrade[]): string {
  const ids = GRADED_FUNCTIONS.flatMap((f) => CHECKS[f].map((c) => `${f}/${c.name}`));
  const rows = [["student", ...ids, "total", "max"]];
  for (const g of grades) rows.push([g.student, ...ids.map((id) => String(g.checks.find((c) => c.id === id)?.points ?? 0)), String(g.total), String(g.max)]);
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

const STATUS: Record<string, string> = {
  error: "erreur", timeout: "temps dépassé", memory: "mémoire dépassée", died: "noyau arrêté", skipped: "non exécutée",
};

/** The line of an error report that says what went wrong: "TypeError: …", a compile error "3:36 - …", else the first. */
export function errorLine(message: string): string {
  const lines = message.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^(?:[A-Z]\w*)?Error\b/.test(l)) ?? lines.find((l) => /^\d+:\d+ - /.test(l)) ?? lines[0] ?? "";
}

/** The feedback a student reads, in French. */
export function feedback(g: StudentGrade): string {
  const lines = [`# Correction — ${g.student}`, "", `**Note : ${g.total} / ${g.max}**`, ""];
  lines.push("## Exécution des cahiers", "");
  if (!g.notebooks.length) lines.push("Aucun cahier (.ipynb) rendu.", "");
  for (const nb of g.notebooks) {
    if (nb.error) {
      lines.push(`- \`${nb.file}\` : ${nb.error}`);
      continue;
    }
    const bad = nb.cells.filter((c) => c.status !== "ok");
    lines.push(`- \`${nb.file}\` : ${nb.cells.length} cellules de code exécutées en ${nb.seconds.toFixed(0)} s, ${bad.length ? `${bad.length} en échec` : "aucune en échec"}.`);
    for (const c of bad) {
      lines.push(`  - cellule ${c.cell} (${STATUS[c.status] ?? c.status}) : ${errorLine(c.message).slice(0, 300)}`);
    }
  }
  lines.push("", "## Vérifications", "");
  for (const fn of GRADED_FUNCTIONS) {
    const cs = g.checks.filter((c) => c.function === fn);
    const got = cs.reduce((s, c) => s + c.points, 0), max = cs.reduce((s, c) => s + c.max, 0);
    lines.push(`### \`${fn}\` — ${got} / ${max}`, "");
    for (const c of cs) lines.push(`- ${c.ok ? "✔" : "✘"} ${c.title} (${c.points}/${c.max})${c.ok ? "" : ` : ${c.message}`}`);
    lines.push("");
  }
  return lines.join("\n");
}

export async function gradeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: {
      out: { type: "string" }, timeout: { type: "string" }, budget: { type: "string" }, memory: { type: "string" },
      jobs: { type: "string" }, points: { type: "string" }, help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(GRADE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("grade needs one folder of submissions: nn-workbook grade <submissions-dir>");
  const num = (v: string | undefined, def: number, what: string) => {
    if (v === undefined) return def;
    const n = Number(v);
    if (!(n > 0)) throw new UsageError(`--${what} must be a positive number, got '${v}'`);
    return n;
  };
  const opts: GradeOptions = {
    outDir: resolve(values.out ?? join(ROOT, "out", "grades")),
    cellTimeout: num(values.timeout, 120, "timeout"),
    budget: num(values.budget, 900, "budget"),
    memoryMb: num(values.memory, 2048, "memory"),
    jobs: Math.floor(num(values.jobs, 1, "jobs")),
    pointsFile: resolve(values.points ?? join(ROOT, "grading", "points.json")),
  };
  const grades = await grade(positionals[0], opts, (l) => console.log(l));
  for (const g of grades) console.log(`${g.student}: ${g.total} / ${g.max}`);
  console.log(`grades: ${join(opts.outDir, "grades.csv")}, feedback: ${join(opts.outDir, "feedback")}/`);
  return 0;
}
