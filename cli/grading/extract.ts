/**
 * The part of a submission the grader checks: the top-level declarations of
 * its code cells (imports, functions, classes, types, and `const`/`let`
 * bound to literals or functions), in cell order, as one CommonJS module.
 * Calls (training, plots, data loading) are left out: the
 * checks call the functions themselves, whatever the other cells did.
 */
import ts from "typescript";

export interface Extracted {
  /** The module's JavaScript. */
  js: string;
  /** Top-level names it declares. */
  declared: string[];
  /** Cells (numbered from 1 over the whole notebook) that did not parse: their declarations are missing. */
  unparsed: number[];
}

/** True for an initializer that computes nothing when evaluated (a literal, a function, a class). */
function isStatic(e: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) return isStatic(e.expression);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e) || ts.isClassExpression(e)) return true;
  if (ts.isNumericLiteral(e) || ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isBigIntLiteral(e)) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(e)) return e.text === "undefined" || e.text === "Infinity" || e.text === "NaN";
  if (ts.isPrefixUnaryExpression(e)) return isStatic(e.operand);
  // \`new Random(0)\`: a seeded generator the functions share (a constructor, not a training run).
  if (ts.isNewExpression(e)) return (ts.isIdentifier(e.expression) || ts.isPropertyAccessExpression(e.expression)) && (e.arguments ?? []).every(isStatic);
  if (ts.isBinaryExpression(e)) return isStatic(e.left) && isStatic(e.right);
  if (ts.isArrayLiteralExpression(e)) return e.elements.every((x) => !ts.isSpreadElement(x) && isStatic(x));
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.every((p) => (ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && isStatic(p.initializer)) || ts.isMethodDeclaration(p));
  }
  return false;
}

/** Names a kept statement declares (for keeping only the last of each). */
function namesOf(s: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) return [s.name.text];
  if (ts.isVariableStatement(s)) return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  return [];
}

function kept(s: ts.Statement): boolean {
  if (ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s)) return true;
  if (ts.isFunctionDeclaration(s)) return !!s.body;
  if (ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) return true;
  if (ts.isVariableStatement(s)) {
    return s.declarationList.declarations.every((d) => ts.isIdentifier(d.name) && d.initializer !== undefined && isStatic(d.initializer));
  }
  return false;
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
  const statements: { cell: number; text: string; names: string[] }[] = [];
  const unparsed: number[] = [];
  for (const { cell, source } of cells) {
    const file = ts.createSourceFile(`cell${cell}.ts`, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    if ((file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length) unparsed.push(cell);
    for (const s of file.statements) if (kept(s)) statements.push({ cell, text: s.getFullText(file), names: namesOf(s) });
  }
  // A later declaration replaces an earlier one, as re-running a cell does in the kernel.
  const last = new Map<string, number>();
  statements.forEach((s, i) => s.names.forEach((n) => last.set(n, i)));
  const body = statements.filter((s, i) => s.names.every((n) => last.get(n) === i)).map((s) => `// cell ${s.cell}\n${s.text.trim()}`);
  const declared = [...last.keys()];
  const names = exported.filter((n) => declared.includes(n));
  const tail = `\nexport function __nnwb_names() {\n  return { ${names.map((n) => `${JSON.stringify(n)}: ${n}`).join(", ")} };\n}\n`;
  const js = ts.transpileModule(body.join("\n\n") + tail, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, isolatedModules: false },
    reportDiagnostics: false,
  }).outputText;
  return { js: LAZY_REQUIRE + js.replace(/(?<![\w$.])require\(/g, "__nnwb_require("), declared, unparsed };
}
