/**
 * The student's own functions carried from one notebook to the next: part 2
 * reuses the `softmax` and `evaluate_loss` written in part 1, part 3 the
 * `init_two_layers_nn` of part 2. `charger_cahier("1-une-couche.ipynb")`
 * reads that notebook as saved, keeps its declarations (imports, functions,
 * classes, types — not the cells that train or plot), compiles them and
 * returns the functions and classes by name.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import * as ts from "typescript";

interface NotebookJson { cells?: { cell_type?: string; source?: string | string[] }[] }

/** The declarations of a notebook's code cells, in order, as one TypeScript module, and the names it defines. */
export function notebookDeclarations(cells: readonly string[]): { source: string; names: string[] } {
  const kept: string[] = [];
  const names: string[] = [];
  // `const partie1 = charger_cahier(…)` and `const softmax = partie1.softmax`: functions this notebook carried over itself.
  const carried = new Set<string>();
  const carries = (d: ts.VariableDeclaration): boolean => {
    const init = d.initializer;
    if (!init || !ts.isIdentifier(d.name)) return false;
    if (ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === "charger_cahier") return true;
    return ts.isPropertyAccessExpression(init) && ts.isIdentifier(init.expression) && carried.has(init.expression.text);
  };
  for (const cell of cells) {
    const file = ts.createSourceFile("cell.ts", cell, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    for (const s of file.statements) {
      if (ts.isVariableStatement(s) && s.declarationList.declarations.every(carries)) {
        for (const d of s.declarationList.declarations) {
          const name = (d.name as ts.Identifier).text;
          if (ts.isPropertyAccessExpression(d.initializer!)) names.push(name);
          carried.add(name);
        }
        kept.push(s.getFullText(file));
        continue;
      }
      const named = ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s);
      if (named && s.name) names.push(s.name.text);
      if (named || ts.isImportDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) {
        kept.push(s.getFullText(file));
      }
    }
  }
  return { source: kept.join("\n"), names: [...new Set(names)] };
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
