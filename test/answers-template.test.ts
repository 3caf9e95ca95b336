import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderTemplate, evaluate, frenchNumber, templateKeys, TemplateError } from "../lib/answers";
import { ROOT } from "../cli/paths";

describe("answers template", () => {
  it("writes numbers the French way: decimal comma, minus sign, grouped thousands (U+202F)", () => {
    assert.equal(frenchNumber("0.974"), "0,974");
    assert.equal(frenchNumber("-36.84"), "−36,84");
    assert.equal(frenchNumber("18858"), "18\u202f858");
    assert.equal(frenchNumber("655403"), "655\u202f403");
    assert.equal(frenchNumber("1000"), "1\u202f000");
    assert.equal(frenchNumber("784"), "784");
    assert.equal(frenchNumber("2.2e-16"), "2,2e-16");
    assert.equal(frenchNumber("jamais"), "jamais");
    assert.equal(frenchNumber("NaN"), "NaN");
  });

  it("evaluates expressions on recorded values (numeric when they read as numbers)", () => {
    const v = { a: "0.4617", b: "0.4510", n: "1000", s: "jamais", t: "true" };
    assert.equal(evaluate("b < a", v), true);
    assert.equal(evaluate("a - b > 0.02 or n >= 1000 and not t", v), false);
    assert.equal(evaluate("s == \"jamais\"", v), true);
    assert.equal(evaluate("fixed(18858 / n, 0)", v), "19");
    assert.equal(evaluate("round(abs(-2.6)) + max(1, 2) * 2", v), 7);
    assert.equal(evaluate("sci(n * 1e-5, 0)", v), "1e-2");
    assert.throws(() => evaluate("a <", v), /ends too early/);
    assert.throws(() => evaluate("s < 3", v), /'jamais' is not a number/);
    assert.throws(() => evaluate("foo(1)", v), /unknown function 'foo'/);
  });

  it("chooses wording with if / elif / else, nested, and fills keys and expressions", () => {
    const t = "L = {{loss}}{{#if loss < 1}}, petite{{#if loss < 0.1}} (très){{/if}}{{#elif loss < 10}}, moyenne{{else}}, grande{{/if}} ; {{= fixed(loss * 2, 1)}}.";
    assert.equal(renderTemplate(t, { loss: "0.05" }), "L = 0,05, petite (très) ; 0,1.");
    assert.equal(renderTemplate(t, { loss: "0.5" }), "L = 0,5, petite ; 1,0.");
    assert.equal(renderTemplate(t, { loss: "5" }), "L = 5, moyenne ; 10,0.");
    assert.equal(renderTemplate(t, { loss: "50" }), "L = 50, grande ; 100,0.");
  });

  it("reports unknown keys, unclosed or stray tags and expressions written as keys", () => {
    assert.throws(() => renderTemplate("{{a}} {{b}}", { a: "1" }), /no notebook records 'b'/);
    assert.throws(() => renderTemplate("x\n{{#if a < 1}}y", { a: "0" }), (e: Error) => e instanceof TemplateError && /line 2: \{\{#if\}\} is never closed/.test(e.message));
    assert.throws(() => renderTemplate("{{/if}}", {}), /without \{\{#if\}\}/);
    assert.throws(() => renderTemplate("{{else}}", {}), /without \{\{#if\}\}/);
    assert.throws(() => renderTemplate("{{a * 2}}", { a: "1" }), /write \{\{= a \* 2\}\}/);
  });

  it("answers/template.md writes no pass count as a literal, except where a condition tests that very value", () => {
    const template = readFileSync(join(ROOT, "answers", "template.md"), "utf8");
    assert.deepEqual(literalPassCounts(template), [], "record the count in the notebook and write {{key}}");
    // The check itself: a bare count is caught, one guarded by a condition on its value is not.
    assert.deepEqual(literalPassCounts("Avec 600 passes (Q = 100) et 3\u202f000 itérations."), ["600 passes", "3\u202f000 itérations"]);
    assert.deepEqual(literalPassCounts("{{#if n == 2000}}2\u202f000 passes{{else}}{{n}} passes{{/if}}, {{#if n == 2000}}ok{{else}}200 passes{{/if}}"), ["200 passes"]);
  });

  it("answers/template.md parses and names its keys", () => {
    const keys = templateKeys(readFileSync(join(ROOT, "answers", "template.md"), "utf8"));
    assert.ok(keys.has("n_train") && keys.has("one_layer_acc_test"));
    assert.ok(!keys.has("fixed") && !keys.has("and"));
  });
});

/**
 * The pass counts (« 600 passes », « 3 000 itérations ») a template writes as
 * literals outside an {{#if}} branch whose condition names that number: a
 * count the notebooks' parameters can change must come from a recorded value.
 */
function literalPassCounts(template: string): string[] {
  const found: string[] = [];
  const guards: string[] = [];   // the condition of each open branch ("" for an else)
  let last = 0;
  const scan = (text: string) => {
    for (const m of text.matchAll(/(\d[\d\u202f]*) (passes|itérations)/g)) {
      const n = m[1].replace(/\u202f/g, "");
      if (!guards.some((g) => new RegExp(`\\b${n}\\b`).test(g))) found.push(m[0]);
    }
  };
  for (const m of template.matchAll(/\{\{(#if|#elif|else|\/if|=)?\s*([^}]*?)\s*\}\}/g)) {
    scan(template.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[1] === "#if") guards.push(m[2]);
    else if (m[1] === "#elif") guards[guards.length - 1] = m[2];
    else if (m[1] === "else") guards[guards.length - 1] = "";
    else if (m[1] === "/if") guards.pop();
  }
  scan(template.slice(last));
  return found;
}
