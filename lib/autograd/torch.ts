/**
 * Part 3: the two-layer network again, with gradients from automatic
 * differentiation (consignes 15–19), on TensorFlow.js. The handout's torch
 * calls map as follows (notebook 3 has the full table):
 *
 *   torch.tensor(W, requires_grad=True)   →  tf.variable(toTensor(W))
 *   torch.mm(a, b)                        →  tf.matMul(a, b)
 *   torch.softmax(z, 1)                   →  tf.softmax(z)
 *   loss.backward(); W.grad               →  tf.variableGrads(() => loss).grads
 *   W -= ε·W.grad; W.grad.zero_()         →  W.assign(W − ε·grad) inside tf.tidy; nothing to zero
 *   torch.optim.SGD(params, lr, momentum) →  tf.train.momentum(lr, momentum)
 */
import { tf } from "./backend";
import { toTensor } from "./convert";
import { Module } from "./module";
import { init_two_layers_nn } from "../nn/two-layers";
import type { TwoLayersParameters } from "../workbook/parameters";
import type { Activation, TorchParameters } from "./types";

export type { Activation, TorchParameters };

/** Consigne 15: part 2's parameters (float64 matrices) as trainable float32 tensors. */
export function to_torch_parameters(parameters: TwoLayersParameters): TorchParameters {
  const { W1, b1, W2, b2 } = parameters;
  return { W1: tf.variable(toTensor(W1)), b1: tf.variable(toTensor(b1)), W2: tf.variable(toTensor(W2)), b2: tf.variable(toTensor(b2)) };
}

/** Consigne 16: ŷ = softmax(activation(x·W1 + b1)·W2 + b2), each row summing to 1. */
export function predict_two_layers_nn_torch(x: tf.Tensor2D, parameters: TorchParameters, activation: Activation = tf.tanh): tf.Tensor2D {
  const { W1, b1, W2, b2 } = parameters;
  const a1 = activation(tf.add(tf.matMul(x, W1), b1));
  return tf.softmax(tf.add(tf.matMul(a1, W2), b2)) as tf.Tensor2D;
}

/**
 * Consigne 17: −1/N Σ [y ln(ŷ + 1e-16) + (1 − y) ln(1 − ŷ + 1e-16)], a
 * scalar tensor autograd can derive. The 1e-16 changes ln(ŷ + 1e-16)
 * noticeably whenever ŷ ≲ 1e-15, not only at ŷ = 0: it bounds the loss, and
 * it also flattens it there (∂/∂ŷ ≤ 1e16), so a saturated softmax gets a
 * vanishing gradient (lib/autograd/saturation). In float32, 1 − ŷ rounds to 0
 * as soon as ŷ > 1 − 6e-8 and e^-104 underflows to 0: saturation comes sooner.
 */
export function evaluate_loss_torch(y: tf.Tensor2D, y_hat: tf.Tensor2D): tf.Scalar {
  const N = y.shape[0];
  const pos = tf.mul(y, tf.log(tf.add(y_hat, 1e-16)));
  const neg = tf.mul(tf.sub(1, y), tf.log(tf.add(tf.sub(1, y_hat), 1e-16)));
  return tf.div(tf.neg(tf.sum(tf.add(pos, neg))), N);
}

/**
 * Consigne 18: gradient descent with autograd's gradients, updated by hand
 * (W = W − ε·W.grad). Without a model, W1, b1, W2, b2 are drawn as in part 2.
 */
export function gradient_descent_torch(
  x_train: tf.Tensor2D, y_train: tf.Tensor2D, model: TorchParameters | null = null, hidden_dim = 100, num_passes = 200, epsilon = 1e-4,
  x_test?: tf.Tensor2D, y_test?: tf.Tensor2D, activation: Activation = tf.tanh,
): [TorchParameters, number[], number[]] {
  const p = model ?? to_torch_parameters(init_two_layers_nn(x_train.shape[1], hidden_dim, y_train.shape[1]));
  const losses: number[] = [];
  const test_losses: number[] = [];
  for (let i = 0; i < num_passes; i++) {
    tf.tidy(() => {   // frees every tensor made in the pass (torch frees them itself)
      const { value, grads } = tf.variableGrads(() => evaluate_loss_torch(y_train, predict_two_layers_nn_torch(x_train, p, activation)));
      losses.push(value.dataSync()[0]);
      if (x_test && y_test) test_losses.push(evaluate_loss_torch(y_test, predict_two_layers_nn_torch(x_test, p, activation)).dataSync()[0]);
      for (const W of Object.values(p)) W.assign(tf.sub(W, tf.mul(grads[W.name], epsilon)));   // W = W − ε·W.grad
    });
  }
  return [p, losses, test_losses];
}

/**
 * Consignes 19 and 20.4: the same descent with an SGD optimizer with
 * momentum 0.9 (torch.optim.SGD(params, lr=ε, momentum=0.9)), for the
 * parameters of consigne 15 or a Module such as the MLP.
 */
export function gradient_descent_torch_optim(
  x_train: tf.Tensor2D, y_train: tf.Tensor2D, model: TorchParameters | Module | null = null, hidden_dim = 100, num_passes = 200, epsilon = 1e-4,
  x_test?: tf.Tensor2D, y_test?: tf.Tensor2D,
): [TorchParameters | Module, number[], number[]] {
  const m = model ?? to_torch_parameters(init_two_layers_nn(x_train.shape[1], hidden_dim, y_train.shape[1]));
  const predict = (x: tf.Tensor2D) => (m instanceof Module ? m.forward(x) : predict_two_layers_nn_torch(x, m));
  const params = m instanceof Module ? m.parameters() : Object.values(m);
  const optimizer = tf.train.momentum(epsilon, 0.9);
  const losses: number[] = [];
  const test_losses: number[] = [];
  for (let i = 0; i < num_passes; i++) {
    tf.tidy(() => {
      const loss = optimizer.minimize(() => evaluate_loss_torch(y_train, predict(x_train)), true, params)!;   // backward() then step()
      losses.push(loss.dataSync()[0]);
      if (x_test && y_test) test_losses.push(evaluate_loss_torch(y_test, predict(x_test)).dataSync()[0]);
    });
  }
  optimizer.dispose();
  return [m, losses, test_losses];
}
