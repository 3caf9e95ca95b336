/**
 * Tensors a student's loop forgets to free: TensorFlow.js, unlike torch,
 * frees a tensor only inside `tf.tidy` or with `dispose()`. A loop that
 * leaks a few tensors per pass runs out of memory minutes later with an
 * error that says nothing of it ("memory access out of bounds"); this
 * check says it after two slices of passes instead.
 */
import { tf } from "./backend";
import type { DescentStep } from "../training/train";

/** `step`, failing with a French message when the tensors in memory grow from one call to the next. */
export function sans_fuite<P>(step: DescentStep<P>, what: string): DescentStep<P> {
  let calls = 0;
  return (parameters, num_passes) => {
    const before = tf.memory().numTensors;
    const out = step(parameters, num_passes);
    const grown = tf.memory().numTensors - before;
    // The first call may create what stays (parameters, an optimizer's state).
    if (calls++ > 0 && grown > 0) {
      const per = Math.max(1, Math.round(grown / Math.max(1, num_passes)));
      throw new Error(`${what} : ${per} tenseur${per > 1 ? "s" : ""} de plus à chaque passe (${grown} en ${num_passes} passes) : TensorFlow.js ne libère un tenseur que dans tf.tidy(() => …) ou avec .dispose(). Mettez le corps de la boucle dans tf.tidy, sinon la mémoire finit par manquer (« memory access out of bounds »).`);
    }
    return out;
  };
}
