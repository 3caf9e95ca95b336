/**
 * The compute kernels behind the array ops. Model code never calls these; it
 * calls `ops.ts`. A faster backend (the native addon, native.ts) replaces
 * them with `setKernels` and is checked against `referenceKernels`.
 */

import { nativeKernels } from "./native";

/**
 * The element-wise binary ops, in the native addon's numbering. TanhGrad is
 * a · (1 − b²), backpropagation through tanh (b = tanh(z)).
 */
export enum BinaryOp { Add = 0, Sub = 1, Mul = 2, Div = 3, TanhGrad = 4 }

/** The element-wise functions, in the native addon's numbering. */
export enum UnaryOp { Tanh = 0, Exp = 1, Log = 2 }

/** How b is laid against a (rows, cols): the same shape, a (1, cols) row, a (rows, 1) column, or b[0]. */
export enum BroadcastMode { Same = 0, Row = 1, Column = 2, Scalar = 3 }

export interface Kernels {
  /**
   * out (m, n) = op(a) · op(b), where op(a) is (m, k) and op(b) is (k, n).
   * `a` is stored (m, k), or (k, m) when transA; `b` is (k, n), or (n, k) when transB.
   * `out` is overwritten.
   */
  gemm(
    a: Float64Array, b: Float64Array, out: Float64Array,
    m: number, k: number, n: number,
    transA: boolean, transB: boolean,
  ): void;
  /** out[i] = f(a[i]) for f = tanh, exp or log; `out` has a's length and may be a. */
  unary(op: UnaryOp, a: Float64Array, out: Float64Array): void;
  /** out (rows, cols) = a op b, b broadcast by `mode`; `out` may be a. */
  binary(op: BinaryOp, mode: BroadcastMode, a: Float64Array, b: Float64Array, out: Float64Array, rows: number, cols: number): void;
}

const unaryFunctions: Record<UnaryOp, (x: number) => number> = [Math.tanh, Math.exp, Math.log];

function unaryLoop(op: UnaryOp, a: Float64Array, out: Float64Array): void {
  const f = unaryFunctions[op];
  for (let i = 0; i < a.length; i++) out[i] = f(a[i]);
}

const binaryFunctions: Record<BinaryOp, (x: number, y: number) => number> = [
  (x, y) => x + y, (x, y) => x - y, (x, y) => x * y, (x, y) => x / y, (x, y) => x * (1 - y * y),
];

function binaryLoop(op: BinaryOp, mode: BroadcastMode, a: Float64Array, b: Float64Array, out: Float64Array, rows: number, cols: number): void {
  const f = binaryFunctions[op];
  // One loop per mode: the mode is not re-tested for every value.
  if (mode === BroadcastMode.Same) {
    for (let i = 0; i < a.length; i++) out[i] = f(a[i], b[i]);
  } else if (mode === BroadcastMode.Row) {
    for (let i = 0; i < rows; i++) for (let j = 0, r = i * cols; j < cols; j++) out[r + j] = f(a[r + j], b[j]);
  } else {
    for (let i = 0; i < rows; i++) {
      const y = mode === BroadcastMode.Column ? b[i] : b[0];
      for (let j = 0, r = i * cols; j < cols; j++) out[r + j] = f(a[r + j], y);
    }
  }
}

/**
 * The textbook triple loop: slow, obviously right. The oracle the tests
 * compare every faster kernel with.
 */
export const referenceKernels: Kernels = {
  gemm(a, b, out, m, k, n, transA, transB) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
        out[i * n + j] = s;
      }
    }
  },
  unary: unaryLoop,
  binary: binaryLoop,
};

/**
 * out[row, :] += Σ_q vals[q] · b[rows[q], :] for the `count` pairs gathered,
 * four rows of b at a time: one read and write of the output row serves four
 * multiply-adds (about twice as fast as one at a time in V8).
 */
function accumulateRows(out: Float64Array, oi: number, b: Float64Array, rows: Int32Array, vals: Float64Array, count: number, n: number): void {
  let q = 0;
  for (; q + 4 <= count; q += 4) {
    const r0 = rows[q], r1 = rows[q + 1], r2 = rows[q + 2], r3 = rows[q + 3];
    const v0 = vals[q], v1 = vals[q + 1], v2 = vals[q + 2], v3 = vals[q + 3];
    for (let j = 0; j < n; j++) out[oi + j] += v0 * b[r0 + j] + v1 * b[r1 + j] + v2 * b[r2 + j] + v3 * b[r3 + j];
  }
  for (; q < count; q++) {
    const r0 = rows[q], v0 = vals[q];
    for (let j = 0; j < n; j++) out[oi + j] += v0 * b[r0 + j];
  }
}

/**
 * Plain TypeScript kernels. Only the non-zeros of `a` are visited: MNIST
 * pixels are ~84 % zeros, so X·W1 and Xᵀ·δ2 cost a fraction of their dense
 * flops; the products then run as row updates on contiguous memory.
 */
export const jsKernels: Kernels = {
  gemm(a, b, out, m, k, n, transA, transB) {
    out.fill(0);
    if (transB) {
      // b stored (n, k): out[i, j] = Σ_p opA[i, p] · b[j, p], a dot of two rows.
      const at = transA ? transposeData(a, k, m) : a;
      for (let i = 0; i < m; i++) {
        const ai = i * k;
        for (let j = 0; j < n; j++) {
          const bj = j * k;
          let s = 0;
          for (let p = 0; p < k; p++) s += at[ai + p] * b[bj + p];
          out[i * n + j] = s;
        }
      }
      return;
    }
    if (transA) {
      // a stored (k, m): out[i, :] = Σ_p a[p, i] · b[p, :]. The non-zeros of
      // each column of a are first gathered (a CSC index, by counting sort).
      const start = new Int32Array(m + 1);
      for (let p = 0; p < k; p++) for (let i = 0, ap = p * m; i < m; i++) if (a[ap + i] !== 0) start[i + 1]++;
      for (let i = 0; i < m; i++) start[i + 1] += start[i];
      const rows = new Int32Array(start[m]), vals = new Float64Array(start[m]), fill = start.slice(0, m);
      for (let p = 0; p < k; p++) {
        for (let i = 0, ap = p * m; i < m; i++) {
          const v = a[ap + i];
          if (v !== 0) { rows[fill[i]] = p * n; vals[fill[i]++] = v; }
        }
      }
      for (let i = 0; i < m; i++) {
        accumulateRows(out, i * n, b, rows.subarray(start[i], start[i + 1]), vals.subarray(start[i], start[i + 1]), start[i + 1] - start[i], n);
      }
      return;
    }
    // a stored (m, k): out[i, :] = Σ_p a[i, p] · b[p, :] over the non-zeros of row i.
    const rows = new Int32Array(k), vals = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      let count = 0;
      for (let p = 0, ai = i * k; p < k; p++) {
        const v = a[ai + p];
        if (v !== 0) { rows[count] = p * n; vals[count++] = v; }
      }
      accumulateRows(out, i * n, b, rows, vals, count, n);
    }
  },
  unary: unaryLoop,
  binary: binaryLoop,
};

function transposeData(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

/**
 * The native addon's kernels when it built, else the TypeScript ones;
 * NN_WORKBOOK_KERNELS=js forces the TypeScript kernels.
 */
let active: Kernels = process.env.NN_WORKBOOK_KERNELS === "js" ? jsKernels : nativeKernels ?? jsKernels;

/** The kernels in use. */
export function kernels(): Kernels {
  return active;
}

/** Swap the kernels (returns the previous ones, to restore them). */
export function setKernels(k: Kernels): Kernels {
  const previous = active;
  active = k;
  return previous;
}
