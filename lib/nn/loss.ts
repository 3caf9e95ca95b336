import { Matrix } from "../array";

/** The small value added inside the logs, as the handout asks: ln(0) would be -Infinity. */
export const LOG_EPSILON = 1e-16;

/**
 * Consigne 3: the handout's cross-entropy,
 *   L(y, ŷ) = −1/N Σ_n Σ_k [ y ln(ŷ + 1e-16) + (1 − y) ln(1 − ŷ + 1e-16) ].
 */
export function evaluate_loss(y: Matrix, y_hat: Matrix): number {
  const N = y.rows;
  const pos = y.mul(y_hat.add(1e-16).log());
  const neg = y.rsub(1).mul(y_hat.rsub(1).add(1e-16).log());
  return -pos.add(neg).sum() / N;
}
