import { Matrix } from "../array";

/** The small value the handout adds inside the logs. */
const LOG_EPSILON = 1e-16;

/**
 * The categorical cross-entropy −1/N Σ_n Σ_k y ln(ŷ + 1e-16): the loss whose
 * gradient through softmax is exactly (ŷ − y)/N. Used to check gradients.
 */
export function categorical_cross_entropy(y: Matrix, y_hat: Matrix): number {
  return -y.mul(y_hat.add(LOG_EPSILON).log()).sum() / y.rows;
}
