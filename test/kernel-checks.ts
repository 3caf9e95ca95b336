/**
 * Checks of a kernel set against `referenceKernels`, shared by the kernel
 * tests and run on its own (`node dist/test/kernel-checks.js`) in the child
 * processes that force each instruction-set variant (NN_WORKBOOK_ISA):
 * prints {"isa", "checks"} as JSON, or fails with the first mismatch.
 */
import { strict as assert } from "node:assert";
import { Random, map, referenceKernels, nativeKernels, nativeInfo, nativeThreads, nativeUnavailable, withConstant } from "../lib/array";
import type { Kernels } from "../lib/array";
import { BinaryOp, BroadcastMode, UnaryOp } from "../lib/array/kernels";
import { maxAbsDiff } from "./helpers";

/** The reference products of checkGemm, by case (every call draws the same operands). */
const wanted = new Map<string, Float64Array>();

/** Products whose output is checked against `referenceKernels`, on one kernel set; returns the count. */
export function checkGemm(k: Kernels, hold: boolean, threads: number): number {
  const rng = new Random(11);
  const sparse = (r: number, c: number) => map(rng.randn(r, c), (v) => (v > 0.6 ? v : 0));
  // Like MNIST: ~16 % non-zeros, each k/255 (held ones take the byte form).
  const pixels = (r: number, c: number) => map(rng.randn(r, c), (v) => (v > 1 ? Math.min(255, Math.ceil(v * 100) - 99) / 255 : 0));
  const dense = (r: number, c: number) => rng.randn(r, c);
  let count = 0;
  // Shapes from empty to large enough to be split across threads; sparse left
  // operands (like X) and dense ones (like A1, which takes other paths when n < 8);
  // (20, 5300, 100) makes aᵀ·b of a held a scatter (b over 4 MB) instead of gather.
  for (const [c, [m, kk, n, fill]] of ([[0, 3, 2, sparse], [3, 0, 2, dense], [1, 1, 1, dense], [5, 7, 3, sparse], [33, 65, 17, sparse], [300, 784, 10, sparse],
    [300, 784, 10, pixels], [33, 65, 17, pixels], [20, 5300, 100, pixels], [20, 5300, 100, sparse],
    [257, 100, 3, sparse], [257, 100, 3, dense], [2000, 100, 3, dense], [19, 5, 1, dense], [40, 30, 7, dense], [40, 30, 8, dense]] as const).entries()) {
    const a = fill(m, kk), at = fill(kk, m);
    const b = rng.randn(kk, n), bt = rng.randn(n, kk);
    for (const [x, transA] of [[a, false], [at, true]] as const) {
      for (const [y, transB] of [[b, false], [bt, true]] as const) {
        const key = `${c} ${transA} ${transB}`;
        let want = wanted.get(key);
        if (!want) {
          want = new Float64Array(m * n);
          referenceKernels.gemm(x.data, y.data, want, m, kk, n, transA, transB);
          wanted.set(key, want);
        }
        const got = new Float64Array(m * n).fill(NaN); // must be overwritten
        const run = () => k.gemm(x.data, y.data, got, m, kk, n, transA, transB);
        if (hold) withConstant([x], run);
        else run();
        // Relative to the largest value: single entries may cancel to near 0.
        const err = maxAbsDiff(got, want) / Math.max(1, ...want.map(Math.abs));
        assert.ok(err < 1e-13, `(${m}, ${kk}, ${n}) ${fill.name} transA=${transA} transB=${transB} held=${hold} threads=${threads}: relative error ${err}`);
        count++;
      }
    }
  }
  return count;
}

/** Largest |a − b| / max(|b|, 1e-300) over two arrays. */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d !== 0) worst = Math.max(worst, d / Math.max(Math.abs(b[i]), 1e-300));
  }
  return worst;
}

/**
 * Element-wise kernels against the reference: + − × ÷ in every broadcast
 * mode bit for bit, tanh backpropagation (a·(1 − b²), which FMA may round
 * once) and tanh, exp, log (vector versions within 4 ulp) to 1e-15
 * relative, in place too. Returns the count.
 */
export function checkElementwise(k: Kernels): number {
  const rng = new Random(5);
  const rows = 300, cols = 401; // odd: vector loops leave a tail
  const a = rng.randn(rows, cols).data;
  const operands: Record<BroadcastMode, Float64Array> = {
    [BroadcastMode.Same]: rng.randn(rows, cols).data, [BroadcastMode.Row]: rng.randn(1, cols).data,
    [BroadcastMode.Column]: rng.randn(rows, 1).data, [BroadcastMode.Scalar]: new Float64Array([2.5]),
  };
  let count = 0;
  for (const op of [BinaryOp.Add, BinaryOp.Sub, BinaryOp.Mul, BinaryOp.Div, BinaryOp.TanhGrad]) {
    for (const mode of [BroadcastMode.Same, BroadcastMode.Row, BroadcastMode.Column, BroadcastMode.Scalar]) {
      const want = new Float64Array(a.length), got = new Float64Array(a.length).fill(NaN);
      referenceKernels.binary(op, mode, a, operands[mode], want, rows, cols);
      k.binary(op, mode, a, operands[mode], got, rows, cols);
      const inPlace = a.slice();
      k.binary(op, mode, inPlace, operands[mode], inPlace, rows, cols);
      const what = `binary op ${BinaryOp[op]} mode ${BroadcastMode[mode]}`;
      if (op === BinaryOp.TanhGrad) assert.ok(maxAbsDiff(got, want) / Math.max(...want.map(Math.abs)) < 1e-15, what);
      else assert.deepEqual(got, want, what);
      assert.deepEqual(inPlace, got, `${what}, in place`);
      count++;
    }
  }
  const n = 100003;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (i - n / 2) / 3000;
  const specials = [NaN, Infinity, -Infinity, -0, 1e-300, 20, -20];
  for (const op of [UnaryOp.Tanh, UnaryOp.Exp, UnaryOp.Log]) {
    const input = op === UnaryOp.Log ? x.map(Math.abs) : x.slice();
    if (op === UnaryOp.Tanh) input.set(specials);
    const want = new Float64Array(n), got = new Float64Array(n).fill(NaN);
    referenceKernels.unary(op, input, want);
    k.unary(op, input, got);
    const skip = op === UnaryOp.Tanh ? specials.length : 0;
    assert.ok(maxRelDiff(got.subarray(skip), want.subarray(skip)) < 1e-15, `unary ${UnaryOp[op]}: ${maxRelDiff(got.subarray(skip), want.subarray(skip))}`);
    if (op === UnaryOp.Tanh) {
      assert.ok(Number.isNaN(got[0]));
      assert.deepEqual([...got.subarray(1, 3)], [1, -1]);
      assert.ok(Object.is(got[3], -0), "tanh(-0) is -0");
    }
    k.unary(op, input, input);
    assert.deepEqual(input, got, `unary ${UnaryOp[op]}, in place`);
    count++;
  }
  return count;
}

if (require.main === module) {
  const info = nativeInfo();
  if (!nativeKernels || !info) throw new Error(`no native kernels: ${nativeUnavailable()}`);
  if (process.argv.includes("--info")) {
    console.log(JSON.stringify({ isa: info.isa, isas: info.isas, path: info.path, checks: 0 }));
    process.exit(0);
  }
  let checks = checkElementwise(nativeKernels);
  for (const threads of [1, 2]) {
    nativeThreads(threads);
    checks += checkGemm(nativeKernels, false, threads) + checkGemm(nativeKernels, true, threads);
  }
  console.log(JSON.stringify({ isa: info.isa, isas: info.isas, path: info.path, checks }));
}
