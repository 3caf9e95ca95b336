/**
 * `nn-workbook train`: trains one of the lab's networks on the shipped data
 * (or a teacher's), from a seeded or a given init, and reports losses,
 * accuracies and speed (optionally as JSON).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Matrix } from "../lib/array";
import { load_data, DATA_DIR } from "../lib/data";
import type { Dataset } from "../lib/data";
import { loadMatrix } from "../lib/npy";
import { accuracy } from "../lib/nn";
import { BACKEND_NAMES, MODELS, MODEL_NAMES } from "./models";
import type { ModelName } from "./models";
import { intOption, positiveOption, choiceOption } from "./args";
import { progressBar } from "./progress";
import { UsageError } from "./paths";
import { writeAtomic } from "./notebook-json";

export interface TrainReport {
  model: ModelName;
  train_loss: number[];
  test_loss: number[];
  train_accuracy: number;
  test_accuracy: number;
  ms_per_pass: number;
  passes: number;
  stopped?: string;
}

/** Reads `name.npy` files of an init folder as float64 matrices; b-like (K,) vectors become (1, K). */
export function readInit(dir: string, names: readonly string[]): Record<string, Matrix> {
  if (!existsSync(dir)) throw new UsageError(`--init ${dir}: folder not found`);
  const out: Record<string, Matrix> = {};
  for (const n of names) {
    const file = join(dir, `${n}.npy`);
    if (!existsSync(file)) throw new UsageError(`--init ${dir}: ${n}.npy is missing (the ${names.join(", ")} files are needed)`);
    out[n] = loadMatrix(file);
  }
  return out;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: "string", default: "one-layer" },
      data: { type: "string" },
      dataset: { type: "string", default: "digit 3 classes" },
      init: { type: "string" },
      passes: { type: "string" },
      epsilon: { type: "string" },
      hidden: { type: "string" },
      optimizer: { type: "string" },
      activation: { type: "string" },
      backend: { type: "string" },
      seed: { type: "string" },
      json: { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(TRAIN_HELP);
    return 0;
  }
  const name = choiceOption("model", values.model, MODEL_NAMES, "one-layer");
  const model = MODELS[name];
  const passes = intOption("passes", values.passes, model.defaults.num_passes);
  const epsilon = positiveOption("epsilon", values.epsilon, model.defaults.epsilon);
  const hidden = intOption("hidden", values.hidden, model.defaults.hidden_dim ?? 0, 1);
  const seed = intOption("seed", values.seed, 0);
  if (values.hidden !== undefined && model.defaults.hidden_dim === undefined) throw new UsageError(`--hidden does not apply to --model ${name}`);
  for (const o of ["optimizer", "activation", "backend"] as const) {
    if (values[o] !== undefined && name !== "autograd") throw new UsageError(`--${o} applies to --model autograd only`);
  }
  const optimizer = choiceOption("optimizer", values.optimizer, ["gd", "momentum"] as const, "gd");
  const activation = choiceOption("activation", values.activation, ["tanh", "relu"] as const, "tanh");
  const backend = values.backend === undefined ? undefined : choiceOption("backend", values.backend, BACKEND_NAMES, "native");

  const data: Dataset = load_data(values.data ? resolve(values.data) : DATA_DIR, values.dataset);
  const D = data.x_train.cols, K = data.y_train.cols;
  const init = values.init ? readInit(resolve(values.init), model.parameterNames) : undefined;

  const bar = progressBar(name, passes);
  const fitted = await model.fit(data, { D, K, hidden, seed, hiddenGiven: values.hidden !== undefined, given: init, source: values.init, optimizer, activation, backend }, passes, epsilon, {
    quiet: true,
    onPass: ({ pass, train_loss, test_loss }) => bar.update(pass + 1, `loss ${train_loss.toFixed(4)}${test_loss === undefined ? "" : ` test ${test_loss.toFixed(4)}`}`),
  });
  bar.end();
  const result = fitted.result;
  const report: TrainReport = {
    model: name,
    train_loss: result.train_loss,
    test_loss: result.test_loss,
    train_accuracy: accuracy(data.y_train, fitted.predict(data.x_train)),
    test_accuracy: accuracy(data.y_test, fitted.predict(data.x_test)),
    ms_per_pass: result.ms_per_pass,
    passes: result.passes,
    ...(result.stopped ? { stopped: result.stopped } : {}),
  };
  if (values.json) {
    writeAtomic(resolve(values.json), JSON.stringify(report) + "\n");
  }
  if (!values.quiet) {
    const last = (a: number[]) => (a.length ? a[a.length - 1].toFixed(6) : "-");
    console.log(
      [
        `model          ${name}${model.defaults.hidden_dim !== undefined ? ` (Q = ${init ? init.W1.cols : hidden})` : ""}${name === "autograd" ? `, ${optimizer}, ${activation}, TensorFlow.js float32 (${fitted.backend} backend)` : ""}, ${values.init ? `init from ${values.init}` : `seed ${seed}`}`,
        `data           N = ${data.x_train.rows} train, ${data.x_test.rows} test, D = ${D}, K = ${K}`,
        `passes         ${report.passes} of ${passes}, ε = ${epsilon}`,
        `loss           train ${last(report.train_loss)}  test ${last(report.test_loss)}  (before the last update)`,
        `accuracy       train ${report.train_accuracy.toFixed(4)}  test ${report.test_accuracy.toFixed(4)}`,
        `speed          ${report.ms_per_pass.toFixed(2)} ms per pass`,
      ].join("\n"),
    );
  }
  if (result.stopped) {
    console.error(result.stopped);
    return 1;
  }
  return 0;
}

export const TRAIN_HELP = `usage: nn-workbook train [--model ${MODEL_NAMES.join("|")}] [options]

Trains one of the lab's networks by batch gradient descent and reports the
final losses, accuracies and ms per pass.
  --model M        ${MODEL_NAMES.join(", ")} (default one-layer)
  --data DIR       folder with x.npy, y.npy, xt.npy, yt.npy (default: the shipped data)
  --dataset NAME   named dataset in the data folder (default 'digit 3 classes';
                   'digit 3 classes full' is built from MNIST on first use)
  --init DIR       start from .npy parameters instead of a seeded init
                   (one-layer: W.npy, b.npy; two-layers: W1.npy, b1.npy, W2.npy, b2.npy)
  --hidden Q       hidden units of the two-layer nets (default 100, the handout's)
  --optimizer O    autograd: gd (W -= ε·grad, consigne 18) or momentum (SGD, 0.9, consigne 19)
  --activation A   autograd: tanh (default) or relu (consigne 18.9)
  --backend B      autograd: TensorFlow.js backend, native (C++ kernels, the default
                   when the addon is built), wasm or cpu
  --passes N       gradient-descent passes (default: the handout's, per model)
  --epsilon E      learning rate (default: the handout's, per model)
  --seed S         seed of the random init (default 0)
  --json FILE      write {train_loss, test_loss, train_accuracy, test_accuracy, ms_per_pass, passes}
  --quiet          no summary on stdout
Exit code 1 when training stopped on NaN/Infinity (the JSON is still written).`;
