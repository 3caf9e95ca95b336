/**
 * .npy files, read and written through npyjs. npyjs does the decoding; this
 * module adds what a student's or a teacher's file needs: an error that names
 * the file and says what is wrong (not a NumPy file, truncated, big-endian,
 * unsupported dtype), Fortran order, and 64-bit integers as plain numbers.
 */
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { parse, dump } from "npyjs";
import type { DType } from "npyjs";
import { Matrix } from "../array/matrix";

/** The dtypes accepted for pixels and labels (little-endian or byte-sized). */
export type NpyDtype = "u1" | "i1" | "u2" | "i2" | "u4" | "i4" | "u8" | "i8" | "f4" | "f8" | "b1";

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** Values in C (row-major) order. */
  data: Float64Array;
}

const SUPPORTED: readonly string[] = ["u1", "i1", "u2", "i2", "u4", "i4", "u8", "i8", "f4", "f8", "b1"];
const MAGIC = "\x93NUMPY";

/** A file that is not a usable .npy array. */
export class NpyError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "NpyError";
  }
}

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

function readHeader(file: string, bytes: Uint8Array): Header {
  const magic = String.fromCharCode(...bytes.subarray(0, 6));
  if (bytes.length < 10 || magic !== MAGIC) {
    throw new NpyError(file, "not a NumPy .npy file (it does not start with \\x93NUMPY); save arrays with np.save(path, array)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const [len, start] = major === 1 ? [view.getUint16(8, true), 10] : bytes.length >= 12 ? [view.getUint32(8, true), 12] : [-1, 12];
  if (major < 1 || major > 3) throw new NpyError(file, `unsupported .npy format version ${major}.${bytes[7]}`);
  if (len < 0 || start + len > bytes.length) throw new NpyError(file, "truncated: the header is cut short");
  const text = new TextDecoder().decode(bytes.subarray(start, start + len));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyError(file, `malformed .npy header: ${JSON.stringify(text.trim())}`);
  }
  const shape = shapeText.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyError(file, `malformed shape (${shapeText})`);
  return { descr, fortranOrder: fortran === "True", shape, dataOffset: start + len };
}

/** Reads a .npy file into float64 values, with a clear error on anything unusable. */
export function readNpy(file: string): NpyArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NpyError(file, code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a directory, not a .npy file" : `cannot read (${code ?? String(e)})`);
  }
  const h = readHeader(file, bytes);
  const order = h.descr[0];
  const code = "<|=".includes(order) ? h.descr.slice(1) : h.descr;
  if (order === ">" && code.slice(1) !== "1") {
    throw new NpyError(file, `big-endian data ('${h.descr}') is not supported; convert it with np.save(path, array.astype(array.dtype.newbyteorder('<')))`);
  }
  if (!SUPPORTED.includes(code)) {
    throw new NpyError(file, `unsupported dtype '${h.descr}'; use integers, booleans or float32/float64 (e.g. array.astype(np.float64))`);
  }
  const count = h.shape.reduce((a, b) => a * b, 1);
  const itemSize = code === "b1" ? 1 : Number(code.slice(1));
  const expected = h.dataOffset + count * itemSize;
  if (bytes.length < expected) {
    throw new NpyError(file, `truncated: shape (${h.shape.join(", ")}) needs ${expected} bytes, the file has ${bytes.length}`);
  }
  // npyjs needs its own aligned ArrayBuffer holding exactly the array.
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + expected) as ArrayBuffer;
  let raw: ArrayLike<number | bigint | boolean>;
  try {
    raw = parse(buf).data as unknown as ArrayLike<number | bigint | boolean>;
  } catch (e) {
    throw new NpyError(file, `cannot decode the data (${(e as Error).message})`);
  }
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = Number(raw[i]);
  return { dtype: code as NpyDtype, shape: h.shape, data: h.fortranOrder ? toCOrder(data, h.shape) : data };
}

function toCOrder(data: Float64Array, shape: number[]): Float64Array {
  if (shape.length < 2) return data;
  if (shape.length > 2) throw new Error("Fortran-order arrays of more than 2 dimensions are not supported");
  const [r, c] = shape;
  const out = new Float64Array(data.length);
  for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) out[i * c + j] = data[j * r + i];
  return out;
}

export type WritableArray = Float64Array | Float32Array | Uint8Array | Int32Array;

const DTYPE_OF = (a: WritableArray): DType =>
  a instanceof Float64Array ? "f8" : a instanceof Float32Array ? "f4" : a instanceof Uint8Array ? "u1" : "i4";

/**
 * Writes a .npy file (through a temporary file and a rename, so a reader
 * never sees a half-written array).
 */
export function writeNpy(file: string, data: WritableArray, shape: readonly number[]): void {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`writeNpy: ${data.length} values do not fill shape (${shape.join(", ")})`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, new Uint8Array(dump(data, [...shape], { dtype: DTYPE_OF(data) })));
  renameSync(tmp, file);
}

/** Writes a matrix as a float64 (rows, cols) .npy file. */
export function saveMatrix(file: string, m: Matrix): void {
  writeNpy(file, m.data, [m.rows, m.cols]);
}

/** Reads a 1-D or 2-D .npy file as a float64 matrix ((n,) becomes (1, n)). */
export function loadMatrix(file: string): Matrix {
  const a = readNpy(file);
  if (a.shape.length === 1) return new Matrix(1, a.shape[0], a.data);
  if (a.shape.length === 2) return new Matrix(a.shape[0], a.shape[1], a.data);
  throw new NpyError(file, `expected a 1-D or 2-D array, got shape (${a.shape.join(", ")})`);
}
