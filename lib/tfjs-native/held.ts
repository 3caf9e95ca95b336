/**
 * Data held unchanged across a training run (X, and Xᵀ for its gradient):
 * the matMul kernel gathers its non-zeros once, in compressed sparse rows,
 * instead of scanning every pixel at every product (MNIST is ~84 % zeros).
 * Keyed by the tensor's values array: tensors never change their values,
 * and the entry goes when the array does.
 */
export interface Csr {
  rows: number;
  cols: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float32Array;
}

const held = new WeakSet<Float32Array>();
const sparse = new WeakMap<Float32Array, Csr>();

/** Marks the values of a data tensor as held (see lib/autograd/data-product.ts). */
export function hold(values: Float32Array): void {
  held.add(values);
}

/** The CSR of held values seen as (rows, cols), built on first use; undefined for values not held. */
export function heldCsr(values: Float32Array, rows: number, cols: number): Csr | undefined {
  if (!held.has(values)) return undefined;
  const cached = sparse.get(values);
  if (cached && cached.rows === rows && cached.cols === cols) return cached;
  const ptr = new Int32Array(rows + 1);
  let nnz = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) nnz++;
  const idx = new Int32Array(nnz), val = new Float32Array(nnz);
  for (let i = 0, q = 0; i < rows; i++) {
    for (let j = 0, at = i * cols; j < cols; j++, at++) {
      if (values[at] !== 0) {
        idx[q] = j;
        val[q++] = values[at];
      }
    }
    ptr[i + 1] = q;
  }
  const csr = { rows, cols, ptr, idx, val };
  sparse.set(values, csr);
  return csr;
}
