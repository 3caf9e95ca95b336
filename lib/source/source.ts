/**
 * The lib's own TypeScript, shown in the notebooks next to each consigne:
 * the code the tests run, read from lib/, never a copy that could drift.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { displayBundle } from "../plot/display";

/** lib/ at the repository root (this file runs from dist/lib/source/). */
export const LIB_DIR = resolve(__dirname, "..", "..", "..", "lib");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : f.endsWith(".ts") && !f.endsWith(".d.ts") ? [p] : [];
  });
}

export interface SourceSnippet {
  name: string;
  /** Path relative to the repository root, e.g. lib/nn/one-layer.ts. */
  file: string;
  line: number;
  code: string;
}

/** The declaration of an exported function, class, interface or const, with its doc comment. */
export function sourceOf(name: string): SourceSnippet {
  const decl = new RegExp(`^export (?:async |abstract |declare )?(?:function|class|interface|const|type) ${name}\\b`, "m");
  for (const file of tsFiles(LIB_DIR)) {
    const text = readFileSync(file, "utf8");
    const m = decl.exec(text);
    if (!m) continue;
    const lines = text.split("\n");
    let start = text.slice(0, m.index).split("\n").length - 1;
    // Take the doc comment just above, if any.
    if (start > 0 && lines[start - 1].trimEnd().endsWith("*/")) {
      while (start > 0 && !lines[start - 1].trimStart().startsWith("/**")) start--;
      start--;
    }
    const first = text.slice(0, m.index).split("\n").length - 1;
    let end = first;
    // A declaration ends at a line that closes it at column 0 ("}", "};", ");") or at a one-liner's ";".
    if (!/[;]\s*$/.test(lines[first]) || /[{(]\s*$/.test(lines[first])) {
      while (end < lines.length - 1 && !/^(\}|\};|\);|\])/.test(lines[end])) end++;
    }
    return { name, file: relative(resolve(LIB_DIR, ".."), file), line: first + 1, code: lines.slice(start, end + 1).join("\n") };
  }
  throw new Error(`sourceOf: no exported declaration '${name}' in ${LIB_DIR}`);
}

/** Shows the source of lib functions in the notebook, highlighted. */
export function showSource(...names: string[]): void {
  const snippets = names.map(sourceOf);
  const md = snippets.map((s) => `\`${s.file}:${s.line}\`\n\n\`\`\`typescript\n${s.code}\n\`\`\``).join("\n\n");
  const text = snippets.map((s) => `// ${s.file}:${s.line}\n${s.code}`).join("\n\n");
  displayBundle({ "text/markdown": md, "text/plain": text });
}
