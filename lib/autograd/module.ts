/**
 * `torch.nn.Module` and `torch.nn.Linear` in TypeScript, on TensorFlow.js:
 * what torch gives the student for consigne 20. A module holds layers, lists
 * its trainable parameters, and computes its output in `forward`;
 * `apply(x)` stands for torch's `mlp(x)` (`__call__`): JavaScript objects
 * cannot be called like functions, and `apply` is TensorFlow.js's own name.
 */
import { tf } from "./backend";
import { np } from "../array/np";

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
 * uniform in ±1/√inFeatures, drawn from `np.random` (seed it with
 * `np.random.seed`, as `torch.manual_seed`). The weight is stored (in, out),
 * so no transpose.
 */
export class Linear extends Module {
  readonly weight: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R2>;

  constructor(readonly inFeatures: number, readonly outFeatures: number) {
    super();
    const bound = 1 / Math.sqrt(inFeatures);
    const uniform = (rows: number, cols: number) => tf.tensor2d(Float32Array.from(np.random.rand(rows, cols).data, (u) => (2 * u - 1) * bound), [rows, cols]);
    this.weight = tf.variable(uniform(inFeatures, outFeatures), true);
    this.bias = tf.variable(uniform(1, outFeatures), true);
  }

  forward(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.weight), this.bias);
  }
}
