/**
 * TensorFlow.js, the TypeScript counterpart of the handout's torch. Its
 * WebAssembly backend (SIMD) is ~30× faster than the pure-JS `cpu` one;
 * `tfjs-node` cannot be installed here (it downloads libtensorflow).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

export { tf };

// tfjs 4.22: MomentumOptimizer.dispose frees its accumulators but not the
// learning-rate scalar its parent SGDOptimizer keeps: one tensor per
// optimizer would leak (and the notebooks' leak check would blame the
// student's loop). Free both, once, here rather than in every loop.
const momentumDispose = tf.MomentumOptimizer.prototype.dispose;
tf.MomentumOptimizer.prototype.dispose = function (this: tf.MomentumOptimizer) {
  momentumDispose.call(this);
  tf.SGDOptimizer.prototype.dispose.call(this);
};
export type BackendName = "wasm" | "cpu";

/**
 * Selects the backend, `wasm` by default, falling back to `cpu` with a
 * message when WebAssembly cannot start. Resolves with the backend in use.
 */
export async function initBackend(preferred: BackendName = "wasm"): Promise<BackendName> {
  if (tf.getBackend() === preferred) return preferred;
  let ok = false;
  try {
    ok = await tf.setBackend(preferred);
  } catch (e) {
    console.warn(`TensorFlow.js: backend '${preferred}' failed (${(e as Error).message}); using 'cpu'`);
  }
  if (!ok && preferred !== "cpu") {
    if (!ok) console.warn(`TensorFlow.js: backend '${preferred}' is not available; using 'cpu' (much slower)`);
    await tf.setBackend("cpu");
  }
  await tf.ready();
  return tf.getBackend() as BackendName;
}
