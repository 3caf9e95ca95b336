/**
 * `nn-workbook run`: executes notebooks headless with the project's
 * TypeScript kernel and writes the executed copies (and HTML) to out/.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, join, resolve, relative } from "node:path";
import { parseArgs } from "node:util";
import { OUT, ROOT, projectPython, UsageError } from "./paths";

export interface RunOptions {
  /** Folder for the executed copies (default out/). */
  outDir?: string;
  /** Output notebook path (one notebook only). */
  output?: string;
  html?: boolean;
  /** Seconds per cell. */
  timeout?: number;
}

export interface RunResult {
  notebook: string;
  output: string;
  html?: string;
  ok: boolean;
  cells: number;
  seconds: number;
  failed_cell?: number;
  reason?: string;
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
  const args = [join(ROOT, "python", "run_notebook.py"), nb, "--output", output, "--timeout", String(opts.timeout ?? 1800)];
  if (html) args.push("--html", html);
  return new Promise((done, fail) => {
    const child = spawn(projectPython(), args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b));
    child.stderr.on("data", (b: Buffer) => (stderr += b));
    child.on("error", fail);
    child.on("close", (code) => {
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
  return text.split("\n").filter((l) => !/node_modules\/tslab|node:vm|sigintHandlersWrap/.test(l)).join("\n").trim();
}

const rel = (p: string) => relative(process.cwd(), p) || p;

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      html: { type: "boolean", default: false },
      out: { type: "string" },
      output: { type: "string", short: "o" },
      timeout: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(RUN_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`run: name at least one notebook\n\n${RUN_HELP}`);
  if (values.output && positionals.length > 1) throw new UsageError("run: -o/--output takes one notebook only");
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`run: --timeout must be a positive number of seconds, got '${values.timeout}'`);
  let failed = 0;
  for (const nb of positionals) {
    process.stdout.write(`▶ ${nb} … `);
    const r = await runNotebook(nb, { outDir: values.out, output: values.output, html: values.html, timeout });
    if (r.ok) {
      console.log(`ok, ${r.cells} cells in ${r.seconds.toFixed(1)} s → ${rel(r.output)}${r.html ? ` and ${rel(r.html)}` : ""}`);
    } else {
      failed++;
      console.log(`FAILED`);
      console.error(`${nb}: cell ${(r.failed_cell ?? 0) + 1} (index ${r.failed_cell}) failed (${r.reason})\n--- cell source ---\n${r.source}\n--- error ---\n${r.error}\n(executed part saved to ${rel(r.output)})`);
    }
  }
  return failed === 0 ? 0 : 1;
}

export const RUN_HELP = `usage: nn-workbook run <notebook.ipynb>… [--html] [--out DIR] [-o FILE] [--timeout S]

Executes notebooks headless with the project's TypeScript kernel, in each
notebook's own folder, and writes the executed, trusted copies to out/.
  --html         also write an HTML page next to each executed copy
  --out DIR      folder for the executed copies (default: out/)
  -o, --output   output path (one notebook only)
  --timeout S    seconds a cell may run (default 1800)
Exit code 1 when a cell fails; the message names the cell and shows its error.`;
