/**
 * `npm run typeset`: French typography (lib/text/french.ts) applied to every
 * markdown cell of notebooks/*.ipynb and to answers/template.md. Idempotent.
 * `--check` writes nothing and exits 1 when a file would change.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { typeset } from "../lib/text";
import { NOTEBOOKS, ROOT } from "../cli/paths";
import { sourceText, writeAtomic } from "../cli/notebook-json";
import type { Notebook } from "../cli/notebook-json";

/** The files typeset and, for each, its new content (undefined when unchanged). */
export function typesetFiles(): { file: string; content?: string }[] {
  const out: { file: string; content?: string }[] = [];
  for (const f of readdirSync(NOTEBOOKS).filter((n) => n.endsWith(".ipynb")).sort()) {
    const file = join(NOTEBOOKS, f);
    const json = JSON.parse(readFileSync(file, "utf8")) as Notebook;
    let changed = false;
    for (const cell of json.cells) {
      if (cell.cell_type !== "markdown") continue;
      const before = sourceText(cell.source);
      const after = typeset(before);
      if (after !== before) {
        cell.source = after;
        changed = true;
      }
    }
    out.push({ file, content: changed ? JSON.stringify(json, null, 1) + "\n" : undefined });
  }
  const template = join(ROOT, "answers", "template.md");
  const text = readFileSync(template, "utf8");
  const typeset_ = typeset(text);
  out.push({ file: template, content: typeset_ !== text ? typeset_ : undefined });
  return out;
}

function main(): number {
  const check = process.argv.includes("--check");
  const files = typesetFiles();
  const changed = files.filter((f) => f.content !== undefined);
  for (const f of changed) {
    if (check) console.log(`would typeset ${f.file}`);
    else writeAtomic(f.file, f.content!);
  }
  console.log(`${check ? "would change" : "typeset"} ${changed.length} of ${files.length} files${changed.length && !check ? "; run 'npm run answers' to re-render answers.md" : ""}`);
  return check && changed.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
