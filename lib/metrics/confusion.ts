import { Matrix } from "../array/matrix";
import { argmax } from "../array/ops";

/**
 * Counts of (true class, predicted class) pairs: `counts[t][p]` test samples
 * of class t were predicted as p. The diagonal holds the right predictions.
 */
export function confusion_matrix(y: Matrix, y_hat: Matrix): number[][] {
  if (y.rows !== y_hat.rows || y.cols !== y_hat.cols) {
    throw new RangeError(`confusion_matrix: labels ${y.rows}×${y.cols} and predictions ${y_hat.rows}×${y_hat.cols} differ in shape`);
  }
  const truth = argmax(y), predicted = argmax(y_hat);
  const counts = Array.from({ length: y.cols }, () => new Array<number>(y.cols).fill(0));
  for (let i = 0; i < truth.length; i++) counts[truth[i]][predicted[i]]++;
  return counts;
}

/** A wrongly predicted sample: its row, true and predicted class, and the probability given to the prediction. */
export interface Mistake {
  index: number;
  truth: number;
  predicted: number;
  confidence: number;
}

/** The wrongly predicted samples, the most confident mistakes first. */
export function misclassified(y: Matrix, y_hat: Matrix): Mistake[] {
  if (y.rows !== y_hat.rows) throw new RangeError(`misclassified: ${y.rows} labels for ${y_hat.rows} predictions`);
  const truth = argmax(y), predicted = argmax(y_hat);
  const out: Mistake[] = [];
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] !== predicted[i]) out.push({ index: i, truth: truth[i], predicted: predicted[i], confidence: y_hat.get(i, predicted[i]) });
  }
  return out.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
}
