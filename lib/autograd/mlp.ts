/**
 * Consigne 20: `torch.nn.Module` in TypeScript. A module holds layers, lists
 * its trainable parameters, and computes its output in `forward`; `apply(x)`
 * stands for torch's `mlp(x)` (`__call__`): JavaScript objects cannot be
 * called like functions, and `apply` is TensorFlow.js's own name for it.
 */
import { tf } from "./backend";
import { Random } from "../array/random";
import type { Activation } from "./activation";
import { activate } from "./activation";
import { matMulData } from "./data-product";

export abstract class Module {
  /** The computation; `apply` calls it. */
  abstract forward(x: tf.Tensor2D): tf.Tensor2D;

  /** The trainable tensors of this module and of the modules it holds, like `.parameters()`. */
  parameters(): tf.Variable[] {
    const out: tf.Variable[] = [];
    for (const v of Object.values(this)) {
      if (v instanceof tf.Variable) out.push(v);
      else if (v instanceof Module) out.push(...v.parameters());
    }
    return out;
  }

  /** `mlp(x)` in torch: runs `forward`, freeing the intermediate tensors. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.forward(x));
  }

  /** Frees the parameters' memory. */
  dispose(): void {
    this.parameters().forEach((p) => p.dispose());
  }
}

/**
 * `torch.nn.Linear(inFeatures, outFeatures)`: x·W + b, initialised like torch,
 * uniform in ±1/√inFeatures (seeded). W is stored (in, out), so no transpose.
 */
export class Linear extends Module {
  readonly weight: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R2>;

  constructor(readonly inFeatures: number, readonly outFeatures: number, rng: Random = new Random(0)) {
    super();
    const bound = 1 / Math.sqrt(inFeatures);
    const uniform = (n: number) => Float32Array.from({ length: n }, () => (2 * rng.random() - 1) * bound);
    this.weight = tf.variable(tf.tensor2d(uniform(inFeatures * outFeatures), [inFeatures, outFeatures]), true);
    this.bias = tf.variable(tf.tensor2d(uniform(outFeatures), [1, outFeatures]), true);
  }

  forward(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.weight), this.bias);
  }

  /** The same for a first layer, whose input x is data: faster gradient (see matMulData). */
  forwardData(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(matMulData(x, this.weight), this.bias);
  }
}

/** The handout's MLP: two linear layers c1 (D → Q) and c2 (Q → K), relu, then softmax. */
export class MLP extends Module {
  readonly c1: Linear;
  readonly c2: Linear;

  constructor(D = 784, Q = 100, K = 3, readonly activation: Activation = "relu", seed = 0) {
    super();
    const rng = new Random(seed);
    this.c1 = new Linear(D, Q, rng);
    this.c2 = new Linear(Q, K, rng);
  }

  forward(x: tf.Tensor2D): tf.Tensor2D {
    return tf.softmax(this.c2.forward(activate(this.c1.forwardData(x), this.activation))) as tf.Tensor2D;
  }
}
