/**
 * Inputs that stay constant for a while, such as the training set during a
 * descent: kernels may keep a compact copy of them (the non-zeros of X,
 * ~16 % of MNIST pixels) instead of rescanning the dense array at every
 * product. Writing to a held matrix inside the scope is not allowed: the
 * copy would go stale.
 */
import { isFrozenData } from "./matrix";
import type { Matrix } from "./matrix";

const held = new Map<Float64Array, number>();
const releaseHooks: ((data: Float64Array) => void)[] = [];

/** Calls `hook` when an array stops being constant, to drop its copies. */
export function onRelease(hook: (data: Float64Array) => void): void {
  releaseHooks.push(hook);
}

/** True while `data` belongs to a matrix held by `withConstant`, or to a frozen matrix (loaded data). */
export function isConstant(data: Float64Array): boolean {
  return held.has(data) || isFrozenData(data);
}

/** Runs `fn` with `matrices` declared constant (unchanged) until it returns. */
export function withConstant<T>(matrices: readonly (Matrix | undefined)[], fn: () => T): T {
  const datas = matrices.flatMap((m) => (m ? [m.data] : []));
  for (const d of datas) held.set(d, (held.get(d) ?? 0) + 1);
  try {
    return fn();
  } finally {
    for (const d of datas) {
      const count = (held.get(d) ?? 1) - 1;
      if (count > 0) held.set(d, count);
      else {
        held.delete(d);
        for (const hook of releaseHooks) hook(d);
      }
    }
  }
}
