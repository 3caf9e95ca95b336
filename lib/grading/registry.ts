/**
 * Every graded function of the handout with its checks (checks.ts,
 * checks-torch.ts), and the loop that runs them with a context.
 */
import { Matrix } from "../array/matrix";
import { D, K, N, Q, Failure, setVariant, num, close, descentChecks, fail, fixtures, fr, gradientChecks, initChecks, initOne, initTwo, isMatrix, number, predictChecks, shape } from "./checks";
import type { Check, CheckResult, Context, OneLayerParameters, TwoLayersParameters } from "./checks";
import { torchChecks } from "./checks-torch";

/** Every graded function of the handout, with its checks, in the handout's order. */
export const CHECKS: Record<string, Check[]> = {
  init_one_layer_nn: initChecks("init_one_layer_nn", [D, K], [["W", D, K, true], ["b", 1, K, false]]),
  softmax: [
    { name: "dimensions", title: "le résultat a les dimensions de z", run: async (ctx) => void shape(await ctx.fn(fixtures().z), N, K, "softmax(z)") },
    {
      name: "somme-1", title: "chaque ligne somme à 1 (question 2)",
      async run(ctx) {
        const out = shape(await ctx.fn(fixtures().z), N, K, "softmax(z)");
        for (let i = 0; i < N; i++) {
          let row = 0;
          for (let j = 0; j < K; j++) row += out.get(i, j);
          if (!(Math.abs(row - 1) < 1e-9)) fail(`la ligne ${i} somme à ${num(row)}, pas à 1`);
        }
      },
    },
    { name: "valeurs", title: "les valeurs sont e^z / Σ e^z", run: async (ctx) => close(isMatrix(await ctx.fn(fixtures().z), "softmax(z)"), await ctx.ref("softmax/z", (lib) => lib.softmax(fixtures().z)), "softmax(z)", 1e-9) },
    {
      name: "grandes-valeurs", title: "pas de NaN pour de grandes valeurs (z = 1000)",
      async run(ctx) {
        const z = () => Matrix.from([[1000, 1000, -1000]]);
        close(isMatrix(await ctx.fn(z()), "softmax([[1000, 1000, -1000]])"), await ctx.ref("softmax/1000", (lib) => lib.softmax(z())), "softmax([[1000, 1000, -1000]])", 1e-9);
      },
    },
  ],
  predict_one_layer_nn: predictChecks("predict_one_layer_nn", () => fixtures().one, (lib, x, p) => lib.predict_one_layer_nn(x, p), "softmax(X·W + b)"),
  evaluate_loss: [
    { name: "valeur", title: "la perte du TP sur des valeurs fixées", run: async (ctx) => {
      const f = fixtures();
      const got = number(await ctx.fn(f.y, f.y_hat), "evaluate_loss(y, y_hat)"), want = await ctx.ref("evaluate_loss/valeur", (lib) => lib.evaluate_loss(f.y, f.y_hat));
      if (!(Math.abs(got - want) <= 1e-9 * Math.abs(want))) fail(`evaluate_loss vaut ${num(got)}, on attend ${fr(want)} : vérifiez les deux termes et la division par N`);
    } },
    { name: "epsilon", title: "finie quand ŷ vaut exactement 0 ou 1 (le +1e-16 dans les log)", run: async (ctx) => {
      const y = () => Matrix.from([[1, 0, 0]]), y_hat = () => Matrix.from([[0, 1, 0]]);
      const got = number(await ctx.fn(y(), y_hat()), "evaluate_loss([[1, 0, 0]], [[0, 1, 0]])"), want = await ctx.ref("evaluate_loss/epsilon", (lib) => lib.evaluate_loss(y(), y_hat()));
      if (!Number.isFinite(got)) fail(`evaluate_loss vaut ${num(got)} pour ŷ = (0, 1, 0) : ajoutez 1e-16 dans les log`);
      if (!(Math.abs(got - want) <= 1e-9 * want)) fail(`evaluate_loss vaut ${num(got)} pour y = (1, 0, 0), ŷ = (0, 1, 0), on attend ${fr(want, 4)}`);
    } },
  ],
  partial_derivative_one_layer_nn: gradientChecks("partial_derivative_one_layer_nn", () => fixtures().one, [["dW", D, K, ""], ["db", 1, K, ""]], "de dimensions (D, K) et (1, K)"),
  gradient_descent_one_layer_nn: descentChecks<OneLayerParameters>({
    name: "gradient_descent_one_layer_nn", derivative: "partial_derivative_one_layer_nn", epsilon: 1e-5, init: () => initOne(3),
    call: (ctx, d, p, withTest) => (withTest ? ctx.fn(d.x_train, d.y_train, p, 30, 1e-5, d.x_test, d.y_test) : ctx.fn(d.x_train, d.y_train, p, 30, 1e-5)),
    reference: (lib, d, p) => lib.gradient_descent_one_layer_nn(d.x_train, d.y_train, p, 30, 1e-5, d.x_test, d.y_test),
    predict: (lib, x, p) => lib.predict_one_layer_nn(x, p),
    gradient: (lib, x, y, y_hat, p) => lib.partial_derivative_one_layer_nn(x, y, y_hat, p),
  }),
  accuracy: [
    { name: "valeur", title: "la proportion des lignes où argmax(ŷ) = argmax(y) (consigne 7)", run: async (ctx) => {
      const f = fixtures();
      const got = number(await ctx.fn(f.y, f.y_hat), "accuracy(y, y_hat)"), want = await ctx.ref("accuracy/valeur", (lib) => lib.accuracy(f.y, f.y_hat));
      if (!(Math.abs(got - want) <= 1e-12)) fail(`accuracy vaut ${num(got)}, on attend ${fr(want, 4)} (une proportion entre 0 et 1, pas un pourcentage ni un nombre de lignes)`);
    } },
  ],
  init_two_layers_nn: initChecks("init_two_layers_nn", [D, Q, K], [["W1", D, Q, true], ["b1", 1, Q, false], ["W2", Q, K, true], ["b2", 1, K, false]]),
  predict_two_layers_nn: predictChecks("predict_two_layers_nn", () => fixtures().two, (lib, x, p) => lib.predict_two_layers_nn(x, p), "softmax(tanh(X·W1 + b1)·W2 + b2)"),
  partial_derivative_two_layers_nn: gradientChecks("partial_derivative_two_layers_nn", () => fixtures().two,
    [["dW1", D, Q, " (δ2)"], ["db1", 1, Q, " (δ2)"], ["dW2", Q, K, " (δ3)"], ["db2", 1, K, " (δ3)"]], "aux dimensions des paramètres"),
  gradient_descent_two_layers_nn: descentChecks<TwoLayersParameters>({
    name: "gradient_descent_two_layers_nn", derivative: "partial_derivative_two_layers_nn", epsilon: 1e-3, init: () => initTwo(3, 10),
    call: (ctx, d, p, withTest) => (withTest ? ctx.fn(d.x_train, d.y_train, p, 10, 30, 1e-3, d.x_test, d.y_test) : ctx.fn(d.x_train, d.y_train, p, 10, 30, 1e-3)),
    reference: (lib, d, p) => lib.gradient_descent_two_layers_nn(d.x_train, d.y_train, p, 10, 30, 1e-3, d.x_test, d.y_test),
    predict: (lib, x, p) => lib.predict_two_layers_nn(x, p),
    gradient: (lib, x, y, y_hat, p) => lib.partial_derivative_two_layers_nn(x, y, y_hat, p),
  }),
  ...torchChecks(),
};

/** The names of the graded functions, in the handout's order. */
export const GRADED_FUNCTIONS = Object.keys(CHECKS);

/** Classes the checks build (the grader must find them in a submission like functions). */
export const GRADED_CLASSES = ["MLP"];

/** Every check id (function/check), in order. */
export const CHECK_IDS = GRADED_FUNCTIONS.flatMap((f) => CHECKS[f].map((c) => `${f}/${c.name}`));

/** The student-facing reason of an exception thrown by a check. */
export function reason(name: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof Failure) return msg;
  if (/À compléter/.test(msg)) return `${name} n'est pas encore écrite (« À compléter »)`;
  return `${name} lève une erreur : ${msg.replace(/^Error: /, "")}`;
}

/** Runs every check of `name` with the contexts `make` gives (a fresh `once` per call); each scores on its own. */
export async function runChecksWith(name: string, make: (once: Context["once"]) => Context | string): Promise<CheckResult[]> {
  const checks = CHECKS[name];
  if (!checks) throw new RangeError(`runChecks: no checks for '${name}'; graded functions: ${GRADED_FUNCTIONS.join(", ")}`);
  const outcomes = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    if (!outcomes.has(key)) outcomes.set(key, compute());
    return outcomes.get(key) as Promise<T>;
  };
  const ctx = make(once);
  const results: CheckResult[] = [];
  for (const c of checks) {
    const base = { id: `${name}/${c.name}`, function: name, title: c.title };
    if (typeof ctx === "string") {
      results.push({ ...base, ok: false, message: ctx });
      continue;
    }
    try {
      setVariant(ctx.variant ?? 0);
      await c.run(ctx);
      results.push({ ...base, ok: true, message: "" });
    } catch (e) {
      results.push({ ...base, ok: false, message: reason(name, e) });
    }
  }
  return results;
}
