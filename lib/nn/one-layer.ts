/**
 * Part 1: the one-layer network (the output layer only), consignes 1–9.
 *
 *   Z = X·W + b      Ŷ = softmax(Z)
 *
 * X is (N, D), W is (D, K), b is (1, K), Ŷ is (N, K).
 */
import { Matrix, np } from "../array";
import type { OneLayerParameters } from "../workbook/parameters";

export type { OneLayerParameters };
import { softmax } from "./softmax";
import { evaluate_loss } from "./loss";


/**
 * Consigne 1: W and b drawn at random with small values,
 * `np.random.randn(D, K) * 1e-3`; `seed` seeds `np.random` first.
 */
export function init_one_layer_nn(D: number, K: number, seed?: number): OneLayerParameters {
  if (seed !== undefined) np.random.seed(seed);
  return { W: np.random.randn(D, K).mul(1e-3), b: np.random.randn(1, K).mul(1e-3) };
}

/** Consigne 2: Ŷ = softmax(X·W + b), one row of K probabilities per sample. */
export function predict_one_layer_nn(X: Matrix, parameters: OneLayerParameters): Matrix {
  const { W, b } = parameters;
  return softmax(X.dot(W).add(b));
}

/** Consigne 4: the partial derivatives (dW, db), through dL/dz = ŷ − y, summed over the N samples. */
export function partial_derivative_one_layer_nn(x: Matrix, y: Matrix, y_hat: Matrix, _parameters: OneLayerParameters): [Matrix, Matrix] {
  const dz = y_hat.sub(y);   // dL/dz = ŷ − y
  const dW = x.T.dot(dz);    // dz/dW = x: (D, K)
  const db = dz.sum(0);      // dz/db = 1: (1, K)
  return [dW, db];
}

/**
 * Consignes 5, 8, 9: batch gradient descent. Returns the trained parameters,
 * the training loss before each update and, with x_test and y_test, the test loss.
 */
export function gradient_descent_one_layer_nn(
  x_train: Matrix, y_train: Matrix, parameters: OneLayerParameters, num_passes = 200, epsilon = 1e-5,
  x_test?: Matrix, y_test?: Matrix,
): [OneLayerParameters, number[], number[]] {
  let { W, b } = parameters;
  const losses: number[] = [];
  const test_losses: number[] = [];
  for (let i = 0; i < num_passes; i++) {
    const y_hat = predict_one_layer_nn(x_train, { W, b });
    losses.push(evaluate_loss(y_train, y_hat));
    if (x_test && y_test) test_losses.push(evaluate_loss(y_test, predict_one_layer_nn(x_test, { W, b })));
    const [dW, db] = partial_derivative_one_layer_nn(x_train, y_train, y_hat, { W, b });
    W = W.sub(dW.mul(epsilon));   // W = W − ε·dW
    b = b.sub(db.mul(epsilon));   // b = b − ε·db
  }
  return [{ W, b }, losses, test_losses];
}
