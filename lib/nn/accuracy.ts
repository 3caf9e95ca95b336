import { Matrix } from "../array";

/** Consigne 7: the ratio of right predictions (`.argmax(axis=1)` of ŷ against that of the one-hot y). */
export function accuracy(y: Matrix, y_hat: Matrix): number {
  return y_hat.argmax(1).equal(y.argmax(1)).mean();
}
