import { tf } from "./backend";
import { Linear, Module } from "./module";

/** Consigne 20: two linear layers c1 (D → Q) and c2 (Q → K), relu, then softmax. */
export class MLP extends Module {
  readonly c1: Linear;
  readonly c2: Linear;

  constructor(D = 784, Q = 100, K = 3) {
    super();
    this.c1 = new Linear(D, Q);
    this.c2 = new Linear(Q, K);
  }

  forward(x: tf.Tensor2D): tf.Tensor2D {
    return tf.softmax(this.c2.forward(tf.relu(this.c1.forward(x))));
  }
}
