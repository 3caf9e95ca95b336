/**
 * `npm install` (scripts/setup.mjs) and `npm run prebuild` run this on an
 * addon before using it (`NN_WORKBOOK_ADDON=FILE node dist/scripts/kernel-smoke.js`):
 * it loads the kernels, checks a few products against the reference and
 * times two-layer passes (Q = 100) on the shipped set. Prints one JSON line:
 * {kernels, isa, path, ms_per_pass, error}. Exit status 1 when a check fails.
 */
import { performance } from "node:perf_hooks";
import { Random, kernels, map, nativeInfo, nativeKernels, nativeUnavailable, referenceKernels, withConstant } from "../lib/array";
import { load_data } from "../lib/data";
import { gradient_descent_two_layers_nn, init_two_layers_nn } from "../lib/nn";

interface SmokeReport {
  kernels: "native" | "typescript";
  isa?: string;
  path?: string;
  ms_per_pass?: number;
  error?: string;
}

function check(): void {
  const rng = new Random(1);
  const x = map(rng.randn(64, 784), (v) => (v > 1 ? Math.min(255, Math.ceil(v * 100) - 99) / 255 : 0));
  const w = rng.randn(784, 100), d = rng.randn(64, 100);
  for (const [a, b, m, k, n, transA] of [[x, w, 64, 784, 100, false], [x, d, 784, 64, 100, true]] as const) {
    const want = new Float64Array(m * n), got = new Float64Array(m * n), held = new Float64Array(m * n);
    referenceKernels.gemm(a.data, b.data, want, m, k, n, transA, false);
    kernels().gemm(a.data, b.data, got, m, k, n, transA, false);
    withConstant([a], () => kernels().gemm(a.data, b.data, held, m, k, n, transA, false));
    for (let i = 0; i < want.length; i++) {
      const tol = 1e-12 * Math.max(1, Math.abs(want[i]));
      if (!(Math.abs(got[i] - want[i]) <= tol && Math.abs(held[i] - want[i]) <= tol)) {
        throw new Error(`product ${transA ? "aᵀ·b" : "a·b"} [${i}]: ${got[i]} / ${held[i]}, reference ${want[i]}`);
      }
    }
  }
}

const info = nativeInfo();
const report: SmokeReport = nativeKernels && kernels() === nativeKernels && info
  ? { kernels: "native", isa: info.isa, path: info.path }
  : { kernels: "typescript", error: nativeUnavailable() };
try {
  check();
  const data = load_data();
  const p = init_two_layers_nn(data.x_train.cols, 100, data.y_train.cols, 0);
  gradient_descent_two_layers_nn(data.x_train, data.y_train, p, 100, 2, 1e-3); // warm-up
  const passes = report.kernels === "native" ? 20 : 3;
  const t0 = performance.now();
  gradient_descent_two_layers_nn(data.x_train, data.y_train, p, 100, passes, 1e-3, data.x_test, data.y_test);
  report.ms_per_pass = (performance.now() - t0) / passes;
} catch (e) {
  report.error = (e as Error).message;
  process.exitCode = 1;
}
console.log(JSON.stringify(report));
