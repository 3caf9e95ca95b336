/**
 * The answers template language: answers/template.md is Markdown with
 *
 *   {{key}}                      a recorded value, numbers in French (0.974 → 0,974, 18858 → 18 858)
 *   {{= expr}}                   a value computed from recorded ones, e.g. {{= fixed(n_full / n_train, 0)}}
 *   {{#if expr}}…{{#elif expr}}…{{else}}…{{/if}}   wording chosen from the values (may nest)
 *
 * so that a sentence that compares, counts or names a trend is chosen by the
 * values it talks about and stays true when the notebooks run on other data.
 * Expressions: numbers, "strings", recorded keys (numeric when they read as
 * a number), + − * /, < <= > >= == !=, and, or, not, parentheses, and the
 * functions abs, min, max, round, log10, fixed(x, digits), sci(x, digits).
 */
import type { Recorded } from "./record";

export type Value = number | string | boolean;

/** A template error: says where and what. */
export class TemplateError extends Error {}

const NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;
const NNBSP = "\u202f";

/**
 * A recorded or computed value as it reads in French prose: decimal comma,
 * true minus sign, thousands grouped from 4 digits with a narrow no-break
 * space (U+202F), exponents kept (2.2e-16 → 2,2e-16). Other strings unchanged.
 */
export function frenchNumber(text: string): string {
  if (!NUMBER.test(text)) return text;
  const m = /^(-?)(\d+)(?:\.(\d+))?(e[-+]?\d+)?$/i.exec(text)!;
  const [, sign, int, frac, exp] = m;
  const grouped = int.length >= 4 ? int.replace(/\B(?=(\d{3})+$)/g, NNBSP) : int;
  return `${sign ? "−" : ""}${grouped}${frac !== undefined ? `,${frac}` : ""}${exp ?? ""}`;
}

// ---- expressions ------------------------------------------------------------

type Token = { kind: "num"; value: number } | { kind: "str"; value: string } | { kind: "id"; value: string } | { kind: "op"; value: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:e[-+]?\d+)?)|"([^"]*)"|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|[-+*/<>(),]))/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new TemplateError(`cannot read '${src.slice(i).trim()}' in expression '${src}'`);
    if (m[1] !== undefined) tokens.push({ kind: "num", value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: "str", value: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: "id", value: m[3] });
    else tokens.push({ kind: "op", value: m[4] });
    i = re.lastIndex;
  }
  return tokens;
}

const FUNCTIONS: Record<string, (...a: Value[]) => Value> = {
  abs: (x) => Math.abs(num(x)),
  min: (...a) => Math.min(...a.map(num)),
  max: (...a) => Math.max(...a.map(num)),
  round: (x) => Math.round(num(x)),
  log10: (x) => Math.log10(num(x)),
  fixed: (x, d) => num(x).toFixed(num(d)),
  sci: (x, d) => num(x).toExponential(num(d)),
};

function num(v: Value): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && NUMBER.test(v)) return Number(v);
  throw new TemplateError(`'${String(v)}' is not a number`);
}

/** Evaluates an expression against the recorded values; `missing` collects unknown keys. */
export function evaluate(src: string, values: Recorded, missing: Set<string> = new Set()): Value {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => peek()?.kind === "op" && peek()!.value === v;
  const isWord = (v: string) => peek()?.kind === "id" && peek()!.value === v;
  const expect = (v: string) => {
    if (!isOp(v)) throw new TemplateError(`expected '${v}' in expression '${src}'`);
    pos++;
  };
  const or = (): Value => {
    let l = and();
    while (isWord("or")) { pos++; const r = and(); l = truthy(l) || truthy(r); }
    return l;
  };
  const and = (): Value => {
    let l = not();
    while (isWord("and")) { pos++; const r = not(); l = truthy(l) && truthy(r); }
    return l;
  };
  const not = (): Value => {
    if (isWord("not")) { pos++; return !truthy(not()); }
    return compare();
  };
  const compare = (): Value => {
    const l = additive();
    const t = peek();
    if (t?.kind === "op" && ["<", "<=", ">", ">=", "==", "!="].includes(t.value)) {
      pos++;
      const r = additive();
      if (t.value === "==" || t.value === "!=") {
        const same = typeof l === "string" && typeof r === "string" && !(NUMBER.test(l) && NUMBER.test(r)) ? l === r : isNum(l) && isNum(r) ? num(l) === num(r) : l === r;
        return t.value === "==" ? same : !same;
      }
      const a = num(l), b = num(r);
      return t.value === "<" ? a < b : t.value === "<=" ? a <= b : t.value === ">" ? a > b : a >= b;
    }
    return l;
  };
  const additive = (): Value => {
    let l = multiplicative();
    while (isOp("+") || isOp("-")) { const op = tokens[pos++].value; const r = multiplicative(); l = op === "+" ? num(l) + num(r) : num(l) - num(r); }
    return l;
  };
  const multiplicative = (): Value => {
    let l = unary();
    while (isOp("*") || isOp("/")) { const op = tokens[pos++].value; const r = unary(); l = op === "*" ? num(l) * num(r) : num(l) / num(r); }
    return l;
  };
  const unary = (): Value => {
    if (isOp("-")) { pos++; return -num(unary()); }
    return primary();
  };
  const primary = (): Value => {
    const t = tokens[pos++];
    if (!t) throw new TemplateError(`expression '${src}' ends too early`);
    if (t.kind === "num" || t.kind === "str") return t.value;
    if (t.kind === "op" && t.value === "(") { const v = or(); expect(")"); return v; }
    if (t.kind === "id") {
      if (t.value === "true" || t.value === "false") return t.value === "true";
      if (isOp("(")) {
        const f = FUNCTIONS[t.value];
        if (!f) throw new TemplateError(`unknown function '${t.value}' in expression '${src}' (known: ${Object.keys(FUNCTIONS).join(", ")})`);
        pos++;
        const args: Value[] = [];
        if (!isOp(")")) { args.push(or()); while (isOp(",")) { pos++; args.push(or()); } }
        expect(")");
        return f(...args);
      }
      if (!(t.value in values)) { missing.add(t.value); return 0; }
      const v = values[t.value];
      return NUMBER.test(v) ? Number(v) : v;
    }
    throw new TemplateError(`unexpected '${t.value}' in expression '${src}'`);
  };
  const result = or();
  if (pos < tokens.length) throw new TemplateError(`unexpected '${String(tokens[pos].value)}' in expression '${src}'`);
  return result;
}

const isNum = (v: Value) => typeof v === "number" || (typeof v === "string" && NUMBER.test(v));
const truthy = (v: Value) => (typeof v === "boolean" ? v : typeof v === "number" ? v !== 0 : v !== "" && v !== "false");

/** A computed value as text: numbers in French, booleans as oui/non. */
function show(v: Value): string {
  if (typeof v === "boolean") return v ? "oui" : "non";
  if (typeof v === "number") return frenchNumber(Number.isInteger(v) ? String(v) : String(+v.toPrecision(4)));
  return frenchNumber(v);
}

// ---- templates --------------------------------------------------------------

const TAG = /\{\{(#if|#elif|else|\/if|=)?\s*([^}]*?)\s*\}\}/g;

export interface RenderOptions {
  /** How a recorded key renders (default: frenchNumber of its value). */
  key?: (key: string, value: string) => string;
}

/** The template rendered with the values; unknown keys and malformed tags are errors. */
export function renderTemplate(template: string, values: Recorded, options: RenderOptions = {}): string {
  const missing = new Set<string>();
  const keyText = options.key ?? ((_k: string, v: string) => frenchNumber(v));
  // Stack of open ifs: whether the enclosing text is shown, whether a branch was taken, whether this branch is shown.
  const stack: { outer: boolean; taken: boolean; on: boolean; line: number }[] = [];
  const shown = () => (stack.length ? stack[stack.length - 1].on : true);
  let out = "", last = 0;
  const lineOf = (i: number) => template.slice(0, i).split("\n").length;
  for (const m of template.matchAll(TAG)) {
    const text = template.slice(last, m.index);
    if (shown()) out += text;
    last = m.index! + m[0].length;
    const [, kind, body] = m;
    const where = `line ${lineOf(m.index!)}`;
    const cond = () => {
      try { return truthy(evaluate(body, values, missing)); } catch (e) { throw new TemplateError(`${where}: ${(e as Error).message}`); }
    };
    if (kind === "#if") {
      const outer = shown();
      const on = outer && cond();
      stack.push({ outer, taken: on, on, line: lineOf(m.index!) });
    } else if (kind === "#elif" || kind === "else") {
      const top = stack[stack.length - 1];
      if (!top) throw new TemplateError(`${where}: {{${kind}}} without {{#if}}`);
      const on = top.outer && !top.taken && (kind === "else" || cond());
      top.on = on;
      top.taken ||= on;
    } else if (kind === "/if") {
      if (!stack.pop()) throw new TemplateError(`${where}: {{/if}} without {{#if}}`);
    } else if (kind === "=") {
      if (shown()) {
        try { out += show(evaluate(body, values, missing)); } catch (e) { throw new TemplateError(`${where}: ${(e as Error).message}`); }
      }
    } else {
      if (!/^[a-z][a-z0-9_]*$/.test(body)) throw new TemplateError(`${where}: '{{${body}}}' is not a key (write {{= ${body}}} for an expression)`);
      if (!(body in values)) missing.add(body);
      else if (shown()) out += keyText(body, values[body]);
    }
  }
  if (stack.length) throw new TemplateError(`line ${stack[stack.length - 1].line}: {{#if}} is never closed by {{/if}}`);
  out += template.slice(last);
  if (missing.size) throw new TemplateError(`no notebook records ${[...missing].map((k) => `'${k}'`).join(", ")}: add them to a record(...) call`);
  return out;
}

/** Every recorded key a template reads (in {{key}}, expressions and conditions). */
export function templateKeys(template: string): Set<string> {
  const keys = new Set<string>();
  for (const m of template.matchAll(TAG)) {
    if (m[1] === "else" || m[1] === "/if") continue;
    for (const t of tokenize(m[2].replace(/"[^"]*"/g, '""'))) if (t.kind === "id" && !(t.value in FUNCTIONS) && !["and", "or", "not", "true", "false"].includes(t.value)) keys.add(t.value);
  }
  return keys;
}
