/**
 * Part 1: the one-layer network (the output layer only), consignes 1–9.
 *
 *   Z = X·W + b      Ŷ = softmax(Z)
 *
 * X is (N, D), W is (D, K), b is (1, K), Ŷ is (N, K).
 */
import { Matrix } from "../array/matrix";
import { addInPlace, dot, mul, sub, sum } from "../array/ops";
import { Random } from "../array/random";
import { softmax } from "./softmax";
import { gradient_descent } from "./descent";
import type { GradientDescentOptions, Network, TrainingResult } from "./descent";

export interface OneLayerParameters {
  /** (D, K) weights. */
  W: Matrix;
  /** (1, K) biases. */
  b: Matrix;
}

/**
 * Consigne 1: W and b drawn at random with small values, like
 * `np.random.randn(D, K) * 1e-3`. The seed makes the run reproducible.
 */
export function init_one_layer_nn(D: number, K: number, seed = 0): OneLayerParameters {
  const rng = new Random(seed);
  return { W: mul(rng.randn(D, K), 1e-3), b: mul(rng.randn(1, K), 1e-3) };
}

function checkParameters(x: Matrix, { W, b }: OneLayerParameters, what: string): void {
  if (x.cols !== W.rows) throw new RangeError(`${what}: x has ${x.cols} columns but W has ${W.rows} rows; W must be (D, K) with D = ${x.cols}`);
  if (b.rows !== 1 || b.cols !== W.cols) throw new RangeError(`${what}: b is (${b.rows}, ${b.cols}) but must be (1, K) = (1, ${W.cols})`);
}

/** Consigne 2: Ŷ = softmax(X·W + b), one row of K probabilities per sample. */
export function predict_one_layer_nn(X: Matrix, parameters: OneLayerParameters): Matrix {
  checkParameters(X, parameters, "predict_one_layer_nn");
  return softmax(addInPlace(dot(X, parameters.W), parameters.b));
}

/**
 * Consigne 4: the partial derivatives (dW, db), through dL/dZ = Ŷ − Y
 * (softmax and cross-entropy together):
 *
 *   dW = Xᵀ·(Ŷ − Y)      db = Σ_n (Ŷ − Y)      (summed over the N samples, not averaged)
 */
export function partial_derivative_one_layer_nn(x: Matrix, y: Matrix, y_hat: Matrix, parameters: OneLayerParameters): [dW: Matrix, db: Matrix] {
  checkParameters(x, parameters, "partial_derivative_one_layer_nn");
  const dZ = sub(y_hat, y);
  return [dot(x, dZ, { transA: true }), sum(dZ, 0)];
}

const oneLayer: Network<OneLayerParameters> = {
  predict: predict_one_layer_nn,
  derivatives: partial_derivative_one_layer_nn,
  tensors: (p) => [p.W, p.b],
  copy: (p) => ({ W: p.W.clone(), b: p.b.clone() }),
};

/**
 * Consignes 5, 8, 9: batch gradient descent, W = W − ε·dW, b = b − ε·db,
 * recording the loss of every pass (and the test loss with `x_test`/`y_test`).
 */
export function gradient_descent_one_layer_nn(
  x_train: Matrix,
  y_train: Matrix,
  parameters: OneLayerParameters,
  num_passes = 200,
  epsilon = 1e-5,
  options: GradientDescentOptions = {},
): TrainingResult<OneLayerParameters> {
  return gradient_descent(oneLayer, x_train, y_train, parameters, num_passes, epsilon, options, "gradient_descent_one_layer_nn");
}
