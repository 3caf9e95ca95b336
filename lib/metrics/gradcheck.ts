/**
 * Gradient checking by central finite differences: the oracle for the
 * hand-written (and autograd) gradients, in the tests and in the notebooks.
 */
import { Matrix } from "../array/matrix";

/** d f / d m, entry by entry, by central differences (m is restored). */
export function numericGradient(f: () => number, m: Matrix, h = 1e-6): Matrix {
  const g = new Matrix(m.rows, m.cols);
  for (let i = 0; i < m.size; i++) {
    const v = m.data[i];
    m.data[i] = v + h;
    const up = f();
    m.data[i] = v - h;
    const down = f();
    m.data[i] = v;
    g.data[i] = (up - down) / (2 * h);
  }
  return g;
}

/** ‖a − b‖ / max(‖a‖, ‖b‖): 0 for equal gradients, ~1 for unrelated ones. */
export function relativeError(a: Matrix, b: Matrix): number {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.size; i++) {
    d += (a.data[i] - b.data[i]) ** 2;
    na += a.data[i] ** 2;
    nb += b.data[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(na), Math.sqrt(nb), 1e-300);
}
