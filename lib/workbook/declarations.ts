/**
 * What a notebook defines, as opposed to what it runs: the top-level
 * declarations of its code cells (imports, functions, classes, types,
 * `const`s bound to values that compute nothing, and the functions carried
 * from an earlier notebook with `charger_cahier`), in cell order, the last
 * of each name winning as re-running a cell does in the kernel. Calls
 * (training, plots, data loading) are left out.
 *
 * One reading serves both sides: `charger_cahier` in the student's kernel
 * (lib/workbook/carry.ts) and the grader's check module
 * (cli/grading/extract.ts).
 */
import * as ts from "typescript";

/**
 * - `function`: a function or class declaration, or a `const` bound to one;
 * - `value`: a `const` bound to a literal, an object of literals, a `new X(literals)`;
 * - `notebook`: `const partie1 = charger_cahier("1-une-couche.ipynb")`;
 * - `carried`: `const softmax = partie1.softmax`, a function of an earlier notebook;
 * - `other`: imports and types.
 */
export type DeclarationKind = "function" | "value" | "notebook" | "carried" | "other";

export interface Declaration {
  /** The cell's number, as given by the caller. */
  cell: number;
  /** The statement's TypeScript text. */
  text: string;
  names: string[];
  kind: DeclarationKind;
}

export interface Declarations {
  /** Kept statements in cell order, only the last statement of each name. */
  statements: Declaration[];
  /** Cells that did not parse (their declarations may be missing). */
  unparsed: number[];
}

/** The loader of earlier notebooks, as a cell calls it. */
export const CARRY_FUNCTION = "charger_cahier";

const unwrap = (e: ts.Expression): ts.Expression =>
  ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e) ? unwrap(e.expression) : e;

const isFunction = (e: ts.Expression) => {
  const u = unwrap(e);
  return ts.isArrowFunction(u) || ts.isFunctionExpression(u) || ts.isClassExpression(u);
};

/** True for an initializer that computes nothing when evaluated. */
function isStatic(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (isFunction(u)) return true;
  if (ts.isNumericLiteral(u) || ts.isStringLiteral(u) || ts.isNoSubstitutionTemplateLiteral(u) || ts.isBigIntLiteral(u)) return true;
  if (u.kind === ts.SyntaxKind.TrueKeyword || u.kind === ts.SyntaxKind.FalseKeyword || u.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isIdentifier(u)) return u.text === "undefined" || u.text === "Infinity" || u.text === "NaN";
  if (ts.isPrefixUnaryExpression(u)) return isStatic(u.operand);
  // `new Random(0)`: a seeded generator the functions share (a constructor, not a training run).
  if (ts.isNewExpression(u)) return (ts.isIdentifier(u.expression) || ts.isPropertyAccessExpression(u.expression)) && (u.arguments ?? []).every(isStatic);
  if (ts.isBinaryExpression(u)) return isStatic(u.left) && isStatic(u.right);
  if (ts.isArrayLiteralExpression(u)) return u.elements.every((x) => !ts.isSpreadElement(x) && isStatic(x));
  if (ts.isObjectLiteralExpression(u)) {
    return u.properties.every((p) => (ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && isStatic(p.initializer)) || ts.isMethodDeclaration(p));
  }
  return false;
}

/** The kind of a statement, or undefined when it is not kept (a call, a loop, a `const` that computes). */
function kindOf(s: ts.Statement, notebooks: Set<string>): DeclarationKind | undefined {
  if (ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s)) return "other";
  if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) return "other";
  if (ts.isFunctionDeclaration(s)) return s.body ? "function" : undefined;
  if (ts.isClassDeclaration(s)) return "function";
  if (!ts.isVariableStatement(s)) return undefined;
  const ds = s.declarationList.declarations;
  if (!ds.every((d) => ts.isIdentifier(d.name) && d.initializer)) return undefined;
  const inits = ds.map((d) => unwrap(d.initializer!));
  if (inits.every((e) => ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === CARRY_FUNCTION)) return "notebook";
  if (inits.every((e) => ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && notebooks.has(e.expression.text))) return "carried";
  if (inits.every(isFunction)) return "function";
  return inits.every(isStatic) ? "value" : undefined;
}

function namesOf(s: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) return [s.name.text];
  if (ts.isVariableStatement(s)) return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  return [];
}

/** The declarations of `cells` (code cells' sources with their numbers). */
export function declarations(cells: readonly { cell: number; source: string }[]): Declarations {
  const all: Declaration[] = [];
  const unparsed: number[] = [];
  const notebooks = new Set<string>();
  for (const { cell, source } of cells) {
    const file = ts.createSourceFile(`cell${cell}.ts`, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    if ((file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length) unparsed.push(cell);
    for (const s of file.statements) {
      const kind = kindOf(s, notebooks);
      if (!kind) continue;
      const names = namesOf(s);
      if (kind === "notebook") names.forEach((n) => notebooks.add(n));
      all.push({ cell, text: s.getFullText(file).trim(), names, kind });
    }
  }
  const last = new Map<string, number>();
  all.forEach((s, i) => s.names.forEach((n) => last.set(n, i)));
  return { statements: all.filter((s, i) => s.names.every((n) => last.get(n) === i)), unparsed };
}

/** Names the statements of these kinds define. */
export function namesOfKind(d: Declarations, ...kinds: DeclarationKind[]): string[] {
  return [...new Set(d.statements.filter((s) => kinds.includes(s.kind)).flatMap((s) => s.names))];
}
