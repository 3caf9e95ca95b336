import type { tf } from "./backend";

/** W1, b1, W2, b2 as trainable tensors (torch's requires_grad=True). */
export interface TorchParameters {
  W1: tf.Variable<tf.Rank.R2>;
  b1: tf.Variable<tf.Rank.R2>;
  W2: tf.Variable<tf.Rank.R2>;
  b2: tf.Variable<tf.Rank.R2>;
}

/** An activation: tf.tanh (the handout's) or tf.relu (consigne 18.9). */
export type Activation = (z: tf.Tensor2D) => tf.Tensor2D;
