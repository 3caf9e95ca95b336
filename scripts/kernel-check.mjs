// The check `npm install` (setup.mjs) and `npm run prebuilds` run on an addon
// before using it, in a child process so that a crash cannot take them
// down: `NN_WORKBOOK_ADDON=FILE node scripts/kernel-check.mjs`. It loads the
// built lib's kernels (dist/), checks held and plain products against the
// reference and times a two-layer pass (Q = 100) on the shipped set,
// written with the array ops (the handout's functions are the student's
// in an assigned folder). Prints one JSON line {kernels, isa, path,
// ms_per_pass, error}; exit status 1 when a check fails.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

/** This file, for the callers that spawn it. */
export const KERNEL_CHECK = fileURLToPath(import.meta.url);

function check(A) {
  const rng = new A.Random(1);
  const x = A.map(rng.randn(64, 784), (v) => (v > 1 ? Math.min(255, Math.ceil(v * 100) - 99) / 255 : 0));
  const w = rng.randn(784, 100), d = rng.randn(64, 100);
  for (const [a, b, m, k, n, transA] of [[x, w, 64, 784, 100, false], [x, d, 784, 64, 100, true]]) {
    const want = new Float64Array(m * n), got = new Float64Array(m * n), held = new Float64Array(m * n);
    A.referenceKernels.gemm(a.data, b.data, want, m, k, n, transA, false);
    A.kernels().gemm(a.data, b.data, got, m, k, n, transA, false);
    A.withConstant([a], () => A.kernels().gemm(a.data, b.data, held, m, k, n, transA, false));
    for (let i = 0; i < want.length; i++) {
      const tol = 1e-12 * Math.max(1, Math.abs(want[i]));
      if (!(Math.abs(got[i] - want[i]) <= tol && Math.abs(held[i] - want[i]) <= tol)) {
        throw new Error(`product ${transA ? "aᵀ·b" : "a·b"} [${i}]: ${got[i]} and ${held[i]}, reference ${want[i]}`);
      }
    }
  }
}

/** One pass of the handout's two-layer descent: both forwards, the losses' softmax, the gradients, the update. */
function pass(A, data, p, epsilon) {
  const forward = (x) => {
    const a1 = A.tanhInPlace(A.addInPlace(A.dot(x, p.W1), p.b1));
    const z2 = A.addInPlace(A.dot(a1, p.W2), p.b2);
    const e = A.expInPlace(A.sub(z2, A.max(z2, 1)));
    return [a1, A.div(e, A.sum(e, 1))];
  };
  const [a1, yHat] = forward(data.x_train);
  forward(data.x_test);
  const d3 = A.sub(yHat, data.y_train);
  const d2 = A.tanhBackwardInPlace(A.dot(d3, p.W2, { transB: true }), a1);
  A.subScaledInPlace(p.W1, A.dot(data.x_train, d2, { transA: true }), epsilon);
  A.subScaledInPlace(p.b1, A.sum(d2, 0), epsilon);
  A.subScaledInPlace(p.W2, A.dot(a1, d3, { transA: true }), epsilon);
  A.subScaledInPlace(p.b2, A.sum(d3, 0), epsilon);
}

if (process.argv[1] === KERNEL_CHECK) {
  const require = createRequire(import.meta.url);
  const A = require("../dist/lib/array/index.js");
  const { load_data } = require("../dist/lib/data/index.js");
  const info = A.nativeInfo();
  const report = A.nativeKernels && A.kernels() === A.nativeKernels && info
    ? { kernels: "native", isa: info.isa, path: info.path }
    : { kernels: "typescript", error: A.nativeUnavailable() };
  try {
    check(A);
    const data = load_data();
    const rng = new A.Random(0);
    const D = data.x_train.cols, K = data.y_train.cols;
    const p = { W1: A.mul(rng.randn(D, 100), 0.01), b1: new A.Matrix(1, 100), W2: A.mul(rng.randn(100, K), 0.01), b2: new A.Matrix(1, K) };
    for (let i = 0; i < 2; i++) pass(A, data, p, 1e-3); // warm-up
    const passes = report.kernels === "native" ? 20 : 3;
    const t0 = performance.now();
    for (let i = 0; i < passes; i++) pass(A, data, p, 1e-3);
    report.ms_per_pass = (performance.now() - t0) / passes;
  } catch (e) {
    report.error = e.message;
    process.exitCode = 1;
  }
  console.log(JSON.stringify(report));
}
