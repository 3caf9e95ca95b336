import { strict as assert } from "node:assert";
import {
  Matrix, Random, jsKernels, referenceKernels, nativeKernels, nativeUnavailable, nativeThreads, setKernels, withConstant, dot, add, sub, mul, div, tanh, tanhBackwardInPlace, map,
} from "../lib/array";
import type { Kernels } from "../lib/array";
import { maxAbsDiff } from "./helpers";
import { checkElementwise, checkGemm, maxRelDiff } from "./kernel-checks";
import { BinaryOp, BroadcastMode } from "../lib/array/kernels";
import { transposeSource } from "../lib/array/matrix";
import { load_data } from "../lib/data";
import { gradient_descent_one_layer_nn, gradient_descent_two_layers_nn, init_one_layer_nn, init_two_layers_nn } from "../lib/nn";

function using<T>(k: Kernels, f: () => T): T {
  const previous = setKernels(k);
  try {
    return f();
  } finally {
    setKernels(previous);
  }
}

describe("kernels", () => {
  it("the TypeScript kernels match the reference products", () => checkGemm(jsKernels, false, 1));

  describe("native (C++ addon)", function () {
    before(function () {
      if (!nativeKernels) {
        console.warn(`    native kernels not built, skipped: ${nativeUnavailable()}`);
        this.skip();
      }
    });
    const native = () => nativeKernels as Kernels;

    for (const threads of [1, 2, 3]) {
      it(`gemm matches the reference for every transposition, dense and from a held sparse copy, on ${threads} thread(s)`, () => {
        const before = nativeThreads();
        nativeThreads(threads);
        try {
          checkGemm(native(), false, threads);
          checkGemm(native(), true, threads);
        } finally {
          nativeThreads(before);
        }
      });
    }

    it("a held matrix's sparse copy is dropped when the scope ends: later writes are seen", () => {
      const rng = new Random(3);
      const x = rng.randn(40, 30), w = rng.randn(30, 5), d = rng.randn(40, 5);
      using(native(), () => {
        withConstant([x], () => [dot(x, w), dot(x, d, { transA: true })]); // the sparse copy and its transpose
        x.data[0] += 1;
        const got = dot(x, w), gotT = dot(x, d, { transA: true });
        const want = new Float64Array(40 * 5), wantT = new Float64Array(30 * 5);
        referenceKernels.gemm(x.data, w.data, want, 40, 30, 5, false, false);
        referenceKernels.gemm(x.data, d.data, wantT, 30, 40, 5, true, false);
        assert.ok(maxRelDiff(got.data, want) < 1e-12);
        assert.ok(maxRelDiff(gotT.data, wantT) < 1e-12);
      });
    });

    it("a frozen matrix (loaded data) keeps its sparse copy: X·W and X.T·δ match the reference, X.T never copied", () => {
      const rng = new Random(9);
      const x = map(rng.randn(120, 50), (v) => (v > 0.7 ? v : 0)).freeze();
      const ref = (a: Matrix, b: Matrix, m: number, k: number, n: number, transA: boolean) => {
        const out = new Float64Array(m * n);
        referenceKernels.gemm(a.data, b.data, out, m, k, n, transA, false);
        return out;
      };
      // Relative to the largest value, as in checkGemm: single entries may cancel to near 0.
      const err = (got: Matrix, want: Float64Array) => maxAbsDiff(got.data, want) / Math.max(1, ...want.map(Math.abs));
      using(native(), () => {
        for (const n of [1, 3, 10, 64]) {
          const w = rng.randn(50, n), d = rng.randn(120, n);
          for (let twice = 0; twice < 2; twice++) {
            assert.ok(err(x.dot(w), ref(x, w, 120, 50, n, false)) < 1e-13, `X·W, n = ${n}`);
            const xt = x.T;
            assert.ok(err(xt.dot(d), ref(x, d, 50, 120, n, true)) < 1e-13, `X.T·δ, n = ${n}`);
            assert.equal(transposeSource(xt), x, "X.T stays a pending transpose of X through the product");
            assert.ok(err(dot(x, d, { transA: true }), ref(x, d, 50, 120, n, true)) < 1e-13);
          }
        }
      });
    });

    it("element-wise ops broadcast like the TypeScript ones, in place too", () => {
      const rng = new Random(5);
      const a = rng.randn(300, 400), same = rng.randn(300, 400), row = rng.randn(1, 400), col = rng.randn(300, 1);
      for (const b of [same, row, col, 2.5]) {
        for (const op of [add, sub, mul, div]) {
          const got = using(native(), () => op(a, b)), want = using(jsKernels, () => op(a, b));
          assert.deepEqual(got.data, want.data);
        }
      }
      const inPlace = a.clone();
      native().binary(BinaryOp.Mul, BroadcastMode.Row, inPlace.data, row.data, inPlace.data, 300, 400);
      assert.deepEqual(inPlace.data, using(jsKernels, () => mul(a, row)).data);
      // Backpropagation through tanh: δ ⊙ (1 − A²). The TypeScript kernel gives the formula's
      // bits; the native one fuses 1 − A² into one rounding (FMA), a last-bit difference.
      const th = using(jsKernels, () => tanh(same));
      const formula = a.data.map((d, i) => d * (1 - th.data[i] * th.data[i]));
      assert.deepEqual(using(jsKernels, () => tanhBackwardInPlace(a.clone(), th)).data, formula);
      const fused = using(native(), () => tanhBackwardInPlace(a.clone(), th)).data;
      assert.ok(maxAbsDiff(fused, formula) / Math.max(...formula.map(Math.abs)) < 1e-15);
      assert.throws(() => tanhBackwardInPlace(a, row), /shapes \(300, 400\) and \(1, 400\) differ/);
    });

    it("every element-wise kernel matches the reference (broadcasts bit for bit, tanh, exp, log within 4 ulp), in place too", () => {
      assert.ok(checkElementwise(native()) > 0);
    });

    it("tanh is within 4 ulp of Math.tanh and keeps NaN, ±Infinity and -0", () => {
      const n = 100003;
      const a = new Matrix(1, n);
      for (let i = 0; i < n; i++) a.data[i] = (i - n / 2) / 3000;
      a.data.set([NaN, Infinity, -Infinity, -0, 1e-300, 20, -20], 0);
      const got = using(native(), () => tanh(a)).data;
      assert.ok(Number.isNaN(got[0]));
      assert.deepEqual([...got.subarray(1, 3)], [1, -1]);
      assert.ok(Object.is(got[3], -0));
      assert.ok(maxRelDiff(got.subarray(4), a.data.subarray(4).map(Math.tanh)) < 1e-15);
    });

    it("rejects arrays of the wrong type or length with a TypeError", () => {
      const addon = require("../lib/array/native").ADDON_PATH as string;
      const lib = require(addon) as { gemm: (...a: unknown[]) => void };
      assert.throws(() => lib.gemm(new Float32Array(4), new Float64Array(4), new Float64Array(4), 2, 2, 2, false, false), /a must be a Float64Array/);
      assert.throws(() => lib.gemm(new Float64Array(3), new Float64Array(4), new Float64Array(4), 2, 2, 2, false, false), /a has 3 elements, needs 4/);
    });

    it("training gives the reference kernels' parameters to 1e-9 relative (same init, same passes)", function () {
      this.timeout(300000);
      const d = load_data();
      const small = { x: new Matrix(300, 784, d.x_train.data.slice(0, 300 * 784)), y: new Matrix(300, 3, d.y_train.data.slice(0, 900)) };
      const runs = (k: Kernels) => using(k, () => [
        gradient_descent_one_layer_nn(d.x_train, d.y_train, init_one_layer_nn(784, 3, 0), 20, 1e-5, d.x_test, d.y_test),
        gradient_descent_two_layers_nn(small.x, small.y, init_two_layers_nn(784, 10, 3, 1), 10, 20, 1e-3, d.x_test, d.y_test),
      ] as const);
      const [fast, slow] = [runs(native()), runs(referenceKernels)];
      fast.forEach(([parameters, losses, test_losses], i) => {
        const [slowParameters, slowLosses, slowTests] = slow[i];
        const p = Object.values(parameters) as Matrix[], q = Object.values(slowParameters) as Matrix[];
        assert.equal(p.length, q.length);
        p.forEach((m, k) => assert.ok(maxRelDiff(m.data, q[k].data) < 1e-9, `run ${i}, parameter ${k}: ${maxRelDiff(m.data, q[k].data)}`));
        assert.equal(test_losses.length, 20);
        assert.ok(maxRelDiff(losses, slowLosses) < 1e-9);
        assert.ok(maxRelDiff(test_losses, slowTests) < 1e-9);
      });
    });
  });
});
