/**
 * `npm run bench`: this project's training passes against the same algorithm
 * in NumPy float64 (bench/numpy_pass.py), on the same inputs and the same
 * initial parameters, interleaved run by run so both see the same machine.
 * Prints ms per pass (min and median over every timed pass of every run,
 * after untimed warm-up passes on both sides), the
 * ratio NumPy / ours, the peak memory of each process and how far apart the
 * two loss histories are. Then part 3 (bench/autograd.ts): the autograd pass
 * on the TensorFlow.js backends against PyTorch.
 *
 *   npm run bench [-- --reps 3] [-- --only "full"] [-- --part 12|3] [-- --no-numpy]
 *                 [-- --torch-python PYTHON] [-- --heap MB]
 *
 * `--heap 90`: parts 1–2 train beside 90 MB of live JavaScript objects, as
 * in a notebook's kernel, where V8's full collections cost more.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load_data } from "../lib/data";
import { init_one_layer_nn, init_two_layers_nn } from "../lib/nn";
import { saveMatrix } from "../lib/npy";
import type { Matrix } from "../lib/array";
import { AUTOGRAD_CONFIGS, CONFIGS, autogradLabel, label } from "./config";
import { benchAutograd } from "./autograd";
import type { BenchConfig, RunResult } from "./config";
import { f, lossGap, median, ms, peak, runJson } from "./report";

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const reps = Number(flag("--reps") ?? 3);
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${flag("--reps")}`);
const only = flag("--only");
const heapMb = Number(flag("--heap") ?? 0);
if (!(heapMb >= 0)) throw new Error(`--heap must be a number of MB, got ${flag("--heap")}`);
const part = flag("--part");
if (part !== undefined && part !== "12" && part !== "3") throw new Error(`--part must be 12 (parts 1–2) or 3 (autograd), got ${part}`);
const configs = part === "3" ? [] : CONFIGS.filter((c) => only === undefined || label(c).includes(only));
const autogradConfigs = part === "12" ? [] : AUTOGRAD_CONFIGS.filter((c) => only === undefined || autogradLabel(c).includes(only));
if (configs.length + autogradConfigs.length === 0) {
  throw new Error(`--only "${only}" matches no configuration; they are: ${[...CONFIGS.map(label), ...AUTOGRAD_CONFIGS.map(autogradLabel)].join("; ")}`);
}

const root = join(__dirname, "..", "..");

/** Parts 1–2 against NumPy float64. */
function benchParts12(): void {
  const python = process.env.NN_WORKBOOK_BENCH_PYTHON ?? "python3";
  const numpyProbe = argv.includes("--no-numpy") ? undefined : spawnSync(python, ["-c", "import numpy; print(numpy.__version__)"], { encoding: "utf8" });
  const withNumpy = numpyProbe?.status === 0;
  if (!withNumpy) console.log(argv.includes("--no-numpy") ? "NumPy skipped (--no-numpy)." : `NumPy not found with '${python}' (set NN_WORKBOOK_BENCH_PYTHON): timing this project only.`);

  const work = mkdtempSync(join(tmpdir(), "nn-workbook-bench-"));

  /** NumPy's inputs for a configuration: the data as loaded and the init as drawn here. */
  function writeInputs(c: BenchConfig, dir: string): void {
    const d = load_data(undefined, c.dataset);
    const D = d.x_train.cols, K = d.y_train.cols;
    const init: Record<string, Matrix> = c.model === "one-layer" ? { ...init_one_layer_nn(D, K, 0) } : { ...init_two_layers_nn(D, c.hidden ?? 100, K, 0) };
    const files: Record<string, Matrix> = { x: d.x_train, y: d.y_train, xt: d.x_test, yt: d.y_test, ...init };
    for (const [name, m] of Object.entries(files)) saveMatrix(join(dir, `${name}.npy`), m);
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
        rows[i].ours.push(runJson(process.execPath, [join(__dirname, "ours.js"), JSON.stringify({ ...c, heapMb })], `ours, ${label(c)}`, root));
        if (withNumpy) {
          const args = [join(root, "bench", "numpy_pass.py"), "--dir", dirs[i], "--model", c.model, "--passes", String(c.passes), "--warmup", String(c.warmup), "--epsilon", String(c.epsilon)];
          rows[i].numpy.push(runJson(python, args, `NumPy, ${label(c)}`, root));
        }
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

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
}

if (configs.length) benchParts12();
if (autogradConfigs.length) {
  benchAutograd(autogradConfigs, { reps, root, torchPython: flag("--torch-python") ?? process.env.NN_WORKBOOK_TORCH_PYTHON });
}
