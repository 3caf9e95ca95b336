/**
 * Submissions written the way a student would, with the handout's
 * signatures (the contract) and only the students' lib (array API, tf):
 * no call into lib/nn. `correct()` passes every check; the others are
 * built from it by replacing cells.
 */
import type { Notebook, NotebookCell } from "../cli/notebook-json";

export const codeCell = (source: string): NotebookCell => ({ cell_type: "code", metadata: {}, source, outputs: [], execution_count: null });
const md = (source: string): NotebookCell => ({ cell_type: "markdown", metadata: {}, source });
export const notebook = (cells: NotebookCell[]): Notebook => ({ cells, metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } }, nbformat: 4, nbformat_minor: 5 } as unknown as Notebook);

export const PART1 = {
  imports: `import { Matrix, Random, dot, add, sub, mul, div, exp, log, sum, argmax, load_data } from "../dist/lib";`,
  types: `interface OneLayerParameters { W: Matrix; b: Matrix }`,
  init: `const rng = new Random(0);
function init_one_layer_nn(D: number, K: number): OneLayerParameters {
  return { W: mul(rng.randn(D, K), 1e-3), b: Matrix.zeros(1, K) };
}`,
  softmax: `function softmax(z: Matrix): Matrix {
  const out = new Matrix(z.rows, z.cols);
  for (let i = 0; i < z.rows; i++) {
    let m = -Infinity;
    for (let j = 0; j < z.cols; j++) m = Math.max(m, z.get(i, j));
    let s = 0;
    for (let j = 0; j < z.cols; j++) { const e = Math.exp(z.get(i, j) - m); out.set(i, j, e); s += e; }
    for (let j = 0; j < z.cols; j++) out.set(i, j, out.get(i, j) / s);
  }
  return out;
}`,
  predict: `function predict_one_layer_nn(X: Matrix, parameters: OneLayerParameters): Matrix {
  return softmax(add(dot(X, parameters.W), parameters.b));
}`,
  loss: `const EPS = 1e-16;
function evaluate_loss(y: Matrix, y_hat: Matrix): number {
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s += y.data[i] * Math.log(y_hat.data[i] + EPS) + (1 - y.data[i]) * Math.log(1 - y_hat.data[i] + EPS);
  return -s / y.rows;
}`,
  derivative: `function partial_derivative_one_layer_nn(x: Matrix, y: Matrix, y_hat: Matrix, parameters: OneLayerParameters): [Matrix, Matrix] {
  const d = sub(y_hat, y);
  return [dot(x, d, { transA: true }), sum(d, 0)];
}`,
  descent: `function gradient_descent_one_layer_nn(x_train: Matrix, y_train: Matrix, parameters: OneLayerParameters, num_passes = 200, epsilon = 1e-5, x_test?: Matrix, y_test?: Matrix): [OneLayerParameters, number[], number[]] {
  const train: number[] = [], test: number[] = [];
  let p = parameters;
  for (let i = 0; i < num_passes; i++) {
    const y_hat = predict_one_layer_nn(x_train, p);
    train.push(evaluate_loss(y_train, y_hat));
    if (x_test && y_test) test.push(evaluate_loss(y_test, predict_one_layer_nn(x_test, p)));
    const [dW, db] = partial_derivative_one_layer_nn(x_train, y_train, y_hat, p);
    p = { W: sub(p.W, mul(dW, epsilon)), b: sub(p.b, mul(db, epsilon)) };
  }
  return [p, train, test];
}`,
  accuracy: `function accuracy(y: Matrix, y_hat: Matrix): number {
  const a = argmax(y), b = argmax(y_hat);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) n++;
  return n / a.length;
}`,
  training: `const data = load_data("../data/digit-3-classes");
const [trained, losses] = gradient_descent_one_layer_nn(data.x_train, data.y_train, init_one_layer_nn(784, 3), 5, 1e-5);
console.log(losses.length, accuracy(data.y_test, predict_one_layer_nn(data.x_test, trained)));`,
};

export const PART2 = {
  imports: PART1.imports.replace("load_data }", "load_data, tanh }"),
  types: `interface TwoLayersParameters { W1: Matrix; b1: Matrix; W2: Matrix; b2: Matrix }`,
  softmax: PART1.softmax,
  loss: PART1.loss,
  init: `const rng = new Random(0);
function init_two_layers_nn(D: number, Q: number, K: number): TwoLayersParameters {
  return { W1: mul(rng.randn(D, Q), 1e-3), b1: Matrix.zeros(1, Q), W2: mul(rng.randn(Q, K), 1e-3), b2: Matrix.zeros(1, K) };
}`,
  predict: `function predict_two_layers_nn(X: Matrix, parameters: TwoLayersParameters): Matrix {
  const A1 = tanh(add(dot(X, parameters.W1), parameters.b1));
  return softmax(add(dot(A1, parameters.W2), parameters.b2));
}`,
  derivative: `function partial_derivative_two_layers_nn(x: Matrix, y: Matrix, y_hat: Matrix, parameters: TwoLayersParameters): [Matrix, Matrix, Matrix, Matrix] {
  const A1 = tanh(add(dot(x, parameters.W1), parameters.b1));
  const d3 = sub(y_hat, y);
  const d2 = mul(dot(d3, parameters.W2, { transB: true }), mul(sub(mul(A1, A1), 1), -1));
  return [dot(x, d2, { transA: true }), sum(d2, 0), dot(A1, d3, { transA: true }), sum(d3, 0)];
}`,
  descent: `function gradient_descent_two_layers_nn(x_train: Matrix, y_train: Matrix, parameters: TwoLayersParameters | null, hidden_dim = 100, num_passes = 2000, epsilon = 1e-3, x_test?: Matrix, y_test?: Matrix): [TwoLayersParameters, number[], number[]] {
  let p = parameters ?? init_two_layers_nn(x_train.cols, hidden_dim, y_train.cols);
  const train: number[] = [], test: number[] = [];
  for (let i = 0; i < num_passes; i++) {
    const y_hat = predict_two_layers_nn(x_train, p);
    train.push(evaluate_loss(y_train, y_hat));
    if (x_test && y_test) test.push(evaluate_loss(y_test, predict_two_layers_nn(x_test, p)));
    const [dW1, db1, dW2, db2] = partial_derivative_two_layers_nn(x_train, y_train, y_hat, p);
    p = { W1: sub(p.W1, mul(dW1, epsilon)), b1: sub(p.b1, mul(db1, epsilon)), W2: sub(p.W2, mul(dW2, epsilon)), b2: sub(p.b2, mul(db2, epsilon)) };
  }
  return [p, train, test];
}`,
};

export const PART3 = {
  imports: `import { Matrix, Random, mul } from "../dist/lib";
import { tf, initBackend, Module, Linear } from "../dist/lib/autograd";`,
  backend: `await initBackend("wasm");`,
  types: `interface TwoLayersParameters { W1: Matrix; b1: Matrix; W2: Matrix; b2: Matrix }
interface TorchParameters { W1: tf.Variable; b1: tf.Variable; W2: tf.Variable; b2: tf.Variable }`,
  convert: `function to_torch_parameters(parameters: TwoLayersParameters): TorchParameters {
  const v = (m: Matrix) => tf.variable(tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], "float32"), true);
  return { W1: v(parameters.W1), b1: v(parameters.b1), W2: v(parameters.W2), b2: v(parameters.b2) };
}`,
  predict: `function predict_two_layers_nn_torch(x: tf.Tensor2D, parameters: TorchParameters, activation = tf.tanh): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(tf.add(tf.matMul(activation(tf.add(tf.matMul(x, parameters.W1), parameters.b1)), parameters.W2), parameters.b2)) as tf.Tensor2D);
}`,
  loss: `function evaluate_loss_torch(y: tf.Tensor2D, y_hat: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.div(tf.neg(tf.sum(tf.add(tf.mul(y, tf.log(tf.add(y_hat, 1e-16))), tf.mul(tf.sub(1, y), tf.log(tf.add(tf.sub(1, y_hat), 1e-16)))))), y.shape[0]) as tf.Scalar);
}`,
  init: `function init_torch(D: number, Q: number, K: number): TorchParameters {
  const rng = new Random(0);
  return to_torch_parameters({ W1: mul(rng.randn(D, Q), 1e-3), b1: new Matrix(1, Q), W2: mul(rng.randn(Q, K), 1e-3), b2: new Matrix(1, K) });
}`,
  descent: `function gradient_descent_torch(x_train: tf.Tensor2D, y_train: tf.Tensor2D, model: TorchParameters | null = null, hidden_dim = 100, num_passes = 200, epsilon = 1e-4, x_test?: tf.Tensor2D, y_test?: tf.Tensor2D, activation = tf.tanh): [TorchParameters, number[], number[]] {
  const m = model ?? init_torch(x_train.shape[1], hidden_dim, y_train.shape[1]);
  const params = [m.W1, m.b1, m.W2, m.b2];
  const train: number[] = [], test: number[] = [];
  for (let i = 0; i < num_passes; i++) {
    const { value, grads } = tf.variableGrads(() => evaluate_loss_torch(y_train, predict_two_layers_nn_torch(x_train, m, activation)), params);
    train.push(value.dataSync()[0]);
    tf.tidy(() => params.forEach((p) => p.assign(tf.sub(p, tf.mul(grads[p.name], epsilon)))));
    tf.dispose([value, grads]);
    if (x_test && y_test) test.push(tf.tidy(() => evaluate_loss_torch(y_test, predict_two_layers_nn_torch(x_test, m, activation)).dataSync()[0]));
  }
  return [m, train, test];
}`,
  optim: `function gradient_descent_torch_optim(x_train: tf.Tensor2D, y_train: tf.Tensor2D, model: TorchParameters | Module | null = null, hidden_dim = 100, num_passes = 200, epsilon = 1e-4, x_test?: tf.Tensor2D, y_test?: tf.Tensor2D): [TorchParameters | Module, number[], number[]] {
  const m = model ?? init_torch(x_train.shape[1], hidden_dim, y_train.shape[1]);
  const forward = (x: tf.Tensor2D) => (m instanceof Module ? m.forward(x) : predict_two_layers_nn_torch(x, m));
  const params = m instanceof Module ? m.parameters() : [m.W1, m.b1, m.W2, m.b2];
  const optimizer = tf.train.momentum(epsilon, 0.9);
  const train: number[] = [], test: number[] = [];
  for (let i = 0; i < num_passes; i++) {
    const cost = optimizer.minimize(() => evaluate_loss_torch(y_train, forward(x_train)), true, params)!;
    train.push(cost.dataSync()[0]);
    cost.dispose();
    if (x_test && y_test) test.push(tf.tidy(() => evaluate_loss_torch(y_test, forward(x_test)).dataSync()[0]));
  }
  return [m, train, test];
}`,
  mlp: `class MLP extends Module {
  c1: Linear;
  c2: Linear;
  constructor(D = 784, Q = 100, K = 3) {
    super();
    this.c1 = new Linear(D, Q);
    this.c2 = new Linear(Q, K);
  }
  forward(x: tf.Tensor2D): tf.Tensor2D {
    return tf.softmax(this.c2.forward(tf.relu(this.c1.forward(x)))) as tf.Tensor2D;
  }
}`,
};

/** A correct submission: one folder, the three parts, a short training cell in each. */
export function correct(): Record<string, Notebook> {
  return {
    "1-une-couche.ipynb": notebook([md("# Partie 1"), ...Object.values(PART1).map(codeCell)]),
    "2-deux-couches.ipynb": notebook([md("# Partie 2"), ...Object.values(PART2).map(codeCell)]),
    "3-autograd.ipynb": notebook([md("# Partie 3"), ...Object.values(PART3).map(codeCell)]),
  };
}
