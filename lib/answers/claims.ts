/**
 * The claims answers.md can make, each with the condition on the recorded
 * values under which it is true. The template chooses its wording with
 * {{#if}}; this list says the same thing a second time, independently, so
 * that a test can render the answers from a run on other data and check that
 * every sentence present is true for that run's values (`checkClaims`), and
 * that a sentence made false by a doctored value is caught.
 */
import type { Recorded } from "./record";

export interface Claim {
  /** Text that appears in answers.md only when the claim is made. */
  phrase: string;
  /** Whether the claim holds for these values. */
  holds: (v: Values) => boolean;
}

/** Typed access to recorded values; a missing or non-numeric value is an error that names the key. */
export class Values {
  constructor(private readonly values: Recorded) {}
  n(key: string): number {
    const s = this.s(key);
    const x = Number(s);
    if (s.trim() === "" || Number.isNaN(x)) throw new Error(`claims: value '${key}' = '${s}' is not a number`);
    return x;
  }
  s(key: string): string {
    if (!(key in this.values)) throw new Error(`claims: no value '${key}' was recorded`);
    return this.values[key];
  }
  yes(key: string): boolean {
    return this.s(key) === "true";
  }
}

const spread = (v: Values, keys: string[]) => Math.max(...keys.map((k) => v.n(k))) - Math.min(...keys.map((k) => v.n(k)));
const Q_ACCS = ["sweep_q3_acc", "sweep_q10_acc", "sweep_q50_acc", "sweep_q100_acc"];
const overfitsOneLayer = (v: Values) => v.n("overfit_final_test_loss") > v.n("overfit_min_test_loss") && v.n("overfit_final_train_loss") < v.n("overfit_train_loss_at_min");
const overfitsTwoLayers = (v: Values) => v.n("two_layers_loss_test") > v.n("two_layers_min_test");
const close = (v: Values) => Math.abs(v.n("one_layer_loss_200") - v.n("one_layer_test_loss_200")) < 0.1 * v.n("one_layer_loss_200");

export const CLAIMS: Claim[] = [
  { phrase: "tirés du vrai MNIST avec une graine fixe", holds: (v) => v.s("data_repository") === "../data" && v.s("dataset") === "digit 3 classes" },
  { phrase: "= 28 × 28", holds: (v) => v.n("d") === 784 },
  { phrase: "l'arrondi des flottants 64 bits", holds: (v) => v.n("sum_max_deviation") < 1e-12 },
  { phrase: "proche de −[ln(1/3)", holds: (v) => Math.abs(v.n("loss_init_one_layer") - v.n("loss_uniform")) < 0.01 },
  { phrase: "**exactement N fois le gradient", holds: (v) => v.n("gradcheck_categorical_below") <= 1e-6 },
  { phrase: "mais **pas** le gradient de la perte du TP", holds: (v) => v.n("gradcheck_handout") > 0.01 },
  { phrase: "diverge sur le jeu complet", holds: (v) => v.s("full_diverged_at") !== "jamais" },
  { phrase: "(les valeurs par défaut du TP)", holds: (v) => v.n("one_layer_num_passes") === 200 && v.n("one_layer_epsilon") === 1e-5 },
  { phrase: "La courbe décroît à chaque itération", holds: (v) => v.yes("one_layer_monotone") },
  { phrase: "vite au début puis de plus en plus lentement", holds: (v) => v.n("drop_0_50") > v.n("drop_50_100") && v.n("drop_50_100") > v.n("drop_100_150") && v.n("drop_100_150") > v.n("drop_150_199") },
  { phrase: "Elle n'a **pas convergé**", holds: (v) => v.n("drop_150_199") > 0 && v.n("one_layer_loss_2000") < v.n("one_layer_loss_200") },
  { phrase: "sont presque superposées", holds: close },
  { phrase: "et décroissent ensemble", holds: (v) => v.yes("one_layer_monotone") && v.yes("one_layer_test_monotone") },
  { phrase: "Le modèle généralise", holds: close },
  { phrase: "la perte de test est même un peu plus basse", holds: (v) => v.n("one_layer_test_loss_200") < v.n("one_layer_loss_200") },
  { phrase: "On l'observe ici en poussant l'entraînement", holds: overfitsOneLayer },
  { phrase: "La courbe n'est pas régulière", holds: (v) => v.n("two_layers_spike") > v.n("two_layers_loss_0") },
  { phrase: "avant de redescendre", holds: (v) => v.n("two_layers_loss_100") < v.n("two_layers_loss_0") },
  { phrase: ", presque 0", holds: (v) => v.n("two_layers_loss_train") < 0.01 },
  { phrase: "apprend par cœur les images d'apprentissage (précision 1)", holds: (v) => v.n("two_layers_acc_train") === 1 },
  { phrase: "**sur-apprend**", holds: overfitsTwoLayers },
  { phrase: "la précision de test varie peu", holds: (v) => spread(v, Q_ACCS) <= 0.01 },
  { phrase: "n'ont pas besoin de beaucoup de neurones", holds: (v) => spread(v, Q_ACCS) <= 0.01 },
  { phrase: "alors que la perte d'apprentissage finale baisse", holds: (v) => v.n("sweep_q100_loss") < v.n("sweep_q3_loss") },
  { phrase: "que le réseau emploie surtout à mieux apprendre", holds: (v) => v.n("sweep_q100_test_loss") - v.n("sweep_q100_loss") > v.n("sweep_q3_test_loss") - v.n("sweep_q3_loss") },
  { phrase: "beaucoup trop lente", holds: (v) => v.n("sweep_eps5_loss") > 2 * v.n("sweep_eps4_loss") },
  { phrase: "converge régulièrement", holds: (v) => v.yes("sweep_eps4_monotone") },
  { phrase: "va plus vite", holds: (v) => v.n("sweep_eps3_loss") < v.n("sweep_eps4_loss") },
  { phrase: "au prix de pics", holds: (v) => v.n("sweep_eps3_rises") > 0 },
  { phrase: "et s'arrête avec un message", holds: (v) => v.s("sweep_eps2_diverged_at") !== "jamais" },
  { phrase: "plus de passes n'améliorent plus le modèle", holds: overfitsTwoLayers },
  { phrase: "**diverge** dès la passe", holds: (v) => v.s("full_diverged_at") !== "jamais" },
  { phrase: "oscille entre", holds: (v) => v.n("full_oscillation_max") > v.n("full_oscillation_min") + 1 },
  { phrase: "la descente converge", holds: (v) => v.n("full_adjusted_loss") < v.n("full_adjusted_loss_0") / 4 },
  { phrase: "itérations ne suffisent pas du tout", holds: (v) => v.n("torch_loss_0") - v.n("torch_loss_200") < 0.01 },
  { phrase: "le score d'un réseau qui répond toujours la même classe", holds: (v) => v.n("torch_pred_classes") === 1 },
  { phrase: "La raison : autograd dérive la perte", holds: (v) => v.n("torch_eps1_acc") > v.n("torch_acc_200") },
  { phrase: "reste bloquée à une perte de", holds: (v) => v.s("torch_eps0_diverged") !== "jamais" && v.n("torch_eps0_grad") < 1e-12 },
  { phrase: "pour chaque image d'apprentissage, avec certitude", holds: (v) => v.yes("torch_eps0_one_class") && v.n("torch_eps0_certainty") === 1 },
  { phrase: "seule, la même descente se bloque aussi", holds: (v) => v.n("torch_cat_grad") < 1e-12 },
  { phrase: "`lib/nn/floor.ts`), la même descente se bloque aussi", holds: (v) => v.n("f64_eps0_grad") < 1e-12 },
  { phrase: "cette descente-ci ne se bloque pourtant pas", holds: (v) => v.n("torch_cat_grad") >= 1e-12 },
  { phrase: "la même descente ne se bloque pas", holds: (v) => v.n("f64_eps0_grad") >= 1e-12 },
  { phrase: "suffisent presque", holds: (v) => Math.abs(v.n("torch_q10_acc") - v.n("torch_eps1_acc")) <= 0.005 },
  { phrase: "pour une passe bien moins chère", holds: (v) => v.n("ms_torch_q10") < v.n("ms_torch_q100") / 2 },
  { phrase: ": du sur-apprentissage", holds: (v) => v.n("torch_600_test") > v.n("torch_600_min") },
  { phrase: "comme dans les parties 1 et 2", holds: (v) => overfitsOneLayer(v) && overfitsTwoLayers(v) },
  { phrase: "**tanh et relu donnent la même chose**", holds: (v) => Math.abs(v.n("act_tanh4_loss") - v.n("act_relu4_loss")) < 0.001 && v.n("act_tanh4_acc") === v.n("act_relu4_acc") },
  { phrase: "relu descend plus bas", holds: (v) => v.n("act_relu0_loss") < v.n("act_tanh0_loss") },
  { phrase: "tanh descend plus bas", holds: (v) => v.n("act_tanh0_loss") <= v.n("act_relu0_loss") },
  { phrase: "l'activation compte peu", holds: (v) => Math.abs(v.n("act_relu0_acc") - v.n("act_tanh0_acc")) <= 0.005 },
  { phrase: "plus vite que la descente simple", holds: (v) => v.n("mom_loss") < v.n("torch_loss_200") },
  { phrase: "mais reste bien trop lent", holds: (v) => v.n("mom_acc") < 0.5 },
  { phrase: "Le module identité rend bien ses entrées", holds: (v) => v.yes("identity_same") },
  { phrase: "nettement plus que le réseau des consignes", holds: (v) => v.n("mlp_loss") < v.n("mom_loss") - 0.05 },
];

/** The claims a rendered text makes that its values contradict, one message each. */
export function checkClaims(text: string, values: Recorded, claims: Claim[] = CLAIMS): string[] {
  const v = new Values(values);
  const wrong: string[] = [];
  // Typeset text has no-break spaces where the phrases have plain ones.
  const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
  const prose = plain(text);
  for (const c of claims) {
    if (!prose.includes(plain(c.phrase))) continue;
    let ok: boolean;
    try {
      ok = c.holds(v);
    } catch (e) {
      wrong.push(`« ${c.phrase} » : ${(e as Error).message}`);
      continue;
    }
    if (!ok) wrong.push(`« ${c.phrase} » is written but the recorded values contradict it`);
  }
  return wrong;
}
