/**
 * Finding and loading the C++ addon (native/). Looked for, in order: the
 * file NN_WORKBOOK_ADDON names, a source build by `npm install`
 * (native/build/Release), then the binary shipped for this platform
 * (prebuilds/<platform>-<arch>, built by `npm run prebuild`). A file that
 * fails to load, or an old build without the `isa` export (built with
 * -march=native, which can die on another CPU), is passed over for the
 * next one.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BinaryOp, BroadcastMode, UnaryOp } from "./kernels";

export interface Addon {
  gemm(a: Float64Array, b: Float64Array, out: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean): void;
  csrCount(a: Float64Array, m: number, k: number, ptr: Int32Array): number;
  csrFill(a: Float64Array, m: number, k: number, ptr: Int32Array, idx: Int32Array, val: Float64Array): void;
  csrGemm(ptr: Int32Array, idx: Int32Array, val: Float64Array, m: number, k: number, b: Float64Array, out: Float64Array, n: number, trans: boolean): void;
  /** The byte form: returns false when a value is not an integer 1..255 / divisor (bit for bit). */
  csrFillU8(a: Float64Array, m: number, k: number, ptr: Int32Array, idx: Uint16Array, val: Uint8Array, divisor: number): boolean;
  csrGemmU8(ptr: Int32Array, idx: Uint16Array, val: Uint8Array, divisor: number, m: number, k: number, b: Float64Array, out: Float64Array, n: number, trans: boolean): void;
  unary(op: UnaryOp, a: Float64Array, out: Float64Array): void;
  binary(op: BinaryOp, mode: BroadcastMode, a: Float64Array, b: Float64Array, out: Float64Array, rows: number, cols: number): void;
  threads(count?: number): number;
  /** The instruction-set variant in use. */
  isa(): string;
  /** The variants this CPU runs, lowest first. */
  isas(): string[];
}

/** The instruction-set variants, lowest first; NN_WORKBOOK_ISA caps the choice to one of them. */
export const ISA_NAMES = ["baseline", "avx2", "avx512"] as const;

const ROOT = join(__dirname, "..", "..", "..");
/** Where `npm install` builds the addon from source. */
export const BUILD_PATH = join(ROOT, "native", "build", "Release", "nn_kernels.node");
/** The prebuilt binary for this platform (N-API: one file serves every Node ≥ 20). */
export const PREBUILD_PATH = join(ROOT, "prebuilds", `${process.platform}-${process.arch}`, "nn_kernels.napi.node");

export interface LoadedAddon {
  addon: Addon;
  path: string;
}

/** Loads the first usable addon; `errors` gets one line per file passed over. */
export function loadAddon(errors: string[]): LoadedAddon | undefined {
  const forced = process.env.NN_WORKBOOK_ADDON;
  const candidates = forced ? [forced] : [BUILD_PATH, PREBUILD_PATH];
  for (const path of candidates) {
    if (!forced && !existsSync(path)) continue;
    try {
      const addon = require(path) as Addon;
      if (typeof addon.isa !== "function") {
        errors.push(`${path}: built by an older version (with -march=native, unsafe on another CPU); run 'npm install' again`);
        continue;
      }
      return { addon, path };
    } catch (e) {
      errors.push(`${path}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  if (errors.length === 0) errors.push(`no addon at ${BUILD_PATH} (a C++ compiler is needed to build it) nor ${PREBUILD_PATH}`);
  return undefined;
}

/** A warning when NN_WORKBOOK_ISA holds no variant's name (the addon then ignores it). */
export function isaCapProblem(): string | undefined {
  const cap = process.env.NN_WORKBOOK_ISA;
  if (!cap || (ISA_NAMES as readonly string[]).includes(cap)) return undefined;
  return `NN_WORKBOOK_ISA=${cap} is not one of ${ISA_NAMES.join(", ")}: ignored (unset it, or pick one of those)`;
}
