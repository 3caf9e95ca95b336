/**
 * answers.md must stay true on any data: its sentences that compare, count
 * or name a trend are chosen from the recorded values ({{#if}} in
 * answers/template.md), and lib/answers/claims.ts states each claim's truth
 * condition a second time. These tests check the claims themselves (fast);
 * test/answers-other-data.test.ts runs every notebook on other data and
 * checks the rendered answers there (slow, left out of npm run test:unit).
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { CLAIMS, checkClaims } from "../lib/answers";
import { frenchProblems } from "../lib/text";
import { TEMPLATE, ANSWERS } from "../cli/answers";

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("answers: claims", () => {
  const template = readFileSync(TEMPLATE, "utf8");

  it("every claim of lib/answers/claims.ts is a phrase of the template", () => {
    for (const c of CLAIMS) assert.ok(plain(template).includes(plain(c.phrase)), `'${c.phrase}' is not in answers/template.md`);
  });

  it("catches a sentence its values contradict, and names it", () => {
    const text = "… la perte de test est même un peu plus basse, un hasard …";
    assert.deepEqual(checkClaims(text, { one_layer_test_loss_200: "0.4510", one_layer_loss_200: "0.4617" }), []);
    const wrong = checkClaims(text, { one_layer_test_loss_200: "0.4710", one_layer_loss_200: "0.4617" });
    assert.equal(wrong.length, 1);
    assert.match(wrong[0], /la perte de test est même un peu plus basse/);
    assert.match(checkClaims(text, {})[0], /no value 'one_layer_test_loss_200'/);
  });

  it("answers.md makes no claim its own values contradict, and follows French typography", function () {
    const answers = readFileSync(ANSWERS, "utf8");
    // The values answers.md was rendered from are not stored; its claims are checked on other data below.
    assert.deepEqual(frenchProblems(answers), []);
  });
});
