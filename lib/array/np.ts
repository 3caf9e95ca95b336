/**
 * `np`: the NumPy names the handout uses, on `Matrix` (float64, 2-D).
 * `np.dot(X, W)`, `np.exp(z)`, `np.sum(a, 1)`, `np.random.randn(D, K)`…
 * See notebook 0's "NumPy → TypeScript" table.
 */
import { Matrix } from "./matrix";
import * as ops from "./ops";
import type { Operand } from "./ops";
import { Random } from "./random";
import "./chain";

type Axis = 0 | 1;

let rng = new Random(0);

/** Shape as NumPy writes it: a [rows, cols] pair (2-D only). */
function shape2(name: string, shape: readonly number[]): [number, number] {
  if (shape.length !== 2) throw new RangeError(`np.${name}: give a 2-D shape [rows, cols], got [${shape.join(", ")}] (vectors are (1, n) or (n, 1) here)`);
  return [shape[0], shape[1]];
}

export const np = {
  /** `np.array([[1, 2], [3, 4]])`. */
  array: (values: readonly (readonly number[])[]): Matrix => Matrix.from(values),
  zeros: (shape: readonly number[]): Matrix => Matrix.zeros(...shape2("zeros", shape)),
  ones: (shape: readonly number[]): Matrix => Matrix.full(...shape2("ones", shape), 1),
  full: (shape: readonly number[], value: number): Matrix => Matrix.full(...shape2("full", shape), value),
  dot: (a: Matrix, b: Matrix): Matrix => ops.dot(a, b),
  add: (a: Operand, b: Operand): Matrix => ops.add(a, b),
  subtract: (a: Operand, b: Operand): Matrix => ops.sub(a, b),
  multiply: (a: Operand, b: Operand): Matrix => ops.mul(a, b),
  divide: (a: Operand, b: Operand): Matrix => ops.div(a, b),
  maximum: (a: Operand, b: Operand): Matrix => ops.maximum(a, b),
  exp: (a: Matrix): Matrix => ops.exp(a),
  log: (a: Matrix): Matrix => ops.log(a),
  tanh: (a: Matrix): Matrix => ops.tanh(a),
  square: (a: Matrix): Matrix => ops.pow(a, 2),
  power: (a: Matrix, p: number): Matrix => ops.pow(a, p),
  transpose: (a: Matrix): Matrix => a.T,
  sum: ((a: Matrix, axis?: Axis) => (axis === undefined ? ops.sum(a) : ops.sum(a, axis))) as { (a: Matrix): number; (a: Matrix, axis: Axis): Matrix },
  mean: ((a: Matrix, axis?: Axis) => (axis === undefined ? ops.mean(a) : ops.mean(a, axis))) as { (a: Matrix): number; (a: Matrix, axis: Axis): Matrix },
  max: ((a: Matrix, axis?: Axis) => (axis === undefined ? ops.max(a) : ops.max(a, axis))) as { (a: Matrix): number; (a: Matrix, axis: Axis): Matrix },
  argmax: (a: Matrix, axis: Axis): Matrix => ops.argmaxAxis(a, axis),
  random: {
    /** `np.random.seed(s)`: the draws that follow are the same at every run. */
    seed(seed: number): void {
      rng = new Random(seed);
    },
    /** Standard normal draws, `np.random.randn(rows, cols)`. */
    randn: (rows: number, cols: number): Matrix => rng.randn(rows, cols),
    /** Uniform draws in [0, 1), `np.random.rand(rows, cols)`. */
    rand(rows: number, cols: number): Matrix {
      const m = new Matrix(rows, cols);
      for (let i = 0; i < m.size; i++) m.data[i] = rng.random();
      return m;
    },
  },
};
