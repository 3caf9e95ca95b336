import { strict as assert } from "node:assert";
import {
  Matrix, dot, transpose, add, sub, mul, div, sum, argmax, Random, allFinite, map, subScaledInPlace, addInPlace, sparsity, np,
  equal, maximum, max, min, mean, argmaxAxis, expInPlace, logInPlace, tanhInPlace, tanhBackwardInPlace, setKernels, kernels,
} from "../lib/array";
import type { Kernels } from "../lib/array";
import { transposeSource } from "../lib/array/matrix";
import { load_data } from "../lib/data";
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

  it("large results, allocated without zero fill, have every value written (dot, broadcasts, s − A, tanh)", () => {
    // Freed blocks full of 0xff bytes (NaN) of the same size make reused, dirty memory likely.
    for (let r = 0; r < 8; r++) Buffer.allocUnsafeSlow(300 * 100 * 8).fill(0xff);
    const rnd = new Random(3);
    const a = new Matrix(300, 200, Float64Array.from({ length: 300 * 200 }, () => (rnd.random() < 0.3 ? rnd.normal() : 0)));
    const w = new Matrix(200, 100, Float64Array.from({ length: 20000 }, () => rnd.normal()));
    const row = new Matrix(1, 100, Float64Array.from({ length: 100 }, (_, j) => j));
    const z = dot(a, w);
    assert.ok(maxAbsDiff(z.data, naiveDot(a, w).data) < 1e-12);
    const azT = naiveDot(transpose(a), z);
    const checks: [Matrix, (i: number, j: number) => number][] = [
      [add(z, row), (i, j) => z.get(i, j) + j],
      [sub(1, z), (i, j) => 1 - z.get(i, j)],
      [z.tanh(), (i, j) => Math.tanh(z.get(i, j))],
      [dot(a.T, dot(a, w)), (i, j) => azT.get(i, j)],
    ];
    for (const [got, want] of checks) {
      for (let i = 0; i < got.rows; i += 7) for (let j = 0; j < got.cols; j++) assert.ok(Math.abs(got.get(i, j) - want(i, j)) < 1e-9, `(${i}, ${j}): ${got.get(i, j)} vs ${want(i, j)}`);
      assert.ok(allFinite(got));
    }
    assert.deepEqual(dot(new Matrix(200, 0), new Matrix(0, 100)).data.every((v) => v === 0), true, "an empty sum is 0");
  });
});

describe("NumPy habits on Matrix", () => {
  const rng = new Random(13);
  const close = (a: Matrix, b: Matrix) => {
    assert.deepEqual(a.shape, b.shape);
    assert.ok(maxAbsDiff(a.data, b.data) < 1e-12, `${a} vs ${b}`);
  };

  it("chained methods give the functions' results: X.dot(W).add(b), z.sub(z.max(1)).exp(), …", () => {
    const X = rng.randn(6, 4), W = rng.randn(4, 3), b = rng.randn(1, 3);
    close(X.dot(W).add(b), add(dot(X, W), b));
    const z = X.dot(W);
    close(z.sub(z.max(1)).exp(), map(z, (v) => v).sub(max(z, 1)).exp());
    close(z.mul(2).div(4), mul(z, 0.5));
    close(z.neg(), mul(z, -1));
    close(z.pow(3), map(z, (v) => v ** 3));
    close(z.pow(2), mul(z, z));
    close(z.tanh(), map(z, Math.tanh));
    close(z.exp().log(), z);
    close(z.mul(z).sub(z.div(2)), sub(mul(z, z), div(z, 2)));
    // np.* are the same functions under NumPy's names.
    close(np.dot(X, W), X.dot(W));
    close(np.add(z, 1), z.add(1));
    close(np.multiply(z, z), z.mul(z));
    close(np.divide(z, 2), z.div(2));
    close(np.square(z), z.pow(2));
    close(np.power(z, 3), z.pow(3));
    close(np.exp(z), z.exp());
    close(np.log(np.exp(z)), z);
    close(np.tanh(z), z.tanh());
    close(np.maximum(0, z), map(z, (v) => Math.max(0, v)));
    close(np.maximum(z, z.neg()), map(z, Math.abs));
    close(np.transpose(z), transpose(z));
    close(np.sum(z, 1), sum(z, 1));
    assert.equal(np.sum(z), sum(z));
    assert.deepEqual(np.zeros([2, 3]).toArray(), [[0, 0, 0], [0, 0, 0]]);
    assert.deepEqual(np.ones([1, 2]).toArray(), [[1, 1]]);
    assert.deepEqual(np.full([2, 1], 7).toArray(), [[7], [7]]);
    assert.deepEqual(np.array([[1, 2], [3, 4]]).toArray(), [[1, 2], [3, 4]]);
    assert.throws(() => np.zeros([3]), /np\.zeros: give a 2-D shape \[rows, cols\], got \[3\]/);
    // Results are new matrices: the operands are unchanged.
    const before = z.data.slice();
    z.add(1).mul(3).exp();
    assert.deepEqual(z.data, before);
  });

  it(".T is the transpose; dot multiplies by it without computing it, and reading it materialises it", () => {
    const A = rng.randn(5, 3), B = rng.randn(5, 2), C = rng.randn(4, 3);
    const t = A.T;
    assert.deepEqual(t.shape, [3, 5]);
    assert.equal(transposeSource(t), A, "pending: nothing computed yet");
    // The product runs on A's own array with the transposed flag (no copy of A).
    const inner = kernels();
    const calls: { a: Float64Array; transA: boolean; transB: boolean }[] = [];
    const spy: Kernels = { ...inner, gemm: (a, b, out, m, k, n, transA, transB) => { calls.push({ a, transA, transB }); inner.gemm(a, b, out, m, k, n, transA, transB); } };
    const previous = setKernels(spy);
    let AtB: Matrix, ACt: Matrix, AtAtt: Matrix;
    try {
      AtB = t.dot(B);
      ACt = A.dot(C.T);
      AtAtt = A.T.T.dot(C.T);
    } finally {
      setKernels(previous);
    }
    assert.deepEqual(calls.map((c) => [c.a === A.data, c.transA, c.transB]), [[true, true, false], [true, false, true], [true, false, true]]);
    assert.equal(transposeSource(t), A, "still pending after the product");
    close(AtB, naiveDot(transpose(A), B));
    close(ACt, naiveDot(A, transpose(C)));
    close(AtAtt, ACt);
    // Read: the values are computed once, and t is an ordinary matrix from then on.
    assert.equal(t.get(2, 4), A.get(4, 2));
    assert.equal(transposeSource(t), undefined);
    close(t, transpose(A));
    assert.deepEqual(A.T.toArray(), transpose(A).toArray());
    assert.deepEqual(A.T.T.toArray(), A.toArray());
    // A transpose is a new matrix: writing into it leaves A alone.
    const u = A.T;
    const a00 = A.get(0, 0);
    u.set(0, 0, 123);
    assert.equal(A.get(0, 0), a00);
    assert.equal(u.get(0, 0), 123);
    // Shapes are checked on the transposed shapes, with NumPy's wording.
    assert.throws(() => A.T.dot(C), /shapes \(5, 3\)ᵀ and \(4, 3\) not aligned: 5 \(dim 1\) != 4 \(dim 0\)/);
    // A (1, n) row's transpose is the (n, 1) column.
    assert.deepEqual(Matrix.from([[1, 2, 3]]).T.toArray(), [[1], [2], [3]]);
  });

  it("max, min, mean and sum along an axis keep it (like keepdims=True); without axis, a number", () => {
    const a = Matrix.from([[1, 5, 3], [4, 2, 6]]);
    assert.deepEqual(a.max(1).toArray(), [[5], [6]]);
    assert.deepEqual(a.max(0).toArray(), [[4, 5, 6]]);
    assert.deepEqual(a.min(1).toArray(), [[1], [2]]);
    assert.deepEqual(a.min(0).toArray(), [[1, 2, 3]]);
    assert.deepEqual(a.mean(1).toArray(), [[3], [4]]);
    assert.deepEqual(a.mean(0).toArray(), [[2.5, 3.5, 4.5]]);
    assert.deepEqual(a.sum(0).toArray(), [[5, 7, 9]]);
    assert.deepEqual(a.sum(1, true).toArray(), [[9], [12]]);
    assert.deepEqual([a.max(), a.min(), a.mean(), a.sum()], [6, 1, 3.5, 21]);
    assert.deepEqual([np.max(a), np.mean(a)], [6, 3.5]);
    assert.deepEqual(np.max(a, 0).toArray(), [[4, 5, 6]]);
    assert.deepEqual(np.mean(a, 1).toArray(), [[3], [4]]);
    assert.deepEqual(min(a, 0).toArray(), [[1, 2, 3]]);
    assert.deepEqual(mean(a, 0).toArray(), [[2.5, 3.5, 4.5]]);
    // Negative values and -Infinity: the max is not clamped at 0.
    assert.deepEqual(Matrix.from([[-3, -1], [-Infinity, -7]]).max(1).toArray(), [[-1], [-7]]);
    // NaN wins, as in NumPy.
    assert.ok(Number.isNaN(Matrix.from([[1, NaN, 3]]).max()));
    assert.ok(Number.isNaN(Matrix.from([[1, NaN, 3]]).min(1).get(0, 0)));
    // They broadcast back: z − z.max(1) has 0 as each row's maximum.
    assert.deepEqual(a.sub(a.max(1)).max(1).toArray(), [[0], [0]]);
    assert.deepEqual(a.sub(a.mean(0)).sum(0).toArray(), [[0, 0, 0]]);
    // What NumPy refuses, or what would change the shape.
    assert.throws(() => a.max(0, false), /keepdims=false is not supported/);
    assert.throws(() => max(a, 2 as 0), /axis 2 is out of bounds for array of dimension 2/);
    assert.throws(() => new Matrix(0, 3).max(), /zero-size array to reduction operation which has no identity/);
    assert.throws(() => new Matrix(2, 0).max(1), /zero-size array/);
    assert.deepEqual(new Matrix(0, 3).max(1).shape, [0, 1]);
  });

  it("argmax along an axis is a matrix of indices, the first maximum on ties", () => {
    const a = Matrix.from([[0, 3, 3], [5, 1, 2], [5, 9, 0]]);
    assert.deepEqual(a.argmax(1).toArray(), [[1], [0], [1]]);
    assert.deepEqual(a.argmax(0).toArray(), [[1, 2, 0]]);
    assert.deepEqual(np.argmax(a, 1).toArray(), [[1], [0], [1]]);
    assert.deepEqual(argmaxAxis(a, 0).shape, [1, 3]);
    assert.deepEqual(a.T.argmax(0).toArray(), [[1, 0, 1]]);
    // The accuracy idiom: (ŷ.argmax(1) == y.argmax(1)).mean().
    const y = Matrix.from([[1, 0], [0, 1], [0, 1]]), y_hat = Matrix.from([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]]);
    assert.equal(y_hat.argmax(1).equal(y.argmax(1)).mean(), 2 / 3);
  });

  it("1 − A: sub(1, A), A.rsub(1) and np.subtract(1, A), computed as NumPy does", () => {
    const A = Matrix.from([[0.25, 1], [3, -2]]);
    const want = [[0.75, 0], [-2, 3]];
    assert.deepEqual(sub(1, A).toArray(), want);
    assert.deepEqual(A.rsub(1).toArray(), want);
    assert.deepEqual(np.subtract(1, A).toArray(), want);
    assert.deepEqual(add(1, A).toArray(), add(A, 1).toArray());
    assert.deepEqual(mul(2, A).toArray(), [[0.5, 2], [6, -4]]);
    assert.deepEqual(div(1, A).toArray(), [[4, 1], [1 / 3, -0.5]]);
    // s − b exactly, not −(b − s): 1 − x rounds as NumPy's does.
    const x = Matrix.from([[0.1, 1e-17, 0.7]]);
    assert.deepEqual(Array.from(sub(1, x).data), [1 - 0.1, 1 - 1e-17, 1 - 0.7]);
    assert.deepEqual(A.data, Float64Array.from([0.25, 1, 3, -2]), "A unchanged");
    assert.throws(() => sub(1, 2), /at least one operand must be a Matrix/);
  });

  it("equal is NumPy's == as 0/1 numbers, with broadcasting", () => {
    const a = Matrix.from([[1, 2], [3, 2]]);
    assert.deepEqual(a.equal(2).toArray(), [[0, 1], [0, 1]]);
    assert.deepEqual(equal(a, Matrix.from([[1, 0], [3, 2]])).toArray(), [[1, 0], [1, 1]]);
    assert.deepEqual(a.equal(Matrix.from([[3, 2]])).toArray(), [[0, 1], [1, 1]]);
    assert.deepEqual(a.equal(Matrix.from([[1], [2]])).toArray(), [[1, 0], [0, 1]]);
    assert.deepEqual(Matrix.from([[NaN, 0]]).equal(Matrix.from([[NaN, -0]])).toArray(), [[0, 1]], "NaN ≠ NaN, 0 == -0");
    assert.equal(a.equal(2).mean(), 0.5);
    assert.throws(() => a.equal(Matrix.zeros(1, 3)), /equal: operands could not be broadcast together with shapes \(2, 2\) \(1, 3\)/);
  });

  it("np.random.seed makes the draws reproducible", () => {
    np.random.seed(42);
    const a = np.random.randn(3, 4), u = np.random.rand(2, 2);
    np.random.seed(42);
    const b = np.random.randn(3, 4), v = np.random.rand(2, 2);
    assert.deepEqual([a.data, u.data], [b.data, v.data]);
    assert.deepEqual(a.data, new Random(42).randn(3, 4).data, "the same stream as Random(seed)");
    assert.notDeepEqual(np.random.randn(3, 4).data, a.data, "the stream goes on");
    np.random.seed(43);
    assert.notDeepEqual(np.random.randn(3, 4).data, a.data);
    np.random.seed(1);
    const r = np.random.rand(100, 100).data;
    assert.ok(r.every((x) => x >= 0 && x < 1));
    const m = r.reduce((s, x) => s + x, 0) / r.length;
    assert.ok(Math.abs(m - 0.5) < 0.01, `mean of rand ${m}`);
    assert.throws(() => np.random.seed(1.5), /seed must be an integer/);
  });

  it("reshape takes -1 for one size, and shares the values", () => {
    const m = Matrix.from([[1, 2, 3, 4, 5, 6]]);
    assert.deepEqual(m.reshape(-1, 2).toArray(), [[1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(m.reshape(3, -1).shape, [3, 2]);
    assert.deepEqual(m.reshape(-1, 1).shape, [6, 1]);
    assert.deepEqual(m.reshape(-1, 6).shape, [1, 6]);
    const r = m.reshape(2, -1);
    r.set(1, 2, 60);
    assert.equal(m.get(0, 5), 60);
    assert.throws(() => m.reshape(-1, 4), /cannot reshape array of size 6 into shape \(-1, 4\)/);
    assert.throws(() => m.reshape(-1, -1), /cannot reshape array of size 6/);
    assert.throws(() => m.reshape(4, 2), /cannot reshape array of size 6 into shape \(4, 2\)/);
  });

  it("frozen matrices (loaded data) refuse in-place operations and set, with a clear error", () => {
    const x = Matrix.from([[1, 2], [3, 4]]).freeze();
    assert.equal(x.frozen, true);
    const readOnly = (name: string) => (e: unknown) => e instanceof TypeError && new RegExp(`^${name}: this \\(2, 2\\) matrix is read-only \\(loaded data\\); work on a copy: \\.copy\\(\\)`).test((e as Error).message);
    assert.throws(() => x.set(0, 0, 9), readOnly("set"));
    assert.throws(() => addInPlace(x, 1), readOnly("addInPlace"));
    assert.throws(() => subScaledInPlace(x, Matrix.full(2, 2, 1), 0.5), readOnly("subScaledInPlace"));
    assert.throws(() => expInPlace(x), readOnly("in-place function"));
    assert.throws(() => logInPlace(x), readOnly("in-place function"));
    assert.throws(() => tanhInPlace(x), readOnly("in-place function"));
    assert.throws(() => tanhBackwardInPlace(x, Matrix.full(2, 2, 0.5)), readOnly("tanhBackwardInPlace"));
    assert.throws(() => x.assertWritable("W -= dW"), readOnly("W -= dW"));
    assert.deepEqual(x.toArray(), [[1, 2], [3, 4]], "nothing was written");
    // What reads it works, and gives writable results.
    const y = x.add(1).mul(x).sub(x.max(1));
    y.set(0, 0, 0);
    addInPlace(y, 1);
    assert.equal(y.frozen, false);
    // A copy is writable; a reshape shares the values, so it is read-only too; so is the transpose.
    const c = x.copy();
    c.set(0, 0, 5);
    assert.deepEqual([c.get(0, 0), x.get(0, 0), c.frozen], [5, 1, false]);
    assert.equal(x.clone().frozen, false);
    assert.equal(x.reshape(1, 4).frozen, true);
    assert.throws(() => x.reshape(4, 1).set(0, 0, 1), /read-only/);
    assert.equal(x.T.frozen, true);
    assert.throws(() => x.T.set(0, 0, 1), /^TypeError: set: this \(2, 2\) matrix is read-only/);
    assert.deepEqual(x.T.toArray(), [[1, 3], [2, 4]]);
    // An in-place op that only reads a frozen operand is fine.
    const w = Matrix.full(2, 2, 10);
    subScaledInPlace(w, x, 1);
    assert.deepEqual(w.toArray(), [[9, 8], [7, 6]]);
    assert.equal(x.freeze(), x, "freeze returns the matrix (and may be called again)");
  });

  it("load_data returns frozen matrices: in-place ops on them throw, copies work", () => {
    const d = load_data();
    for (const m of [d.x_train, d.y_train, d.x_test, d.y_test]) assert.equal(m.frozen, true);
    assert.throws(() => d.x_train.set(0, 0, 1), /set: this \(1000, 784\) matrix is read-only \(loaded data\); work on a copy: \.copy\(\)/);
    assert.throws(() => addInPlace(d.y_test, 1), /addInPlace: this \(1000, 3\) matrix is read-only/);
    const x = d.x_train.copy();
    x.set(0, 0, 1);
    assert.equal(x.get(0, 0), 1);
    assert.equal(d.x_train.get(0, 0), 0);
  });

  it("broadcasts either operand, like NumPy (a row plus a matrix, a column times a row)", () => {
    const a = Matrix.from([[1, 2], [3, 4]]);
    assert.deepEqual(Matrix.from([[10, 20]]).add(a).toArray(), [[11, 22], [13, 24]]);
    assert.deepEqual(Matrix.from([[10], [20]]).sub(a).toArray(), [[9, 8], [17, 16]]);
    assert.deepEqual(Matrix.from([[1], [2]]).mul(Matrix.from([[1, 2, 3]])).toArray(), [[1, 2, 3], [2, 4, 6]]);
    assert.deepEqual(np.divide(Matrix.from([[12]]), a).toArray(), [[12, 6], [4, 3]]);
    assert.throws(() => a.sum(2 as 0), /sum: axis 2 is out of bounds for array of dimension 2/);
  });

  it("bad broadcasts fail with NumPy's wording, naming the operation and both shapes", () => {
    const a = Matrix.from([[1, 2], [3, 4]]);
    const cases: [string, () => unknown, string][] = [
      ["add", () => add(a, Matrix.zeros(3, 2)), "(2, 2) (3, 2)"],
      ["sub", () => a.sub(Matrix.zeros(1, 3)), "(2, 2) (1, 3)"],
      ["mul", () => a.mul(Matrix.zeros(3, 1)), "(2, 2) (3, 1)"],
      ["div", () => np.divide(a, Matrix.zeros(2, 3)), "(2, 2) (2, 3)"],
      ["sub", () => sub(Matrix.zeros(2, 3), a), "(2, 3) (2, 2)"],
      ["equal", () => a.equal(Matrix.zeros(2, 3)), "(2, 2) (2, 3)"],
      ["maximum", () => maximum(a, Matrix.zeros(2, 3)), "(2, 2) (2, 3)"],
      ["addInPlace", () => addInPlace(a, Matrix.zeros(1, 3)), "(2, 2) (1, 3)"],
    ];
    for (const [name, f, shapes] of cases) {
      assert.throws(f, (e: unknown) => e instanceof RangeError && (e as Error).message === `${name}: operands could not be broadcast together with shapes ${shapes}`, `${name} ${shapes}`);
    }
    assert.throws(() => a.dot(Matrix.zeros(3, 2)), /dot: shapes \(2, 2\) and \(3, 2\) not aligned: 2 \(dim 1\) != 3 \(dim 0\)/);
  });
});
