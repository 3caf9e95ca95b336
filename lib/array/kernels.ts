/**
 * The compute kernels behind the array ops. Model code never calls these; it
 * calls `ops.ts`. A faster backend (WebAssembly, worker threads) replaces
 * them with `setKernels` and is checked against `jsKernels`, the oracle.
 */

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
}

/**
 * Plain TypeScript kernels. Loop orders keep the inner loop on contiguous
 * rows, and a zero of `a` skips its whole row update: MNIST pixels are ~84 %
 * zeros, so X·W and Xᵀ·δ cost a fraction of their dense flops.
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
      // a stored (k, m): out[i, :] += a[p, i] · b[p, :], row p of a walked once.
      for (let p = 0; p < k; p++) {
        const ap = p * m, bp = p * n;
        for (let i = 0; i < m; i++) {
          const v = a[ap + i];
          if (v === 0) continue;
          const oi = i * n;
          for (let j = 0; j < n; j++) out[oi + j] += v * b[bp + j];
        }
      }
      return;
    }
    // a stored (m, k): out[i, :] += a[i, p] · b[p, :].
    for (let i = 0; i < m; i++) {
      const ai = i * k, oi = i * n;
      for (let p = 0; p < k; p++) {
        const v = a[ai + p];
        if (v === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) out[oi + j] += v * b[bp + j];
      }
    }
  },
};

function transposeData(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

let active: Kernels = jsKernels;

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
