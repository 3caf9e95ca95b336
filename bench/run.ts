/**
 * `npm run bench`: this project's training passes against the same algorithm
 * in NumPy float64 (bench/numpy_pass.py), on the same inputs and the same
 * initial parameters, interleaved run by run so both see the same machine.
 * Prints ms per pass (min and median over every timed pass of every run,
 * after untimed warm-up passes on both sides), the
 * ratio NumPy / ours, the peak memory of each process and how far apart the
 * two loss histories are.
 *
 *   npm run bench [-- --reps 3] [-- --only "full"] [-- --no-numpy]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load_data } from "../lib/data";
import { init_one_layer_nn, init_two_layers_nn } from "../lib/nn";
import { saveMatrix } from "../lib/npy";
import type { Matrix } from "../lib/array";
import { CONFIGS, label } from "./config";
import type { BenchConfig, RunResult } from "./config";

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const reps = Number(flag("--reps") ?? 3);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${flag("--reps")}`);
const only = flag("--only");
const configs = CONFIGS.filter((c) => only === undefined || label(c).includes(only));
if (configs.length === 0) throw new Error(`--only "${only}" matches no configuration; they are: ${CONFIGS.map(label).join("; ")}`);

const python = process.env.NN_WORKBOOK_BENCH_PYTHON ?? "python3";
const numpyProbe = argv.includes("--no-numpy") ? undefined : spawnSync(python, ["-c", "import numpy; print(numpy.__version__)"], { encoding: "utf8" });
const withNumpy = numpyProbe?.status === 0;
if (!withNumpy) console.log(argv.includes("--no-numpy") ? "NumPy skipped (--no-numpy)." : `NumPy not found with '${python}' (set NN_WORKBOOK_BENCH_PYTHON): timing this project only.`);

const work = mkdtempSync(join(tmpdir(), "nn-workbook-bench-"));
const root = join(__dirname, "..", "..");

/** NumPy's inputs for a configuration: the data as loaded and the init as drawn here. */
function writeInputs(c: BenchConfig, dir: string): void {
  const d = load_data(undefined, c.dataset);
  const D = d.x_train.cols, K = d.y_train.cols;
  const init: Record<string, Matrix> = c.model === "one-layer" ? { ...init_one_layer_nn(D, K, 0) } : { ...init_two_layers_nn(D, c.hidden ?? 100, K, 0) };
  const files: Record<string, Matrix> = { x: d.x_train, y: d.y_train, xt: d.x_test, yt: d.y_test, ...init };
  for (const [name, m] of Object.entries(files)) saveMatrix(join(dir, `${name}.npy`), m);
}

function runJson(cmd: string, args: string[], what: string): RunResult {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd: root, maxBuffer: 64 << 20 });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !line.startsWith("{")) throw new Error(`${what} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  return JSON.parse(line) as RunResult;
}

interface Row {
  ours: RunResult[];
  numpy: RunResult[];
}
const rows: Row[] = configs.map(() => ({ ours: [], numpy: [] }));
const dirs = configs.map((c, i) => {
  const dir = join(work, String(i));
  mkdirSync(dir);
  if (withNumpy) writeInputs(c, dir);
  return dir;
});

try {
  for (let rep = 0; rep < reps; rep++) {
    configs.forEach((c, i) => {
      process.stderr.write(`run ${rep + 1}/${reps}: ${label(c)}\n`);
      rows[i].ours.push(runJson(process.execPath, [join(__dirname, "ours.js"), JSON.stringify(c)], `ours, ${label(c)}`));
      if (withNumpy) {
        const args = [join(root, "bench", "numpy_pass.py"), "--dir", dirs[i], "--model", c.model, "--passes", String(c.passes), "--warmup", String(c.warmup), "--epsilon", String(c.epsilon)];
        rows[i].numpy.push(runJson(python, args, `NumPy, ${label(c)}`));
      }
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (runs: RunResult[]) => runs.flatMap((r) => r.ms);
const peak = (runs: RunResult[]) => Math.max(...runs.map((r) => r.peak_mb));
/** Largest relative gap between the two loss histories (train and test). */
function lossGap(a: RunResult, b: RunResult): number {
  let gap = 0;
  for (const key of ["train_loss", "test_loss"] as const) {
    a[key].forEach((v, i) => { gap = Math.max(gap, Math.abs(v - b[key][i]) / Math.abs(b[key][i])); });
  }
  return gap;
}

const f = (x: number, digits = 1) => x.toFixed(digits);
console.log(`\n${reps} runs of each, interleaved; ours: ${rows[0].ours[0].version}${withNumpy ? `; ${rows[0].numpy[0].version} (${python})` : ""}\n`);
const head = withNumpy
  ? "| configuration | warm-up + timed passes | ours ms/pass min | median | NumPy ms/pass min | median | NumPy / ours (min) | (median) | peak MB ours | NumPy | loss gap |"
  : "| configuration | warm-up + timed passes | ours ms/pass min | median | peak MB ours |";
console.log(head);
console.log(head.replace(/[^|]+/g, "---"));
configs.forEach((c, i) => {
  const o = ms(rows[i].ours);
  const cells = [label(c), `${c.warmup} + ${c.passes}`, f(Math.min(...o), 2), f(median(o), 2)];
  if (withNumpy) {
    const n = ms(rows[i].numpy);
    const gap = Math.max(...rows[i].ours.map((r, k) => lossGap(r, rows[i].numpy[k])));
    cells.push(f(Math.min(...n), 2), f(median(n), 2), f(Math.min(...n) / Math.min(...o), 2), f(median(n) / median(o), 2), f(peak(rows[i].ours), 0), f(peak(rows[i].numpy), 0), gap.toExponential(1));
  } else {
    cells.push(f(peak(rows[i].ours), 0));
  }
  console.log(`| ${cells.join(" | ")} |`);
});
if (withNumpy) console.log("\nloss gap: the largest |ours − NumPy| / |NumPy| over the train and test losses of every pass (same inputs, same init).");
