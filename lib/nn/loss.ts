import { Matrix } from "../array/matrix";
import { add, addInPlace, logInPlace, mul } from "../array/ops";

/** The small value added inside the logs, as the handout asks: ln(0) would be -Infinity. */
export const LOG_EPSILON = 1e-16;

function checkShapes(name: string, y: Matrix, y_hat: Matrix): void {
  if (y.rows !== y_hat.rows || y.cols !== y_hat.cols) {
    throw new RangeError(`${name}: y is (${y.rows}, ${y.cols}) but y_hat is (${y_hat.rows}, ${y_hat.cols}); they must have the same shape`);
  }
}

/**
 * The handout's cross-entropy (consigne 3):
 *
 *   L(y, ŷ) = −1/N Σ_n Σ_k [ y ln(ŷ + 1e-16) + (1 − y) ln(1 − ŷ + 1e-16) ]
 *
 * The second term is the binary cross-entropy's; with softmax outputs and
 * one-hot y it also penalises the probability given to wrong classes.
 */
export function evaluate_loss(y: Matrix, y_hat: Matrix): number {
  checkShapes("evaluate_loss", y, y_hat);
  const logP = logInPlace(add(y_hat, LOG_EPSILON)).data; // ln(ŷ + 1e-16)
  const logQ = logInPlace(addInPlace(addInPlace(mul(y_hat, -1), 1), LOG_EPSILON)).data; // ln(1 − ŷ + 1e-16)
  const yd = y.data;
  let s = 0;
  for (let i = 0; i < yd.length; i++) s += yd[i] * logP[i] + (1 - yd[i]) * logQ[i];
  return -s / y.rows;
}

/**
 * The categorical cross-entropy −1/N Σ_n Σ_k y ln(ŷ + 1e-16): the loss whose
 * gradient through softmax is exactly (ŷ − y)/N. Used to check gradients.
 */
export function categorical_cross_entropy(y: Matrix, y_hat: Matrix): number {
  checkShapes("categorical_cross_entropy", y, y_hat);
  const yd = y.data, pd = y_hat.data;
  let s = 0;
  for (let i = 0; i < yd.length; i++) if (yd[i] !== 0) s += yd[i] * Math.log(pd[i] + LOG_EPSILON);
  return -s / y.rows;
}
