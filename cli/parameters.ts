/**
 * Papermill for this workbook: each notebook has one code cell tagged
 * `parameters` (`const name = literal;` lines); `-p name value` overrides are
 * written as typed TypeScript literals into a cell tagged
 * `injected-parameters` right after it, and recorded in the metadata.
 */
import { UsageError } from "./paths";
import { hasTag, sourceText } from "./notebook-json";
import type { Notebook } from "./notebook-json";

export type ParameterKind = "number" | "string" | "boolean" | "array";
export interface Parameter { name: string; kind: ParameterKind; literal: string }

function kindOf(literal: string): ParameterKind | undefined {
  if (/^-?[\d.]+(e-?\d+)?$/i.test(literal)) return "number";
  if (/^(["'`]).*\1$/.test(literal)) return "string";
  if (literal === "true" || literal === "false") return "boolean";
  if (literal.startsWith("[")) return "array";
  return undefined;
}

/** The parameters a notebook declares in its `parameters` cell. */
export function notebookParameters(nb: Notebook, file: string): Parameter[] {
  const cells = nb.cells.filter((c) => c.cell_type === "code" && hasTag(c, "parameters"));
  if (cells.length !== 1) throw new UsageError(`${file}: expected one code cell tagged 'parameters', found ${cells.length}`);
  const out: Parameter[] = [];
  for (const line of sourceText(cells[0].source).split("\n")) {
    const m = /^\s*(?:const|let)\s+(\w+)\s*(?::\s*[^=]+)?=\s*(.+?);?\s*(?:\/\/.*)?$/.exec(line);
    if (!m) continue;
    const kind = kindOf(m[2].trim());
    if (kind) out.push({ name: m[1], kind, literal: m[2].trim() });
  }
  return out;
}

/** A command-line value as a TypeScript literal of the parameter's type, or a clear error. */
export function toLiteral(p: Parameter, raw: string): string {
  const wrong = (what: string) => new UsageError(`parameter '${p.name}' is a ${p.kind} (default ${p.literal}); '${raw}' is ${what}`);
  switch (p.kind) {
    case "number": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) throw wrong("not a finite number");
      return String(n);
    }
    case "boolean":
      if (raw !== "true" && raw !== "false") throw wrong("neither true nor false");
      return raw;
    case "string":
      return JSON.stringify(raw);
    case "array": {
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        throw wrong("not a JSON array such as [1, 2]");
      }
      if (!Array.isArray(v)) throw wrong("not an array");
      return JSON.stringify(v);
    }
  }
}

/** Checks overrides against the declared parameters and types them. */
export function typedOverrides(declared: Parameter[], overrides: [string, string][], file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of overrides) {
    const p = declared.find((d) => d.name === name);
    if (!p) throw new UsageError(`${file}: unknown parameter '${name}'; known: ${declared.map((d) => `${d.name} (${d.kind}, default ${d.literal})`).join(", ")}`);
    out[name] = toLiteral(p, raw);
  }
  return out;
}

/** A copy of the notebook with the injected-parameters cell (replacing any earlier one). */
export function injectParameters(nb: Notebook, literals: Record<string, string>): Notebook {
  const copy = JSON.parse(JSON.stringify(nb)) as Notebook;
  copy.cells = copy.cells.filter((c) => !hasTag(c, "injected-parameters"));
  const at = copy.cells.findIndex((c) => hasTag(c, "parameters"));
  const lines = Object.entries(literals).map(([k, v]) => `const ${k} = ${v};`);
  copy.cells.splice(at + 1, 0, {
    cell_type: "code",
    id: "injected-parameters",
    metadata: { tags: ["injected-parameters"] },
    source: `// Parameters injected by nn-workbook run\n${lines.join("\n")}`,
    outputs: [],
    execution_count: null,
  });
  copy.metadata["nn-workbook"] = { parameters: Object.fromEntries(Object.entries(literals).map(([k, v]) => [k, JSON.parse(v.replace(/^'|'$/g, '"'))])) };
  return copy;
}

/**
 * The notebook with the given parameters' values rewritten in its
 * `parameters` cell itself (no cell added: cell numbers stay the student's),
 * each rewritten line saying what it was. Names the cell does not declare
 * are left alone (a student's notebook may have lost one).
 */
export function rewriteParameters(nb: Notebook, values: Record<string, number | string | boolean>, why: string): Notebook {
  const copy = JSON.parse(JSON.stringify(nb)) as Notebook;
  const cell = copy.cells.find((c) => c.cell_type === "code" && hasTag(c, "parameters"));
  if (!cell) return copy;
  cell.source = sourceText(cell.source).split("\n").map((line) => {
    const m = /^(\s*(?:const|let)\s+(\w+)\s*(?::\s*[^=]+)?=\s*)(.+?);?\s*(?:\/\/.*)?$/.exec(line);
    if (!m || !(m[2] in values)) return line;
    return `${m[1]}${JSON.stringify(values[m[2]])}; // ${why} (${m[3].trim()} dans le cahier)`;
  }).join("\n");
  return copy;
}

/** `-p a 1,2 -p b x` → every combination, as override lists (commas sweep numbers and booleans). */
export function expandSweep(declared: Parameter[], overrides: [string, string][]): [string, string][][] {
  let runs: [string, string][][] = [[]];
  for (const [name, raw] of overrides) {
    const kind = declared.find((d) => d.name === name)?.kind;
    const values = (kind === "number" || kind === "boolean") && raw.includes(",") ? raw.split(",").map((v) => v.trim()) : [raw];
    runs = runs.flatMap((r) => values.map((v) => [...r, [name, v] as [string, string]]));
  }
  return runs;
}
