import { strict as assert } from "node:assert";
import { Matrix, Random, mul, np } from "../lib/array";
import { load_data } from "../lib/data";
import { accuracy, init_two_layers_nn, predict_two_layers_nn, partial_derivative_two_layers_nn, evaluate_loss } from "../lib/nn";
import { numericGradient, relativeError } from "../lib/metrics";
import {
  tf, initBackend, toTensor, toMatrix, to_torch_parameters, predict_two_layers_nn_torch, evaluate_loss_torch,
  gradient_descent_torch, gradient_descent_torch_optim, MLP, Module, Linear, matMulData,
} from "../lib/autograd";
import type { TorchParameters } from "../lib/autograd";

/** −1/N Σ y ln(ŷ + 1e-16): the loss whose gradient through softmax is (ŷ − y)/N. */
function categorical_cross_entropy_torch(y: tf.Tensor2D, y_hat: tf.Tensor2D): tf.Scalar {
  return tf.div(tf.neg(tf.sum(tf.mul(y, tf.log(tf.add(y_hat, 1e-16))))), y.shape[0]);
}

const disposeParameters = (p: TorchParameters) => tf.dispose(Object.values(p));

for (const backend of ["native", "wasm"] as const) describe(`part 3: automatic differentiation (TensorFlow.js, ${backend})`, function () {
  this.timeout(1200000); // no timing asserted: 200 passes on 1000 images take minutes on a loaded machine
  before(async () => assert.equal(await initBackend(backend), backend));

  const rng = new Random(21);
  const N = 9, D = 6, Q = 5, K = 3;
  const xm = rng.randn(N, D);
  const ym = new Matrix(N, K);
  for (let i = 0; i < N; i++) ym.set(i, i % K, 1);
  const big = () => { const p = init_two_layers_nn(D, Q, K, 2); return { W1: mul(p.W1, 600), b1: mul(p.b1, 300), W2: mul(p.W2, 600), b2: mul(p.b2, 300) }; };

  it("predicts like part 2's float64 lib, to float32 precision, rows summing to 1", () => {
    const p = big();
    const tp = to_torch_parameters(p);
    const x = toTensor(xm);
    const y_hat = predict_two_layers_nn_torch(x, tp);
    const want = predict_two_layers_nn(xm, p);
    const got = toMatrix(y_hat);
    assert.ok(relativeError(got, want) < 1e-6);
    tf.tidy(() => tf.sum(y_hat, 1).dataSync().forEach((s) => assert.ok(Math.abs(s - 1) < 1e-6)));
    assert.ok(Math.abs(evaluate_loss_torch(toTensor(ym), y_hat).dataSync()[0] - evaluate_loss(ym, want)) < 1e-5);
    tf.dispose([x, y_hat]);
    disposeParameters(tp);
  });

  it("takes the activation as a function: tf.relu gives part 2's network with relu", () => {
    const p = big();
    const tp = to_torch_parameters(p);
    const x = toTensor(xm);
    const y_hat = predict_two_layers_nn_torch(x, tp, tf.relu);
    const a1 = xm.dot(p.W1).add(p.b1), relu = new Matrix(a1.rows, a1.cols, a1.data.map((v) => Math.max(0, v)));
    const z = relu.dot(p.W2).add(p.b2), e = z.sub(z.max(1)).exp(), want = e.div(e.sum(1));
    assert.ok(relativeError(toMatrix(y_hat), want) < 1e-6);
    tf.dispose([x, y_hat]);
    disposeParameters(tp);
  });

  it("autograd's gradient of the categorical cross-entropy is part 2's hand-written gradient / N", () => {
    const p = big();
    const hand = partial_derivative_two_layers_nn(xm, ym, predict_two_layers_nn(xm, p), p);
    const tp = to_torch_parameters(p);
    const x = toTensor(xm), y = toTensor(ym);
    const vars = [tp.W1, tp.b1, tp.W2, tp.b2];
    const { value, grads } = tf.variableGrads(() => categorical_cross_entropy_torch(y, predict_two_layers_nn_torch(x, tp)), vars);
    vars.forEach((v, k) => {
      const err = relativeError(toMatrix(grads[v.name]), mul(hand[k], 1 / N));
      assert.ok(err < 1e-4, `${["W1", "b1", "W2", "b2"][k]}: relative error ${err}`);
    });
    tf.dispose([value, x, y, ...Object.values(grads)]);
    disposeParameters(tp);
  });

  it("and autograd's gradient of the handout's loss is that loss's true gradient, not (Ŷ − Y)/N", () => {
    const p = big();
    const hand = partial_derivative_two_layers_nn(xm, ym, predict_two_layers_nn(xm, p), p);
    const numeric = numericGradient(() => evaluate_loss(ym, predict_two_layers_nn(xm, p)), p.W2);
    const tp = to_torch_parameters(p);
    const x = toTensor(xm), y = toTensor(ym);
    const { value, grads } = tf.variableGrads(() => evaluate_loss_torch(y, predict_two_layers_nn_torch(x, tp)), [tp.W2]);
    const auto = toMatrix(grads[tp.W2.name]);
    assert.ok(relativeError(auto, numeric) < 1e-4, "autograd = finite differences of the handout's loss");
    assert.ok(relativeError(auto, mul(hand[2], 1 / N)) > 0.05, "≠ the hand-written formula / N");
    tf.dispose([value, x, y, ...Object.values(grads)]);
    disposeParameters(tp);
  });

  it("gradient_descent_torch's pass is W − ε·W.grad, the loss taken before the update", () => {
    const p = big();
    const x = toTensor(xm), y = toTensor(ym);
    const tp = to_torch_parameters(p);
    const before = Object.values(tp).map((v) => toMatrix(v));
    const { value, grads } = tf.variableGrads(() => evaluate_loss_torch(y, predict_two_layers_nn_torch(x, tp)));
    const g = Object.values(tp).map((v) => toMatrix(grads[v.name]));
    const [model, losses, test_losses] = gradient_descent_torch(x, y, tp, Q, 1, 0.01);
    assert.equal(model, tp, "the parameters given are trained in place, as torch does");
    assert.deepEqual(test_losses, []);
    assert.equal(losses.length, 1);
    assert.ok(Math.abs(losses[0] - value.dataSync()[0]) < 1e-6);
    Object.values(tp).forEach((v, k) => assert.ok(relativeError(toMatrix(v), before[k].sub(g[k].mul(0.01))) < 1e-6, `parameter ${k}`));
    tf.dispose([value, x, y, ...Object.values(grads)]);
    disposeParameters(tp);
  });

  it("matMulData has tf.matMul's value and gradient", () => {
    const x = toTensor(xm), W = tf.variable(toTensor(rng.randn(D, Q)));
    const f = (mm: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D) => tf.variableGrads(() => tf.sum(tf.square(mm(x, W))), [W]);
    const a = f(matMulData), b = f((u, v) => tf.matMul(u, v));
    assert.ok(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0]) < 1e-3);
    assert.ok(relativeError(toMatrix(a.grads[W.name]), toMatrix(b.grads[W.name])) < 1e-6);
    tf.dispose([x, W, a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
  });

  it("Linear is x·W + b with torch's init, uniform in ±1/√in from np.random, and a Module lists the parameters of the modules it holds", () => {
    np.random.seed(3);
    const lin = new Linear(D, Q);
    np.random.seed(3);
    const again = new Linear(D, Q);
    assert.deepEqual(toMatrix(again.weight).data, toMatrix(lin.weight).data, "np.random.seed makes the init reproducible, as torch.manual_seed");
    again.dispose();
    assert.deepEqual([lin.weight.shape, lin.bias.shape], [[D, Q], [1, Q]]);
    const w = toMatrix(lin.weight), b = toMatrix(lin.bias);
    assert.ok([...w.data, ...b.data].every((v) => Math.abs(v) <= 1 / Math.sqrt(D)));
    const x = toTensor(xm), out = lin.apply(x);
    assert.ok(relativeError(toMatrix(out), xm.dot(w).add(b)) < 1e-6);
    class Two extends Module {
      readonly a = lin;
      readonly b = new Linear(Q, K);
      forward(t: tf.Tensor2D) { return this.b.forward(this.a.forward(t)); }
    }
    const two = new Two();
    assert.deepEqual(two.parameters().map((p) => p.shape), [[D, Q], [1, Q], [Q, K], [1, K]]);
    tf.dispose([x, out]);
    two.dispose();
  });

  describe("on the shipped data", () => {
    let x: tf.Tensor2D, y: tf.Tensor2D, xt: tf.Tensor2D, yt: tf.Tensor2D, d: ReturnType<typeof load_data>;
    before(() => {
      d = load_data();
      [x, y, xt, yt] = [d.x_train, d.y_train, d.x_test, d.y_test].map(toTensor);
    });
    after(() => tf.dispose([x, y, xt, yt]));

    it("leaks no tensor: memory stays flat over thousands of passes", () => {
      const xs = x.slice([0, 0], [50, 784]), ys = y.slice([0, 0], [50, 3]);
      const grown: string[] = [];
      // By hand (consigne 18), on the parameters of consigne 15.
      const tp = to_torch_parameters(init_two_layers_nn(784, 8, 3, 1));
      gradient_descent_torch(xs, ys, tp, 8, 5, 1e-3); // warm-up: caches
      let before = tf.memory().numTensors;
      const [, gdLosses] = gradient_descent_torch(xs, ys, tp, 8, 2000, 1e-3);
      assert.equal(gdLosses.length, 2000);
      if (tf.memory().numTensors !== before) grown.push(`gd: ${before} tensors before 2000 passes, ${tf.memory().numTensors} after`);
      disposeParameters(tp);
      // With the optimizer (consignes 19, 20.4), on a Module and on the parameters of consigne 15.
      for (const model of [new MLP(784, 8, 3), to_torch_parameters(init_two_layers_nn(784, 8, 3, 1))]) {
        const what = model instanceof Module ? "momentum on the MLP" : "momentum on W1, b1, W2, b2";
        gradient_descent_torch_optim(xs, ys, model, 8, 5, 1e-3); // warm-up: caches
        before = tf.memory().numTensors;
        const [trained, losses] = gradient_descent_torch_optim(xs, ys, model, 8, 2000, 1e-3);
        assert.equal(trained, model);
        assert.equal(losses.length, 2000);
        if (tf.memory().numTensors !== before) grown.push(`${what}: ${before} tensors before 2000 passes, ${tf.memory().numTensors} after`);
        if (model instanceof Module) model.dispose();
        else disposeParameters(model);
      }
      tf.dispose([xs, ys]);
      assert.deepEqual(grown, []);
    });

    it("trains with gd and momentum; momentum goes further in 200 passes at ε = 1e-4", () => {
      const gdModel = to_torch_parameters(init_two_layers_nn(784, 100, 3, 0));
      const moModel = to_torch_parameters(init_two_layers_nn(784, 100, 3, 0));
      const [gd, gdLosses, gdTests] = gradient_descent_torch(x, y, gdModel, 100, 200, 1e-4, xt, yt);
      const [mo, moLosses, moTests] = gradient_descent_torch_optim(x, y, moModel, 100, 200, 1e-4, xt, yt);
      assert.equal(gd, gdModel);
      assert.equal(mo, moModel);
      assert.equal(gdLosses.length, 200);
      assert.equal(gdTests.length, 200);
      assert.equal(moTests.length, 200);
      assert.equal(moLosses[0], gdLosses[0], "same init, same first loss");
      assert.ok(gdLosses[199] < gdLosses[0]);
      assert.ok(moLosses[199] < gdLosses[199]);
      disposeParameters(gdModel);
      disposeParameters(moModel);
    });

    it("without a model, both draw W1, b1, W2, b2 of Q = hidden_dim", () => {
      const xs = x.slice([0, 0], [20, 784]), ys = y.slice([0, 0], [20, 3]);
      const [p, losses] = gradient_descent_torch(xs, ys, null, 7, 2, 1e-3);
      const [q] = gradient_descent_torch_optim(xs, ys, null, 6, 2, 1e-3);
      assert.equal(losses.length, 2);
      assert.deepEqual(Object.values(p).map((v) => v.shape), [[784, 7], [1, 7], [7, 3], [1, 3]]);
      assert.ok(!(q instanceof Module));
      assert.deepEqual(Object.values(q).map((v) => (v as tf.Variable).shape), [[784, 6], [1, 6], [6, 3], [1, 3]]);
      disposeParameters(p);
      disposeParameters(q as TorchParameters);
      tf.dispose([xs, ys]);
    });

    it("the MLP (a Module) lists its 4 parameters, checks identity first, and learns with relu", () => {
      class Identity extends Module { forward(t: tf.Tensor2D) { return t.clone(); } }
      const same = new Identity().apply(xt);
      assert.equal(tf.tidy(() => tf.max(tf.abs(tf.sub(same, xt))).dataSync()[0]), 0);
      same.dispose();
      np.random.seed(0); // Linear draws its init from np.random: a reproducible run
      const mlp = new MLP(784, 100, 3);
      assert.deepEqual(mlp.parameters().map((p) => p.shape), [[784, 100], [1, 100], [100, 3], [1, 3]]);
      const [model, losses] = gradient_descent_torch_optim(x, y, mlp, 100, 100, 1e-2);
      assert.equal(model, mlp);
      assert.ok(losses[99] < losses[0]);
      const y_hat = mlp.apply(xt);
      assert.ok(accuracy(d.y_test, toMatrix(y_hat)) > 0.9);
      y_hat.dispose();
      mlp.dispose();
    });
  });
});
