/**
 * `nn-workbook answers`: answers.md and the notebooks' answer cells, rendered
 * from answers/template.md with the values the notebooks record when they run
 * (`record(...)`). `--check` recomputes and compares instead of writing.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, basename } from "node:path";
import { parseArgs } from "node:util";
import { VALUES_MIME, renderTemplate, frenchNumber } from "../lib/answers";
import type { Recorded } from "../lib/answers";
import { runNotebook } from "./run";
import { nativeInfo } from "../lib/array";
import { NOTEBOOKS, OUT, ROOT, UsageError } from "./paths";
import { hasTag, readNotebook, sourceText, writeAtomic } from "./notebook-json";
import type { Notebook, NotebookCell } from "./notebook-json";

export const TEMPLATE = join(ROOT, "answers", "template.md");
export const ANSWERS = join(ROOT, "answers.md");
/** The values answers.md was rendered with (`kernels_isa` among them: the kernels' instruction set of that run). */
export const VALUES = join(ROOT, "answers", "values.json");

/** The values recorded in executed notebooks; a key recorded twice with two values is an error. */
export function collectValues(executed: string[]): Recorded {
  const values: Recorded = {};
  const from: Record<string, string> = {};
  for (const file of executed) {
    for (const cell of readNotebook(file).cells) {
      for (const out of cell.outputs ?? []) {
        const rec = out.data?.[VALUES_MIME] as Recorded | undefined;
        if (!rec) continue;
        for (const [k, v] of Object.entries(rec)) {
          if (k in values && values[k] !== v) throw new Error(`value '${k}' recorded twice: ${values[k]} (${from[k]}) and ${v} (${basename(file)})`);
          values[k] = v;
          from[k] = basename(file);
        }
      }
    }
  }
  return values;
}

/** Durations vary between runs: they are quoted but never compared. */
const isTiming = (key: string) => key.startsWith("ms_");

/**
 * The end of the descents at ε = 1 (consigne 18.7): they diverge, so a
 * last-bit difference in the vector tanh or exp of another instruction set
 * (libmvec's AVX2 and AVX-512 versions differ there) grows into another
 * ending. Compared only on a CPU that runs the kernels answers.md was made with
 * (`kernels_isa`, added to the recorded values, names them in answers.md).
 */
export const CPU_DEPENDENT = ["torch_eps0_", "torch_cat_", "f64_eps0_", "kernels_isa"];
const isCpuDependent = (key: string) => CPU_DEPENDENT.some((p) => key.startsWith(p));

/** The instruction-set variant the kernels run here (the notebooks' kernel picks the same). */
export function kernelsIsa(): string {
  return nativeInfo()?.isa ?? "typescript";
}

/** What answers.md is rendered with: the values the executed notebooks recorded, and `kernels_isa`. */
export function runValues(executed: string[], isa = kernelsIsa()): Recorded {
  return { ...collectValues(executed), kernels_isa: isa };
}

/** The template rendered with the recorded values (see lib/answers/template for the syntax). */
export function render(template: string, values: Recorded): string {
  return renderTemplate(template, values);
}

/**
 * The sections of the template copied into notebook cells:
 * `<!-- answer: key -->…<!-- /answer -->` into the cell tagged ["answer", key]
 * (removed from the student version), `<!-- shared: key -->…<!-- /shared -->`
 * into the cell tagged ["shared", key] (kept for students: no per-run values).
 */
export type SectionKind = "answer" | "shared";
const KINDS: SectionKind[] = ["answer", "shared"];

export function sections(template: string, kind: SectionKind = "answer"): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of template.matchAll(new RegExp(`<!-- ${kind}: ([\\w-]+) -->\\n([\\s\\S]*?)\\n<!-- /${kind} -->`, "g"))) {
    if (map.has(m[1])) throw new Error(`answers/template.md: ${kind} section '${m[1]}' appears twice`);
    map.set(m[1], m[2]);
  }
  return map;
}

/** The key of a generated cell of this kind: its tags are [kind, key]. */
const cellKey = (cell: NotebookCell, kind: SectionKind) => (hasTag(cell, kind) ? cell.metadata.tags!.find((t) => t !== kind) : undefined);

const cellText = (section: string, kind: SectionKind) =>
  kind === "answer" ? `${section}\n\n<sub>Réponse générée par \`npm run answers\` à partir des valeurs que ce cahier enregistre.</sub>` : section;

function readStored(): Recorded {
  try {
    return JSON.parse(readFileSync(VALUES, "utf8")) as Recorded;
  } catch (e) {
    throw new Error(`answers/values.json cannot be read (${(e as Error).message}): run 'npm run answers'`);
  }
}

/**
 * Differences between this run's values and answers.md: answers.md and the
 * generated cells must be the template rendered with answers/values.json
 * (timings included), and every value of this run must be the stored one,
 * timings aside, and the CPU_DEPENDENT ones aside on another instruction set.
 */
export function checkAnswers(values: Recorded, notebooks: string[] = notebookFiles()): string[] {
  const template = readFileSync(TEMPLATE, "utf8");
  const stored = readStored();
  const sameKernels = values.kernels_isa === stored.kernels_isa;
  const problems: string[] = [];
  if (render(template, stored) !== readFileSync(ANSWERS, "utf8")) problems.push("answers.md is not answers/template.md rendered with answers/values.json: run 'npm run answers'");
  for (const kind of KINDS) {
    const secs = sections(template, kind);
    const seen = new Set<string>();
    for (const nb of notebooks) {
      for (const cell of readNotebook(nb).cells) {
        const key = cellKey(cell, kind);
        if (key === undefined) continue;
        const section = secs.get(key);
        if (section === undefined) {
          problems.push(`${basename(nb)}: ${kind} cell '${key}' has no section in answers/template.md`);
          continue;
        }
        seen.add(key);
        if (render(cellText(section, kind), stored) !== sourceText(cell.source)) problems.push(`${basename(nb)}: ${kind} cell '${key}' is not its template section rendered with answers/values.json: run 'npm run answers'`);
      }
    }
    for (const key of secs.keys()) if (!seen.has(key)) problems.push(`answers/template.md: ${kind} section '${key}' has no ${kind} cell in any notebook`);
  }
  for (const key of new Set([...Object.keys(stored), ...Object.keys(values)])) {
    if (isTiming(key) || (isCpuDependent(key) && !sameKernels)) continue;
    const was = stored[key], now = values[key];
    if (was !== now) problems.push(`value '${key}': answers.md has ${was === undefined ? "nothing" : frenchNumber(was)}, this run recorded ${now === undefined ? "nothing" : frenchNumber(now)}: run 'npm run answers'`);
  }
  return problems;
}

export function notebookFiles(): string[] {
  return readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(NOTEBOOKS, f));
}

/** Rewrites answers.md and the generated (answer and shared) cells of the source notebooks. */
export function writeAnswers(values: Recorded, notebooks: string[] = notebookFiles()): void {
  const template = readFileSync(TEMPLATE, "utf8");
  const rendered = render(template, values);
  for (const nb of notebooks) {
    const json = JSON.parse(readFileSync(nb, "utf8")) as Notebook;
    let changed = false;
    for (const kind of KINDS) {
      const secs = sections(template, kind);
      for (const cell of json.cells) {
        const key = cellKey(cell, kind);
        const section = key === undefined ? undefined : secs.get(key);
        if (section === undefined) continue;
        const source = render(cellText(section, kind), values);
        if (sourceText(cell.source) !== source) {
          cell.source = source;
          changed = true;
        }
      }
    }
    if (changed) writeAtomic(nb, JSON.stringify(json, null, 1) + "\n");
  }
  writeAtomic(ANSWERS, rendered);
  const sorted = Object.fromEntries(Object.keys(values).sort().map((k) => [k, values[k]]));
  writeAtomic(VALUES, JSON.stringify(sorted, null, 1) + "\n");
}

export async function answersCommand(argv: string[]): Promise<number> {
  const { values: opts } = parseArgs({ args: argv, options: { check: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } } });
  if (opts.help) {
    console.log(ANSWERS_HELP);
    return 0;
  }
  const executed: string[] = [];
  for (const nb of notebookFiles()) {
    process.stdout.write(`▶ ${basename(nb)} … `);
    const r = await runNotebook(nb, { outDir: join(OUT, "answers") });
    if (!r.ok) throw new UsageError(`${basename(nb)}: cell ${(r.failed_cell ?? 0) + 1} failed:\n${r.error}`);
    console.log(`ok (${r.seconds.toFixed(0)} s)`);
    executed.push(r.output);
  }
  const values = runValues(executed);
  if (opts.check) {
    const problems = checkAnswers(values);
    problems.forEach((p) => console.error(p));
    console.log(problems.length ? `${problems.length} problem(s)` : `answers.md and the answer cells agree with the ${Object.keys(values).length} recorded values`);
    return problems.length ? 1 : 0;
  }
  writeAnswers(values);
  console.log(`wrote answers.md and the answer cells (${Object.keys(values).length} values)`);
  return 0;
}

export const ANSWERS_HELP = `usage: nn-workbook answers [--check]

Runs every notebook with its default parameters, reads the values they record,
and writes answers.md and the notebooks' answer cells from answers/template.md.
  --check   compare instead of writing; exit 1 on any difference (timings are not
            compared, nor the ends of the diverging descents of consigne 18.7 on a
            CPU whose kernels differ from those answers/values.json was made with)`;
