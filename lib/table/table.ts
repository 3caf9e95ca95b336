/** Tables in the notebook: a danfojs DataFrame (or plain columns) as HTML, with its text form. */
import { showHtml } from "../plot/display";
import { escapeHtml as esc } from "../plot/html";

/** What a danfojs DataFrame offers, and all a table needs. */
export interface TableLike {
  columns: string[];
  values: unknown[] | unknown[][];
  index?: (string | number)[];
  toString?: () => string;
}

const cell = (v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? v.toPrecision(4) : v);

/** The HTML of a table. */
export function tableHtml(t: TableLike): string {
  const rows = (t.values as unknown[]).map((r) => (Array.isArray(r) ? r : [r]));
  const head = `<tr><th></th>${t.columns.map((c) => `<th>${esc(c)}</th>`).join("")}</tr>`;
  const body = rows.map((r, i) => `<tr><th>${esc(t.index?.[i] ?? i)}</th>${r.map((v) => `<td>${esc(cell(v))}</td>`).join("")}</tr>`).join("");
  return `<table class="nnwb-table"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

/** Shows a table (a danfojs DataFrame, or `{columns, values}`) in the notebook. */
export function showTable(t: TableLike): void {
  const text = t.toString && t.toString !== Object.prototype.toString ? t.toString() : [t.columns.join("\t"), ...(t.values as unknown[][]).map((r) => r.join("\t"))].join("\n");
  showHtml(tableHtml(t), text);
}
