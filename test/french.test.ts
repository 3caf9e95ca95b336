import { strict as assert } from "node:assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { typeset, frenchProblems, NBSP, NNBSP } from "../lib/text";
import { NOTEBOOKS } from "../cli/paths";
import { readNotebook, sourceText } from "../cli/notebook-json";
import { typesetFiles } from "../scripts/typeset";

describe("French typography (lib/text)", () => {
  it("puts the right no-break spaces before ; ! ? : and inside « », and groups thousands", () => {
    assert.equal(typeset("Question 1 : oui ; non ! quoi ? « cité »"), `Question 1${NBSP}: oui${NNBSP}; non${NNBSP}! quoi${NNBSP}? «${NBSP}cité${NBSP}»`);
    assert.equal(typeset("7883 paramètres, 655403 et 1 000 images"), `7${NNBSP}883 paramètres, 655${NNBSP}403 et 1${NNBSP}000 images`);
    assert.equal(typeset("`y.npy` : les labels"), `\`y.npy\`${NBSP}: les labels`);
  });

  it("leaves code, math, URLs, HTML attributes, template tags, decimals and exponents alone", () => {
    const kept = [
      "`a: b; c?`", "$x: y; z$", "$$a: b$$", "https://a.b/c?d=1;e", '<img alt="a: b; c">', "{{#if a < 1}}", "<!-- answer: q1 -->",
      "![image](data:image/svg+xml;base64,AAAA)", "0,9571 et 1e-16 et 2,2e-16 et W1 et x2", "```\nif (a) { b: 1; }\n```", "> ```python\n> # TODO: x\n> ```",
    ];
    for (const k of kept) assert.equal(typeset(k), k, k);
  });

  it("is idempotent", () => {
    const t = "Note : 18858 images ; « voir » ! `x: 1` 1 000 passes ?";
    assert.equal(typeset(typeset(t)), typeset(t));
  });

  it("reports missing spaces, decimal points, mixed decimal marks and ungrouped numbers, with the line", () => {
    const problems = frenchProblems("ligne 1\nε = 0,1 donne 0.974 ; 18858 images et 7883 paramètres : fin");
    const messages = problems.map((p) => `${p.line} ${p.message}`).join("\n");
    assert.ok(problems.every((p) => p.line === 2));
    for (const m of [/avant « ; »/, /avant « : »/, /0\.974 : virgule décimale/, /mélange le point/, /18858 : groupez/, /7883 paramètres : un effectif/]) assert.match(messages, m);
    assert.deepEqual(frenchProblems(typeset("Question 1 : 18858 images ; « oui »")), []);
    // handout section and consigne numbers are not decimals
    assert.deepEqual(frenchProblems(typeset("Consigne 18.7 : voir la section 1.0")), []);
  });

  it("the notebooks' markdown cells follow the rules once typeset (npm run typeset)", () => {
    for (const f of readdirSync(NOTEBOOKS).filter((n) => n.endsWith(".ipynb"))) {
      readNotebook(join(NOTEBOOKS, f)).cells.filter((c) => c.cell_type === "markdown").forEach((c, i) => {
        const problems = frenchProblems(typeset(sourceText(c.source)));
        assert.deepEqual(problems, [], `${f}, markdown cell ${i + 1} (${c.id ?? "no id"}): ${problems.map((p) => p.message).join("; ")}`);
      });
    }
  });

  it("npm run typeset leaves answers/template.md unchanged (it is typeset)", () => {
    const template = typesetFiles().find((f) => f.file.endsWith("template.md"))!;
    assert.equal(template.content, undefined, "answers/template.md is not typeset: run 'npm run typeset'");
  });
});
