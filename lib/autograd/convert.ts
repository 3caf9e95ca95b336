/** Matrices (float64, the lib's) to tensors (float32, TensorFlow.js's) and back. */
import { tf } from "./backend";
import { Matrix } from "../array/matrix";
import { holdData } from "../tfjs-native";

/**
 * A float32 tensor of a matrix. TensorFlow.js has no float64: `.double()`
 * of the handout has no counterpart, values are rounded to ~7 digits.
 */
export function toTensor(m: Matrix): tf.Tensor2D {
  const t = tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], "float32");
  holdData(t); // data (X) on the native backend: its products skip its zeros without scanning for them
  return t;
}

/** A float64 matrix of a 2-D tensor's values. */
export function toMatrix(t: tf.Tensor): Matrix {
  if (t.rank !== 2) throw new RangeError(`toMatrix: expected a 2-D tensor, got shape [${t.shape.join(", ")}]`);
  const [rows, cols] = t.shape as [number, number];
  return new Matrix(rows, cols, Float64Array.from(t.dataSync()));
}
