import { strict as assert } from "node:assert";
import { Matrix, Random, sum, mul, np } from "../lib/array";
import { load_data } from "../lib/data";
import {
  softmax, evaluate_loss, accuracy,
  init_one_layer_nn, predict_one_layer_nn, partial_derivative_one_layer_nn, gradient_descent_one_layer_nn,
} from "../lib/nn";
import { categorical_cross_entropy, numericGradient, relativeError } from "../lib/metrics";
import { divergedAt } from "../lib/training";
import { maxAbsDiff } from "./helpers";

describe("part 1: softmax and the loss", () => {
  it("softmax rows are probabilities that sum to 1", () => {
    const p = softmax(new Random(1).randn(50, 3));
    assert.ok(p.data.every((v) => v > 0 && v < 1));
    assert.ok(maxAbsDiff(sum(p, 1).data, new Float64Array(50).fill(1)) < 1e-15);
  });

  it("softmax is stable for |z| ≥ 1000 and unchanged by a shift of the row", () => {
    const p = softmax(Matrix.from([[1000, 1000, -1000], [-1000, -2000, -1000], [1e308, 0, -1e308]]));
    assert.deepEqual(p.toArray(), [[0.5, 0.5, 0], [0.5, 0, 0.5], [1, 0, 0]]);
    const z = Matrix.from([[1, 2, 3]]);
    assert.ok(maxAbsDiff(softmax(z).data, softmax(Matrix.from([[1001, 1002, 1003]])).data) < 1e-15);
  });

  it("softmax works on read-only data and does not change its input", () => {
    const z = Matrix.from([[1, 2, 3], [0, 0, 0]]).freeze();
    const p = softmax(z);
    assert.deepEqual(z.toArray(), [[1, 2, 3], [0, 0, 0]]);
    assert.deepEqual(p.toArray()[1], [1 / 3, 1 / 3, 1 / 3]);
  });

  it("evaluate_loss matches hand-computed values", () => {
    // One sample, y = (1, 0, 0), ŷ = (0.5, 0.25, 0.25): −[ln 0.5 + 2 ln 0.75].
    const y = Matrix.from([[1, 0, 0]]);
    assert.ok(Math.abs(evaluate_loss(y, Matrix.from([[0.5, 0.25, 0.25]])) - -(Math.log(0.5) + 2 * Math.log(0.75))) < 1e-12);
    // Perfect prediction: 0 (the 1e-16 costs nothing measurable).
    assert.ok(Math.abs(evaluate_loss(y, Matrix.from([[1, 0, 0]]))) < 1e-15);
    // Certain and wrong: finite thanks to +1e-16, −ln(1e-16)·2 ≈ 73.68 (two wrong terms).
    assert.ok(Math.abs(evaluate_loss(y, Matrix.from([[0, 1, 0]])) - -2 * Math.log(1e-16)) < 1e-9);
    // The mean over N: two samples average.
    const two = evaluate_loss(Matrix.from([[1, 0, 0], [0, 1, 0]]), Matrix.from([[0.5, 0.25, 0.25], [0.25, 0.5, 0.25]]));
    assert.ok(Math.abs(two - -(Math.log(0.5) + 2 * Math.log(0.75))) < 1e-12);
    // Shapes that do not fit: NumPy's broadcast error, naming both shapes.
    assert.throws(() => evaluate_loss(y, Matrix.zeros(2, 3)), /could not be broadcast together with shapes \(1, 3\) \(2, 3\)/);
  });

  it("categorical_cross_entropy is −1/N Σ y ln(ŷ + 1e-16)", () => {
    const y = Matrix.from([[1, 0, 0], [0, 0, 1]]);
    const y_hat = Matrix.from([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]]);
    assert.ok(Math.abs(categorical_cross_entropy(y, y_hat) - -(Math.log(0.5) + Math.log(0.8)) / 2) < 1e-12);
  });

  it("accuracy compares argmaxes", () => {
    assert.equal(accuracy(Matrix.from([[1, 0], [0, 1], [0, 1]]), Matrix.from([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]])), 2 / 3);
  });
});

describe("part 1: the one-layer network", () => {
  const rng = new Random(5);
  const N = 6, D = 4, K = 3;
  const x = rng.randn(N, D);
  const y = new Matrix(N, K);
  for (let i = 0; i < N; i++) y.set(i, i % K, 1);

  it("has the handout's shapes", () => {
    const p = init_one_layer_nn(D, K, 1);
    assert.deepEqual(p.W.shape, [D, K]);
    assert.deepEqual(p.b.shape, [1, K]);
    assert.ok(p.W.data.every((v) => Math.abs(v) < 1e-2), "small values (randn · 1e-3)");
    const y_hat = predict_one_layer_nn(x, p);
    assert.deepEqual(y_hat.shape, [N, K]);
    const [dW, db] = partial_derivative_one_layer_nn(x, y, y_hat, p);
    assert.deepEqual(dW.shape, [D, K]);
    assert.deepEqual(db.shape, [1, K]);
    assert.throws(() => predict_one_layer_nn(new Matrix(2, 5), p), /shapes \(2, 5\) and \(4, 3\) not aligned: 5 \(dim 1\) != 4 \(dim 0\)/);
  });

  it("init_one_layer_nn's seed seeds np.random: the same seed gives the same parameters", () => {
    const a = init_one_layer_nn(D, K, 7);
    np.random.randn(3, 3); // other draws in between change nothing
    const b = init_one_layer_nn(D, K, 7);
    assert.deepEqual([a.W.data, a.b.data], [b.W.data, b.b.data]);
    // randn(D, K)·1e-3 then randn(1, K)·1e-3, from np.random seeded with 7.
    const rng7 = new Random(7);
    assert.deepEqual(a.W.data, mul(rng7.randn(D, K), 1e-3).data);
    assert.deepEqual(a.b.data, mul(rng7.randn(1, K), 1e-3).data);
    assert.notDeepEqual(init_one_layer_nn(D, K, 8).W.data, a.W.data);
  });

  it("Ŷ − Y is N × the gradient of the categorical cross-entropy (finite differences)", () => {
    const p = { W: mul(rng.randn(D, K), 0.5), b: mul(rng.randn(1, K), 0.5) };
    const [dW, db] = partial_derivative_one_layer_nn(x, y, predict_one_layer_nn(x, p), p);
    const ce = () => categorical_cross_entropy(y, predict_one_layer_nn(x, p));
    assert.ok(relativeError(dW, mul(numericGradient(ce, p.W), N)) < 1e-7);
    assert.ok(relativeError(db, mul(numericGradient(ce, p.b), N)) < 1e-7);
  });

  it("and is not the gradient of the handout's loss, which has the extra (1 − y) ln(1 − ŷ) term", () => {
    const p = { W: mul(rng.randn(D, K), 0.5), b: mul(rng.randn(1, K), 0.5) };
    const [dW] = partial_derivative_one_layer_nn(x, y, predict_one_layer_nn(x, p), p);
    const handout = mul(numericGradient(() => evaluate_loss(y, predict_one_layer_nn(x, p)), p.W), N);
    const gap = relativeError(dW, handout);
    assert.ok(gap > 0.05 && gap < 1, `relative gap ${gap}`);
  });

  it("trains on the shipped data with the handout's defaults: the loss falls, test accuracy ≥ 0.95", function () {
    this.timeout(120000);
    const d = load_data();
    const p0 = init_one_layer_nn(784, 3, 0);
    const W0 = p0.W.clone();
    const out = gradient_descent_one_layer_nn(d.x_train, d.y_train, p0, 200, 1e-5, d.x_test, d.y_test);
    assert.ok(Array.isArray(out) && out.length === 3, "returns [parameters, losses, test_losses]");
    const [parameters, losses, test_losses] = out;
    assert.deepEqual(p0.W.data, W0.data, "the caller's parameters are not changed");
    assert.equal(losses.length, 200);
    assert.equal(test_losses.length, 200);
    assert.ok(losses.every(Number.isFinite) && test_losses.every(Number.isFinite));
    assert.equal(divergedAt(losses), undefined, "no divergence");
    for (let i = 1; i < 200; i++) assert.ok(losses[i] < losses[i - 1], `train loss rose at pass ${i}`);
    assert.ok(losses[199] < 0.5 * losses[0]);
    assert.ok(accuracy(d.y_test, predict_one_layer_nn(d.x_test, parameters)) >= 0.95);
  });

  it("records the loss before each update, and the test loss only with test data", () => {
    const p = init_one_layer_nn(D, K, 2);
    const [p1, losses, test_losses] = gradient_descent_one_layer_nn(x, y, p, 3, 1e-2);
    assert.equal(losses.length, 3);
    assert.deepEqual(test_losses, []);
    assert.equal(losses[0], evaluate_loss(y, predict_one_layer_nn(x, p)), "loss 0 is the initial parameters' loss");
    // One pass by hand: W − ε·dW, b − ε·db.
    const [dW, db] = partial_derivative_one_layer_nn(x, y, predict_one_layer_nn(x, p), p);
    const q = { W: p.W.sub(dW.mul(1e-2)), b: p.b.sub(db.mul(1e-2)) };
    assert.equal(losses[1], evaluate_loss(y, predict_one_layer_nn(x, q)));
    const [q1] = gradient_descent_one_layer_nn(x, y, p, 1, 1e-2);
    assert.deepEqual([q1.W.data, q1.b.data], [q.W.data, q.b.data]);
    assert.deepEqual(gradient_descent_one_layer_nn(x, y, p, 0, 1e-2), [p, [], []], "0 passes: the parameters back, no loss");
    assert.deepEqual(p1.W.shape, [D, K]);
    // The test loss is that of the test set with the same parameters.
    const [, l2, t2] = gradient_descent_one_layer_nn(x, y, p, 2, 1e-2, x, y);
    assert.deepEqual(t2, l2, "test set = training set: same losses");
  });

  it("rejects data whose shapes do not fit with NumPy's messages", () => {
    const p = init_one_layer_nn(D, K, 2);
    assert.throws(() => gradient_descent_one_layer_nn(x, y.sliceRows(0, 3), p), /could not be broadcast together with shapes \(3, 3\) \(6, 3\)/);
    assert.throws(() => gradient_descent_one_layer_nn(new Matrix(N, D + 1), y, p), /not aligned: 5 \(dim 1\) != 4 \(dim 0\)/);
  });
});
