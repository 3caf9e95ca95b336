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
import { initBackend, to_torch_parameters, toTensor, tf, predict_two_layers_nn_torch, evaluate_loss_torch } from "../lib/autograd";
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
  const p = to_torch_parameters({ W1: m("W1"), b1: m("b1"), W2: m("W2"), b2: m("b2") });
  const params = [p.W1, p.b1, p.W2, p.b2];
  // The pass of lib/autograd's gradient_descent_torch (gd) and gradient_descent_torch_optim (momentum),
  // timed one by one; the test loss after the update, as bench/torch_pass.py does.
  const optimizer = c.optimizer === "momentum" ? tf.train.momentum(c.epsilon, 0.9) : undefined;
  const loss = () => evaluate_loss_torch(y, predict_two_layers_nn_torch(x, p));
  const ms: number[] = [], train_loss: number[] = [], test_loss: number[] = [];
  for (let i = 0; i < c.warmup + c.passes; i++) {
    const started = performance.now();
    tf.tidy(() => {
      if (optimizer) train_loss.push(optimizer.minimize(loss, true, params)!.dataSync()[0]);
      else {
        const { value, grads } = tf.variableGrads(loss, params);
        train_loss.push(value.dataSync()[0]);
        for (const W of params) W.assign(tf.sub(W, tf.mul(grads[W.name], c.epsilon)));
      }
      test_loss.push(evaluate_loss_torch(yt, predict_two_layers_nn_torch(xt, p)).dataSync()[0]);
    });
    ms.push(performance.now() - started);
  }
  const result: RunResult = {
    ms: ms.slice(c.warmup), train_loss, test_loss,
    peak_mb: peakMemoryMb(),
    version: `TensorFlow.js ${tf.version.tfjs}`,
  };
  console.log(JSON.stringify(result));
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
