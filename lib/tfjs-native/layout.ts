/**
 * Shapes seen as 2-D: the native kernels work on (rows, cols) matrices, so a
 * broadcast or a reduction is run natively only when it can be written as
 * one on such a matrix (undefined otherwise: the cpu kernel runs).
 */
import { Mode } from "./addon";

const product = (xs: readonly number[]): number => xs.reduce((p, x) => p * x, 1);

/** An operand's layout on `out`: whole, or repeated along the leading or trailing axes before `split`. */
type Layout = { mode: Mode.Full | Mode.Scalar } | { mode: Mode.Row | Mode.Column; split: number };

function layoutOn(shape: readonly number[], out: readonly number[]): Layout | undefined {
  const size = product(shape), outSize = product(out);
  if (size === outSize) return { mode: Mode.Full };
  if (size === 1) return { mode: Mode.Scalar };
  const padded = [...Array<number>(out.length - shape.length).fill(1), ...shape];
  const first = padded.findIndex((d) => d !== 1);
  if (padded.slice(first).every((d, i) => d === out[first + i])) return { mode: Mode.Row, split: first };
  let last = padded.length - 1;
  while (padded[last] === 1) last--;
  if (padded.slice(0, last + 1).every((d, i) => d === out[i])) return { mode: Mode.Column, split: last + 1 };
  return undefined;
}

export interface BroadcastPlan {
  rows: number;
  cols: number;
  modeA: Mode;
  modeB: Mode;
}

/** a op b on the broadcast shape `out` as (rows, cols) with one mode per operand, if it can be. */
export function broadcastPlan(a: readonly number[], b: readonly number[], out: readonly number[]): BroadcastPlan | undefined {
  const la = layoutOn(a, out), lb = layoutOn(b, out);
  if (!la || !lb) return undefined;
  const splits = [la, lb].flatMap((l) => ("split" in l ? [l.split] : []));
  if (splits.length === 2 && splits[0] !== splits[1]) return undefined;
  const split = splits.length ? splits[0] : 0;
  return { rows: product(out.slice(0, split)), cols: product(out.slice(split)), modeA: la.mode, modeB: lb.mode };
}

export interface ReducePlan {
  rows: number;
  cols: number;
  /** 1: one value per row (the trailing axes are summed), 0: one per column (the leading ones). */
  axis: 0 | 1;
}

/** A sum over `axes` (sorted, distinct) of `shape` as row or column sums, if it can be. */
export function reducePlan(shape: readonly number[], axes: readonly number[]): ReducePlan | undefined {
  const r = shape.length;
  // Axes of length 1 change nothing: leave them out.
  const real = axes.filter((a) => shape[a] !== 1);
  const kept = shape.map((_, i) => i).filter((i) => !real.includes(i) && shape[i] !== 1);
  if (real.length === 0) return undefined;
  if (kept.every((i) => i < real[0])) return { rows: product(shape.slice(0, real[0])), cols: product(shape.slice(real[0])), axis: 1 };
  const lastReal = real[real.length - 1];
  if (kept.every((i) => i > lastReal) && r > 0) return { rows: product(shape.slice(0, lastReal + 1)), cols: product(shape.slice(lastReal + 1)), axis: 0 };
  return undefined;
}
