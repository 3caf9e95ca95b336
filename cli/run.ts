/**
 * `nn-workbook run`: executes notebooks headless with the project's
 * TypeScript kernel and writes the executed copies (and HTML) to out/.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve, relative } from "node:path";
import { parseArgs } from "node:util";
import { NOTEBOOKS, OUT, ROOT, projectPython, UsageError } from "./paths";
import { notebookParameters, typedOverrides, injectParameters, expandSweep } from "./parameters";
import type { Notebook } from "./notebook-json";
import { writeSweepSummary } from "./sweep";
import { KERNEL_NAME } from "./kernel";
import { GRADER_LIMITS, limitArgs } from "./limits";
import type { NotebookLimits } from "./limits";

export interface RunOptions {
  /** Folder for the executed copies (default out/). */
  outDir?: string;
  /** Output notebook path (one notebook only). */
  output?: string;
  html?: boolean;
  /** Wall-clock seconds per cell (without `limits`). */
  timeout?: number;
  /** The grader's limits (CPU seconds per cell and per notebook, memory, processes), enforced as when graded. */
  limits?: NotebookLimits;
  /** Parameter overrides, `-p name value`, injected after the `parameters` cell. */
  parameters?: [string, string][];
}

export interface RunResult {
  notebook: string;
  output: string;
  html?: string;
  ok: boolean;
  cells: number;
  seconds: number;
  failed_cell?: number;
  /** "error", "timeout", "kernel died"; with limits also "memory", "processes", "budget". */
  reason?: string;
  /** With limits: CPU seconds of each code cell run, by cell index (from 0). */
  cpu?: Record<string, number>;
  /** With limits: CPU seconds of the kernel's process tree, start-up included (what the notebook's budget counts). */
  cpu_seconds?: number;
  error?: string;
  source?: string;
}

/** Executes one notebook; resolves with what happened (never rejects on a failing cell). */
export function runNotebook(notebook: string, opts: RunOptions = {}): Promise<RunResult> {
  const nb = resolve(notebook);
  if (!existsSync(nb)) return Promise.reject(new UsageError(`${notebook}: notebook not found`));
  if (!nb.endsWith(".ipynb")) return Promise.reject(new UsageError(`${notebook}: not a .ipynb notebook`));
  const outDir = resolve(opts.outDir ?? OUT);
  const output = resolve(opts.output ?? join(outDir, basename(nb)));
  const html = opts.html ? output.replace(/\.ipynb$/, "") + ".html" : undefined;
  // With parameters, a copy with the injected cell runs, in the notebook's own folder.
  let source = nb;
  if (opts.parameters?.length) {
    const json = JSON.parse(readFileSync(nb, "utf8")) as Notebook;
    const literals = typedOverrides(notebookParameters(json, notebook), opts.parameters, notebook);
    mkdirSync(dirname(output), { recursive: true });
    source = `${output}.input-${process.pid}.ipynb`;
    writeFileSync(source, JSON.stringify(injectParameters(json, literals), null, 1));
  }
  const args = [join(ROOT, "python", "run_notebook.py"), source, "--kernel", KERNEL_NAME, "--output", output, "--timeout", String(opts.timeout ?? 1800), "--cwd", dirname(nb)];
  if (html) args.push("--html", html);
  if (opts.limits) args.push(...limitArgs(opts.limits));
  const cleanup = () => source !== nb && rmSync(source, { force: true });
  return new Promise((done, fail) => {
    const child = spawn(projectPython(), args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b));
    child.stderr.on("data", (b: Buffer) => (stderr += b));
    child.on("error", (e) => { cleanup(); fail(e); });
    child.on("close", (code) => {
      cleanup();
      const line = stdout.trim().split("\n").pop() ?? "";
      let parsed: Omit<RunResult, "notebook" | "output" | "html">;
      try {
        parsed = JSON.parse(line);
      } catch {
        fail(new Error(`running ${notebook} failed (exit ${code}):\n${stderr.trim()}`));
        return;
      }
      done({ notebook: nb, output, html, ...parsed, error: parsed.error && trimStack(parsed.error) });
    });
  });
}

/** Drops the kernel's own frames from a stack trace: the student's code is what matters. */
function trimStack(text: string): string {
  return text.split("\n").filter((l) => !/node_modules[\\/]tslab|node:vm|sigintHandlersWrap/.test(l)).join("\n").trim();
}

const rel = (p: string) => relative(process.cwd(), p) || p;

/** Takes `-p name value` (or `--parameter name value`) triples out of argv. */
function takeParameters(argv: string[]): { rest: string[]; parameters: [string, string][] } {
  const rest: string[] = [], parameters: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "-p" || argv[i] === "--parameter") {
      if (argv[i + 2] === undefined) throw new UsageError(`${argv[i]} takes a name and a value, e.g. -p epsilon 1e-4`);
      parameters.push([argv[i + 1], argv[i + 2]]);
      i += 2;
    } else rest.push(argv[i]);
  }
  return { rest, parameters };
}

/** The code cell that used the most CPU seconds, numbered from 1 as the grader's feedback does. */
export function longestCell(r: RunResult): { cell: number; cpu: number } | undefined {
  let best: { cell: number; cpu: number } | undefined;
  for (const [i, cpu] of Object.entries(r.cpu ?? {})) if (!best || cpu > best.cpu) best = { cell: Number(i) + 1, cpu };
  return best;
}

export interface RunDefaults {
  /** Apply the grader's limits unless --no-limits (the student's folder); otherwise only with --as-graded. */
  asGraded?: boolean;
}

export async function runCommand(argv: string[], defaults: RunDefaults = {}): Promise<number> {
  const { rest, parameters } = takeParameters(argv);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      html: { type: "boolean", default: false },
      all: { type: "boolean", default: false },
      out: { type: "string" },
      output: { type: "string", short: "o" },
      timeout: { type: "string" },
      "as-graded": { type: "boolean", default: false },
      "no-limits": { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(defaults.asGraded ? STUDENT_RUN_HELP : RUN_HELP);
    return 0;
  }
  if (values["as-graded"] && values["no-limits"]) throw new UsageError("run: --as-graded and --no-limits contradict each other; choose one");
  const limits = (defaults.asGraded ? !values["no-limits"] : values["as-graded"]) ? GRADER_LIMITS : undefined;
  if (limits && values.timeout !== undefined) {
    throw new UsageError(`run: --timeout sets wall-clock seconds for a run without limits; as graded, a cell gets ${limits.cellCpuSeconds} CPU seconds (${defaults.asGraded ? "add --no-limits" : "drop --as-graded"} to set your own)`);
  }
  if (values.all && positionals.length) throw new UsageError("run: --all runs every notebook of notebooks/; name no notebook with it");
  const notebooks = values.all ? readdirNotebooks() : positionals;
  if (notebooks.length === 0) throw new UsageError(`run: name at least one notebook, or --all\n\n${RUN_HELP}`);
  if (values.output && notebooks.length > 1) throw new UsageError("run: -o/--output takes one notebook only");
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`run: --timeout must be a positive number of seconds, got '${values.timeout}'`);
  let failed = 0;
  for (const [k, nb] of notebooks.entries()) {
    const json = JSON.parse(readFileSync(resolve(nb), "utf8")) as Notebook;
    // A comma list sweeps: one run per value (or per combination).
    const declared = parameters.length ? notebookParameters(json, nb) : [];
    const runs = parameters.length ? expandSweep(declared, parameters) : [[]];
    runs.forEach((o) => typedOverrides(declared, o, nb)); // every value checked before anything runs
    const sweep = runs.length > 1;
    const results: { overrides: [string, string][]; result: RunResult }[] = [];
    for (const overrides of runs) {
      const suffix = sweep ? "-" + overrides.map(([n, v]) => `${n}=${v}`).join("-").replace(/[^\w.=-]/g, "_") : "";
      const output = values.output && !sweep ? values.output : join(resolve(values.out ?? OUT), basename(nb, ".ipynb") + suffix + ".ipynb");
      const label = `${notebooks.length > 1 ? `[${k + 1}/${notebooks.length}] ` : ""}${nb}${overrides.length ? ` (${overrides.map(([n, v]) => `${n} = ${v}`).join(", ")})` : ""}`;
      process.stdout.write(`▶ ${label} … `);
      const r = await runNotebook(nb, { output, html: values.html, timeout, parameters: overrides, limits });
      results.push({ overrides, result: r });
      const top = longestCell(r);
      const graded = limits && r.cpu_seconds !== undefined
        ? `; as graded: ${r.cpu_seconds.toFixed(1)} CPU s of ${limits.notebookCpuSeconds}${top ? `, longest cell ${top.cell}: ${top.cpu.toFixed(1)} CPU s of ${limits.cellCpuSeconds}` : ""}`
        : "";
      if (r.ok) {
        console.log(`ok, ${r.cells} cells in ${r.seconds.toFixed(1)} s${graded} → ${rel(r.output)}${r.html ? ` and ${rel(r.html)}` : ""}`);
      } else {
        failed++;
        console.log(`FAILED${graded}`);
        console.error(`${nb}: cell ${(r.failed_cell ?? 0) + 1} (index ${r.failed_cell}) failed (${r.reason})\n--- cell source ---\n${r.source}\n--- error ---\n${r.error}\n(executed part saved to ${rel(r.output)})`);
      }
    }
    if (sweep) {
      const { csv, html } = writeSweepSummary(nb, results, resolve(values.out ?? OUT));
      console.log(`sweep summary → ${rel(csv)} and ${rel(html)}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

function readdirNotebooks(): string[] {
  return readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(NOTEBOOKS, f));
}

const runUsage = (asGraded: boolean) => `usage: nn-workbook run <notebook.ipynb>… | --all  [-p NAME VALUE]… [--html] [--out DIR] [-o FILE] [${asGraded ? "--no-limits [--timeout S]" : "--as-graded | --timeout S"}]

Executes notebooks headless with the project's TypeScript kernel, in each
notebook's own folder, and writes the executed, trusted copies to out/.
  --all          run every notebook of notebooks/, in order
  -p NAME VALUE  override a parameter of the notebook's 'parameters' cell
                 (typed: number, string, boolean, JSON array); a comma list
                 (-p hidden_dim 10,50,100) runs once per value and writes a
                 summary (CSV and HTML with the curves overlaid)
  --html         also write an HTML page next to each executed copy
  --out DIR      folder for the executed copies (default: out/)
  -o, --output   output path (one notebook only)
${asGraded
    ? `  Cells run under the grader's limits, as 'nn-workbook grade' runs them:
  ${GRADER_LIMITS.cellCpuSeconds} CPU seconds per cell, ${GRADER_LIMITS.notebookCpuSeconds} per notebook, ${GRADER_LIMITS.memoryMb} MB of memory; a cell
  over them fails with the message the grader would give.
  --no-limits    lift them (a long run of your own: -p num_passes 5000…)
  --timeout S    with --no-limits: wall-clock seconds a cell may run (default 1800)`
    : `  --as-graded    run under the grader's limits (${GRADER_LIMITS.cellCpuSeconds} CPU seconds per cell,
                 ${GRADER_LIMITS.notebookCpuSeconds} per notebook, ${GRADER_LIMITS.memoryMb} MB of memory), as 'nn-workbook grade' does:
                 a cell over them fails with the grader's message
  --timeout S    wall-clock seconds a cell may run (default 1800)`}
Exit code 1 when a cell fails; the message names the cell and shows its error.`;

export const RUN_HELP = runUsage(false);
/** The student folder's `run`: the grader's limits by default. */
export const STUDENT_RUN_HELP = runUsage(true);
