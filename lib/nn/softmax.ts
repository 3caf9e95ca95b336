import { Matrix } from "../array/matrix";
import { expInPlace } from "../array/ops";

/**
 * softmax(z)_j = e^{z_j} / Σ_j' e^{z_j'}, row by row: each row of the result
 * is a vector of "probabilities" (values in [0, 1] that sum to 1).
 *
 * The row's maximum is subtracted first: softmax(z) = softmax(z − max z)
 * mathematically, and it keeps e^z from overflowing to Infinity (z = 1000
 * would give Infinity / Infinity = NaN).
 */
export function softmax(z: Matrix): Matrix {
  const out = new Matrix(z.rows, z.cols);
  const k = z.cols, zd = z.data, od = out.data;
  for (let i = 0; i < z.rows; i++) {
    const r = i * k;
    let max = -Infinity;
    for (let j = 0; j < k; j++) if (zd[r + j] > max) max = zd[r + j];
    for (let j = 0; j < k; j++) od[r + j] = zd[r + j] - max;
  }
  expInPlace(out); // e^(z − max z), all rows at once
  for (let i = 0; i < z.rows; i++) {
    const r = i * k;
    let s = 0;
    for (let j = 0; j < k; j++) s += od[r + j];
    for (let j = 0; j < k; j++) od[r + j] /= s;
  }
  return out;
}
