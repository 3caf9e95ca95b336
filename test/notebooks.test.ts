/**
 * Runs every notebook of notebooks/ headless with the project's kernel (what
 * `nn-workbook run --html` does), then opens the exported pages in headless
 * Chromium: every figure drawn, one screenshot per figure in
 * out/screenshots/html/.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runNotebook } from "../cli/run";
import { NOTEBOOKS, OUT, ROOT } from "../cli/paths";
import { KERNEL_NAME } from "../cli/kernel";
import { tempDir, removeDir } from "./helpers";
import { launchBrowser, figuresDrawn, screenshotFigures, imagesShown, SCREENSHOTS } from "./browser";
import type { Browser } from "playwright-core";
import { pathToFileURL } from "node:url";
import { collectValues, checkAnswers, runValues } from "../cli/answers";
import { frenchNumber } from "../lib/answers";
import { readNotebook, sourceText } from "../cli/notebook-json";
import type { NotebookCell } from "../cli/notebook-json";

const notebooks = readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

type Cell = NotebookCell;
const cellsOf = (file: string): Cell[] => readNotebook(file).cells;

describe("notebooks", function () {
  this.timeout(30 * 60 * 1000);

  it("are committed with outputs cleared and the TypeScript kernel", () => {
    assert.ok(notebooks.length > 0, "no notebook in notebooks/");
    for (const nb of notebooks) {
      const json = JSON.parse(readFileSync(join(NOTEBOOKS, nb), "utf8"));
      assert.equal(json.metadata.kernelspec.name, KERNEL_NAME, `${nb}: kernel`);
      const withOutputs = (json.cells as Cell[]).filter((c) => c.cell_type === "code" && (c.outputs ?? []).length > 0);
      assert.equal(withOutputs.length, 0, `${nb}: ${withOutputs.length} code cells have outputs; clear them (executed copies go to out/)`);
    }
  });

  const executed: string[] = [];
  let browser: Browser | undefined;
  before(async () => (browser = await launchBrowser()));
  after(async () => browser?.close());
  for (const nb of notebooks) {
    it(`${nb} runs headless and its HTML draws every figure`, async () => {
      const r = await runNotebook(join(NOTEBOOKS, nb), { outDir: join(OUT, "test"), html: true });
      executed.push(r.output);
      assert.ok(r.ok, `${nb}: cell ${r.failed_cell} failed (${r.reason}):\n${r.source}\n${r.error}`);
      // The solution notebooks pass their own self-checks (check.<name>(fn) cells).
      const selfChecks = cellsOf(r.output).filter((c) => c.cell_type === "code" && /^check\./.test(sourceText(c.source)));
      for (const c of selfChecks) assert.match(JSON.stringify(c.outputs), /✔/, `${nb}: ${sourceText(c.source)} printed nothing`);
      assert.ok(selfChecks.every((c) => !JSON.stringify(c.outputs).includes("✘")), `${nb}: a self-check failed`);
      const figures = cellsOf(r.output).flatMap((c) => (c.outputs ?? []) as { data?: Record<string, unknown> }[]).filter((o) => o.data?.["application/vnd.plotly.v1+json"]);
      const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
      try {
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(pathToFileURL(r.html!).href);
        const { total, drawn } = await figuresDrawn(page, ".nnwb-figure");
        assert.equal(total, figures.length, `${nb}: ${figures.length} figures in the notebook, ${total} in the HTML`);
        drawn.forEach((ok, i) => assert.ok(ok, `${nb}: figure ${i + 1} of ${total} was not drawn`));
        assert.deepEqual(errors, [], `${nb}: script errors in the exported page`);
        await screenshotFigures(page, ".nnwb-figure", join(SCREENSHOTS, "html"), nb.replace(/\.ipynb$/, ""));
        // The computational graphs (SVG images in markdown cells): each one loaded and laid out.
        const graphs = cellsOf(r.output).filter((c) => c.cell_type === "markdown" && sourceText(c.source).includes("](data:image/svg+xml")).length;
        const shown = await imagesShown(await page.$$('img[alt^="Graphe"]'), join(SCREENSHOTS, "html"), `${nb.replace(/\.ipynb$/, "")}-graph`);
        assert.equal(shown.length, 2 * graphs, `${nb}: ${graphs} graph cells (two images each), ${shown.length} graph images in the HTML`);
        shown.forEach((g) => assert.ok(g.shown, `${nb}: '${g.alt}' is not shown in the exported HTML`));
      } finally {
        await page.close();
      }
    });
  }

  it("answers.md and every answer cell agree with the values these runs recorded", function () {
    if (executed.length !== notebooks.length) this.skip(); // a notebook failed above
    const values = runValues(executed);
    assert.deepEqual(checkAnswers(values), []);
    // The check can fail: a changed number is caught, a changed timing is not; the
    // end of a diverging descent is compared only on the kernels answers.md was made with.
    assert.deepEqual(checkAnswers({ ...values, one_layer_acc_test: "0.123" }), [
      `value 'one_layer_acc_test': answers.md has ${frenchNumber(values.one_layer_acc_test)}, this run recorded 0,123: run 'npm run answers'`,
    ]);
    // An answer cell edited by hand is caught too.
    const dir = tempDir("answers-cell-");
    try {
      const files = readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(NOTEBOOKS, f));
      const nb = readNotebook(files[1]);
      const cell = nb.cells.find((c) => c.metadata.tags?.includes("answer") && c.metadata.tags.includes("c7"))!;
      cell.source = sourceText(cell.source).replace(/\d,\d+/, "9,999");
      files[1] = join(dir, "1-une-couche.ipynb");
      writeFileSync(files[1], JSON.stringify(nb));
      assert.deepEqual(checkAnswers(values, files), ["1-une-couche.ipynb: answer cell 'c7' is not its template section rendered with answers/values.json: run 'npm run answers'"]);
    } finally {
      removeDir(dir);
    }
    assert.deepEqual(checkAnswers({ ...values, ms_one_layer: "999.9" }), []);
    const diverged = { ...values, f64_eps0_loss: "14.5557" };
    assert.equal(checkAnswers(diverged).length, 1);
    assert.deepEqual(checkAnswers({ ...diverged, kernels_isa: "another-isa" }), []);
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

describe("nn-workbook run -p (parameters)", function () {
  this.timeout(180000);
  const fixture = join(__dirname, "..", "..", "test", "fixtures", "parameters.ipynb");
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "nn-workbook.js"), ...args], { encoding: "utf8", cwd: ROOT });
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => removeDir(dir));

  it("injects typed literals after the parameters cell, records them in the metadata, and the run reflects them", () => {
    const out = join(dir, "o.ipynb");
    const r = cli("run", fixture, "-p", "n", "7", "-p", "label", "b c", "-p", "flag", "true", "-p", "xs", "[3, 4, 5]", "-o", out);
    assert.equal(r.status, 0, r.stderr);
    const nb = JSON.parse(readFileSync(out, "utf8"));
    assert.deepEqual(nb.metadata["nn-workbook"].parameters, { n: 7, label: "b c", flag: true, xs: [3, 4, 5] });
    const injected = nb.cells.findIndex((c: Cell) => c.metadata.tags?.includes("injected-parameters"));
    assert.equal(injected, nb.cells.findIndex((c: Cell) => c.metadata.tags?.includes("parameters")) + 1);
    assert.deepEqual(collectValues([out]), { n_out: "7", label_out: "b c", sum_xs: "12" });
    const fig = nb.cells.flatMap((c: Cell) => c.outputs ?? []).find((o: { data?: Record<string, { data: { y: number[] }[] }> }) => o.data?.["application/vnd.plotly.v1+json"]);
    assert.equal(fig.data["application/vnd.plotly.v1+json"].data[0].y.length, 7, "the figure has the injected number of points");
  });

  it("rejects an unknown name (listing the known ones) and a value of the wrong type, before running anything", () => {
    const unknown = cli("run", fixture, "-p", "m", "1");
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown parameter 'm'; known: n \(number, default 5\), label \(string, default "a"\), flag \(boolean, default false\), xs \(array, default \[1, 2\]\)/);
    for (const [name, value, why] of [["n", "five", /'n' is a number .*'five' is not a finite number/], ["flag", "yes", /'flag' is a boolean .*neither true nor false/], ["xs", "1;2", /'xs' is a array .*not a JSON array/]] as const) {
      const r = cli("run", fixture, "-p", name, value);
      assert.equal(r.status, 2);
      assert.match(r.stderr, why);
      assert.doesNotMatch(r.stdout, /ok,/);
    }
  });

  it("sweeps a comma list: one output per value, a CSV summary and an HTML page with the curves overlaid", () => {
    const r = cli("run", fixture, "-p", "n", "3,4", "--out", dir);
    assert.equal(r.status, 0, r.stderr);
    const csv = readFileSync(join(dir, "parameters-sweep.csv"), "utf8").trim().split("\n");
    assert.equal(csv[0], "n,status,seconds,label_out,n_out,sum_xs");
    assert.match(csv[1], /^3,ok,[\d.]+,a,3,3$/);
    assert.match(csv[2], /^4,ok,[\d.]+,a,4,3$/);
    const html = readFileSync(join(dir, "parameters-sweep.html"), "utf8");
    assert.match(html, /n=3: squares/);
    assert.match(html, /n=4: squares/);
    assert.ok(existsSync(join(dir, "parameters-n=3.ipynb")) && existsSync(join(dir, "parameters-n=4.ipynb")));
  });
});
