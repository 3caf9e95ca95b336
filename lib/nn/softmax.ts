import { Matrix } from "../array";

/**
 * Consigne 2: softmax(z)_j = e^{z_j} / Σ_j' e^{z_j'}, row by row: each row of
 * the result holds K "probabilities" (in [0, 1], summing to 1).
 */
export function softmax(z: Matrix): Matrix {
  // The same softmax with each row's maximum subtracted: e^z no longer overflows (z = 1000).
  const e = z.sub(z.max(1)).exp();
  return e.div(e.sum(1));
}
