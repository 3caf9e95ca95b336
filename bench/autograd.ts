/**
 * Part 3 of `npm run bench`: the autograd pass of the two-layer net (forward
 * on the training set, the handout's loss, its gradients, the update, the
 * test loss) on this project's TensorFlow.js backends (native on 1 and 2
 * threads, wasm) against PyTorch CPU float32 on 1 and 2 threads, on the same
 * inputs and initial parameters, interleaved run by run.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load_data } from "../lib/data";
import { init_two_layers_nn } from "../lib/nn";
import { saveMatrix } from "../lib/npy";
import { autogradLabel } from "./config";
import type { AutogradConfig, AutogradSide, RunResult } from "./config";
import { f, lossGap, median, ms, peak, runJson } from "./report";

export interface AutogradBenchOptions {
  reps: number;
  /** The repository (cwd of the workers). */
  root: string;
  /** A Python with torch (--torch-python or NN_WORKBOOK_TORCH_PYTHON); python3 when unset. */
  torchPython?: string;
}

const OURS: readonly AutogradSide[] = [
  { engine: "native", threads: 1 },
  { engine: "native", threads: 2 },
  { engine: "wasm", threads: 1 },
];
const TORCH: readonly AutogradSide[] = [
  { engine: "torch", threads: 1 },
  { engine: "torch", threads: 2 },
];

const sideName = (s: AutogradSide): string => `${s.engine === "torch" ? "PyTorch" : s.engine} ${s.threads} thr`;

/** The inputs of a configuration, as both sides read them: the data as loaded, the init as part 2 draws it (seed 0). */
function writeInputs(c: AutogradConfig, dir: string): void {
  const d = load_data(undefined, c.dataset);
  const init = init_two_layers_nn(d.x_train.cols, c.hidden, d.y_train.cols, 0);
  const files = { x: d.x_train, y: d.y_train, xt: d.x_test, yt: d.y_test, ...init };
  for (const [name, m] of Object.entries(files)) saveMatrix(join(dir, `${name}.npy`), m);
}

function runSide(s: AutogradSide, c: AutogradConfig, dir: string, o: AutogradBenchOptions, python: string): RunResult {
  const what = `${sideName(s)}, ${autogradLabel(c)}`;
  if (s.engine === "torch") {
    const args = [join(o.root, "bench", "torch_pass.py"), "--dir", dir, "--optimizer", c.optimizer, "--passes", String(c.passes), "--warmup", String(c.warmup), "--epsilon", String(c.epsilon), "--threads", String(s.threads)];
    const threads = String(s.threads);
    return runJson(python, args, what, o.root, { ...process.env, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads });
  }
  return runJson(process.execPath, [join(__dirname, "ours-autograd.js"), JSON.stringify(c), s.engine, String(s.threads), dir], what, o.root);
}

export function benchAutograd(configs: readonly AutogradConfig[], o: AutogradBenchOptions): void {
  const python = o.torchPython ?? "python3";
  const probe = spawnSync(python, ["-c", "import torch, numpy; print(torch.__version__)"], { encoding: "utf8" });
  const withTorch = probe.status === 0;
  console.log(withTorch
    ? `\nPart 3: PyTorch ${probe.stdout.trim()} (${python}).`
    : `\nPart 3: PyTorch not found with '${python}' (set NN_WORKBOOK_TORCH_PYTHON or --torch-python): no PyTorch columns.`);
  const sides = withTorch ? [...OURS, ...TORCH] : OURS;
  const work = mkdtempSync(join(tmpdir(), "nn-workbook-bench3-"));
  const runs = configs.map(() => sides.map((): RunResult[] => []));
  try {
    const dirs = configs.map((c, i) => {
      const dir = join(work, String(i));
      mkdirSync(dir);
      writeInputs(c, dir);
      return dir;
    });
    for (let rep = 0; rep < o.reps; rep++) {
      configs.forEach((c, i) => {
        process.stderr.write(`run ${rep + 1}/${o.reps}: ${autogradLabel(c)}\n`);
        sides.forEach((s, k) => runs[i][k].push(runSide(s, c, dirs[i], o, python)));
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  console.log(`\n${o.reps} runs of each, interleaved; ${runs[0][0][0].version}; ms per pass, min / median over every timed pass\n`);
  const ratios = withTorch ? ["PyTorch / native, 1 thr (min, median)", "2 thr"] : [];
  const head = `| configuration | warm-up + timed passes | ${sides.map(sideName).join(" | ")} | ${[...ratios, "peak MB native 2 thr", ...(withTorch ? ["PyTorch 2 thr", "loss gap native / PyTorch"] : [])].join(" | ")} |`;
  console.log(head);
  console.log(head.replace(/[^|]+/g, "---"));
  configs.forEach((c, i) => {
    const t = runs[i].map(ms);
    const cells = [autogradLabel(c), `${c.warmup} + ${c.passes}`, ...t.map((x) => `${f(Math.min(...x), 2)} / ${f(median(x), 2)}`)];
    if (withTorch) {
      const ratio = (torch: number[], ours: number[]) => `${f(Math.min(...torch) / Math.min(...ours), 2)}, ${f(median(torch) / median(ours), 2)}`;
      cells.push(ratio(t[3], t[0]), ratio(t[4], t[1]));
    }
    cells.push(f(peak(runs[i][1]), 0));
    if (withTorch) {
      const gap = Math.max(...runs[i][1].map((r, k) => lossGap(r, runs[i][4][k])));
      cells.push(f(peak(runs[i][4]), 0), gap.toExponential(1));
    }
    console.log(`| ${cells.join(" | ")} |`);
  });
  if (withTorch) console.log("\nloss gap: the largest |native − PyTorch| / |PyTorch| over the train and test losses of every pass (both float32, same inputs, same init).");
}
