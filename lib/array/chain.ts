/**
 * NumPy's method style on `Matrix`: `X.dot(W).add(b)`, `z.max(1)`,
 * `y_hat.argmax(1)`, `A.T`. Each method calls the op of ops.ts of the same
 * meaning (tfjs's chained ops: the class knows nothing of the ops, this
 * module adds them to its prototype).
 *
 * Results stay 2-D: a reduction along an axis keeps that axis with size 1,
 * like NumPy's `keepdims=True`, so `z.sub(z.max(1))` broadcasts as intended.
 */
import { Matrix } from "./matrix";
import * as ops from "./ops";
import type { Operand } from "./ops";

type Axis = 0 | 1;

declare module "./matrix" {
  interface Matrix {
    /** Matrix product, like `a.dot(b)` / `a @ b`. */
    dot(b: Matrix): Matrix;
    /** `a + b` with broadcasting (a same-shape matrix, a (1, n) row, an (m, 1) column, or a number). */
    add(b: Operand): Matrix;
    /** `a - b` with broadcasting; for `1 - a`, write `np.subtract(1, a)` or `a.rsub(1)`. */
    sub(b: Operand): Matrix;
    /** `b - a`: `a.rsub(1)` is NumPy's `1 - a`. */
    rsub(b: number): Matrix;
    /** `a * b` element by element (not the matrix product: that is `dot`). */
    mul(b: Operand): Matrix;
    /** `a / b` element by element. */
    div(b: Operand): Matrix;
    /** `-a`. */
    neg(): Matrix;
    /** `a ** p`. */
    pow(p: number): Matrix;
    exp(): Matrix;
    log(): Matrix;
    tanh(): Matrix;
    /** Sum of all values, or along an axis (kept, size 1). `keepdims` may be given; results are always 2-D. */
    sum(): number;
    sum(axis: Axis, keepdims?: boolean): Matrix;
    mean(): number;
    mean(axis: Axis, keepdims?: boolean): Matrix;
    max(): number;
    max(axis: Axis, keepdims?: boolean): Matrix;
    min(): number;
    min(axis: Axis, keepdims?: boolean): Matrix;
    /** Index of the largest value along the axis: `y_hat.argmax(1)` is an (N, 1) column of classes. */
    argmax(axis: Axis): Matrix;
    /** 1 where equal, 0 elsewhere (NumPy's `a == b`, as numbers so that `.mean()` works). */
    equal(b: Operand): Matrix;
  }
}

/** NumPy accepts `keepdims`; here every result keeps its axis, so only `false` is refused (it would change the shape). */
function checkKeepdims(name: string, keepdims: boolean | undefined): void {
  if (keepdims === false) throw new RangeError(`${name}: keepdims=false is not supported: results stay 2-D ((N, 1) or (1, K)), as with keepdims=True`);
}

const M = Matrix.prototype;
M.dot = function (this: Matrix, b: Matrix) { return ops.dot(this, b); };
M.add = function (this: Matrix, b: Operand) { return ops.add(this, b); };
M.sub = function (this: Matrix, b: Operand) { return ops.sub(this, b); };
M.rsub = function (this: Matrix, b: number) { return ops.sub(b, this); };
M.mul = function (this: Matrix, b: Operand) { return ops.mul(this, b); };
M.div = function (this: Matrix, b: Operand) { return ops.div(this, b); };
M.neg = function (this: Matrix) { return ops.mul(this, -1); };
M.pow = function (this: Matrix, p: number) { return ops.pow(this, p); };
M.exp = function (this: Matrix) { return ops.exp(this); };
M.log = function (this: Matrix) { return ops.log(this); };
M.tanh = function (this: Matrix) { return ops.tanh(this); };
M.equal = function (this: Matrix, b: Operand) { return ops.equal(this, b); };
M.argmax = function (this: Matrix, axis: Axis) { return ops.argmaxAxis(this, axis); };

// The reductions share one shape: no axis → a number; an axis → a 2-D matrix.
function reduction(name: string, f: (a: Matrix, axis?: Axis) => Matrix | number) {
  return function (this: Matrix, axis?: Axis, keepdims?: boolean) {
    checkKeepdims(name, keepdims);
    return f(this, axis);
  } as never;
}
M.sum = reduction("sum", (a, axis) => (axis === undefined ? ops.sum(a) : ops.sum(a, axis)));
M.mean = reduction("mean", (a, axis) => (axis === undefined ? ops.mean(a) : ops.mean(a, axis)));
M.max = reduction("max", (a, axis) => (axis === undefined ? ops.max(a) : ops.max(a, axis)));
M.min = reduction("min", (a, axis) => (axis === undefined ? ops.min(a) : ops.min(a, axis)));
