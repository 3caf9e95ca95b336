/**
 * TensorFlow.js, the TypeScript counterpart of the handout's torch. Backends:
 * `native` (lib/tfjs-native: the cpu backend with part 3's hot kernels in
 * the project's C++ addon, float32, multithreaded), `wasm` (SIMD, one
 * thread under Node, ~30× faster than `cpu`) and `cpu` (pure JS).
 * `tfjs-node` cannot be installed here (it downloads libtensorflow).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerNativeBackend } from "../tfjs-native";

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

export const BACKENDS = ["native", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Why `native` cannot run here (undefined when it can); registers it when it can. */
export function nativeBackendUnavailable(): string | undefined {
  return registerNativeBackend();
}

/**
 * Selects the backend: by default `native` when the addon has its float32
 * kernels, `wasm` otherwise. A backend that cannot start falls back to the
 * next of native → wasm → cpu with a message. Resolves with the backend in use.
 */
export async function initBackend(preferred?: BackendName): Promise<BackendName> {
  if (preferred !== undefined && !(BACKENDS as readonly string[]).includes(preferred)) {
    throw new RangeError(`initBackend: unknown backend '${preferred}'; use one of ${BACKENDS.join(", ")}`);
  }
  const whyNot = nativeBackendUnavailable();
  const wanted: BackendName = preferred ?? (whyNot === undefined ? "native" : "wasm");
  if (tf.getBackend() === wanted) return wanted;
  for (const name of BACKENDS.slice(BACKENDS.indexOf(wanted))) {
    let ok = false, error = "";
    if (name === "native" && whyNot !== undefined) error = whyNot;
    else {
      try {
        ok = await tf.setBackend(name);
      } catch (e) {
        error = (e as Error).message;
      }
    }
    if (ok) break;
    if (name !== "cpu") console.warn(`TensorFlow.js: backend '${name}' is not available${error ? ` (${error})` : ""}; trying '${name === "native" ? "wasm" : "cpu"}'`);
  }
  await tf.ready();
  return tf.getBackend() as BackendName;
}
