/**
 * A dense row-major float64 matrix: the NumPy `ndarray` stand-in the handout
 * assumes. Everything the three parts compute is 2-D (vectors are (1, n) or
 * (n, 1) matrices), which keeps shapes explicit, like the handout's (N, D), (D, K).
 */
import { inspect } from "node:util";

export type Shape = readonly [rows: number, cols: number];

/** The arrays of frozen matrices (loaded data): kernels may keep copies of them, since they never change. */
const frozenData = new WeakSet<Float64Array>();

/** True when `data` belongs to a frozen matrix (see `Matrix.freeze`). */
export function isFrozenData(data: Float64Array): boolean {
  return frozenData.has(data);
}

/** `m.T` not computed yet: the matrix it transposes (so `dot` can use it as is). */
const pendingTransposes = new WeakMap<Matrix, Matrix>();

/** The matrix that `m` is the transpose of, while `m`'s values have not been needed; else undefined. */
export function transposeSource(m: Matrix): Matrix | undefined {
  return pendingTransposes.get(m);
}

export class Matrix {
  readonly rows: number;
  readonly cols: number;
  private values: Float64Array | undefined;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new RangeError(`Matrix: invalid shape (${rows}, ${cols}); rows and cols must be non-negative integers`);
    }
    if (data !== undefined && data.length !== rows * cols) {
      throw new RangeError(`Matrix: ${data.length} values do not fill shape (${rows}, ${cols}) = ${rows * cols}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.values = data ?? new Float64Array(rows * cols);
  }

  /** The values, row after row (row-major). */
  get data(): Float64Array {
    return this.values ?? this.transposeNow();
  }

  private transposeNow(): Float64Array {
    const a = pendingTransposes.get(this)!;
    const t = new Float64Array(a.size), ad = a.data;
    for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t[j * a.rows + i] = ad[i * a.cols + j];
    pendingTransposes.delete(this);
    if (a.frozen) frozenData.add(t);
    return (this.values = t);
  }

  /**
   * The transpose, like NumPy's `.T`. Its values are computed only when
   * needed: `X.T.dot(d)` multiplies by X's transpose without copying X.
   */
  get T(): Matrix {
    const t = new Matrix(0, 0);
    Object.assign(t, { rows: this.cols, cols: this.rows, values: undefined });
    pendingTransposes.set(t, this);
    return t;
  }

  /**
   * Makes the matrix read-only (loaded data): in-place operations refuse it,
   * and the kernels may keep a compact copy of it (the non-zeros of X).
   * Returns the matrix.
   */
  freeze(): this {
    frozenData.add(this.data);
    return this;
  }

  /** True for read-only matrices (see `freeze`). */
  get frozen(): boolean {
    return frozenData.has(this.data);
  }

  /** Throws when the matrix is frozen: for operations that write into it. */
  assertWritable(what: string): void {
    if (this.frozen) throw new TypeError(`${what}: this (${this.rows}, ${this.cols}) matrix is read-only (loaded data); work on a copy: .copy()`);
  }

  /** `(rows, cols)`, like NumPy's `.shape`. */
  get shape(): Shape {
    return [this.rows, this.cols];
  }

  get size(): number {
    return this.rows * this.cols;
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  set(i: number, j: number, v: number): void {
    this.assertWritable("set");
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

  /** A writable copy. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** A writable copy, like NumPy's `.copy()`. */
  copy(): Matrix {
    return this.clone();
  }

  /**
   * Same data, new shape (like `.reshape`); the element count must match,
   * and one of the two sizes may be -1 (computed). Shares the values.
   */
  reshape(rows: number, cols: number): Matrix {
    if (rows === -1 && cols > 0 && this.size % cols === 0) rows = this.size / cols;
    else if (cols === -1 && rows > 0 && this.size % rows === 0) cols = this.size / rows;
    if (rows * cols !== this.size || rows < 0 || cols < 0) {
      throw new RangeError(`cannot reshape array of size ${this.size} into shape (${rows}, ${cols})`);
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

/**
 * From this many values on, skipping the zero fill pays (allocating 1 000
 * values: 4–10 µs zeroed, 3–5 µs not; 100 000: 22 against 6 µs).
 */
const UNINITIALIZED_MIN_VALUES = 1024;

/**
 * A matrix whose values are not set yet (not zeroed): for ops whose kernel
 * writes every value. Large arrays come from Node's allocator without the
 * zero fill (15 MB for Z1 on the full set: as long as the op writing it).
 */
export function uninitialized(rows: number, cols: number): Matrix {
  const n = rows * cols;
  if (!(n >= UNINITIALIZED_MIN_VALUES)) return new Matrix(rows, cols);
  const bytes = Buffer.allocUnsafeSlow(n * Float64Array.BYTES_PER_ELEMENT);
  return new Matrix(rows, cols, new Float64Array(bytes.buffer, bytes.byteOffset, n));
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
