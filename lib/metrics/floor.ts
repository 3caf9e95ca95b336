/**
 * The exact gradient of the handout's loss, +1e-16 floor included, with
 * respect to the logits z (ŷ = softmax(z)), in float64. Parts 1–2 use the
 * handout's simplification ∂L/∂z = ŷ − y, which ignores the floor and the
 * (1 − y)·ln(1 − ŷ) term; autograd (part 3) derives both. This module shows
 * what the floor does once the softmax saturates: ∂ln(ŷ + f)/∂ŷ = 1/(ŷ + f)
 * stays ≤ 1/f, so when ŷ ≲ f the chain rule multiplies by ŷ/(ŷ + f) ≈ 0 and
 * the gradient vanishes, whereas ∂ln(ŷ)/∂z = 1 − ŷ does not.
 */
import { Matrix } from "../array/matrix";

/** The small value the handout adds inside the logs. */
const LOG_EPSILON = 1e-16;

/** Row-wise probabilities of the logits (a tool of this check, not the student's softmax: no Matrix ops). */
function probabilities(z: Matrix): Float64Array {
  const k = z.cols, p = new Float64Array(z.size);
  for (let i = 0; i < z.rows; i++) {
    let max = -Infinity, s = 0;
    for (let j = 0; j < k; j++) max = Math.max(max, z.data[i * k + j]);
    for (let j = 0; j < k; j++) s += p[i * k + j] = Math.exp(z.data[i * k + j] - max);
    for (let j = 0; j < k; j++) p[i * k + j] /= s;
  }
  return p;
}

export interface FlooredLoss {
  /** The value added inside the logs (the handout's 1e-16; 0 for none). */
  floor?: number;
  /** Include the (1 − y)·ln(1 − ŷ + f) term of the handout's loss (default true). */
  binary?: boolean;
}

/**
 * ∂L/∂z for L = −1/N Σ_n Σ_k [y ln(ŷ + f) + (1 − y) ln(1 − ŷ + f)], ŷ = softmax(z):
 * with g_k = ∂L/∂ŷ_k, ∂L/∂z_j = ŷ_j (g_j − Σ_k g_k ŷ_k). Without the floor and
 * the binary term this is (ŷ − y)/N, the handout's simplification.
 */
export function flooredLossGradient(y: Matrix, z: Matrix, { floor = LOG_EPSILON, binary = true }: FlooredLoss = {}): Matrix {
  if (y.rows !== z.rows || y.cols !== z.cols) throw new RangeError(`flooredLossGradient: y is (${y.rows}, ${y.cols}) but z is (${z.rows}, ${z.cols}); they must have the same shape`);
  if (!(floor >= 0)) throw new RangeError(`flooredLossGradient: floor must be ≥ 0, got ${floor}`);
  const out = new Matrix(z.rows, z.cols);
  const k = z.cols, n = z.rows, pd = probabilities(z), yd = y.data, od = out.data;
  const g = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const r = i * k;
    let dotgp = 0;
    for (let j = 0; j < k; j++) {
      const yj = yd[r + j], pj = pd[r + j];
      // y = 0 contributes nothing to the first term, even when 1/(ŷ + f) is infinite.
      g[j] = (yj !== 0 ? -yj / (pj + floor) : 0) + (binary && yj !== 1 ? (1 - yj) / (1 - pj + floor) : 0);
      dotgp += g[j] * pj;
    }
    for (let j = 0; j < k; j++) od[r + j] = (pd[r + j] * (g[j] - dotgp)) / n;
  }
  return out;
}

