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

function makeNativeKernels(lib: Addon): Kernels {
  const sparse = new WeakMap<Float64Array, Csr>();
  onRelease((data) => sparse.delete(data));
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
