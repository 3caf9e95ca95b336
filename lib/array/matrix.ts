/**
 * A dense row-major float64 matrix: the NumPy `ndarray` stand-in the handout
 * assumes. Everything the three parts compute is 2-D (vectors are (1, n) or
 * (n, 1) matrices), which keeps shapes explicit, like the handout's (N, D), (D, K).
 */
import { inspect } from "node:util";

export type Shape = readonly [rows: number, cols: number];

export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new RangeError(`Matrix: invalid shape (${rows}, ${cols}); rows and cols must be non-negative integers`);
    }
    if (data !== undefined && data.length !== rows * cols) {
      throw new RangeError(`Matrix: ${data.length} values do not fill shape (${rows}, ${cols}) = ${rows * cols}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(rows * cols);
  }

  /** `(rows, cols)`, like NumPy's `.shape`. */
  get shape(): Shape {
    return [this.rows, this.cols];
  }

  get size(): number {
    return this.data.length;
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  set(i: number, j: number, v: number): void {
    this.data[i * this.cols + j] = v;
  }

  /** A copy of row i as a (1, cols) matrix. */
  row(i: number): Matrix {
    return new Matrix(1, this.cols, this.data.slice(i * this.cols, (i + 1) * this.cols));
  }

  /** Rows `start` (inclusive) to `end` (exclusive), copied. */
  sliceRows(start: number, end: number): Matrix {
    const s = Math.max(0, start);
    const e = Math.min(this.rows, end);
    return new Matrix(Math.max(0, e - s), this.cols, this.data.slice(s * this.cols, Math.max(s, e) * this.cols));
  }

  /** The rows at the given indices, copied, in that order. */
  takeRows(indices: ArrayLike<number>): Matrix {
    const out = new Matrix(indices.length, this.cols);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!(i >= 0 && i < this.rows)) throw new RangeError(`takeRows: index ${i} outside 0..${this.rows - 1}`);
      out.data.set(this.data.subarray(i * this.cols, (i + 1) * this.cols), k * this.cols);
    }
    return out;
  }

  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** Same data, new shape (like `.reshape`); the element count must match. */
  reshape(rows: number, cols: number): Matrix {
    if (rows * cols !== this.size) {
      throw new RangeError(`reshape: cannot reshape (${this.rows}, ${this.cols}) into (${rows}, ${cols})`);
    }
    return new Matrix(rows, cols, this.data);
  }

  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    return out;
  }

  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  static full(rows: number, cols: number, value: number): Matrix {
    return new Matrix(rows, cols, new Float64Array(rows * cols).fill(value));
  }

  /** From nested arrays, e.g. `Matrix.from([[1, 2], [3, 4]])`. */
  static from(values: readonly (readonly number[])[]): Matrix {
    const rows = values.length;
    const cols = rows === 0 ? 0 : values[0].length;
    const m = new Matrix(rows, cols);
    values.forEach((r, i) => {
      if (r.length !== cols) throw new RangeError(`Matrix.from: row ${i} has ${r.length} values, row 0 has ${cols}`);
      m.data.set(r, i * cols);
    });
    return m;
  }

  toString(): string {
    return formatMatrix(this);
  }

  [inspect.custom](): string {
    return formatMatrix(this);
  }
}

/** NumPy-like summary: shape, then the corners when the matrix is large. */
export function formatMatrix(m: Matrix, edge = 3): string {
  const fmt = (v: number) => {
    if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
  };
  const pick = (n: number) => (n <= 2 * edge ? [...Array(n).keys()] : [...Array(edge).keys(), -1, ...Array.from({ length: edge }, (_, k) => n - edge + k)]);
  const lines = pick(m.rows).map((i) =>
    i < 0 ? " ..." : " [" + pick(m.cols).map((j) => (j < 0 ? "..." : fmt(m.get(i, j)))).join(", ") + "]",
  );
  return `Matrix(${m.rows}, ${m.cols}) [\n${lines.join("\n")}\n]`;
}
