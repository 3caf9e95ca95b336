/**
 * The native kernels: a C++ addon (native/src) built by `npm install` with
 * node-gyp, vectorised and run on every core. When it is missing (no
 * compiler at install time) the TypeScript kernels stay in use: slower,
 * same results.
 */
import { join } from "node:path";
import { isConstant, onRelease } from "./constant";
import type { BinaryOp, BroadcastMode, Kernels, UnaryOp } from "./kernels";

interface Addon {
  gemm(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean): void;
  csrCount(a: Float64Array, m: number, k: number, ptr: Int32Array): number;
  csrFill(a: Float64Array, m: number, k: number, ptr: Int32Array, idx: Int32Array, val: Float64Array): void;
  csrGemm(ptr: Int32Array, idx: Int32Array, val: Float64Array, m: number, k: number, b: Float64Array, out: Float64Array, n: number, trans: boolean): void;
  unary(op: UnaryOp, a: Float64Array, out: Float64Array): void;
  binary(op: BinaryOp, mode: BroadcastMode, a: Float64Array, b: Float64Array, out: Float64Array, rows: number, cols: number): void;
  threads(count?: number): number;
}

/** Where `npm install` puts the addon (from dist/lib/array or lib/array). */
export const ADDON_PATH = join(__dirname, "..", "..", "..", "native", "build", "Release", "nn_kernels.node");

let addon: Addon | undefined;
let loadError: string | undefined;
try {
  addon = require(ADDON_PATH) as Addon;
} catch (e) {
  loadError = `${ADDON_PATH}: ${(e as Error).message.split("\n")[0]}`;
}

/** The loaded addon itself (undefined when it is not): lib/tfjs-native reads its float32 kernels. */
export function loadedAddon(): object | undefined {
  return addon;
}

/** Why the addon is not available (undefined when it is). */
export function nativeUnavailable(): string | undefined {
  return loadError;
}

/** A (rows, cols) matrix in compressed sparse rows. */
interface Csr {
  rows: number;
  cols: number;
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

/** The CSR of the transpose (compressed sparse columns of the original), row indices in order. */
function transposeCsr(c: Csr): Csr {
  const ptr = new Int32Array(c.cols + 1);
  for (let q = 0; q < c.idx.length; q++) ptr[c.idx[q] + 1]++;
  for (let j = 0; j < c.cols; j++) ptr[j + 1] += ptr[j];
  const fill = ptr.slice(0, c.cols), idx = new Int32Array(c.idx.length), val = new Float64Array(c.idx.length);
  for (let i = 0; i < c.rows; i++) {
    for (let q = c.ptr[i]; q < c.ptr[i + 1]; q++) {
      const at = fill[c.idx[q]]++;
      idx[at] = i;
      val[at] = c.val[q];
    }
  }
  return { rows: c.cols, cols: c.rows, ptr, idx, val };
}

/**
 * Largest b (in bytes) for which aᵀ·b gathers rows of b along the transposed
 * CSR (each output row written once, by one thread) rather than scattering
 * the rows of a into per-thread outputs. Measured on Xᵀ·δ2 (2 cores, 1 MB of
 * L2 each): gathering wins for δ2 of 0.08 to 1.5 MB (0.23 → 0.13 ms,
 * 1.1 → 0.8 ms, 4.7 → 3.0 ms), scattering for 15 MB (20 against 25 ms).
 */
const GATHER_TRANSPOSED_BYTES = 4 * 1024 * 1024;

function makeNativeKernels(lib: Addon): Kernels {
  const sparse = new WeakMap<Float64Array, Csr>();
  const transposed = new WeakMap<Float64Array, Csr>();
  onRelease((data) => {
    sparse.delete(data);
    transposed.delete(data);
  });
  const csrOf = (a: Float64Array, rows: number, cols: number): Csr => {
    const cached = sparse.get(a);
    if (cached && cached.rows === rows && cached.cols === cols) return cached;
    const ptr = new Int32Array(rows + 1);
    const nnz = lib.csrCount(a, rows, cols, ptr);
    const csr = { rows, cols, ptr, idx: new Int32Array(nnz), val: new Float64Array(nnz) };
    lib.csrFill(a, rows, cols, ptr, csr.idx, csr.val);
    sparse.set(a, csr);
    return csr;
  };
  return {
    gemm(a, b, out, m, k, n, transA, transB) {
      if (!transB && isConstant(a)) {
        // a held constant: its non-zeros are gathered once, then reused.
        const [rows, cols] = transA ? [k, m] : [m, k];
        const c = csrOf(a, rows, cols);
        if (transA && k * n * 8 <= GATHER_TRANSPOSED_BYTES) {
          let t = transposed.get(a);
          if (!t || t.cols !== rows) transposed.set(a, (t = transposeCsr(c)));
          lib.csrGemm(t.ptr, t.idx, t.val, cols, rows, b, out, n, false);
          return;
        }
        lib.csrGemm(c.ptr, c.idx, c.val, rows, cols, b, out, n, transA);
        return;
      }
      lib.gemm(a, b, out, m, k, n, transA, transB);
    },
    unary: (op, a, out) => lib.unary(op, a, out),
    binary: (op, mode, a, b, out, rows, cols) => lib.binary(op, mode, a, b, out, rows, cols),
  };
}

/** The native kernels, or undefined when the addon did not build. */
export const nativeKernels: Kernels | undefined = addon && makeNativeKernels(addon);

/** Threads the native kernels use (sets them with `count`); 1 without the addon. */
export function nativeThreads(count?: number): number {
  return addon ? addon.threads(count) : 1;
}
