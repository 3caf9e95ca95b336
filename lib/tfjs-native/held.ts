/**
 * Data held unchanged across a training run (X): the matMul kernel gathers
 * its non-zeros once, in compressed sparse rows (of X for X·W, of Xᵀ for
 * Xᵀ·δ), instead of scanning every pixel at every product (MNIST is ~84 %
 * zeros). Keyed by the tensor's values array: a tensor never changes its
 * values, and the entry goes when the array does.
 */
export interface Csr {
  rows: number;
  cols: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
}

/** Held values, and the CSR of each layout asked for (none when they are mostly non-zero). */
const held = new WeakMap<Float32Array, Map<string, Csr | null>>();

/** Marks the values of a data tensor as held (see holdData). */
export function hold(values: Float32Array): void {
  if (!held.has(values)) held.set(values, new Map());
}

/**
 * The CSR of held values stored as (rows, cols), or of their transpose;
 * built on first use. Undefined for values not held or mostly non-zero
 * (the dense kernel is as fast there).
 */
export function heldCsr(values: Float32Array, rows: number, cols: number, transposed: boolean): Csr | undefined {
  const layouts = held.get(values);
  if (!layouts) return undefined;
  const key = `${rows},${cols},${transposed}`;
  const cached = layouts.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let nnz = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) nnz++;
  const csr = nnz * 2 > values.length ? null : transposed ? csrOfTranspose(values, rows, cols, nnz) : csrOf(values, rows, cols, nnz);
  layouts.set(key, csr);
  return csr ?? undefined;
}

function csrOf(values: Float32Array, rows: number, cols: number, nnz: number): Csr {
  const ptr = new Int32Array(rows + 1), idx = new Int32Array(nnz), val = new Float32Array(nnz);
  for (let i = 0, q = 0; i < rows; i++) {
    for (let j = 0, at = i * cols; j < cols; j++, at++) {
      if (values[at] !== 0) {
        idx[q] = j;
        val[q++] = values[at];
      }
    }
    ptr[i + 1] = q;
  }
  return { rows, cols, ptr, idx, val };
}

/** The CSR of the (cols, rows) transpose: row j lists the i with values[i, j] ≠ 0, in order. */
function csrOfTranspose(values: Float32Array, rows: number, cols: number, nnz: number): Csr {
  const ptr = new Int32Array(cols + 1), idx = new Int32Array(nnz), val = new Float32Array(nnz);
  for (let at = 0; at < values.length; at++) if (values[at] !== 0) ptr[(at % cols) + 1]++;
  for (let j = 0; j < cols; j++) ptr[j + 1] += ptr[j];
  const fill = ptr.slice(0, cols);
  for (let i = 0, at = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++, at++) {
      if (values[at] !== 0) {
        const q = fill[j]++;
        idx[q] = i;
        val[q] = values[at];
      }
    }
  }
  return { rows: cols, cols: rows, ptr, idx, val };
}
