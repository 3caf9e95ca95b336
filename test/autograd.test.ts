import { strict as assert } from "node:assert";
import { Matrix, Random, mul } from "../lib/array";
import { load_data } from "../lib/data";
import { accuracy, init_two_layers_nn, predict_two_layers_nn, partial_derivative_two_layers_nn, evaluate_loss, numericGradient, relativeError } from "../lib/nn";
import {
  tf, initBackend, toTensor, toMatrix, to_torch_parameters, predict_two_layers_nn_torch, evaluate_loss_torch,
  categorical_cross_entropy_torch, gradient_descent_torch, predict_torch, MLP, Module, dispose_parameters, matMulData,
} from "../lib/autograd";

for (const backend of ["native", "wasm"] as const) describe(`part 3: automatic differentiation (TensorFlow.js, ${backend})`, function () {
  this.timeout(120000);
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
    dispose_parameters(tp);
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
    dispose_parameters(tp);
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
    dispose_parameters(tp);
  });

  it("matMulData has tf.matMul's value and gradient", () => {
    const x = toTensor(xm), W = tf.variable(toTensor(rng.randn(D, Q)));
    const f = (mm: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D) => tf.variableGrads(() => tf.sum(tf.square(mm(x, W))), [W]);
    const a = f(matMulData), b = f((u, v) => tf.matMul(u, v));
    assert.ok(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0]) < 1e-3);
    assert.ok(relativeError(toMatrix(a.grads[W.name]), toMatrix(b.grads[W.name])) < 1e-6);
    tf.dispose([x, W, a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
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
      for (const optimizer of ["gd", "momentum"] as const) {
        const model = new MLP(784, 8, 3, "tanh", 1);
        gradient_descent_torch(xs, ys, model, 8, 5, 1e-3, { optimizer }); // warm-up: caches, optimizer state shapes
        const before = tf.memory().numTensors;
        const r = gradient_descent_torch(xs, ys, model, 8, 2000, 1e-3, { optimizer });
        assert.equal(r.passes, 2000);
        assert.equal(tf.memory().numTensors, before, `${optimizer}: tensors before and after 2000 passes`);
        model.dispose();
      }
      tf.dispose([xs, ys]);
    });

    it("trains with gd and momentum; momentum goes further in 200 passes at ε = 1e-4", () => {
      const gd = gradient_descent_torch(x, y, null, 100, 200, 1e-4, { x_test: xt, y_test: yt });
      const mo = gradient_descent_torch(x, y, null, 100, 200, 1e-4, { x_test: xt, y_test: yt, optimizer: "momentum" });
      assert.equal(gd.train_loss.length, 200);
      assert.equal(gd.test_loss.length, 200);
      assert.ok(gd.train_loss[199] < gd.train_loss[0]);
      assert.ok(mo.train_loss[199] < gd.train_loss[199]);
      dispose_parameters(gd.model as Parameters<typeof dispose_parameters>[0]);
      dispose_parameters(mo.model as Parameters<typeof dispose_parameters>[0]);
    });

    it("the MLP (a Module) lists its 4 parameters, checks identity first, and learns with relu", () => {
      class Identity extends Module { forward(t: tf.Tensor2D) { return t.clone(); } }
      const same = new Identity().apply(xt);
      assert.equal(tf.tidy(() => tf.max(tf.abs(tf.sub(same, xt))).dataSync()[0]), 0);
      same.dispose();
      const mlp = new MLP(784, 100, 3, "relu", 0);
      assert.deepEqual(mlp.parameters().map((p) => p.shape), [[784, 100], [1, 100], [100, 3], [1, 3]]);
      const r = gradient_descent_torch(x, y, mlp, 100, 100, 1e-2, { optimizer: "momentum" });
      assert.equal(r.model, mlp);
      const y_hat = predict_torch(mlp, xt);
      assert.ok(accuracy(d.y_test, toMatrix(y_hat)) > 0.9);
      y_hat.dispose();
      mlp.dispose();
    });
  });
});
