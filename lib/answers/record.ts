/**
 * The numbers answers.md quotes come from the notebooks' own runs: a cell
 * calls `record({ key: value })`, the value is shown in the notebook and
 * carried in the output under a MIME type of ours, and `nn-workbook answers`
 * reads it back from the executed notebook to write answers.md.
 */
import { displayBundle } from "../plot/display";

/** The MIME type that carries recorded values in a notebook output. */
export const VALUES_MIME = "application/vnd.nn-workbook.values+json";

export type Recorded = Record<string, string>;

/** Records values (already formatted as they should read in the answers) and shows them. */
export function record(values: Record<string, string | number>): void {
  const strings: Recorded = {};
  for (const [k, v] of Object.entries(values)) {
    if (!/^[a-z][a-z0-9_]*$/.test(k)) throw new Error(`record: key '${k}' must be lower_snake_case`);
    strings[k] = String(v);
  }
  const list = Object.entries(strings).map(([k, v]) => `\`${k}\` = ${v}`).join(" · ");
  displayBundle({
    [VALUES_MIME]: strings,
    "text/markdown": `<small>Valeurs reprises dans answers.md : ${list}</small>`,
    "text/plain": `answers.md ← ${Object.entries(strings).map(([k, v]) => `${k} = ${v}`).join(", ")}`,
  });
}
