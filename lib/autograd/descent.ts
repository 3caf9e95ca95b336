/**
 * Consignes 18–20: gradient descent with the gradients from automatic
 * differentiation, either updated by hand (consigne 18) or by an SGD
 * optimizer with momentum (consigne 19), for the function-style network of
 * consigne 16 or for a `Module` such as the MLP of consigne 20.
 */
import { performance } from "node:perf_hooks";
import { tf } from "./backend";
import { Module } from "./mlp";
import { evaluate_loss_torch, init_two_layers_nn_torch, predict_two_layers_nn_torch } from "./torch";
import type { Activation, TorchParameters } from "./torch";
import { LossWatch, checkTrainingArgs } from "../nn/descent";
import type { PassInfo, TrainingHistory } from "../nn/descent";

export type Optimizer = "gd" | "momentum";

export interface TorchDescentOptions {
  x_test?: tf.Tensor2D;
  y_test?: tf.Tensor2D;
  /** Hidden activation of the function-style network (a Module has its own). */
  activation?: Activation;
  /** "gd": W -= ε·W.grad by hand (consigne 18); "momentum": tf.train.momentum, like torch.optim.SGD(momentum=0.9) (consigne 19). */
  optimizer?: Optimizer;
  momentum?: number;
  /** Seed of the parameters drawn when no model is given. */
  seed?: number;
  /** The loss to derive (default: the handout's, consigne 17). */
  loss?: (y: tf.Tensor2D, y_hat: tf.Tensor2D) => tf.Scalar;
  onPass?: (info: PassInfo) => void;
  quiet?: boolean;
  continue_on_divergence?: boolean;
}

export interface TorchTrainingResult<M> extends TrainingHistory {
  /** The trained model: the parameters (or Module) passed in, updated in place, or new ones. */
  model: M;
}

/** Predicts with either kind of model. */
export function predict_torch(model: TorchParameters | Module, x: tf.Tensor2D, activation: Activation = "tanh"): tf.Tensor2D {
  return model instanceof Module ? model.apply(x) : predict_two_layers_nn_torch(x, model, activation);
}

/**
 * Consigne 18: `gradient_descent_torch(x_train, y_train, model=None,
 * hidden_dim=100, num_passes=200, epsilon=1e-4)`. Without a model, W1, b1,
 * W2, b2 are drawn as in part 2 (consigne 15). The model is trained in place
 * (tensors are updated with `assign`), as torch does.
 */
export function gradient_descent_torch<M extends TorchParameters | Module>(
  x_train: tf.Tensor2D,
  y_train: tf.Tensor2D,
  model?: M | null,
  hidden_dim = 100,
  num_passes = 200,
  epsilon = 1e-4,
  options: TorchDescentOptions = {},
): TorchTrainingResult<M | TorchParameters> {
  const what = "gradient_descent_torch";
  checkTrainingArgs(what, x_train.shape[0], y_train.shape[0], num_passes, epsilon);
  const m: M | TorchParameters = model ?? init_two_layers_nn_torch(x_train.shape[1], hidden_dim, y_train.shape[1], options.seed ?? 0);
  const params: tf.Variable[] = m instanceof Module ? m.parameters() : [m.W1, m.b1, m.W2, m.b2];
  const activation = options.activation ?? "tanh";
  const lossOf = options.loss ?? evaluate_loss_torch;
  const forward = (x: tf.Tensor2D) => (m instanceof Module ? m.forward(x) : predict_two_layers_nn_torch(x, m, activation));
  const f = () => lossOf(y_train, forward(x_train));
  const optimizer = options.optimizer === "momentum" ? tf.train.momentum(epsilon, options.momentum ?? 0.9) : undefined;
  const watch = new LossWatch(what, epsilon, x_train.shape[0], options, false);
  const train_loss: number[] = [], test_loss: number[] = [];
  let stopped: string | undefined;
  let passes = 0;
  const started = performance.now();
  for (let i = 0; i < num_passes; i++) {
    let loss: number;
    if (optimizer) {
      // Consigne 19: the optimizer derives, then steps; nothing to zero.
      const cost = optimizer.minimize(f, true, params)!;
      loss = cost.dataSync()[0];
      cost.dispose();
    } else {
      // Consigne 18: loss.backward() gives the gradients; W -= ε · W.grad.
      const { value, grads } = tf.variableGrads(f, params);
      loss = value.dataSync()[0];
      tf.tidy(() => params.forEach((p) => p.assign(tf.sub(p, tf.mul(grads[p.name], epsilon)))));
      value.dispose();
      tf.dispose(grads); // fresh gradients every pass: this is torch's W.grad.zero_()
    }
    // The loss was computed before the update, like parts 1 and 2.
    train_loss.push(loss);
    const tl = options.x_test && options.y_test ? tf.tidy(() => lossOf(options.y_test!, forward(options.x_test!)).dataSync()[0]) : undefined;
    if (tl !== undefined) test_loss.push(tl);
    options.onPass?.({ pass: i, num_passes, train_loss: loss, test_loss: tl });
    passes++;
    stopped = watch.check(i, loss);
    if (stopped) break;
  }
  if (optimizer) {
    optimizer.dispose();
    // tfjs 4.22's MomentumOptimizer.dispose forgets the learning-rate scalar
    // its parent SGDOptimizer keeps: one tensor leaked per training run.
    tf.SGDOptimizer.prototype.dispose.call(optimizer);
  }
  if (stopped && !options.quiet) console.warn(stopped);
  const ms_per_pass = train_loss.length ? (performance.now() - started) / train_loss.length : 0;
  return { model: m, train_loss, test_loss, passes, stopped, diverged_at: watch.diverged_at, ms_per_pass };
}
