/**
 * One bench run of this project's training loop, in its own process (so its
 * peak memory is its own): `node dist/bench/ours.js '<BenchConfig JSON>'`.
 * Prints one JSON line, a RunResult.
 */
import { performance } from "node:perf_hooks";
import { load_data } from "../lib/data";
import { gradient_descent_one_layer_nn, gradient_descent_two_layers_nn, init_one_layer_nn, init_two_layers_nn } from "../lib/nn";
import { train } from "../lib/training";
import type { TrainOptions, TrainingHistory } from "../lib/training";
import { kernels, nativeInfo, nativeKernels, nativeThreads } from "../lib/array";
import { PREBUILD_PATH } from "../lib/array/addon";
import type { BenchConfig, RunResult } from "./config";
import { peakMemoryMb } from "./memory";

const c = JSON.parse(process.argv[2]) as BenchConfig;

/**
 * Live objects up to about `mb` MB of JavaScript heap. A notebook's kernel
 * holds tslab and the TypeScript compiler (~90 MB), and V8's full
 * collections, which every 64 MB of new arrays starts, mark all of it.
 */
function ballast(mb: number): object[] {
  const keep: object[] = [];
  while (process.memoryUsage().heapUsed < mb * 1e6) for (let i = 0; i < 10000; i++) keep.push({ i, s: `x${i}`, a: [i, i + 1] });
  return keep;
}
const held = ballast(c.heapMb ?? 0);
const d = load_data(undefined, c.dataset);
// Pass i's time runs from the i-th onPass call to the next, so one more pass is run.
const stamps: number[] = [];
const opts: TrainOptions = {
  epsilon: c.epsilon, n: d.x_train.rows, quiet: true, continue_on_divergence: true,
  onPass: () => void stamps.push(performance.now()),
};
const K = d.y_train.cols, D = d.x_train.cols;
const total = c.warmup + c.passes + 1;
// The handout's loops, one pass per call (train's slices), so that each pass is timed.
const h: TrainingHistory = c.model === "one-layer"
  ? train((p, n) => gradient_descent_one_layer_nn(d.x_train, d.y_train, p, n, c.epsilon, d.x_test, d.y_test), init_one_layer_nn(D, K, 0), total, opts)
  : train((p, n) => gradient_descent_two_layers_nn(d.x_train, d.y_train, p, c.hidden ?? 100, n, c.epsilon, d.x_test, d.y_test), init_two_layers_nn(D, c.hidden ?? 100, K, 0), total, opts);
const native = nativeKernels !== undefined && kernels() === nativeKernels;
const result: RunResult = {
  ms: stamps.slice(1).map((t, i) => t - stamps[i]).slice(c.warmup),
  train_loss: h.train_loss.slice(0, c.warmup + c.passes),
  test_loss: h.test_loss.slice(0, c.warmup + c.passes),
  peak_mb: peakMemoryMb(),
  version: `Node ${process.versions.node}${held.length ? `, ${c.heapMb} MB of live JS heap` : ""}, ${native ? `native kernels (${nativeInfo()?.path === PREBUILD_PATH ? "prebuilt" : "built here"}, ${nativeInfo()?.isa}), ${nativeThreads()} threads` : "TypeScript kernels"}`,
};
console.log(JSON.stringify(result));
