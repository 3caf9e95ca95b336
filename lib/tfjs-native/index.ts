/**
 * The TensorFlow.js backend `native`: the cpu backend (same tensor storage,
 * same kernels for everything rare) with the hot kernels of part 3 replaced
 * by the addon's float32 C++ ones (multithreaded, skipping X's zeros).
 * tfjs-wasm is single-threaded under Node and slow on transposed products.
 */
import * as tf from "@tensorflow/tfjs";
import { NativeBackend } from "./backend";
import { f32Kernels, f32Unavailable } from "./addon";
import { nativeKernelConfigs } from "./kernels";
import { hold } from "./held";

export const NATIVE_BACKEND = "native";

/** The kernels `native` runs in C++ (names), empty when the addon lacks them. */
export const nativeKernelNames: readonly string[] = f32Kernels ? nativeKernelConfigs(f32Kernels).map((k) => k.kernelName) : [];

/**
 * Registers `native` (once; later calls do nothing). Returns why it cannot
 * run (no addon, or one without float32 kernels), or undefined when it can.
 */
export function registerNativeBackend(): string | undefined {
  if (!f32Kernels) return f32Unavailable();
  if (tf.findBackendFactory(NATIVE_BACKEND)) return undefined;
  const own = new Map(nativeKernelConfigs(f32Kernels).map((k) => [k.kernelName, k]));
  for (const cpu of tf.getKernelsForBackend("cpu")) {
    tf.registerKernel(own.get(cpu.kernelName) ?? { ...cpu, backendName: NATIVE_BACKEND });
  }
  // Priority 0: tfjs never picks it by itself; initBackend asks for it.
  tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(), 0);
  return undefined;
}

/**
 * Marks a data tensor (values held unchanged for the whole run) on the
 * `native` backend: its products gather its non-zeros once. Does nothing on
 * other backends.
 */
export function holdData(t: tf.Tensor): void {
  const backend = tf.engine().backendName === NATIVE_BACKEND ? (tf.backend() as NativeBackend) : undefined;
  const values = backend?.data.has(t.dataId) ? backend.data.get(t.dataId).values : undefined;
  if (values instanceof Float32Array) {
    backend!.pool.escaped(values); // never recycled: the cached sparse copy must stay its own
    hold(values);
  }
}

export { f32Unavailable, NativeBackend };
