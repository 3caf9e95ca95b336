/**
 * NumPy-like operations on `Matrix`. Every op returns a new matrix unless its
 * name ends in `InPlace`. Binary ops broadcast like NumPy for the 2-D cases
 * the lab needs: same shape, a (1, n) row, an (m, 1) column, or a scalar.
 */
import { Matrix, transposeSource, uninitialized } from "./matrix";
import { BinaryOp, BroadcastMode, UnaryOp, kernels } from "./kernels";

export type Operand = Matrix | number;

export interface DotOptions {
  /** Use aᵀ instead of a (no copy is made). */
  transA?: boolean;
  /** Use bᵀ instead of b (no copy is made). */
  transB?: boolean;
}

/** Matrix product `op(a) · op(b)`, like `np.dot(a, b)` (or `a.T @ b` with transA). */
export function dot(a: Matrix, b: Matrix, { transA = false, transB = false }: DotOptions = {}): Matrix {
  // `X.T` not computed yet: multiply by X with the transposed flag instead of copying it.
  const sa = transposeSource(a), sb = transposeSource(b);
  if (sa) return dot(sa, b, { transA: !transA, transB });
  if (sb) return dot(a, sb, { transA, transB: !transB });
  const [m, ka] = transA ? [a.cols, a.rows] : [a.rows, a.cols];
  const [kb, n] = transB ? [b.cols, b.rows] : [b.rows, b.cols];
  if (ka !== kb) {
    const sa = transA ? `(${a.rows}, ${a.cols})ᵀ` : `(${a.rows}, ${a.cols})`;
    const sb = transB ? `(${b.rows}, ${b.cols})ᵀ` : `(${b.rows}, ${b.cols})`;
    throw new RangeError(`dot: shapes ${sa} and ${sb} not aligned: ${ka} (dim 1) != ${kb} (dim 0)`);
  }
  const out = ka === 0 ? new Matrix(m, n) : uninitialized(m, n);   // an empty sum is 0
  kernels().gemm(a.data, b.data, out.data, m, ka, n, transA, transB);
  return out;
}

/** `a.T`, copied. */
export function transpose(a: Matrix): Matrix {
  const t = new Matrix(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j];
  return t;
}

/** How b is broadcast against a: the kernels' `BroadcastMode`. */
function broadcastMode(name: string, a: Matrix, b: Operand): BroadcastMode {
  if (typeof b === "number") return BroadcastMode.Scalar;
  if (b.rows === a.rows && b.cols === a.cols) return BroadcastMode.Same;
  if (b.rows === 1 && b.cols === a.cols) return BroadcastMode.Row;
  if (b.cols === 1 && b.rows === a.rows) return BroadcastMode.Column;
  throw new RangeError(`${name}: operands could not be broadcast together with shapes (${a.rows}, ${a.cols}) (${b.rows}, ${b.cols})`);
}

function broadcast(name: string, op: BinaryOp, a: Matrix, b: Operand, out?: Matrix): Matrix {
  const mode = broadcastMode(name, a, b);
  if (out) out.assertWritable(name);
  const o = out ?? uninitialized(a.rows, a.cols);
  kernels().binary(op, mode, a.data, typeof b === "number" ? Float64Array.of(b) : b.data, o.data, a.rows, a.cols);
  return o;
}

/** The shape of `a op b` under NumPy's rules (a size-1 axis stretches), or an error in NumPy's words. */
function broadcastShape(name: string, a: Matrix, b: Matrix): [number, number] {
  const dim = (x: number, y: number) => (x === y || y === 1 ? x : x === 1 ? y : -1);
  const rows = dim(a.rows, b.rows), cols = dim(a.cols, b.cols);
  if (rows < 0 || cols < 0) throw new RangeError(`${name}: operands could not be broadcast together with shapes (${a.rows}, ${a.cols}) (${b.rows}, ${b.cols})`);
  return [rows, cols];
}

/** `a` repeated to (rows, cols) (a is (1, cols), (rows, 1) or (1, 1)). */
function tile(a: Matrix, rows: number, cols: number): Matrix {
  const out = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.data[i * cols + j] = a.data[(a.rows === 1 ? 0 : i) * a.cols + (a.cols === 1 ? 0 : j)];
  return out;
}

/** A binary op with NumPy's argument rules: a matrix or a number on either side, either side broadcast. */
function either(name: string, op: BinaryOp, a: Operand, b: Operand): Matrix {
  if (typeof a !== "number" && typeof b !== "number") {
    const [rows, cols] = broadcastShape(name, a, b);
    // The kernels stretch the right operand only: a smaller left one is laid out in full first.
    return broadcast(name, op, a.rows === rows && a.cols === cols ? a : tile(a, rows, cols), b);
  }
  if (typeof a !== "number") return broadcast(name, op, a, b);
  if (typeof b === "number") throw new TypeError(`${name}: at least one operand must be a Matrix (both are numbers: use ordinary arithmetic)`);
  // s op B, computed exactly as NumPy does it (for sub: s − b, not −(b − s)).
  const out = uninitialized(b.rows, b.cols);
  kernels().binary(op, BroadcastMode.Same, new Float64Array(b.size).fill(a), b.data, out.data, b.rows, b.cols);
  return out;
}

/** `a + b`, b (or a) broadcast like NumPy: a matrix of the same shape, a (1, n) row, an (m, 1) column, or a number. */
export const add = (a: Operand, b: Operand): Matrix => either("add", BinaryOp.Add, a, b);
/** `a - b` (e.g. `sub(1, A)` for NumPy's `1 - A`). */
export const sub = (a: Operand, b: Operand): Matrix => either("sub", BinaryOp.Sub, a, b);
/** `a * b`, element by element (NumPy's `*` or `np.multiply`, not the matrix product). */
export const mul = (a: Operand, b: Operand): Matrix => either("mul", BinaryOp.Mul, a, b);
/** `a / b`, element by element. */
export const div = (a: Operand, b: Operand): Matrix => either("div", BinaryOp.Div, a, b);

/** `a += b` (b broadcast), returns a. */
export const addInPlace = (a: Matrix, b: Operand): Matrix => broadcast("addInPlace", BinaryOp.Add, a, b, a);

/**
 * `delta ⊙= (1 − a²)` with `a = tanh(z)` of delta's shape: backpropagation
 * through tanh, whose derivative is 1 − tanh². Returns delta.
 */
export const tanhBackwardInPlace = (delta: Matrix, a: Matrix): Matrix => {
  if (a.rows !== delta.rows || a.cols !== delta.cols) {
    throw new RangeError(`tanhBackwardInPlace: shapes (${delta.rows}, ${delta.cols}) and (${a.rows}, ${a.cols}) differ`);
  }
  return broadcast("tanhBackwardInPlace", BinaryOp.TanhGrad, delta, a, delta);
};

/** `a -= alpha · b` with b of a's shape: the gradient step `W = W - ε·dW`, without a temporary. */
export function subScaledInPlace(a: Matrix, b: Matrix, alpha: number): Matrix {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new RangeError(`subScaledInPlace: shapes (${a.rows}, ${a.cols}) and (${b.rows}, ${b.cols}) differ`);
  }
  a.assertWritable("subScaledInPlace");
  const ad = a.data, bd = b.data;
  for (let i = 0; i < ad.length; i++) ad[i] -= alpha * bd[i];
  return a;
}

/** Element-wise `f(a)`. */
export function map(a: Matrix, f: (x: number) => number): Matrix {
  const o = new Matrix(a.rows, a.cols);
  const ad = a.data, od = o.data;
  for (let i = 0; i < ad.length; i++) od[i] = f(ad[i]);
  return o;
}

function unary(op: UnaryOp, a: Matrix, out = uninitialized(a.rows, a.cols)): Matrix {
  if (out === a) a.assertWritable("in-place function");
  kernels().unary(op, a.data, out.data);
  return out;
}

export const exp = (a: Matrix): Matrix => unary(UnaryOp.Exp, a);
export const log = (a: Matrix): Matrix => unary(UnaryOp.Log, a);
export const tanh = (a: Matrix): Matrix => unary(UnaryOp.Tanh, a);

/** `a = e^a`, returns a. */
export const expInPlace = (a: Matrix): Matrix => unary(UnaryOp.Exp, a, a);
/** `a = ln(a)`, returns a. */
export const logInPlace = (a: Matrix): Matrix => unary(UnaryOp.Log, a, a);
/** `a = tanh(a)`, returns a. */
export const tanhInPlace = (a: Matrix): Matrix => unary(UnaryOp.Tanh, a, a);

/**
 * Sum, like NumPy: `axis` 0 sums each column into a (1, cols) row, `axis` 1
 * each row into a (rows, 1) column; without axis, the sum of all values.
 */
export function sum(a: Matrix): number;
export function sum(a: Matrix, axis: 0 | 1): Matrix;
export function sum(a: Matrix, axis?: 0 | 1): Matrix | number {
  const ad = a.data, cols = a.cols;
  if (axis === undefined) {
    let s = 0;
    for (let i = 0; i < ad.length; i++) s += ad[i];
    return s;
  }
  if (axis !== 0 && axis !== 1) throw new RangeError(`sum: axis ${String(axis)} is out of bounds for array of dimension 2 (use 0 or 1)`);
  if (axis === 0) {
    // A large one is a product, 1ᵀ·a, for the kernels (2–3× faster than this loop for δ2's 1.9 M values).
    if (a.size >= 1 << 16) return dot(new Matrix(1, a.rows, new Float64Array(a.rows).fill(1)), a);
    const o = new Matrix(1, cols), od = o.data;
    for (let i = 0; i < a.rows; i++) for (let j = 0, r = i * cols; j < cols; j++) od[j] += ad[r + j];
    return o;
  }
  const o = new Matrix(a.rows, 1);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0, r = i * cols; j < cols; j++) s += ad[r + j];
    o.data[i] = s;
  }
  return o;
}

/** Index of the largest value of each row (`.argmax(axis=1)`), first one on ties. */
export function argmax(a: Matrix): Int32Array {
  const out = new Int32Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let best = 0;
    for (let j = 1, r = i * a.cols; j < a.cols; j++) if (a.data[r + j] > a.data[r + best]) best = j;
    out[i] = best;
  }
  return out;
}

/** True when no value is NaN or ±Infinity. */
export function allFinite(a: Matrix): boolean {
  const d = a.data;
  // x − x is 0 for finite x, NaN for NaN and ±Infinity: one test per value.
  for (let i = 0; i < d.length; i++) if (d[i] - d[i] !== 0) return false;
  return true;
}

/** Fraction of zero values (MNIST inputs are mostly zeros). */
export function sparsity(a: Matrix): number {
  let z = 0;
  for (const v of a.data) if (v === 0) z++;
  return a.size === 0 ? 0 : z / a.size;
}

/** A reduction along an axis, NumPy style: axis 0 → one value per column (1, cols), 1 → per row (rows, 1). */
function reduce(name: string, a: Matrix, axis: 0 | 1 | undefined, start: number, f: (acc: number, v: number) => number): Matrix | number {
  const ad = a.data, cols = a.cols;
  if (axis === undefined) {
    if (a.size === 0 && !Number.isFinite(start)) throw new RangeError(`${name}: zero-size array to reduction operation which has no identity`);
    let acc = start;
    for (let i = 0; i < ad.length; i++) acc = f(acc, ad[i]);
    return acc;
  }
  if (axis !== 0 && axis !== 1) throw new RangeError(`${name}: axis ${String(axis)} is out of bounds for array of dimension 2 (use 0 or 1)`);
  if ((axis === 0 ? a.rows : a.cols) === 0 && !Number.isFinite(start)) throw new RangeError(`${name}: zero-size array to reduction operation which has no identity`);
  const o = axis === 0 ? Matrix.full(1, cols, start) : Matrix.full(a.rows, 1, start), od = o.data;
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0, r = i * cols; j < cols; j++) {
      const k = axis === 0 ? j : i;
      od[k] = f(od[k], ad[r + j]);
    }
  }
  return o;
}

/**
 * Largest value, like `a.max(axis, keepdims=True)`: axis 1 gives one per row
 * as an (N, 1) column, axis 0 one per column as a (1, K) row (results stay
 * 2-D, so they broadcast back against a); without axis, a number.
 */
export function max(a: Matrix): number;
export function max(a: Matrix, axis: 0 | 1): Matrix;
export function max(a: Matrix, axis?: 0 | 1): Matrix | number {
  return reduce("max", a, axis, -Infinity, (m, v) => (v > m || Number.isNaN(v) ? v : m));
}

/** Smallest value (see `max`). */
export function min(a: Matrix): number;
export function min(a: Matrix, axis: 0 | 1): Matrix;
export function min(a: Matrix, axis?: 0 | 1): Matrix | number {
  return reduce("min", a, axis, Infinity, (m, v) => (v < m || Number.isNaN(v) ? v : m));
}

/** Mean, like `a.mean(axis, keepdims=True)` (see `sum`). */
export function mean(a: Matrix): number;
export function mean(a: Matrix, axis: 0 | 1): Matrix;
export function mean(a: Matrix, axis?: 0 | 1): Matrix | number {
  if (axis === undefined) return sum(a) / a.size;
  return div(sum(a, axis), axis === 0 ? a.rows : a.cols);
}

/**
 * Index of the largest value along an axis, as a matrix: axis 1 gives an
 * (N, 1) column (the predicted class of each row), axis 0 a (1, K) row.
 */
export function argmaxAxis(a: Matrix, axis: 0 | 1): Matrix {
  if (axis === 1) return new Matrix(a.rows, 1, Float64Array.from(argmax(a)));
  return argmaxAxis(a.T, 1).T;
}

/** 1 where a == b, else 0 (b broadcast), like NumPy's `a == b` as numbers. */
export function equal(a: Matrix, b: Operand): Matrix {
  const mode = broadcastMode("equal", a, b);
  const o = new Matrix(a.rows, a.cols), ad = a.data, od = o.data;
  const bv = (i: number, j: number) => (typeof b === "number" ? b : mode === BroadcastMode.Same ? b.data[i * a.cols + j] : mode === BroadcastMode.Row ? b.data[j] : b.data[i]);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) od[i * a.cols + j] = ad[i * a.cols + j] === bv(i, j) ? 1 : 0;
  return o;
}

/** `a ** p` element by element (p = 2 squares). */
export function pow(a: Matrix, p: number): Matrix {
  return p === 2 ? mul(a, a) : map(a, (v) => v ** p);
}

/** max(a, b) element by element, b broadcast (`np.maximum(0, z)` is relu). */
export function maximum(a: Operand, b: Operand): Matrix {
  if (typeof a === "number") return maximum(b, a);
  const m = typeof b === "number" ? b : undefined;
  if (m !== undefined) return map(a, (v) => (v > m || Number.isNaN(v) ? v : m));
  const mode = broadcastMode("maximum", a, b);
  const bb = b as Matrix;
  const full = mode === BroadcastMode.Same ? bb : add(mul(a, 0), bb);
  const o = new Matrix(a.rows, a.cols);
  for (let i = 0; i < o.size; i++) o.data[i] = a.data[i] > full.data[i] || Number.isNaN(a.data[i]) ? a.data[i] : full.data[i];
  return o;
}
