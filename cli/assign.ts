/**
 * `nn-workbook assign`: the student version of the notebooks. Cells tagged
 * `solution` or `record` go, each `// BEGIN SOLUTION … // END SOLUTION` region becomes a
 * stub that throws "À compléter" (the function's signature stays, so later
 * cells still compile), lines ending in `// SOLUTION` go, answer cells become
 * a prompt, outputs are cleared. The self-check cells stay.
 */
import { readdirSync } from "node:fs";
import { basename, join, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { NOTEBOOKS, ROOT, UsageError } from "./paths";
import { hasTag, readNotebook, sourceText } from "./notebook-json";
import { writeStudentFolder } from "./student-folder";
import type { Notebook, NotebookCell } from "./notebook-json";

export const ASSIGN_HELP = `nn-workbook assign [notebook.ipynb…] [--out DIR]
  Writes the student folder to DIR (default student/): the student version of
  the notebooks (default: all of notebooks/; solutions replaced by stubs that
  throw "À compléter", answers emptied, the teacher's cells removed, outputs
  cleared) with a copy of the lib that has none of the handout's functions,
  the shipped data, a package.json and a README: hand out that folder; the
  student runs 'npm install && npm start' in it.`;

export const STUB = 'throw new Error("À compléter");';
const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const SOLUTION_LINE = /\/\/ SOLUTION\s*$/;

/** A code cell's source with its solution regions stubbed; throws on unbalanced markers. */
export function stubSolutions(source: string, where: string): string {
  const out: string[] = [];
  let open: number | undefined;
  source.split("\n").forEach((line, i) => {
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open !== undefined) throw new UsageError(`${where}: line ${i + 1}: BEGIN SOLUTION inside the region opened at line ${open + 1}`);
      open = i;
      out.push(`${begin[1]}// À compléter`, `${begin[1]}${STUB}`);
    } else if (END.test(line)) {
      if (open === undefined) throw new UsageError(`${where}: line ${i + 1}: END SOLUTION without BEGIN SOLUTION`);
      open = undefined;
    } else if (open === undefined && !SOLUTION_LINE.test(line)) {
      out.push(line);
    }
  });
  if (open !== undefined) throw new UsageError(`${where}: line ${open + 1}: BEGIN SOLUTION without END SOLUTION`);
  return out.join("\n");
}

/** "q6-9" → "questions 6 à 9", "c14" → "consigne 14". */
function answerLabel(key: string): string {
  const m = /^([qc])(\d+)(?:-(\d+))?$/.exec(key);
  if (!m) return key;
  const word = m[1] === "q" ? "question" : "consigne";
  return m[3] ? `${word}s ${m[2]} à ${m[3]}` : `${word} ${m[2]}`;
}

/** The student version of one solution notebook. */
export function studentNotebook(nb: Notebook, name: string): Notebook {
  const cells: NotebookCell[] = [];
  nb.cells.forEach((cell, i) => {
    // Teacher-only cells: solutions, and the bookkeeping that records values for answers.md.
    if (hasTag(cell, "solution") || hasTag(cell, "record")) return;
    const c: NotebookCell = { ...cell, metadata: { ...cell.metadata } };
    if (c.cell_type === "code") {
      c.source = stubSolutions(sourceText(cell.source), `${name}: cell ${i}`);
      c.outputs = [];
      c.execution_count = null;
    } else if (hasTag(cell, "answer")) {
      const key = cell.metadata.tags?.find((t) => t !== "answer") ?? "";
      c.source = `**Votre réponse (${answerLabel(key)}) :**\n\n*À rédiger.*`;
    }
    cells.push(c);
  });
  const meta = (nb.metadata["nn-workbook"] ?? {}) as Record<string, unknown>;
  return { ...nb, cells, metadata: { ...nb.metadata, "nn-workbook": { ...meta, version: "student" } } };
}

/** Writes the student folder; returns the paths of its notebooks. */
export function assign(notebooks: string[], outDir: string): string[] {
  const texts = new Map<string, string>();
  for (const file of notebooks) {
    const name = basename(file);
    let nb: Notebook;
    try {
      nb = readNotebook(file);
    } catch (e) {
      throw new UsageError(`${file}: not a readable notebook (${(e as Error).message})`);
    }
    if (resolve(outDir) === resolve(ROOT) || resolve(file).startsWith(resolve(outDir) + sep)) {
      throw new UsageError(`${file}: the student folder ${outDir} would overwrite the teacher's notebooks; choose another --out`);
    }
    texts.set(name, JSON.stringify(studentNotebook(nb, name), null, 1) + "\n");
  }
  writeStudentFolder(outDir, texts);
  return [...texts.keys()].map((name) => join(outDir, "notebooks", name));
}

export async function assignCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log(ASSIGN_HELP);
    return 0;
  }
  const notebooks = positionals.length ? positionals : readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(NOTEBOOKS, f));
  const outDir = resolve(values.out ?? join(ROOT, "student"));
  for (const out of assign(notebooks, outDir)) console.log(`student version: ${out}`);
  return 0;
}
