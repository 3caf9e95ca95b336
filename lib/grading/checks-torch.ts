/**
 * Part 3's checks (consignes 16–18), on TensorFlow.js tensors. The autograd
 * lib is loaded only when one of them runs: grading parts 1–2 does not pay
 * for TensorFlow.js. Tolerances are float32's.
 */
import type { Matrix } from "../array/matrix";
import type * as Autograd from "../autograd";
import { Random } from "../array/random";
import * as nn from "../nn";
import type { Check } from "./checks";

type Fail = (message: string) => never;

const autograd = (): typeof Autograd => require("../autograd") as typeof Autograd;

/** The checks, given the shared helpers of checks.ts (one Failure type, one data loader). */
export function torchChecks(fail: Fail, smallData: () => { x_train: Matrix; y_train: Matrix; x_test: Matrix; y_test: Matrix }): Record<string, Check[]> {
  const D = 784, Q = 5, K = 3;
  /** Runs `body` with fixed tensors, then frees every tensor it made. */
  const withTensors = (body: (t: ReturnType<typeof tensors>) => void) => {
    const { tf } = autograd();
    const t = tensors();
    try {
      body(t);
    } finally {
      autograd().tf.dispose(Object.values(t.params));
      tf.dispose([t.x, t.y]);
    }
  };
  const tensors = () => {
    const a = autograd();
    const rng = new Random(20261130);
    const d = smallData();
    const x = a.toTensor(d.x_train.sliceRows(0, 12)), y = a.toTensor(d.y_train.sliceRows(0, 12));
    const p = nn.init_two_layers_nn(D, Q, K, 7);
    for (const m of [p.W1, p.b1, p.W2, p.b2]) m.data.forEach((_, i) => (m.data[i] = rng.randn(1, 1).data[0] * 0.3));
    return { x, y, params: a.to_torch_parameters(p) };
  };
  const tensor2d = (v: unknown, rows: number, cols: number, what: string): Autograd.tf.Tensor => {
    const { tf } = autograd();
    if (!(v instanceof tf.Tensor)) fail(`${what} devrait être un tenseur (tf.Tensor), c'est ${typeof v}`);
    const t = v as Autograd.tf.Tensor;
    if (t.shape.length !== 2 || t.shape[0] !== rows || t.shape[1] !== cols) fail(`${what} est de dimensions (${t.shape.join(", ")}), on attend (${rows}, ${cols})`);
    return t;
  };
  const closeArrays = (got: ArrayLike<number>, want: ArrayLike<number>, what: string, tol: number) => {
    let d = 0, n = 0;
    for (let i = 0; i < want.length; i++) { d += (got[i] - want[i]) ** 2; n += want[i] ** 2; }
    const err = Math.sqrt(d) / Math.max(Math.sqrt(n), 1e-30);
    if (!(err <= tol)) fail(`${what} est faux : écart relatif ${err.toExponential(1)} avec la valeur attendue (tolérance ${tol.toExponential(0)})`);
  };
  return {
    predict_two_layers_nn_torch: [
      { name: "dimensions", title: "Ŷ est un tenseur de dimensions (N, K)", run: (fn) => withTensors((t) => {
        const out = tensor2d(fn(t.x, t.params), 12, K, "predict_two_layers_nn_torch(x, parameters)");
        out.dispose();
      }) },
      { name: "valeurs", title: "Ŷ = softmax(tanh(x·W1 + b1)·W2 + b2), chaque ligne somme à 1", run: (fn) => withTensors((t) => {
        const out = tensor2d(fn(t.x, t.params), 12, K, "Ŷ");
        const want = autograd().predict_two_layers_nn_torch(t.x, t.params);
        try { closeArrays(out.dataSync(), want.dataSync(), "Ŷ", 1e-5); } finally { out.dispose(); want.dispose(); }
      }) },
    ],
    evaluate_loss_torch: [
      { name: "valeur", title: "la perte du TP, un tenseur scalaire", run: (fn) => withTensors((t) => {
        const { tf } = autograd();
        const y_hat = autograd().predict_two_layers_nn_torch(t.x, t.params);
        const got = fn(t.y, y_hat) as Autograd.tf.Tensor, want = autograd().evaluate_loss_torch(t.y, y_hat);
        try {
          if (!(got instanceof tf.Tensor) || got.size !== 1) fail("evaluate_loss_torch doit renvoyer un tenseur scalaire (pour que l'autograd le dérive)");
          closeArrays(got.dataSync(), want.dataSync(), "evaluate_loss_torch", 1e-5);
        } finally { tf.dispose([y_hat, got, want]); }
      }) },
    ],
    gradient_descent_torch: [
      { name: "perte-exacte", title: "30 itérations depuis une initialisation fixée donnent les pertes attendues", run: (fn) => {
        const a = autograd(), d = smallData();
        const x = a.toTensor(d.x_train), y = a.toTensor(d.y_train);
        const p1 = a.to_torch_parameters(nn.init_two_layers_nn(D, 10, K, 3)), p2 = a.to_torch_parameters(nn.init_two_layers_nn(D, 10, K, 3));
        try {
          const got = fn(x, y, p1, 10, 30, 0.1) as unknown[];
          const want = a.gradient_descent_torch(x, y, p2, 10, 30, 0.1)[1];
          if (!Array.isArray(got) || !Array.isArray(got[1])) fail("le résultat doit être [parameters, losses, test_losses], avec la perte à chaque itération");
          const losses = got[1] as number[];
          if (losses.length !== 30) fail(`train_loss a ${losses.length} valeurs pour 30 itérations`);
          if (!(losses[29] < losses[0])) fail(`la perte ne baisse pas : ${losses[0]} au début, ${losses[29]} à la fin`);
          const i = want.findIndex((v, k) => !(Math.abs(losses[k] - v) <= 1e-3 * Math.abs(v)));
          if (i >= 0) fail(`à l'itération ${i}, la perte vaut ${losses[i]}, on attend ${want[i].toFixed(5)} (même initialisation, ε = 0,1) : vérifiez W = W − ε·W.grad`);
        } finally {
          a.tf.dispose([...Object.values(p1), ...Object.values(p2), x, y]);
        }
      } },
    ],
  };
}
