/**
 * Part 2: the two-layer network, a hidden tanh layer of Q units, consignes 10–14.
 *
 *   Z1 = X·W1 + b1    A1 = tanh(Z1)    Z2 = A1·W2 + b2    Ŷ = softmax(Z2)
 *
 * X is (N, D), W1 (D, Q), b1 (1, Q), W2 (Q, K), b2 (1, K).
 */
import { Matrix, np } from "../array";
import type { TwoLayersParameters } from "../workbook/parameters";

export type { TwoLayersParameters };
import { softmax } from "./softmax";
import { evaluate_loss } from "./loss";


/** Consigne 10: W1, b1, W2, b2 drawn at random with small values (randn · 1e-3); `seed` seeds `np.random` first. */
export function init_two_layers_nn(D: number, Q: number, K: number, seed?: number): TwoLayersParameters {
  if (seed !== undefined) np.random.seed(seed);
  const small = (rows: number, cols: number) => np.random.randn(rows, cols).mul(1e-3);
  return { W1: small(D, Q), b1: small(1, Q), W2: small(Q, K), b2: small(1, K) };
}

/** Consigne 11: Ŷ = softmax(tanh(X·W1 + b1)·W2 + b2). */
export function predict_two_layers_nn(X: Matrix, parameters: TwoLayersParameters): Matrix {
  const { W1, b1, W2, b2 } = parameters;
  const a1 = X.dot(W1).add(b1).tanh();
  return softmax(a1.dot(W2).add(b2));
}

/**
 * Consigne 12: the partial derivatives (dW1, db1, dW2, db2), factorised as
 * the handout says (sums over the N samples):
 *   δ3 = ŷ − y                        dW2 = a1ᵀ·δ3    db2 = Σ δ3
 *   δ2 = (1 − tanh(z1)²) ⊙ (δ3·W2ᵀ)     dW1 = xᵀ·δ2     db1 = Σ δ2
 */
export function partial_derivative_two_layers_nn(
  x: Matrix, y: Matrix, y_hat: Matrix, parameters: TwoLayersParameters,
): [Matrix, Matrix, Matrix, Matrix] {
  const { W1, b1, W2 } = parameters;
  const a1 = x.dot(W1).add(b1).tanh();   // tanh(z1), computed again: the signature does not bring it
  const delta3 = y_hat.sub(y);
  const delta2 = delta3.dot(W2.T).mul(a1.pow(2).rsub(1));
  return [x.T.dot(delta2), delta2.sum(0), a1.T.dot(delta3), delta3.sum(0)];
}

/**
 * Consigne 13: batch gradient descent for the two-layer network; null
 * parameters are drawn with Q = hidden_dim. Returns the trained parameters,
 * the training losses and, with x_test and y_test, the test losses.
 */
export function gradient_descent_two_layers_nn(
  x_train: Matrix, y_train: Matrix, parameters: TwoLayersParameters | null, hidden_dim = 100, num_passes = 2000, epsilon = 1e-3,
  x_test?: Matrix, y_test?: Matrix,
): [TwoLayersParameters, number[], number[]] {
  let p = parameters ?? init_two_layers_nn(x_train.cols, hidden_dim, y_train.cols);
  const losses: number[] = [];
  const test_losses: number[] = [];
  for (let i = 0; i < num_passes; i++) {
    const y_hat = predict_two_layers_nn(x_train, p);
    losses.push(evaluate_loss(y_train, y_hat));
    if (x_test && y_test) test_losses.push(evaluate_loss(y_test, predict_two_layers_nn(x_test, p)));
    const [dW1, db1, dW2, db2] = partial_derivative_two_layers_nn(x_train, y_train, y_hat, p);
    p = {
      W1: p.W1.sub(dW1.mul(epsilon)), b1: p.b1.sub(db1.mul(epsilon)),   // P = P − ε·dP
      W2: p.W2.sub(dW2.mul(epsilon)), b2: p.b2.sub(db2.mul(epsilon)),
    };
  }
  return [p, losses, test_losses];
}
