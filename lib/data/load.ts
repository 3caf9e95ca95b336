/**
 * `load_data`, the handout's loader: the four files of a dataset as float64
 * matrices, x scaled to [0, 1], y one-hot with '1' → class 0, '7' → 1, '8' → 2.
 * It also takes the files a teacher brings: pixels as uint8 / float32 /
 * float64, labels as digits {1, 7, 8}, class ids {0, 1, 2} or one-hot, any N.
 */
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { Matrix } from "../array/matrix";
import { readNpy, NpyError } from "../npy/npy";
import type { NpyArray } from "../npy/npy";
import { DATASETS, DIGITS, FILES, buildDataset } from "./mnist";

export interface Dataset {
  /** (N, 784) training images, values in [0, 1]. */
  x_train: Matrix;
  /** (N, 3) one-hot training labels. */
  y_train: Matrix;
  /** (N', 784) test images. */
  x_test: Matrix;
  /** (N', 3) one-hot test labels. */
  y_test: Matrix;
}

/** The digit each class stands for: class k is the digit `CLASS_DIGITS[k]`. */
export const CLASS_DIGITS: readonly number[] = DIGITS;
const K = CLASS_DIGITS.length;
const D = 784;

/** The project's own data folder (`data/` at the repository root). */
export const DATA_DIR = resolve(__dirname, "..", "..", "..", "data");

/** Bad data: names the file and what is wrong with it. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}

/**
 * Loads x.npy, y.npy (train) and xt.npy, yt.npy (test).
 * `dataRepository` is either a folder holding those four files, or a folder
 * holding one sub-folder per named dataset (like the project's `data/`), in
 * which case `data` picks it; the full set is built from MNIST on first use.
 * The matrices are read-only (`.copy()` gives a writable one).
 */
export function load_data(dataRepository: string = DATA_DIR, data = "digit 3 classes"): Dataset {
  const dir = datasetFolder(dataRepository, data);
  const x_train = readImages(join(dir, "x.npy"));
  const x_test = readImages(join(dir, "xt.npy"));
  const y_train = readLabels(join(dir, "y.npy"), x_train.rows);
  const y_test = readLabels(join(dir, "yt.npy"), x_test.rows);
  // Read-only: data never changes, so the kernels keep a sparse copy of the images.
  return { x_train: x_train.freeze(), y_train: y_train.freeze(), x_test: x_test.freeze(), y_test: y_test.freeze() };
}

function datasetFolder(repo: string, data: string): string {
  if (!existsSync(repo)) throw new DataError(`${repo}: data folder not found; pass the folder that holds x.npy, y.npy, xt.npy and yt.npy`);
  if (!statSync(repo).isDirectory()) throw new DataError(`${repo}: not a folder; pass the folder that holds x.npy, y.npy, xt.npy and yt.npy`);
  if (FILES.some((f) => existsSync(join(repo, f)))) return repo; // the files themselves, e.g. a teacher's
  const spec = DATASETS[data];
  if (spec === undefined) {
    throw new DataError(`unknown dataset '${data}'; known: ${Object.keys(DATASETS).map((k) => `'${k}'`).join(", ")}`);
  }
  const dir = join(repo, spec.folder);
  if (!FILES.every((f) => existsSync(join(dir, f)))) {
    if (spec.committed) {
      throw new DataError(`${dir}: the shipped dataset is missing; restore it with 'git checkout -- data' or rebuild it with 'npm run data'`);
    }
    buildDataset(dir, spec); // e.g. the full set: 18 858 + 3 137 images, not committed
  }
  return dir;
}

function read(file: string): NpyArray {
  try {
    return readNpy(file);
  } catch (e) {
    if (e instanceof NpyError) throw new DataError(e.message);
    throw e;
  }
}

function readImages(file: string): Matrix {
  const a = read(file);
  const [n, ...rest] = a.shape;
  const d = rest.reduce((p, q) => p * q, 1);
  if (!((rest.length === 1 && rest[0] === D) || (rest.length === 2 && rest[0] === 28 && rest[1] === 28))) {
    throw new DataError(`${file}: images must have shape (N, 784) or (N, 28, 28), got (${a.shape.join(", ")})`);
  }
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    const v = a.data[i];
    if (Number.isNaN(v)) throw new DataError(`${file}: pixel ${i} (image ${Math.floor(i / d)}) is NaN; clean the data (np.nan_to_num) before loading`);
    if (!(v >= 0 && v <= 255)) throw new DataError(`${file}: pixel ${i} (image ${Math.floor(i / d)}) is ${v}, outside [0, 255]`);
    if (v > max) max = v;
  }
  // Pixels stored as 0–255 (uint8, or floats above 1) are scaled to [0, 1].
  if (a.dtype === "u1" || max > 1) for (let i = 0; i < a.data.length; i++) a.data[i] /= 255;
  return new Matrix(n, D, a.data);
}

function readLabels(file: string, n: number): Matrix {
  const a = read(file);
  const rows = a.shape[0];
  if (rows !== n) throw new DataError(`${file}: ${rows} labels for ${n} images; y and x must have the same number of rows`);
  if (a.shape.length === 2 && a.shape[1] === K) return oneHotChecked(file, a);
  if (!(a.shape.length === 1 || (a.shape.length === 2 && a.shape[1] === 1))) {
    throw new DataError(`${file}: labels must have shape (N,), (N, 1) or one-hot (N, ${K}), got (${a.shape.join(", ")})`);
  }
  const values = new Set(a.data);
  const asIds = [...values].every((v) => v === 0 || v === 1 || v === 2);
  const asDigits = [...values].every((v) => CLASS_DIGITS.includes(v));
  if (!asIds && !asDigits) {
    const bad = [...values].filter((v) => !CLASS_DIGITS.includes(v) && !(v >= 0 && v <= 2 && Number.isInteger(v)));
    throw new DataError(`${file}: unknown label(s) ${bad.slice(0, 5).join(", ")}; expected digits {${CLASS_DIGITS.join(", ")}} or class ids {0, 1, 2}`);
  }
  const y = new Matrix(rows, K);
  for (let i = 0; i < rows; i++) {
    const v = a.data[i];
    y.data[i * K + (asIds ? v : CLASS_DIGITS.indexOf(v))] = 1;
  }
  return y;
}

function oneHotChecked(file: string, a: NpyArray): Matrix {
  for (let i = 0; i < a.shape[0]; i++) {
    let ones = 0;
    for (let k = 0; k < K; k++) {
      const v = a.data[i * K + k];
      if (v === 1) ones++;
      else if (v !== 0) throw new DataError(`${file}: row ${i} is not one-hot (value ${v}); expected 0s and a single 1`);
    }
    if (ones !== 1) throw new DataError(`${file}: row ${i} is not one-hot (${ones} ones); expected exactly one 1 per row`);
  }
  return new Matrix(a.shape[0], K, a.data);
}
