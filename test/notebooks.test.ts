/**
 * Runs every notebook of notebooks/ headless with the project's kernel (what
 * `nn-workbook run --html` does), then checks that the exported pages draw
 * every figure in headless Chromium.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runNotebook } from "../cli/run";
import { NOTEBOOKS, OUT } from "../cli/paths";
import { renderedDom, figuresRendered } from "./browser";
import { collectValues, checkAnswers } from "../cli/answers";

const notebooks = readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

interface Cell { cell_type: string; outputs?: unknown[]; metadata: { tags?: string[] } }
const cellsOf = (file: string): Cell[] => JSON.parse(readFileSync(file, "utf8")).cells;

describe("notebooks", function () {
  this.timeout(30 * 60 * 1000);

  it("are committed with outputs cleared and the TypeScript kernel", () => {
    assert.ok(notebooks.length > 0, "no notebook in notebooks/");
    for (const nb of notebooks) {
      const json = JSON.parse(readFileSync(join(NOTEBOOKS, nb), "utf8"));
      assert.equal(json.metadata.kernelspec.name, "tslab", `${nb}: kernel`);
      const withOutputs = (json.cells as Cell[]).filter((c) => c.cell_type === "code" && (c.outputs ?? []).length > 0);
      assert.equal(withOutputs.length, 0, `${nb}: ${withOutputs.length} code cells have outputs; clear them (executed copies go to out/)`);
    }
  });

  const executed: string[] = [];
  for (const nb of notebooks) {
    it(`${nb} runs headless and its HTML draws every figure`, async () => {
      const r = await runNotebook(join(NOTEBOOKS, nb), { outDir: join(OUT, "test"), html: true });
      executed.push(r.output);
      assert.ok(r.ok, `${nb}: cell ${r.failed_cell} failed (${r.reason}):\n${r.source}\n${r.error}`);
      const figures = cellsOf(r.output).flatMap((c) => (c.outputs ?? []) as { data?: Record<string, unknown> }[]).filter((o) => o.data?.["application/vnd.plotly.v1+json"]);
      const drawn = figuresRendered(renderedDom(r.html!));
      assert.equal(drawn.length, figures.length, `${nb}: ${figures.length} figures in the notebook, ${drawn.length} in the HTML`);
      drawn.forEach((ok, i) => assert.ok(ok, `${nb}: figure ${i + 1} of ${drawn.length} was not drawn`));
    });
  }

  it("answers.md and every answer cell agree with the values these runs recorded", function () {
    if (executed.length !== notebooks.length) this.skip(); // a notebook failed above
    const values = collectValues(executed);
    assert.deepEqual(checkAnswers(values), []);
    // The check can fail: a changed number is caught, a changed timing is not.
    const changed = { ...values, one_layer_acc_test: "0.123" };
    assert.ok(checkAnswers(changed).some((p) => /answers\.md does not match/.test(p)));
    assert.ok(checkAnswers(changed).some((p) => /answer cell 'c7' does not match/.test(p)));
    assert.deepEqual(checkAnswers({ ...values, ms_one_layer: "999.9" }), []);
  });
});

describe("nn-workbook run", function () {
  this.timeout(120000);

  it("stops at a failing cell, names it, shows its error and keeps the executed part", async () => {
    const r = await runNotebook(join(__dirname, "..", "..", "test", "fixtures", "failing.ipynb"), { outDir: join(OUT, "test") });
    assert.equal(r.ok, false);
    assert.equal(r.failed_cell, 1);
    assert.equal(r.reason, "error");
    assert.match(r.error ?? "", /Error: boom/);
    assert.match(r.source ?? "", /fails on purpose/);
    const cells = cellsOf(r.output);
    assert.match(JSON.stringify(cells[0].outputs), /\[ 2, 2 \]/, "the cell before the failure keeps its output");
    assert.equal((cells[2].outputs ?? []).length, 0, "the cell after the failure did not run");
  });
});
