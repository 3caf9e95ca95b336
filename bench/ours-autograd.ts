/**
 * One part 3 bench run of this project (a TensorFlow.js backend), in its own
 * process: `node dist/bench/ours-autograd.js '<AutogradConfig JSON>' native|wasm THREADS DIR`.
 * Reads the inputs the runner wrote (the same .npy files PyTorch reads) and
 * prints one JSON line, a RunResult.
 */
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadMatrix } from "../lib/npy";
import { nativeThreads } from "../lib/array";
import { initBackend, gradient_descent_torch, to_torch_parameters, toTensor, tf } from "../lib/autograd";
import type { BackendName } from "../lib/autograd";
import { peakMemoryMb } from "./memory";
import type { AutogradConfig, RunResult } from "./config";

async function main(): Promise<void> {
  const [json, backend, threads, dir] = process.argv.slice(2);
  const c = JSON.parse(json) as AutogradConfig;
  const used = await initBackend(backend as BackendName);
  if (used !== backend) throw new Error(`backend '${backend}' did not start (got '${used}')`);
  nativeThreads(Number(threads));
  const m = (name: string) => loadMatrix(join(dir, `${name}.npy`));
  const [x, y, xt, yt] = ["x", "y", "xt", "yt"].map((n) => toTensor(m(n)));
  const model = to_torch_parameters({ W1: m("W1"), b1: m("b1"), W2: m("W2"), b2: m("b2") });
  // Pass i's time runs from the i-th onPass call to the next, so one more pass is run.
  const stamps: number[] = [];
  const h = gradient_descent_torch(x, y, model, c.hidden, c.warmup + c.passes + 1, c.epsilon, {
    x_test: xt, y_test: yt, optimizer: c.optimizer, quiet: true, continue_on_divergence: true,
    onPass: () => void stamps.push(performance.now()),
  });
  const result: RunResult = {
    ms: stamps.slice(1).map((t, i) => t - stamps[i]).slice(c.warmup),
    train_loss: h.train_loss.slice(0, c.warmup + c.passes),
    test_loss: h.test_loss.slice(0, c.warmup + c.passes),
    peak_mb: peakMemoryMb(),
    version: `TensorFlow.js ${tf.version.tfjs} ${used}, ${backend === "native" ? `${nativeThreads()} threads` : "1 thread"}`,
  };
  console.log(JSON.stringify(result));
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
