/**
 * A real student's submission (test/fixtures/student/: the cells a student
 * wrote from the handout and the student version alone) laid into a student
 * version made by `assign`, and the subtly wrong variants of it a grader
 * must catch.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readNotebook, sourceText } from "../cli/notebook-json";
import { assign, STUB } from "../cli/assign";
import { ROOT } from "../cli/paths";
import { gradingParameters } from "../cli/grade";
import { notebookFiles } from "../cli/answers";

const FIXTURES = join(__dirname, "..", "..", "test", "fixtures", "student");

/** The student's cells of one notebook, by their first line. */
export function studentCells(notebook: string): Map<string, string> {
  const file = join(FIXTURES, notebook.replace(/\.ipynb$/, ".json"));
  return new Map(Object.entries((JSON.parse(readFileSync(file, "utf8")) as { cells: Record<string, string> }).cells));
}

/** A mistake a student makes: in which notebook, which text of which cell becomes what. */
export interface Variant {
  notebook: string;
  /** The first line of the cell (its key in the fixture). */
  cell: RegExp;
  from: string | RegExp;
  to: string;
}

/** The mistakes of issue 15: each must cost exactly its checks, with feedback that names it. */
export const VARIANTS: Record<string, Variant[]> = {
  "db as a mean": [{ notebook: "1-une-couche.ipynb", cell: /^\/\/ Consigne 4/, from: "dz.sum(0)", to: "dz.mean(0)" }],
  "tanh' from Z1 instead of A1": [{ notebook: "2-deux-couches.ipynb", cell: /^\/\/ Consigne 12/, from: "a1.pow(2).rsub(1)", to: "x.dot(W1).add(b1).pow(2).rsub(1)" }],
  "momentum done as plain SGD": [{ notebook: "3-autograd.ipynb", cell: /^\/\/ Consigne 19/, from: "tf.train.momentum(epsilon, 0.9)", to: "tf.train.sgd(epsilon)" }],
  "no +1e-16": [
    { notebook: "1-une-couche.ipynb", cell: /^\/\/ Consigne 3/, from: /\.add\(1e-16\)/g, to: "" },
    { notebook: "3-autograd.ipynb", cell: /^\/\/ Consigne 17/, from: /tf\.add\(([^()]*(?:\([^()]*\))?[^()]*), 1e-16\)/g, to: "$1" },
  ],
};

/**
 * Lays the student's cells into the student folder `dir` (made by assign),
 * with the given mistakes; returns how many cells were filled. Every stub
 * must be filled and every fixture cell used.
 */
export function fillStudentFolder(dir: string, mistakes: Variant[] = []): number {
  let filled = 0;
  for (const name of readdirSync(join(dir, "notebooks")).filter((f) => f.endsWith(".ipynb"))) {
    const file = join(dir, "notebooks", name);
    const nb = readNotebook(file);
    let cells: Map<string, string>;
    try {
      cells = studentCells(name);
    } catch {
      continue; // a notebook without stubs (0-donnees)
    }
    const used = new Set<string>();
    for (const cell of nb.cells) {
      if (cell.cell_type !== "code") continue;
      const key = sourceText(cell.source).split("\n", 1)[0];
      const written = cells.get(key);
      if (written === undefined) {
        if (sourceText(cell.source).includes(STUB)) throw new Error(`${name}: the fixture has no cell for the stub « ${key} »`);
        continue;
      }
      let text: string = written;
      for (const m of mistakes.filter((v) => v.notebook === name && v.cell.test(key))) {
        const changed: string = text.replace(m.from, m.to);
        if (changed === text) throw new Error(`${name}: « ${key} » does not contain ${String(m.from)}`);
        text = changed;
      }
      cell.source = text;
      used.add(key);
      filled++;
    }
    const unused = [...cells.keys()].filter((k) => !used.has(k));
    if (unused.length) throw new Error(`${name}: no stub starts with ${unused.map((k) => `« ${k} »`).join(", ")}`);
    writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
  }
  return filled;
}

/** The student folder of every notebook (assign) filled in with the fixture and `mistakes`; returns how many cells were filled. */
export function filledStudentFolder(dir: string, mistakes: Variant[] = []): number {
  assign(notebookFiles(), dir);
  return fillStudentFolder(dir, mistakes);
}

/**
 * Fewer passes than the handout's defaults for the fixture's runs in tests,
 * as the grader runs them: the same code paths, a shorter run (`-p` of
 * `nn-workbook run`).
 */
export function fixtureParameters(notebook: string): [string, string][] {
  // The grader's shorter runs (grading/parameters.json): one source for both.
  return Object.entries(gradingParameters()[notebook] ?? {}).map(([k, v]) => [k, String(v)]);
}

/**
 * A student folder as the student has it after `npm install`: made by assign,
 * filled in with the fixture (and `mistakes`), node_modules linked, the lib
 * built from the folder's own sources. Returns the folder.
 */
export function installedStudentFolder(dir: string, mistakes: Variant[] = []): string {
  filledStudentFolder(dir, mistakes);
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
  if (tsc.status !== 0) throw new Error(`the student folder does not build:\n${tsc.stdout}${tsc.stderr}`);
  return dir;
}
