/**
 * The summary of a parameter sweep: one row per run with its parameters,
 * status and every value the notebook recorded (final losses, accuracies,
 * ms per pass…), as CSV and as an HTML page that overlays, figure by figure,
 * the curves of all runs.
 */
import { writeFileSync } from "node:fs";
import { readNotebook } from "./notebook-json";
import { basename, join } from "node:path";
import { collectValues } from "./answers";
import type { RunResult } from "./run";
import { pageHtml } from "../lib/plot/html";
import type { Figure, Trace } from "../lib/plot/figure";
import { tableHtml } from "../lib/table/table";

interface SweepRun { overrides: [string, string][]; result: RunResult }

const PLOTLY = "application/vnd.plotly.v1+json";

function figuresOf(file: string): Figure[] {
  return readNotebook(file).cells.flatMap((c) => c.outputs ?? []).map((o) => o.data?.[PLOTLY] as Figure | undefined).filter((f): f is Figure => f !== undefined);
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function writeSweepSummary(notebook: string, runs: SweepRun[], outDir: string): { csv: string; html: string } {
  const names = runs[0].overrides.map(([n]) => n);
  const values = runs.map((r) => (r.result.ok ? collectValues([r.result.output]) : {}));
  const keys = [...new Set(values.flatMap((v) => Object.keys(v)))].sort();
  const columns = [...names, "status", "seconds", ...keys];
  const rows = runs.map((r, i) => [
    ...r.overrides.map(([, v]) => v),
    r.result.ok ? "ok" : `failed at cell ${(r.result.failed_cell ?? 0) + 1}`,
    r.result.seconds.toFixed(1),
    ...keys.map((k) => values[i][k] ?? ""),
  ]);
  const stem = join(outDir, `${basename(notebook, ".ipynb")}-sweep`);
  writeFileSync(`${stem}.csv`, [columns, ...rows].map((r) => r.map(csvCell).join(",")).join("\n") + "\n");
  // Figure k of every run, overlaid: traces named after the run's parameters.
  const perRun = runs.map((r) => (r.result.ok ? figuresOf(r.result.output) : []));
  const count = Math.max(0, ...perRun.map((f) => f.length));
  const overlaid: Figure[] = [];
  for (let k = 0; k < count; k++) {
    const base = perRun.find((f) => f[k])![k];
    if (base.data.some((t) => t.type !== "scatter")) continue; // images and bars do not overlay
    const data: Trace[] = perRun.flatMap((figs, i) => (figs[k]?.data ?? []).map((t) => ({ ...t, name: `${runs[i].overrides.map(([n, v]) => `${n}=${v}`).join(", ")}: ${String(t.name ?? "")}` })));
    overlaid.push({ data, layout: { ...base.layout, showlegend: true, height: 500 } });
  }
  const title = `${basename(notebook)}: sweep over ${names.join(", ")}`;
  const page = pageHtml(title, overlaid).replace("</h1>", `</h1>\n${tableHtml({ columns, values: rows })}`);
  writeFileSync(`${stem}.html`, page);
  return { csv: `${stem}.csv`, html: `${stem}.html` };
}
