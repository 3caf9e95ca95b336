/**
 * Part 2: the two-layer network, a hidden tanh layer of Q units, consignes 10–14.
 *
 *   Z1 = X·W1 + b1    A1 = tanh(Z1)    Z2 = A1·W2 + b2    Ŷ = softmax(Z2)
 *
 * X is (N, D), W1 (D, Q), b1 (1, Q), W2 (Q, K), b2 (1, K).
 */
import { Matrix } from "../array/matrix";
import { addInPlace, dot, mul, sub, sum, tanhBackwardInPlace, tanhInPlace } from "../array/ops";
import { Random } from "../array/random";
import { softmax } from "./softmax";
import { gradient_descent } from "./descent";
import type { GradientDescentOptions, Network, TrainingResult } from "./descent";

export interface TwoLayersParameters {
  /** (D, Q) weights of the hidden layer. */
  W1: Matrix;
  /** (1, Q) biases of the hidden layer. */
  b1: Matrix;
  /** (Q, K) weights of the output layer. */
  W2: Matrix;
  /** (1, K) biases of the output layer. */
  b2: Matrix;
}

/**
 * Consigne 10: W1, b1, W2, b2 drawn at random with small values
 * (randn · 1e-3, as in part 1), for a hidden layer of Q units.
 */
export function init_two_layers_nn(D: number, Q: number, K: number, seed = 0): TwoLayersParameters {
  const rng = new Random(seed);
  const small = (r: number, c: number) => mul(rng.randn(r, c), 1e-3);
  return { W1: small(D, Q), b1: small(1, Q), W2: small(Q, K), b2: small(1, K) };
}

/** The hidden activations of each prediction, kept for the backward pass (δ2 needs A1). */
const forwardCache = new WeakMap<Matrix, { x: Matrix; a1: Matrix }>();

function checkParameters(x: Matrix, p: TwoLayersParameters, what: string): void {
  const { W1, b1, W2, b2 } = p;
  const bad = (msg: string) => { throw new RangeError(`${what}: ${msg}`); };
  if (x.cols !== W1.rows) bad(`x has ${x.cols} columns but W1 has ${W1.rows} rows; W1 must be (D, Q) with D = ${x.cols}`);
  if (b1.rows !== 1 || b1.cols !== W1.cols) bad(`b1 is (${b1.rows}, ${b1.cols}) but must be (1, Q) = (1, ${W1.cols})`);
  if (W2.rows !== W1.cols) bad(`W2 has ${W2.rows} rows but must have Q = ${W1.cols} (the columns of W1)`);
  if (b2.rows !== 1 || b2.cols !== W2.cols) bad(`b2 is (${b2.rows}, ${b2.cols}) but must be (1, K) = (1, ${W2.cols})`);
}

/** Consigne 11: Ŷ = softmax(tanh(X·W1 + b1)·W2 + b2). */
export function predict_two_layers_nn(X: Matrix, parameters: TwoLayersParameters): Matrix {
  checkParameters(X, parameters, "predict_two_layers_nn");
  // In place: each product is a fresh (N, Q) matrix, no need for another one.
  const a1 = tanhInPlace(addInPlace(dot(X, parameters.W1), parameters.b1));
  const y_hat = softmax(addInPlace(dot(a1, parameters.W2), parameters.b2));
  forwardCache.set(y_hat, { x: X, a1 });
  return y_hat;
}

/**
 * Consigne 12: the partial derivatives (dW1, db1, dW2, db2), with the
 * handout's factorisation (sums over the N samples, not means):
 *
 *   δ3 = Ŷ − Y                      dW2 = A1ᵀ·δ3    db2 = Σ_n δ3
 *   δ2 = (1 − tanh(Z1)²) ⊙ (δ3·W2ᵀ)   dW1 = Xᵀ·δ2     db1 = Σ_n δ2
 *
 * tanh(Z1) is A1, which the prediction that gave `y_hat` already computed:
 * it is reused, not recomputed (it is recomputed only for a `y_hat` that
 * `predict_two_layers_nn` did not make from this `x`).
 */
export function partial_derivative_two_layers_nn(
  x: Matrix, y: Matrix, y_hat: Matrix, parameters: TwoLayersParameters,
): [dW1: Matrix, db1: Matrix, dW2: Matrix, db2: Matrix] {
  checkParameters(x, parameters, "partial_derivative_two_layers_nn");
  const cached = forwardCache.get(y_hat);
  const a1 = cached && cached.x === x ? cached.a1 : tanhInPlace(addInPlace(dot(x, parameters.W1), parameters.b1));
  const delta3 = sub(y_hat, y);
  const delta2 = tanhBackwardInPlace(dot(delta3, parameters.W2, { transB: true }), a1); // (δ3·W2ᵀ) ⊙ (1 − A1²)
  return [dot(x, delta2, { transA: true }), sum(delta2, 0), dot(a1, delta3, { transA: true }), sum(delta3, 0)];
}

const twoLayers: Network<TwoLayersParameters> = {
  predict: predict_two_layers_nn,
  derivatives: partial_derivative_two_layers_nn,
  tensors: (p) => [p.W1, p.b1, p.W2, p.b2],
  copy: (p) => ({ W1: p.W1.clone(), b1: p.b1.clone(), W2: p.W2.clone(), b2: p.b2.clone() }),
};

/**
 * Consigne 13: batch gradient descent for the two-layer network. `parameters`
 * may be null: they are then drawn with `init_two_layers_nn` and `hidden_dim`
 * (the handout's signature has both); given parameters must have Q = hidden_dim.
 */
export function gradient_descent_two_layers_nn(
  x_train: Matrix,
  y_train: Matrix,
  parameters: TwoLayersParameters | null,
  hidden_dim = 100,
  num_passes = 2000,
  epsilon = 1e-3,
  options: GradientDescentOptions & { seed?: number } = {},
): TrainingResult<TwoLayersParameters> {
  const p = parameters ?? init_two_layers_nn(x_train.cols, hidden_dim, y_train.cols, options.seed ?? 0);
  if (p.W1.cols !== hidden_dim) {
    throw new RangeError(`gradient_descent_two_layers_nn: hidden_dim = ${hidden_dim} but W1 is (${p.W1.rows}, ${p.W1.cols}); pass hidden_dim = ${p.W1.cols} or parameters with Q = ${hidden_dim}`);
  }
  return gradient_descent(twoLayers, x_train, y_train, p, num_passes, epsilon, options, "gradient_descent_two_layers_nn");
}
