/** The networks `train` knows, each with the handout's defaults. */
import { Matrix } from "../lib/array";
import type { Dataset } from "../lib/data";
import {
  init_one_layer_nn, predict_one_layer_nn, gradient_descent_one_layer_nn,
  init_two_layers_nn, predict_two_layers_nn, gradient_descent_two_layers_nn,
} from "../lib/nn";
import type { TwoLayersParameters } from "../lib/nn";
import { train } from "../lib/training";
import type { TrainOptions, TrainingResult } from "../lib/training";

/** What `train` asks of a run besides the data and ε (the rest of TrainOptions). */
export type RunOptions = Omit<TrainOptions, "epsilon" | "n" | "what">;
import { UsageError } from "./paths";
import type { TorchParameters } from "../lib/autograd";

export interface InitRequest {
  D: number;
  K: number;
  hidden: number;
  seed: number;
  /** True when --hidden was given explicitly. */
  hiddenGiven?: boolean;
  /** Autograd only: the optimizer and the hidden activation. */
  optimizer?: "gd" | "momentum";
  activation?: "tanh" | "relu";
  /** Autograd only: the TensorFlow.js backend (default: initBackend's choice). */
  backend?: (typeof BACKEND_NAMES)[number];
  /** Parameters read with --init, by name. */
  given?: Record<string, Matrix>;
  source?: string;
}

interface ModelSpec<P> {
  defaults: { num_passes: number; epsilon: number; hidden_dim?: number };
  parameterNames: readonly string[];
  init(req: InitRequest): P;
  predict(x: Matrix, p: P): Matrix;
  train(data: Dataset, p: P, passes: number, epsilon: number, opts: RunOptions): TrainingResult<P>;
}

/** A trained network, whatever its parameters' type. */
export interface Fitted {
  result: TrainingResult<unknown>;
  predict(x: Matrix): Matrix;
  /** Autograd: the TensorFlow.js backend that ran. */
  backend?: string;
}

/** The TensorFlow.js backends of part 3 (lib/autograd's BACKENDS, without loading TensorFlow.js). */
export const BACKEND_NAMES = ["native", "wasm", "cpu"] as const;

export interface ModelEntry {
  defaults: ModelSpec<unknown>["defaults"];
  parameterNames: readonly string[];
  fit(data: Dataset, req: InitRequest, passes: number, epsilon: number, opts: RunOptions): Promise<Fitted>;
}

/** Hides the parameter type P behind `fit`, so models of different P share one table. */
function entry<P>(spec: ModelSpec<P>): ModelEntry {
  return {
    defaults: spec.defaults,
    parameterNames: spec.parameterNames,
    async fit(data, req, passes, epsilon, opts) {
      const result = spec.train(data, spec.init(req), passes, epsilon, opts);
      return { result, predict: (x) => spec.predict(x, result.parameters) };
    },
  };
}

/** The two-layer parameters of an --init folder, checked against the data and --hidden. */
function givenTwoLayers(req: InitRequest): TwoLayersParameters {
  const Q = req.given!.W1.cols;
  if (req.hidden !== Q && req.hiddenGiven) throw new UsageError(`--hidden ${req.hidden} but --init ${req.source}: W1.npy has Q = ${Q} columns`);
  return { W1: given(req, "W1", req.D, Q), b1: given(req, "b1", 1, Q), W2: given(req, "W2", Q, req.K), b2: given(req, "b2", 1, req.K) };
}

/**
 * Part 3, autograd with TensorFlow.js: loaded only when asked for (it is
 * heavy), on the backend asked for (native by default when the addon has its
 * float32 kernels, else wasm); data and results cross as float32 tensors.
 */
const autograd: ModelEntry = {
  defaults: { num_passes: 200, epsilon: 1e-4, hidden_dim: 100 },
  parameterNames: ["W1", "b1", "W2", "b2"],
  async fit(data, req, passes, epsilon, opts) {
    const A = await import("../lib/autograd");
    const backend = await A.initBackend(req.backend);
    const [x, y, xt, yt] = [data.x_train, data.y_train, data.x_test, data.y_test].map(A.toTensor);
    const p = req.given ? givenTwoLayers(req) : init_two_layers_nn(req.D, req.hidden, req.K, req.seed);
    const model = A.to_torch_parameters(p);
    const activation = req.activation === "relu" ? A.tf.relu : A.tf.tanh;
    const Q = p.W1.cols;
    // Momentum keeps a velocity inside one call: that run is one slice; plain descent is timed pass by pass.
    const r = req.optimizer === "momentum"
      ? train((m, n) => A.gradient_descent_torch_optim(x, y, m, Q, n, epsilon, xt, yt) as [TorchParameters, number[], number[]], model, passes,
        { ...opts, slice: passes, epsilon, n: x.shape[0], what: "gradient_descent_torch_optim", gradientIsSum: false, language: "en" })
      : train((m, n) => A.gradient_descent_torch(x, y, m, Q, n, epsilon, xt, yt, activation), model, passes,
        { ...opts, epsilon, n: x.shape[0], what: "gradient_descent_torch", gradientIsSum: false, language: "en" });
    const predict = (m: Matrix) => {
      const t = A.toTensor(m), y_hat = A.tf.tidy(() => A.predict_two_layers_nn_torch(t, model, activation));
      const out = A.toMatrix(y_hat);
      A.releaseData(t);
      A.tf.dispose([t, y_hat]);
      return out;
    };
    [x, xt].forEach(A.releaseData);
    A.tf.dispose([x, y, xt, yt]);
    return { result: r, predict, backend };
  },
};

/** A given parameter with the expected shape; (K,) vectors read as (1, K) are fine. */
function given(req: InitRequest, name: string, rows: number, cols: number): Matrix {
  const m = req.given![name];
  if (m.rows !== rows || m.cols !== cols) {
    throw new UsageError(`--init ${req.source}: ${name}.npy is (${m.rows}, ${m.cols}) but must be (${rows}, ${cols}) for this data`);
  }
  return m;
}

export const MODELS = {
  "one-layer": entry({
    defaults: { num_passes: 200, epsilon: 1e-5 },
    parameterNames: ["W", "b"],
    init: (req) => (req.given ? { W: given(req, "W", req.D, req.K), b: given(req, "b", 1, req.K) } : init_one_layer_nn(req.D, req.K, req.seed)),
    predict: predict_one_layer_nn,
    train: (d, p, n, e, o) => train((q, k) => gradient_descent_one_layer_nn(d.x_train, d.y_train, q, k, e, d.x_test, d.y_test), p, n,
      { ...o, epsilon: e, n: d.x_train.rows, what: "gradient_descent_one_layer_nn", language: "en" }),
  }),
  "two-layers": entry({
    defaults: { num_passes: 2000, epsilon: 1e-3, hidden_dim: 100 },
    parameterNames: ["W1", "b1", "W2", "b2"],
    init: (req) => (req.given ? givenTwoLayers(req) : init_two_layers_nn(req.D, req.hidden, req.K, req.seed)),
    predict: predict_two_layers_nn,
    train: (d, p, n, e, o) => train((q, k) => gradient_descent_two_layers_nn(d.x_train, d.y_train, q, q.W1.cols, k, e, d.x_test, d.y_test), p, n,
      { ...o, epsilon: e, n: d.x_train.rows, what: "gradient_descent_two_layers_nn", language: "en" }),
  }),
  autograd,
} satisfies Record<string, ModelEntry>;

export type ModelName = keyof typeof MODELS;
export const MODEL_NAMES = Object.keys(MODELS) as ModelName[];
