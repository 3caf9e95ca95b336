/**
 * answers.md must stay true on any data (see test/answers-claims.test.ts):
 * this slow test runs every notebook on another sample of MNIST 1/7/8 (other
 * seed, other sizes) and checks every claim the rendered answers make
 * against that run's values. Left out of npm run test:unit.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkClaims } from "../lib/answers";
import { frenchProblems } from "../lib/text";
import { buildDataset } from "../lib/data/mnist";
import { runValues, render, TEMPLATE, notebookFiles } from "../cli/answers";
import { runNotebook } from "../cli/run";
import { tempDir, removeDir } from "./helpers";

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("answers on other data (runs every notebook: slow)", function () {
  this.timeout(90 * 60 * 1000);
  let dir: string;
  let values: Record<string, string>;
  let rendered: string;

  before(async function () {
    dir = tempDir("nnwb-other-data-");
    // A teacher's own files: another seed, other sizes, in a folder that holds x.npy… itself.
    buildDataset(join(dir, "data"), { train: 400, test: 300, seed: 7 });
    const executed: string[] = [];
    for (const nb of notebookFiles()) {
      const r = await runNotebook(nb, { outDir: join(dir, "out"), parameters: [["data_repository", join(dir, "data")]] });
      assert.ok(r.ok, `${nb}: cell ${r.failed_cell} failed (${r.reason}):\n${r.source}\n${r.error}`);
      executed.push(r.output);
    }
    values = runValues(executed);
    rendered = render(readFileSync(TEMPLATE, "utf8"), values);
  });
  after(() => removeDir(dir));

  it("ran on the other data", () => {
    assert.equal(values.n_train, "400");
    assert.equal(values.n_test, "300");
    assert.ok(!plain(rendered).includes("tirés du vrai MNIST avec une graine fixe"), "a teacher's files are not the shipped sample");
  });

  it("every claim the rendered answers make holds for that run's values", () => {
    assert.deepEqual(checkClaims(rendered, values), []);
    assert.deepEqual(frenchProblems(rendered), []);
  });

  it("a doctored value makes a written claim false, and the template then drops it", () => {
    const phrase = "mais **pas** le gradient de la perte du TP";
    assert.ok(plain(rendered).includes(phrase));
    const doctored = { ...values, gradcheck_handout: "0.001" };
    assert.ok(checkClaims(rendered, doctored).some((m) => m.includes(phrase)));
    const again = render(readFileSync(TEMPLATE, "utf8"), doctored);
    assert.ok(!plain(again).includes(phrase));
    assert.deepEqual(checkClaims(again, doctored), []);
  });
});
