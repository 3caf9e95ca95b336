/**
 * Part 2's backpropagation for the floored loss (lib/metrics/floor): the
 * two-layer gradients when δ3 is the exact ∂L/∂z2 rather than ŷ − y.
 */
import { Matrix } from "../array/matrix";
import { addInPlace, dot, sum, tanhBackwardInPlace, tanhInPlace } from "../array/ops";
import { flooredLossGradient } from "../metrics/floor";
import type { FlooredLoss } from "../metrics/floor";
import type { TwoLayersParameters } from "./two-layers";

/**
 * The two-layer network's gradients (dW1, db1, dW2, db2) of the floored loss,
 * in float64, summed over the samples like part 2's (N × the mean's gradient):
 * part 2's backpropagation with δ3 = N·∂L/∂z2 instead of ŷ − y.
 */
export function flooredTwoLayersGradient(x: Matrix, y: Matrix, parameters: TwoLayersParameters, loss: FlooredLoss = {}): [Matrix, Matrix, Matrix, Matrix] {
  const a1 = tanhInPlace(addInPlace(dot(x, parameters.W1), parameters.b1));
  const z2 = addInPlace(dot(a1, parameters.W2), parameters.b2);
  const delta3 = flooredLossGradient(y, z2, loss);
  for (let i = 0; i < delta3.data.length; i++) delta3.data[i] *= x.rows;
  const delta2 = tanhBackwardInPlace(dot(delta3, parameters.W2, { transB: true }), a1);
  return [dot(x, delta2, { transA: true }), sum(delta2, 0), dot(a1, delta3, { transA: true }), sum(delta3, 0)];
}
