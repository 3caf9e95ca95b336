/**
 * Why a descent can stall once the softmax saturates (consigne 18.7): the
 * loss and its gradient with respect to the logits z of one sample, for the
 * handout's loss and the categorical term alone, with the +1e-16 floor and
 * without, in float64 (by hand, lib/nn/floor) and in float32 (TensorFlow.js
 * autograd, what part 3 trains with).
 */
import { tf } from "./backend";
import { Matrix } from "../array/matrix";
import { flooredLossGradient } from "../metrics/floor";

export interface SaturationRow {
  /** "TP": the handout's loss with its (1 − y)·ln(1 − ŷ) term; "catégorielle": −ln(ŷ) of the true class only. */
  loss: "TP" | "catégorielle";
  floor: number;
  dtype: "float64" | "float32";
  /** ŷ of the true class, as that format holds it. */
  p_true: number;
  value: number;
  /** Euclidean norm of ∂L/∂z (NaN when the format cannot compute it). */
  grad_norm: number;
}

function loss64(z: number[], label: number, binary: boolean, floor: number): { p: number; value: number; grad: number[] } {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  const p = e.map((v) => v / s);
  let value = 0;
  p.forEach((pk, k) => {
    if (k === label) value -= Math.log(pk + floor);
    else if (binary) value -= Math.log(1 - pk + floor);
  });
  const y = Matrix.from([z.map((_, k) => (k === label ? 1 : 0))]);
  const grad = Array.from(flooredLossGradient(y, Matrix.from([z]), { floor, binary }).data);
  return { p: p[label], value, grad };
}

function loss32(z: number[], label: number, binary: boolean, floor: number): { p: number; value: number; grad: number[] } {
  return tf.tidy(() => {
    const y = tf.oneHot(tf.tensor1d([label], "int32"), z.length).toFloat();
    const f = (logits: tf.Tensor) => {
      const p = tf.softmax(logits);
      const pos = tf.mul(y, tf.log(tf.add(p, floor)));
      const terms = binary ? tf.add(pos, tf.mul(tf.sub(1, y), tf.log(tf.add(tf.sub(1, p), floor)))) : pos;
      return tf.neg(tf.sum(terms));
    };
    const zt = tf.tensor2d([z]);
    const { value, grad } = tf.valueAndGrad(f)(zt);
    return { p: tf.softmax(zt).dataSync()[label], value: value.dataSync()[0], grad: Array.from(grad.dataSync()) };
  });
}

/**
 * The loss of one sample whose logits are z (true class `label`) and the norm
 * of its gradient in z, for both losses, with the floor and without, in both
 * formats. With saturated logits (the true class far below another), the
 * floored gradient is ≈ 0 in both formats while the unfloored categorical one
 * is ≈ √2 in float64 (ŷ − y) and NaN in float32, where ŷ underflows to 0.
 */
export function saturationGradients(z: number[], label: number, floor = 1e-16): SaturationRow[] {
  if (!Number.isInteger(label) || label < 0 || label >= z.length) throw new RangeError(`saturationGradients: label must be a class index in 0..${z.length - 1}, got ${label}`);
  if (z.length < 2 || !z.every(Number.isFinite)) throw new RangeError("saturationGradients: z must hold at least two finite logits");
  const rows: SaturationRow[] = [];
  for (const loss of ["TP", "catégorielle"] as const) {
    for (const fl of [floor, 0]) {
      for (const dtype of ["float64", "float32"] as const) {
        const r = (dtype === "float64" ? loss64 : loss32)(z, label, loss === "TP", fl);
        rows.push({ loss, floor: fl, dtype, p_true: r.p, value: r.value, grad_norm: Math.hypot(...r.grad) });
      }
    }
  }
  return rows;
}
