/** The float32 kernels of the native addon (native/src/kernels_f32.h), when it has them. */
import { loadedAddon, nativeUnavailable } from "../array/native";

/** Codes of kernels_f32.h's Unary enum. */
export const UNARY = { tanh: 0, exp: 1, log: 2, relu: 3, neg: 4, square: 5, step: 6, sigmoid: 7 } as const;
export type UnaryName = keyof typeof UNARY;

/** Codes of kernels_f32.h's Binary enum. */
export const BINARY = { add: 0, sub: 1, mul: 2, div: 3 } as const;
export type BinaryName = keyof typeof BINARY;

/** How an operand of a broadcast op is laid out over the (rows, cols) output. */
export const enum Mode { Full = 0, Row = 1, Column = 2, Scalar = 3 }

export interface F32Addon {
  gemmF32(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): void;
  csrGemmF32(ptr: Int32Array, idx: Int32Array, val: Float32Array, m: number, k: number, b: Float32Array, out: Float32Array, n: number): void;
  unaryF32(op: number, a: Float32Array, out: Float32Array, alpha: number): void;
  binaryF32(op: number, modeA: Mode, modeB: Mode, a: Float32Array, b: Float32Array, out: Float32Array, rows: number, cols: number): void;
  sumF32(a: Float32Array, out: Float32Array, rows: number, cols: number, axis: 0 | 1): void;
  softmaxF32(a: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** The instruction-set variant of these kernels (absent from binaries built before they had variants). */
  isaF32?(): string;
}

const NAMES: readonly (keyof F32Addon)[] = ["gemmF32", "csrGemmF32", "unaryF32", "binaryF32", "sumF32", "softmaxF32"];

let f32: F32Addon | undefined;
let reason: string | undefined;
const loaded = loadedAddon() as Partial<F32Addon> | undefined;
if (!loaded) reason = `the native addon did not load (${nativeUnavailable()})`;
else if (NAMES.some((n) => typeof loaded[n] !== "function")) {
  // A binary built before kernels_f32.cc existed (an old build or prebuild).
  reason = "the native addon has no float32 kernels (built from older sources: NN_WORKBOOK_BUILD_FROM_SOURCE=1 npm install rebuilds it; npm run prebuilds refreshes prebuilds/)";
} else f32 = loaded as F32Addon;

/** The float32 kernels, or undefined (see f32Unavailable). */
export const f32Kernels: F32Addon | undefined = f32;

/** The instruction-set variant the float32 kernels run ("baseline" for a binary built before they had variants). */
export function f32Isa(): string | undefined {
  return f32 && (f32.isaF32 ? f32.isaF32() : "baseline");
}

/** Why the float32 kernels are not available (undefined when they are). */
export function f32Unavailable(): string | undefined {
  return reason;
}
