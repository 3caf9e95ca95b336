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

  it("answers/template.md parses and names its keys", () => {
    const keys = templateKeys(readFileSync(join(ROOT, "answers", "template.md"), "utf8"));
    assert.ok(keys.has("n_train") && keys.has("one_layer_acc_test"));
    assert.ok(!keys.has("fixed") && !keys.has("and"));
  });
});
