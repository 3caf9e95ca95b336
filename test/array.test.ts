import { strict as assert } from "node:assert";
import { Matrix, dot, transpose, add, sub, mul, sum, argmax, Random, allFinite, map, subScaledInPlace, addInPlace, sparsity } from "../lib/array";
import { maxAbsDiff } from "./helpers";

/** The textbook triple loop, the oracle for every gemm path. */
function naiveDot(a: Matrix, b: Matrix): Matrix {
  const out = new Matrix(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let p = 0; p < a.cols; p++) s += a.get(i, p) * b.get(p, j);
      out.set(i, j, s);
    }
  return out;
}

describe("array core", () => {
  const rng = new Random(7);
  const sparse = (r: number, c: number) => map(rng.randn(r, c), (v) => (v > 0.5 ? v : 0));

  it("dot matches the naive product for every transposition, dense and sparse", () => {
    for (const a of [rng.randn(5, 7), sparse(5, 7)]) {
      const b = rng.randn(7, 3);
      const want = naiveDot(a, b);
      assert.ok(maxAbsDiff(dot(a, b).data, want.data) < 1e-12);
      assert.ok(maxAbsDiff(dot(transpose(a), b, { transA: true }).data, want.data) < 1e-12);
      assert.ok(maxAbsDiff(dot(a, transpose(b), { transB: true }).data, want.data) < 1e-12);
      assert.ok(maxAbsDiff(dot(transpose(a), transpose(b), { transA: true, transB: true }).data, want.data) < 1e-12);
    }
  });

  it("dot rejects unaligned shapes with NumPy's wording", () => {
    assert.throws(() => dot(Matrix.zeros(2, 3), Matrix.zeros(2, 3)), /shapes \(2, 3\) and \(2, 3\) not aligned/);
  });

  it("broadcasts rows, columns and scalars like NumPy, and rejects the rest", () => {
    const a = Matrix.from([[1, 2], [3, 4]]);
    assert.deepEqual(add(a, Matrix.from([[10, 20]])).toArray(), [[11, 22], [13, 24]]);
    assert.deepEqual(sub(a, Matrix.from([[1], [2]])).toArray(), [[0, 1], [1, 2]]);
    assert.deepEqual(mul(a, 2).toArray(), [[2, 4], [6, 8]]);
    assert.throws(() => add(a, Matrix.zeros(3, 2)), /could not be broadcast together with shapes \(2, 2\) \(3, 2\)/);
    addInPlace(a, 1);
    assert.deepEqual(a.toArray(), [[2, 3], [4, 5]]);
    subScaledInPlace(a, Matrix.full(2, 2, 1), 0.5);
    assert.deepEqual(a.toArray(), [[1.5, 2.5], [3.5, 4.5]]);
  });

  it("sums over an axis into (1, n) or (m, 1), and in all", () => {
    const a = Matrix.from([[1, 2, 3], [4, 5, 6]]);
    assert.deepEqual(sum(a, 0).toArray(), [[5, 7, 9]]);
    assert.deepEqual(sum(a, 1).toArray(), [[6], [15]]);
    assert.equal(sum(a), 21);
  });

  it("argmax takes the first maximum of each row", () => {
    assert.deepEqual(Array.from(argmax(Matrix.from([[0, 3, 3], [5, 1, 2]]))), [1, 0]);
  });

  it("detects non-finite values and measures sparsity", () => {
    assert.equal(allFinite(Matrix.from([[1, 2]])), true);
    assert.equal(allFinite(Matrix.from([[1, NaN]])), false);
    assert.equal(allFinite(Matrix.from([[Infinity, 0]])), false);
    assert.equal(sparsity(Matrix.from([[0, 1, 0, 0]])), 0.75);
  });

  it("randn is reproducible from its seed and standard normal", () => {
    assert.deepEqual(new Random(42).randn(3, 3).data, new Random(42).randn(3, 3).data);
    assert.notDeepEqual(new Random(42).randn(3, 3).data, new Random(43).randn(3, 3).data);
    const x = new Random(1).randn(200, 100).data;
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.03, `variance ${variance}`);
  });

  it("permutation is a permutation", () => {
    const p = Array.from(new Random(3).permutation(50)).sort((a, b) => a - b);
    assert.deepEqual(p, [...Array(50).keys()]);
  });

  it("Matrix checks its shape and reshapes without copying", () => {
    assert.throws(() => new Matrix(2, 2, new Float64Array(3)), /3 values do not fill shape \(2, 2\)/);
    const m = Matrix.from([[1, 2, 3, 4]]);
    const r = m.reshape(2, 2);
    r.set(1, 1, 9);
    assert.equal(m.get(0, 3), 9);
    assert.throws(() => m.reshape(3, 2), /cannot reshape/);
    assert.deepEqual(m.takeRows([0, 0]).shape, [2, 4]);
  });
});
