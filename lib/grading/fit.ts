/**
 * The checks' own training loop for a student's `Module` (the MLP of
 * consigne 20), used when the student's `gradient_descent_torch_optim` is
 * not there to train it: SGD with momentum 0.9 on the cross-entropy, through
 * the module's `parameters()` and `apply(x)` only. It runs where the object
 * lives: in the notebook for the self-check, in the grading sandbox for the
 * grader (server.ts). It decides nothing: the check reads the module's
 * weights and outputs before and after, and judges.
 */
import type * as tfjs from "@tensorflow/tfjs";

/** TensorFlow.js as the caller has it (the notebook's, the sandbox's or the grader's). */
export type FitTf = typeof tfjs;
export type FitTensor = tfjs.Tensor2D;

/** Passes and learning rate of the check's training run. */
export const FIT_PASSES = 30, FIT_EPSILON = 0.05;

/** Trains `model` in place for `passes` passes; throws a French message when it is not a trainable module. */
export function fixedFit(tf: FitTf, model: unknown, x: FitTensor, y: FitTensor, passes: number, epsilon: number): void {
  const m = model as { parameters?: unknown; apply?: unknown } | null;
  if (!m || typeof m.parameters !== "function" || typeof m.apply !== "function") {
    throw new Error("l'objet n'a pas de méthodes parameters() et apply(x) : MLP doit hériter de Module");
  }
  const params = (m.parameters as () => unknown).call(m);
  if (!Array.isArray(params) || params.length === 0 || !params.every((p) => p instanceof tf.Variable)) {
    throw new Error("mlp.parameters() doit renvoyer un tableau non vide de tf.Variable");
  }
  const apply = (v: tfjs.Tensor2D) => (m.apply as (v: tfjs.Tensor2D) => tfjs.Tensor2D).call(m, v);
  const optimizer = tf.train.momentum(epsilon, 0.9);
  try {
    for (let i = 0; i < passes; i++) {
      tf.tidy(() => {
        // Cross-entropy −mean(Σ y·log ŷ): the classes' probabilities, whatever loss the student wrote.
        optimizer.minimize(() => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(apply(x), 1e-7))), 1))) as tfjs.Scalar, false, params as tfjs.Variable[]);
      });
    }
  } catch (e) {
    // tfjs's words for parameters the output does not depend on (copies, detached tensors).
    if (/Cannot find a connection between any variable/.test(String(e))) {
      throw new Error("les tf.Variable de mlp.parameters() ne servent pas au calcul de mlp.apply(x) : parameters() doit donner les poids de c1 et c2 eux-mêmes, pas des copies");
    }
    throw e;
  } finally {
    optimizer.dispose();
  }
}
