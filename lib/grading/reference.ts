/**
 * The teacher's side of the checks: the reference values computed live from
 * lib/nn and lib/autograd, with the students' signatures. Only the grader
 * (and the script that stores expected.json) loads this file; the students'
 * lib does not hold it.
 */
import * as nn from "../nn";
import type * as Autograd from "../autograd";
import type { RawTensor } from "./wire";
import type { RawTorchParameters, ReferenceLib } from "./checks";

const autograd = (): typeof Autograd => require("../autograd") as typeof Autograd;

function toTf(t: RawTensor): Autograd.tf.Tensor2D {
  return autograd().tf.tensor2d(Float32Array.from(t.data), [t.shape[0], t.shape[1]], "float32");
}
function fromTf(t: Autograd.tf.Tensor): RawTensor {
  return { shape: t.shape.slice(), dtype: "float32", data: Float32Array.from(t.dataSync()), variable: false };
}
function torchParameters(p: RawTorchParameters): Autograd.TorchParameters {
  const { tf } = autograd();
  const v = (t: RawTensor) => tf.variable(toTf(t), true);
  return { W1: v(p.W1), b1: v(p.b1), W2: v(p.W2), b2: v(p.b2) };
}
/** Runs `body` and frees every tensor it made (the harness lives as long as the class's grading). */
function scoped<T>(body: () => T): T {
  const { tf } = autograd();
  tf.engine().startScope();
  try {
    return body();
  } finally {
    tf.engine().endScope();
  }
}

/** The reference, ready to compute (the TensorFlow.js backend must be initialised for part 3). */
export const reference: ReferenceLib = {
  softmax: nn.softmax,
  predict_one_layer_nn: nn.predict_one_layer_nn,
  evaluate_loss: nn.evaluate_loss,
  partial_derivative_one_layer_nn: nn.partial_derivative_one_layer_nn,
  gradient_descent_one_layer_nn: nn.gradient_descent_one_layer_nn,
  accuracy: nn.accuracy,
  predict_two_layers_nn: nn.predict_two_layers_nn,
  partial_derivative_two_layers_nn: nn.partial_derivative_two_layers_nn,
  gradient_descent_two_layers_nn: nn.gradient_descent_two_layers_nn,
  predict_two_layers_nn_torch: (x, p) => scoped(() => fromTf(autograd().predict_two_layers_nn_torch(toTf(x), torchParameters(p)))),
  evaluate_loss_torch: (y, y_hat) => scoped(() => autograd().evaluate_loss_torch(toTf(y), toTf(y_hat)).dataSync()[0]),
  gradient_descent_torch: (x, y, p, q, n, eps, optimizer) => scoped(() => optimizer === "momentum"
    ? autograd().gradient_descent_torch_optim(toTf(x), toTf(y), torchParameters(p), q, n, eps)[1]
    : autograd().gradient_descent_torch(toTf(x), toTf(y), torchParameters(p), q, n, eps)[1]),
  mlp_forward: (x, p) => scoped(() => {
    const { tf } = autograd();
    const w = torchParameters(p);
    return fromTf(tf.softmax(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(toTf(x), w.W1), w.b1)), w.W2), w.b2)));
  }),
};

/** Prepares the reference's TensorFlow.js backend (the same as the students', wasm). */
export async function initReference(): Promise<void> {
  await autograd().initBackend("wasm");
}
