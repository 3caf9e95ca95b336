/**
 * Part 3's training on the TensorFlow.js backend `native` against part 2's
 * float64 descent, slow (left out of npm run test:unit);
 * test/tfjs-native.test.ts checks the kernels one by one.
 */
import { strict as assert } from "node:assert";
import { load_data } from "../lib/data";
import { evaluate_loss, gradient_descent_two_layers_nn, init_two_layers_nn, predict_two_layers_nn } from "../lib/nn";
import { tf, initBackend, toMatrix, toTensor, to_torch_parameters, predict_two_layers_nn_torch } from "../lib/autograd";
import { onNativeBackend } from "./native-backend";

describe("TensorFlow.js backend 'native': a training", function () {
  this.timeout(300000);

  onNativeBackend();

  it("part 3's training follows part 2's float64 descent: loss curves within float32 tolerance", async () => {
    // Autograd of the categorical cross-entropy is part 2's gradient / N: ε/N in part 2 makes the same steps.
    assert.equal(await initBackend("native"), "native");
    const d = load_data(), N = d.x_train.rows, passes = 60, epsilon = 0.5;
    const [, refLoss] = gradient_descent_two_layers_nn(d.x_train, d.y_train, init_two_layers_nn(784, 100, 3, 0), 100, passes, epsilon / N);
    const x = toTensor(d.x_train), y = toTensor(d.y_train);
    const model = to_torch_parameters(init_two_layers_nn(784, 100, 3, 0));
    const params = [model.W1, model.b1, model.W2, model.b2];
    const curve: number[] = []; // the handout's loss (float64) of part 3's parameters before each pass
    for (let i = 0; i < passes; i++) {
      curve.push(evaluate_loss(d.y_train, predict_two_layers_nn(d.x_train, { W1: toMatrix(model.W1), b1: toMatrix(model.b1), W2: toMatrix(model.W2), b2: toMatrix(model.b2) })));
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const y_hat = predict_two_layers_nn_torch(x, model);
          return tf.div(tf.neg(tf.sum(tf.mul(y, tf.log(tf.add(y_hat, 1e-16))))), N) as tf.Scalar; // categorical cross-entropy
        }, params);
        for (const W of params) W.assign(tf.sub(W, tf.mul(grads[W.name], epsilon)));
      });
    }
    assert.ok(refLoss[passes - 1] < refLoss[0] * 0.9, "the reference learns");
    let worst = 0;
    for (let i = 0; i < passes; i++) {
      const gap = Math.abs(curve[i] - refLoss[i]) / refLoss[i];
      worst = Math.max(worst, gap);
      assert.ok(gap < 1e-5, `pass ${i}: float32 ${curve[i]}, float64 ${refLoss[i]} (gap ${gap})`);
    }
    console.log(`      largest gap between the loss curves: ${worst.toExponential(1)}`);
    tf.dispose([x, y, ...params]);
  });
});
