/**
 * The native kernels: a C++ addon (native/src, found by ./addon), vectorised
 * for the CPU it runs on and run on every core. When no addon loads (no
 * compiler at install time and no prebuilt binary for this platform) the
 * TypeScript kernels stay in use: slower, same results.
 */
import { isConstant, onRelease } from "./constant";
import type { Kernels } from "./kernels";
import { BUILD_PATH, isaCapProblem, loadAddon } from "./addon";
import type { Addon } from "./addon";

const loadErrors: string[] = [];
const loaded = loadAddon(loadErrors);
const addon: Addon | undefined = loaded?.addon;
const capProblem = loaded ? isaCapProblem() : undefined;
if (capProblem) console.warn(`[nn-workbook] ${capProblem}`);

/** The addon file in use (where `npm install` builds it when none loaded). */
export const ADDON_PATH = loaded?.path ?? BUILD_PATH;

/** The loaded addon itself (undefined when it is not): lib/tfjs-native reads its float32 kernels. */
export function loadedAddon(): object | undefined {
  return addon;
}

/** Why the addon is not available (undefined when it is). */
export function nativeUnavailable(): string | undefined {
  return addon ? undefined : loadErrors.join("; ");
}

/** What runs: the addon file, its instruction-set variant and those the CPU supports; undefined without the addon. */
export function nativeInfo(): { path: string; isa: string; isas: string[] } | undefined {
  return loaded && { path: loaded.path, isa: loaded.addon.isa(), isas: loaded.addon.isas() };
}

/**
 * A (rows, cols) matrix in compressed sparse rows: float64 values with
 * 32-bit column indices, or (`bytes`) the values as integers 1..255 over
 * BYTE_DIVISOR with 16-bit indices, 3 bytes per non-zero instead of 12.
 */
type Csr = { rows: number; cols: number; ptr: Int32Array } & (
  | { bytes: false; idx: Int32Array; val: Float64Array }
  | { bytes: true; idx: Uint16Array; val: Uint8Array }
);

/**
 * MNIST pixels are k/255: a matrix whose non-zeros are all such quotients
 * (bit for bit) and whose sides are ≤ 65 536 is held in the byte form. Its
 * products sum k·b and divide by 255 once per output value; the
 * difference from summing (k/255)·b is a few ulp (tests: 1e-13 relative).
 */
const BYTE_DIVISOR = 255;
const MAX_U16_INDEX = 65536;

/** The CSR of the transpose (compressed sparse columns of the original), row indices in order. */
function transposeCsr(c: Csr): Csr {
  const nnz = c.idx.length;
  const ptr = new Int32Array(c.cols + 1);
  for (let q = 0; q < nnz; q++) ptr[c.idx[q] + 1]++;
  for (let j = 0; j < c.cols; j++) ptr[j + 1] += ptr[j];
  const fill = ptr.slice(0, c.cols);
  const scatter = (idx: Int32Array | Uint16Array, val: Float64Array | Uint8Array) => {
    for (let i = 0; i < c.rows; i++) {
      for (let q = c.ptr[i]; q < c.ptr[i + 1]; q++) {
        const at = fill[c.idx[q]]++;
        idx[at] = i;
        val[at] = c.val[q];
      }
    }
  };
  if (c.bytes) {
    const idx = new Uint16Array(nnz), val = new Uint8Array(nnz);
    scatter(idx, val);
    return { rows: c.cols, cols: c.rows, ptr, bytes: true, idx, val };
  }
  const idx = new Int32Array(nnz), val = new Float64Array(nnz);
  scatter(idx, val);
  return { rows: c.cols, cols: c.rows, ptr, bytes: false, idx, val };
}

/**
 * Largest b (in bytes) for which aᵀ·b gathers rows of b along the transposed
 * CSR (each output row written once, by one thread) rather than scattering
 * the rows of a into per-thread outputs. Measured on Xᵀ·δ2 (2 cores, 1 MB of
 * L2 each): gathering wins for δ2 of 0.08 to 1.5 MB (0.23 → 0.13 ms,
 * 1.1 → 0.8 ms, 4.7 → 3.0 ms), scattering for 15 MB (20 against 25 ms).
 */
const GATHER_TRANSPOSED_BYTES = 4 * 1024 * 1024;

/**
 * The last product a·b of each constant a, kept to answer the same product
 * again: the handout's `partial_derivative_two_layers_nn` cannot receive A1
 * from the prediction, so honest code recomputes X·W1 with the same W1 (a
 * copy of b is compared value by value: whatever wrote into W1 in between,
 * a changed W1 misses).
 */
interface LastProduct { b: Float64Array; out: Float64Array; m: number; n: number }
/** Products up to this size (bytes of the result) are remembered. */
const REMEMBER_BYTES = 64 * 1024 * 1024;

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) return false;
  return true;
}

function makeNativeKernels(lib: Addon): Kernels {
  const last = new WeakMap<Float64Array, LastProduct>();
  const sparse = new WeakMap<Float64Array, Csr>();
  const transposed = new WeakMap<Float64Array, Csr>();
  onRelease((data) => {
    sparse.delete(data);
    transposed.delete(data);
    last.delete(data);
  });
  const csrOf = (a: Float64Array, rows: number, cols: number): Csr => {
    const cached = sparse.get(a);
    if (cached && cached.rows === rows && cached.cols === cols) return cached;
    const ptr = new Int32Array(rows + 1);
    const nnz = lib.csrCount(a, rows, cols, ptr);
    let csr: Csr | undefined;
    if (rows <= MAX_U16_INDEX && cols <= MAX_U16_INDEX) {
      const idx = new Uint16Array(nnz), val = new Uint8Array(nnz);
      if (lib.csrFillU8(a, rows, cols, ptr, idx, val, BYTE_DIVISOR)) csr = { rows, cols, ptr, bytes: true, idx, val };
    }
    if (!csr) {
      const idx = new Int32Array(nnz), val = new Float64Array(nnz);
      lib.csrFill(a, rows, cols, ptr, idx, val);
      csr = { rows, cols, ptr, bytes: false, idx, val };
    }
    sparse.set(a, csr);
    return csr;
  };
  /** out = c·b, or cᵀ·b with trans. */
  const csrProduct = (c: Csr, b: Float64Array, out: Float64Array, n: number, trans: boolean): void => {
    if (c.bytes) lib.csrGemmU8(c.ptr, c.idx, c.val, BYTE_DIVISOR, c.rows, c.cols, b, out, n, trans);
    else lib.csrGemm(c.ptr, c.idx, c.val, c.rows, c.cols, b, out, n, trans);
  };
  return {
    gemm(a, b, out, m, k, n, transA, transB) {
      if (!transB && isConstant(a)) {
        const seen = last.get(a);
        if (!transA && seen && seen.m === m && seen.n === n && sameValues(seen.b, b)) {
          out.set(seen.out);
          return;
        }
        gemmConstant(a, b, out, m, k, n, transA);
        constantProducts++;
        // Only X·W is asked twice (forward, then backward); Xᵀ·δ never is.
        if (!transA && m * n * 8 <= REMEMBER_BYTES) last.set(a, { b: b.slice(), out: out.slice(), m, n });
        return;
      }
      lib.gemm(a, b, out, m, k, n, transA, transB);
    },
    unary: (op, a, out) => lib.unary(op, a, out),
    binary: (op, mode, a, b, out, rows, cols) => lib.binary(op, mode, a, b, out, rows, cols),
  };

  /** a constant: its non-zeros are gathered once, then reused. */
  function gemmConstant(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number, transA: boolean): void {
    const [rows, cols] = transA ? [k, m] : [m, k];
    const c = csrOf(a, rows, cols);
    if (transA && k * n * 8 <= GATHER_TRANSPOSED_BYTES) {
      let t = transposed.get(a);
      if (!t || t.cols !== rows) transposed.set(a, (t = transposeCsr(c)));
      csrProduct(t, b, out, n, false);
      return;
    }
    csrProduct(c, b, out, n, transA);
  }
}

let constantProducts = 0;

/** Products of constant (read-only) data computed so far, those answered from memory left out: for tests. */
export function constantProductsComputed(): number {
  return constantProducts;
}

/** The native kernels, or undefined when the addon did not build. */
export const nativeKernels: Kernels | undefined = addon && makeNativeKernels(addon);

/** Threads the native kernels use (sets them with `count`); 1 without the addon. */
export function nativeThreads(count?: number): number {
  return addon ? addon.threads(count) : 1;
}
