/**
 * The part of a submission the grader checks: the declarations of its code
 * cells (lib/workbook/declarations.ts, the same reading as the student's
 * `charger_cahier`) as one CommonJS module. Calls (training, plots, data
 * loading) are left out: the checks call the functions themselves, whatever
 * the other cells did. Functions carried from an earlier notebook stay
 * bound through `charger_cahier`, which reads the student's notebooks
 * beside the module in the sandbox, as in the student's kernel.
 */
import ts from "typescript";
import { declarations, namesOfKind } from "../../lib/workbook/declarations";

export interface Extracted {
  /** The module's JavaScript. */
  js: string;
  /** Top-level names it declares itself (not those it carries from an earlier notebook). */
  declared: string[];
  /** Names bound to an earlier notebook (`const partie1 = charger_cahier(…)`). */
  carriers: string[];
  /** Cells (numbered from 1 over the whole notebook) that did not parse: their declarations are missing. */
  unparsed: number[];
}

/**
 * A module that cannot be loaded fails the functions that use it, not the
 * whole notebook: its exports throw, saying which module is missing.
 */
const LAZY_REQUIRE = `"use strict";
const __nnwb_require = (m) => {
  try {
    return require(m);
  } catch (e) {
    const why = String(e && e.message).split("\\n")[0];
    return new Proxy({}, { get(_, k) { if (k === "__esModule" || typeof k === "symbol" || k === "then") return undefined; throw new Error(\`\${String(k)} : module « \${m} » introuvable dans la copie des étudiants (\${why})\`); } });
  }
};
`;

/**
 * The module of `cells` (code cells' sources with their notebook numbers).
 * `exported` names are collected in `__nnwb_names()` when declared.
 */
export function extractDeclarations(cells: { cell: number; source: string }[], exported: string[]): Extracted {
  const d = declarations(cells);
  const body = d.statements.map((s) => `// cell ${s.cell}\n${s.text}`);
  const declared = namesOfKind(d, "function", "value");
  const carriers = namesOfKind(d, "notebook");
  const names = exported.filter((n) => declared.includes(n));
  const tail = `\nexport function __nnwb_names() {\n  return { ${names.map((n) => `${JSON.stringify(n)}: ${n}`).join(", ")} };\n}\n`;
  const js = ts.transpileModule(body.join("\n\n") + tail, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: false },
    reportDiagnostics: false,
  }).outputText;
  return { js: LAZY_REQUIRE + js.replace(/(?<![\w$.])require\(/g, "__nnwb_require("), declared, carriers, unparsed: d.unparsed };
}
