/**
 * The teacher's reference with the students' signatures, as values cross
 * the checks (matrices, raw tensors): the "student" that must pass every
 * check, used to store the expected values and in the checks' tests.
 */
import { Matrix } from "../../lib/array/matrix";
import { Random } from "../../lib/array/random";
import { reference } from "../../lib/grading/reference";
import type { RawTensor } from "../../lib/grading/wire";
import type { RawTorchParameters, StudentObject, TwoLayersParameters } from "../../lib/grading/checks";
import { raw } from "../../lib/grading/checks-torch";
import { fixedFit } from "../../lib/grading/fit";
import { tf } from "../../lib/autograd/backend";

type Fn = (...args: unknown[]) => unknown;
const scalar = (v: number): RawTensor => ({ shape: [], dtype: "float32", data: Float32Array.of(v), variable: false });
const tensorOf = (m: Matrix): RawTensor => ({ shape: [m.rows, m.cols], dtype: "float32", data: Float32Array.from(m.data), variable: true });
const randn = (rng: Random, r: number, c: number, s: number) => { const m = rng.randn(r, c); m.data.forEach((v, i) => (m.data[i] = v * s)); return m; };

/** The graded functions, by name. */
export function solutions(): Record<string, Fn> {
  const r = reference;
  const rng = new Random(1);
  return {
    init_one_layer_nn: ((D: number, K: number) => ({ W: randn(rng, D, K, 1e-3), b: new Matrix(1, K) })) as Fn,
    init_two_layers_nn: ((D: number, Q: number, K: number) => ({ W1: randn(rng, D, Q, 1e-3), b1: new Matrix(1, Q), W2: randn(rng, Q, K, 1e-3), b2: new Matrix(1, K) })) as Fn,
    softmax: r.softmax as Fn,
    predict_one_layer_nn: r.predict_one_layer_nn as Fn,
    evaluate_loss: r.evaluate_loss as Fn,
    partial_derivative_one_layer_nn: r.partial_derivative_one_layer_nn as Fn,
    gradient_descent_one_layer_nn: r.gradient_descent_one_layer_nn as Fn,
    accuracy: r.accuracy as Fn,
    predict_two_layers_nn: r.predict_two_layers_nn as Fn,
    partial_derivative_two_layers_nn: r.partial_derivative_two_layers_nn as Fn,
    gradient_descent_two_layers_nn: r.gradient_descent_two_layers_nn as Fn,
    to_torch_parameters: ((p: TwoLayersParameters) => ({ W1: tensorOf(p.W1), b1: tensorOf(p.b1), W2: tensorOf(p.W2), b2: tensorOf(p.b2) })) as Fn,
    predict_two_layers_nn_torch: r.predict_two_layers_nn_torch as Fn,
    evaluate_loss_torch: ((y: RawTensor, y_hat: RawTensor) => scalar(r.evaluate_loss_torch(y, y_hat))) as Fn,
    gradient_descent_torch: ((x: RawTensor, y: RawTensor, p: RawTorchParameters, q: number, n: number, eps: number) => [p, r.gradient_descent_torch(x, y, p, q, n, eps, "gd"), []]) as Fn,
    gradient_descent_torch_optim: ((x: RawTensor, y: RawTensor, p: RawTorchParameters, q: number, n: number, eps: number) => [p, r.gradient_descent_torch(x, y, p, q, n, eps, "momentum"), []]) as Fn,
    MLP: (() => { throw new Error("MLP is a class: use MlpStandIn"); }) as Fn,
  };
}

/** The reference MLP seen as a StudentObject: weights set by the checks, forward by the reference. */
export class MlpStandIn implements StudentObject {
  private readonly layers: Record<string, Record<string, RawTensor>>;
  constructor([D, Q, K]: number[]) {
    const rng = new Random(2);
    this.layers = {
      c1: { weight: tensorOf(randn(rng, D, Q, 0.01)), bias: tensorOf(new Matrix(1, Q)) },
      c2: { weight: tensorOf(randn(rng, Q, K, 0.01)), bias: tensorOf(new Matrix(1, K)) },
    };
  }
  async get(path: string[]) { return path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], this.layers); }
  async set(path: string[], v: unknown) { this.layers[path[0]][path[1]] = raw(v)!; }
  async call(method: string, ...args: unknown[]) {
    const { c1, c2 } = this.layers;
    if (method === "parameters") return [c1.weight, c1.bias, c2.weight, c2.bias];
    if (method === "apply") return reference.mlp_forward(args[0] as RawTensor, { W1: c1.weight, b1: c1.bias, W2: c2.weight, b2: c2.bias });
    throw new Error(`no method ${method}`);
  }
  /** The checks' loop on the reference MLP (relu, softmax), in TensorFlow.js; the weights come back raw. */
  async fit(x: unknown, y: unknown, passes: number, epsilon: number) {
    const { c1, c2 } = this.layers;
    const live = (t: RawTensor) => tf.tensor2d(t.data, [t.shape[0], t.shape[1]], t.dtype);
    const w = { W1: tf.variable(live(c1.weight)), b1: tf.variable(live(c1.bias)), W2: tf.variable(live(c2.weight)), b2: tf.variable(live(c2.bias)) };
    const model = {
      parameters: () => [w.W1, w.b1, w.W2, w.b2],
      apply: (v: tf.Tensor2D) => tf.tidy(() => tf.softmax(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(v, w.W1), w.b1)), w.W2), w.b2)) as tf.Tensor2D),
    };
    const tx = live(raw(x)!), ty = live(raw(y)!);
    fixedFit(tf, model, tx, ty, passes, epsilon);
    Object.assign(c1, { weight: raw(w.W1)!, bias: raw(w.b1)! });
    Object.assign(c2, { weight: raw(w.W2)!, bias: raw(w.b2)! });
    tf.dispose([tx, ty, w.W1, w.b1, w.W2, w.b2]);
  }
}
