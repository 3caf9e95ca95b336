/** The hidden layer's activation, shared by the function-style network and the MLP (which must not need torch.ts). */
import { tf } from "./backend";

export type Activation = "tanh" | "relu";

/** The hidden layer's activation: tanh (the handout's) or relu (consigne 18.9). */
export function activate(z: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  return activation === "relu" ? tf.relu(z) : tf.tanh(z);
}
