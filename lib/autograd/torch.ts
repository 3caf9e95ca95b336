/**
 * Part 3: the two-layer network again, with gradients from automatic
 * differentiation (consignes 15–19). The handout's torch calls map to
 * TensorFlow.js as follows:
 *
 *   torch.tensor(W, requires_grad=True)  →  tf.variable(tensor)       (trainable)
 *   torch.mm(a, b)                       →  tf.matMul(a, b)
 *   torch.softmax(z, 1)                  →  tf.softmax(z)              (last axis)
 *   torch.sum / torch.mul / torch.log    →  tf.sum / tf.mul / tf.log
 *   loss.backward(); W.grad              →  tf.variableGrads(() => loss).grads
 *   W.grad.zero_()                       →  nothing: gradients are returned, never accumulated
 *   torch.optim.SGD(params, lr, momentum) → tf.train.momentum(lr, momentum)
 */
import { tf } from "./backend";
import { toTensor } from "./convert";
import { matMulData } from "./data-product";
import { LOG_EPSILON } from "../nn/loss";
import { init_two_layers_nn } from "../nn/two-layers";
import type { TwoLayersParameters } from "../nn/two-layers";
import { Matrix } from "../array/matrix";
import { activate } from "./activation";
import type { Activation } from "./activation";

export { activate };
export type { Activation };


/** W1, b1, W2, b2 as trainable tensors (torch's requires_grad=True). */
export interface TorchParameters {
  W1: tf.Variable<tf.Rank.R2>;
  b1: tf.Variable<tf.Rank.R2>;
  W2: tf.Variable<tf.Rank.R2>;
  b2: tf.Variable<tf.Rank.R2>;
}

/** Consigne 15: part 2's parameters (float64 matrices) as trainable float32 tensors. */
export function to_torch_parameters(p: TwoLayersParameters): TorchParameters {
  const v = (m: Matrix, name: string) => tf.variable(toTensor(m), true, `${name}_${++variables}`);
  return { W1: v(p.W1, "W1"), b1: v(p.b1, "b1"), W2: v(p.W2, "W2"), b2: v(p.b2, "b2") };
}
let variables = 0;

/** Consigne 15 in one call: init as in part 2 (randn · 1e-3, seeded), then tensors. */
export function init_two_layers_nn_torch(D: number, Q: number, K: number, seed = 0): TorchParameters {
  return to_torch_parameters(init_two_layers_nn(D, Q, K, seed));
}

/** Frees the tensors of a parameter set. */
export function dispose_parameters(p: TorchParameters): void {
  Object.values(p).forEach((t: tf.Variable) => t.dispose());
}


/** Consigne 16: Ŷ = softmax(act(x·W1 + b1)·W2 + b2), each row summing to 1. */
export function predict_two_layers_nn_torch(x: tf.Tensor2D, parameters: TorchParameters, activation: Activation = "tanh"): tf.Tensor2D {
  return tf.tidy(() => {
    const { W1, b1, W2, b2 } = parameters;
    const a1 = activate(tf.add(matMulData(x, W1), b1), activation); // tf.matMul(x, W1), with a faster gradient
    return tf.softmax(tf.add(tf.matMul(a1, W2), b2)) as tf.Tensor2D;
  });
}

/**
 * Consigne 17: the handout's loss, as a scalar tensor that autograd can derive:
 * −1/N Σ [y ln(ŷ + 1e-16) + (1 − y) ln(1 − ŷ + 1e-16)].
 *
 * Note: in float32, 1 + 1e-16 is 1, so the 1e-16 protects only ŷ = 0
 * exactly… which float32 reaches sooner than float64 (e^-104 underflows).
 */
export function evaluate_loss_torch(y: tf.Tensor2D, y_hat: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const pos = tf.mul(y, tf.log(tf.add(y_hat, LOG_EPSILON)));
    const neg = tf.mul(tf.sub(1, y), tf.log(tf.add(tf.sub(1, y_hat), LOG_EPSILON)));
    return tf.div(tf.neg(tf.sum(tf.add(pos, neg))), y.shape[0]);
  });
}

/** −1/N Σ y ln(ŷ + 1e-16): the loss whose gradient is part 2's hand-written one divided by N. */
export function categorical_cross_entropy_torch(y: tf.Tensor2D, y_hat: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.div(tf.neg(tf.sum(tf.mul(y, tf.log(tf.add(y_hat, LOG_EPSILON))))), y.shape[0]));
}
