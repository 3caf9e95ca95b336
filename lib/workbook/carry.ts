/**
 * The student's own functions carried from one notebook to the next: part 2
 * reuses the `softmax` and `evaluate_loss` written in part 1, part 3 the
 * `init_two_layers_nn` of part 2. `charger_cahier("1-une-couche.ipynb")`
 * reads that notebook as saved, keeps its declarations (./declarations.ts:
 * imports, functions, classes, types, constants — not the cells that train
 * or plot), compiles them and returns the functions and classes by name.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import * as ts from "typescript";
import { declarations, namesOfKind } from "./declarations";

interface NotebookJson { cells?: { cell_type?: string; source?: string | string[] }[] }

/** The declarations of a notebook's code cells, in order, as one TypeScript module, and the functions and classes it defines (its own and those it carried). */
export function notebookDeclarations(cells: readonly string[]): { source: string; names: string[] } {
  const d = declarations(cells.map((source, i) => ({ cell: i + 1, source })));
  return { source: d.statements.map((s) => s.text).join("\n"), names: namesOfKind(d, "function", "carried") };
}

/** The code cells of a saved notebook. */
export function notebookCode(path: string): string[] {
  let nb: NotebookJson;
  try {
    nb = JSON.parse(readFileSync(path, "utf8")) as NotebookJson;
  } catch (e) {
    throw new Error(`charger_cahier : impossible de lire ${path} (${(e as Error).message.split("\n")[0]}). Ouvrez et enregistrez ce cahier dans le même dossier.`);
  }
  return (nb.cells ?? []).filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source ?? ""));
}

/**
 * The functions and classes a notebook defines, compiled from its saved
 * file (relative paths are taken from the current folder, the notebooks').
 */
export function charger_cahier(notebook: string): Record<string, never> {
  const path = resolve(notebook);
  const { source, names } = notebookDeclarations(notebookCode(path));
  const js = ts.transpileModule(`${source}\nmodule.exports = { ${names.join(", ")} };\n`, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const module = { exports: {} as Record<string, never> };
  const run = new Function("require", "module", "exports", "__filename", "__dirname", js) as (...a: unknown[]) => void;
  try {
    run(createRequire(path), module, module.exports, path, dirname(path));
  } catch (e) {
    throw new Error(`charger_cahier : les déclarations de ${notebook} ne s'exécutent pas : ${(e as Error).message}`);
  }
  return new Proxy(module.exports, {
    get(target, name) {
      if (typeof name === "string" && !(name in target) && name !== "then") {
        throw new Error(`charger_cahier : ${notebook} ne définit pas « ${name} » (fonctions trouvées : ${names.join(", ") || "aucune"}). Écrivez-la dans ce cahier et enregistrez-le.`);
      }
      return (target as Record<string | symbol, unknown>)[name];
    },
  });
}
