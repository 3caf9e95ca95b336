import { Matrix } from "../array/matrix";
import { argmax } from "../array/ops";

/**
 * Consigne 7: the ratio of right predictions, comparing `.argmax(axis=1)` of
 * the predicted probabilities with that of the one-hot labels.
 */
export function accuracy(y: Matrix, y_hat: Matrix): number {
  if (y.rows !== y_hat.rows) throw new RangeError(`accuracy: ${y.rows} labels for ${y_hat.rows} predictions`);
  const truth = argmax(y), predicted = argmax(y_hat);
  let right = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) right++;
  return y.rows === 0 ? 0 : right / y.rows;
}
