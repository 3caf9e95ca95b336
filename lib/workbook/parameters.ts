/** The parameter sets of the handout's networks, and a copy helper for the notebooks. */
import type { Matrix } from "../array";

/** Part 1: W (D, K) and b (1, K). */
export interface OneLayerParameters {
  W: Matrix;
  b: Matrix;
}

/** Part 2: W1 (D, Q), b1 (1, Q), W2 (Q, K), b2 (1, K). */
export interface TwoLayersParameters {
  W1: Matrix;
  b1: Matrix;
  W2: Matrix;
  b2: Matrix;
}

/**
 * A copy of each matrix of a parameter set: every training of a notebook
 * starts from the same initial values, even when a descent updates the
 * parameters it is given in place.
 */
export function copie<P extends object>(parameters: P): P {
  return Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, (v as Matrix).copy()])) as P;
}
