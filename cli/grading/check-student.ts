/**
 * The checks of one student, from the declarations of the student's
 * notebooks alone (no cell of them is run here): each graded function is
 * checked in the notebook that defines it, in a sandbox holding that
 * notebook's module beside the student's notebooks (read-only, for
 * `charger_cahier`), from outside the student's process (./harness.ts).
 */
import { CHECKS, GRADED_FUNCTIONS } from "../../lib/grading/registry";
import type { CheckResult } from "../../lib/grading/checks";
import { sourceText } from "../notebook-json";
import type { Notebook } from "../notebook-json";
import { extractDeclarations } from "./extract";
import type { Extracted } from "./extract";
import { ReferenceCache, Submission, checkFunction, writeModule } from "./harness";
import type { HarnessLimits } from "./harness";
import { privateDir } from "./sandbox";

/** One check as scored for one student. */
export interface ScoredCheck extends CheckResult {
  points: number;
  max: number;
}

/** Where and how the checks run. */
export interface CheckSetting {
  /** The students' lib (cli/grading/sandbox.ts's studentLibDir). */
  studentLib: string;
  /** The student's notebooks, as handed in: bound read-only beside each module. */
  notebooks: string;
  /** A private folder for the modules and the sandboxes' files. */
  work: string;
  limits: HarnessLimits;
  bwrap: string;
  ref: ReferenceCache;
  variant: number;
  points: (id: string) => number;
}

/** The module of a notebook's declarations: the graded functions and the MLP class are its exports. */
export function notebookModule(nb: Notebook): Extracted {
  const code = nb.cells.map((c, i) => ({ cell: i + 1, source: c.cell_type === "code" ? sourceText(c.source) : "" })).filter((c) => c.source);
  return extractDeclarations(code, [...GRADED_FUNCTIONS, "MLP"]);
}

/**
 * Graded functions a notebook's module takes from the course lib instead of
 * defining them: `import { softmax } from "../dist/lib"`, `lib.softmax(…)`,
 * `require("../dist/lib").softmax`. The students' lib has none of them.
 */
export function solutionImports(js: string, carriers: readonly string[] = []): string[] {
  // In the transpiled module a lib call reads dist_1.softmax, lib.softmax or require("…").softmax;
  // partie1.softmax is the student's own, carried from an earlier notebook.
  const own = ["exports", ...carriers].map((c) => `${c.replace(/\$/g, "\\$")}\\b`).join("|");
  return GRADED_FUNCTIONS.filter((f) => new RegExp(`(?:\\)|\\b(?!${own})\\w+)\\.${f}\\b`).test(js));
}

/**
 * Every check of every graded function for one student whose notebooks
 * (in order; undefined for one that could not be read) gave `modules`.
 */
export async function checkStudent(modules: (Extracted | undefined)[], s: CheckSetting): Promise<{ checks: ScoredCheck[]; cpuSeconds: number; peakRssMb: number }> {
  const subs = new Map<number, Submission>();
  const checks: ScoredCheck[] = [];
  let cpuSeconds = 0, peakRssMb = 0;
  try {
    for (const fn of GRADED_FUNCTIONS) {
      // The last notebook that defines it (not one that carries it from an earlier notebook).
      const at = modules.map((m, i) => (m?.declared.includes(fn) ? i : -1)).filter((i) => i >= 0).pop();
      let sub: Submission | undefined;
      if (at !== undefined) {
        if (!subs.has(at)) subs.set(at, new Submission(writeModule(privateDir(s.work, `module-${at}`), modules[at]!.js), s.studentLib, privateDir(s.work, `sandbox-${at}`), s.limits, s.bwrap, s.notebooks));
        sub = subs.get(at);
      }
      const usesSolution = modules.some((m) => m && solutionImports(m.js, m.carriers).includes(fn));
      const missing = usesSolution
        ? `${fn} vient de la bibliothèque du cours (la solution de l'enseignant), absente de la copie des étudiants : à écrire vous-même`
        : `${fn} n'est définie dans aucun cahier rendu`;
      const results = sub
        ? await checkFunction(sub, fn, s.ref, missing, s.variant)
        : CHECKS[fn].map((c) => ({ id: `${fn}/${c.name}`, function: fn, title: c.title, ok: false, message: missing }));
      for (const r of results) {
        const max = s.points(r.id);
        const message = usesSolution && !r.ok && !r.message.startsWith(fn + " vient") ? `${r.message} (${fn} appelle la solution de la bibliothèque, absente de la copie des étudiants)` : r.message;
        checks.push({ ...r, message, points: r.ok ? max : 0, max });
      }
    }
  } finally {
    for (const sub of subs.values()) {
      const u = sub.close();
      cpuSeconds += u.cpuSeconds;
      peakRssMb = Math.max(peakRssMb, u.peakRssMb);
    }
  }
  return { checks, cpuSeconds, peakRssMb };
}
