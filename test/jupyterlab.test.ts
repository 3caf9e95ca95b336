/**
 * What a student sees: each notebook opened in a real JupyterLab (the
 * project's .venv and TypeScript kernel) in headless Chromium, all cells run
 * through JupyterLab's own "Run All Cells", then: every code cell ran, no
 * cell wrote an error, every figure was drawn. Screenshots of each figure
 * and of the notebook's end go to out/screenshots/jupyterlab/. The student
 * version, filled in by the fixture submission (test/fixtures/student), runs
 * the same way with fewer passes (etudiant-*.png).
 */
import { strict as assert } from "node:assert";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Browser, ElementHandle } from "playwright-core";
import { NOTEBOOKS } from "../cli/paths";
import { KERNEL_NAME } from "../cli/kernel";
import { launchBrowser, figuresDrawn, screenshotFigures, imagesShown, SCREENSHOTS } from "./browser";
import { startLab } from "./lab";
import type { Lab } from "./lab";
import { installedStudentFolder, fixtureParameters } from "./student";
import { tempDir, removeDir } from "./helpers";
import { injectParameters, notebookParameters, typedOverrides } from "../cli/parameters";
import type { Notebook } from "../cli/notebook-json";

const notebooks = readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

interface CellState {
  index: number;
  count: number | null;
  source: string;
  outputs: { output_type: string; name?: string; text?: string; data?: Record<string, unknown> }[];
}

// Browser-side snippets, as strings: the project compiles without DOM types.
const OPENED = (name: string) => `(() => {
  const app = window.jupyterapp, w = app && app.shell.currentWidget;
  return !!w && !!w.context && w.context.path === ${JSON.stringify(name)} && !!w.sessionContext;
})()`;
const KERNEL = `(async () => {
  const w = window.jupyterapp.shell.currentWidget;
  await w.context.ready;
  await w.sessionContext.ready;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return k ? k.name : null;
})()`;
const RUN_ALL = `void (window.nnwbRun = window.jupyterapp.commands.execute("notebook:run-all-cells"))`;
const RUN_DONE = `window.nnwbRun`;
const LIVE = "svg.nnwb-live";
const LIVE_PERCENT = `(() => {
  const m = Array.from(document.querySelectorAll("svg.nnwb-live text"), (t) => t.textContent).join(" ").match(/\\((\\d+) %\\)/);
  return m ? Number(m[1]) : -1;
})()`;
const TITLES = `Array.from(document.querySelectorAll(".jp-OutputArea .js-plotly-plot .gtitle")).map((t) => t.textContent)`;
const CELLS = `window.jupyterapp.shell.currentWidget.content.widgets
  .map((c, index) => ({ c, index })).filter(({ c }) => c.model.type === "code")
  .map(({ c, index }) => ({ index, count: c.model.executionCount, source: c.model.sharedModel.getSource(), outputs: c.model.outputs.toJSON() }))`;
// Markdown cells holding a computational graph (an SVG image): their indices, to scroll JupyterLab's windowed list to each.
const GRAPH_CELLS = `window.jupyterapp.shell.currentWidget.content.widgets
  .map((c, index) => ({ c, index })).filter(({ c }) => c.model.type === "markdown" && c.model.sharedModel.getSource().includes("](data:image/svg+xml"))
  .map(({ index }) => index)`;
const SCROLL_TO = (i: number) => `window.jupyterapp.shell.currentWidget.content.scrollToItem(${i}, "center")`;
const CELL_NODE = (i: number) => `window.jupyterapp.shell.currentWidget.content.widgets[${i}].node`;
const SHUTDOWN = `window.jupyterapp.shell.currentWidget.sessionContext.shutdown()`;

interface LabRun {
  /** Prefix of the log line and of the screenshots. */
  label: string;
  /** The live training view must be caught while it trains (a short run may end first). */
  requireLive: boolean;
  /** No self-check prints ✘ (the student's own functions pass them all). */
  selfChecksPass: boolean;
}

/**
 * Opens `nb` (its file is `file`) in JupyterLab, runs "Run All Cells" and
 * checks what a student sees: every code cell ran, none wrote an error,
 * every figure and graph was drawn; prints the Run All wall time.
 */
async function runAllInLab(browser: Browser, lab: Lab, nb: string, file: string, { label, requireLive, selfChecksPass }: LabRun): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const pageErrors: string[] = [];
  // JupyterLab's debugger panel rejects a promise for kernels without debug support (tslab): its noise, not ours.
  page.on("pageerror", (e) => e.message !== "No active debugger session" && pageErrors.push(e.message));
  try {
    await page.goto(lab.notebookUrl(nb));
    await page.waitForFunction(OPENED(nb), null, { timeout: 120000, polling: 250 });
    assert.equal(await page.evaluate(KERNEL), KERNEL_NAME, `${nb} should open with the TypeScript kernel`);
    const started = performance.now();
    await page.evaluate(RUN_ALL);
    // While it runs, catch a live training view in the act (notebooks that have one).
    const name = nb.replace(/\.ipynb$/, "");
    const hasLive = readFileSync(file, "utf8").includes("liveTraining(");
    let liveSeen = false;
    const done = page.evaluate(RUN_DONE).then(() => true);
    while (hasLive && !liveSeen && !(await Promise.race([done, new Promise<false>((r) => setTimeout(() => r(false), 250))]))) {
      // The cell, not the SVG: each update replaces the SVG node.
      const cell = page.locator(".jp-CodeCell", { has: page.locator(LIVE) });
      // Caught past a fifth of the run, so the picture shows the curve updated in place.
      const pct = (await page.evaluate(LIVE_PERCENT)) as number;
      if (pct >= 20 && (await cell.count()) === 1) {
        try {
          await cell.scrollIntoViewIfNeeded({ timeout: 5000 });
          await cell.screenshot({ path: join(SCREENSHOTS, "jupyterlab", `${label}${name}-live.png`), timeout: 5000 });
          liveSeen = true;
        } catch {
          // The run ended between the look and the picture (the live view became the final figure): look again.
        }
      }
    }
    await done;
    // A student's wait: Run All's wall time, kernel already started (the README quotes it).
    console.log(`      ${label}${nb}: Run All ${((performance.now() - started) / 1000).toFixed(1)} s${hasLive ? `, live view ${liveSeen ? "caught" : "not caught"}` : ""}`);
    if (requireLive) assert.equal(liveSeen, hasLive, `${nb}: the live training view (an SVG updated in place) never showed while training`);
    const cells = (await page.evaluate(CELLS)) as CellState[];
    const where = (c: CellState) => `cell ${c.index} (${c.source.split("\n")[0].slice(0, 60)})`;
    // tslab reports a failing cell on stderr only; nothing in these notebooks writes there otherwise.
    const failed = cells.filter((c) => c.outputs.some((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr")));
    assert.deepEqual(failed.map((c) => `${where(c)}: ${c.outputs.map((o) => o.text ?? "").join("").slice(0, 400)}`), [], `${nb}: cells with errors`);
    if (selfChecksPass) {
      const failing = cells.filter((c) => c.outputs.some((o) => /✘/.test(o.text ?? JSON.stringify(o.data ?? {}))));
      assert.deepEqual(failing.map(where), [], `${nb}: self-checks that fail`);
    }
    const notRun = cells.filter((c) => c.count === null);
    assert.deepEqual(notRun.map(where), [], `${nb}: cells that did not run`);
    const figures = cells.flatMap((c) => c.outputs).filter((o) => o.data?.["application/vnd.plotly.v1+json"]).length;
    const selector = ".jp-OutputArea .js-plotly-plot";
    const { total, drawn } = await figuresDrawn(page, selector);
    assert.equal(total, figures, `${nb}: ${figures} figures in the outputs, ${total} on the page`);
    drawn.forEach((ok, i) => assert.ok(ok, `${nb}: figure ${i + 1} of ${total} was not drawn`));
    const stuck = ((await page.evaluate(TITLES)) as string[]).filter((t) => / en cours /.test(t));
    assert.deepEqual(stuck, [], `${nb}: live figures that did not reach their final state`);
    await screenshotFigures(page, selector, join(SCREENSHOTS, "jupyterlab"), label + name);
    await page.screenshot({ path: join(SCREENSHOTS, "jupyterlab", `${label}${name}.png`) });
    // The computational graphs render in JupyterLab's markdown cells (SVG images, two per graph cell).
    for (const i of (await page.evaluate(GRAPH_CELLS)) as number[]) {
      // The windowed notebook renders a markdown cell once it is scrolled into view.
      let images: ElementHandle[] = [];
      // Scrolled again every half second: the first scroll aims at estimated cell heights.
      for (const end = Date.now() + 20000; images.length < 2 && Date.now() < end; ) {
        await page.evaluate(SCROLL_TO(i));
        await page.waitForTimeout(500);
        images = await (await page.evaluateHandle(CELL_NODE(i))).asElement()!.$$('img[alt^="Graphe"]');
      }
      const shown = await imagesShown(images, join(SCREENSHOTS, "jupyterlab"), `${label}${name}-graph-cell${i}`);
      assert.equal(shown.length, 2, `${nb}: cell ${i} should show two graph images, it shows ${shown.length}`);
      shown.forEach((g) => assert.ok(g.shown, `${nb}: '${g.alt}' is not shown in JupyterLab`));
    }
    assert.deepEqual(pageErrors, [], `${nb}: script errors in JupyterLab`);
    await page.evaluate(SHUTDOWN);
  } finally {
    await page.close();
  }
}

describe("notebooks in JupyterLab (headless Chromium)", function () {
  this.timeout(15 * 60 * 1000);
  let lab: Lab | undefined;
  let browser: Browser | undefined;

  before(async () => {
    mkdirSync(join(SCREENSHOTS, "jupyterlab"), { recursive: true });
    lab = await startLab(notebooks.map((nb) => join(NOTEBOOKS, nb)));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  for (const nb of notebooks) {
    it(`${nb}: Run All Cells runs every cell without an error and draws every figure`, () => runAllInLab(browser!, lab!, nb, join(NOTEBOOKS, nb), { label: "", requireLive: true, selfChecksPass: false }));
  }
});

describe("the student version filled in by the fixture, in JupyterLab (headless Chromium)", function () {
  this.timeout(15 * 60 * 1000);
  let lab: Lab | undefined;
  let browser: Browser | undefined;
  let dir: string | undefined;

  before(async function () {
    this.timeout(10 * 60 * 1000);
    mkdirSync(join(SCREENSHOTS, "jupyterlab"), { recursive: true });
    dir = tempDir("nnwb-lab-student-");
    // assign → the fixture's cells → the student's npm install (the folder's own lib build).
    const folder = installedStudentFolder(join(dir, "etudiant"));
    // Fewer passes, as the round trip runs them: the parameters written into each notebook's parameters cell.
    for (const nb of notebooks) {
      const file = join(folder, "notebooks", nb);
      const json = JSON.parse(readFileSync(file, "utf8")) as Notebook;
      const overrides = fixtureParameters(nb);
      if (overrides.length) writeFileSync(file, JSON.stringify(injectParameters(json, typedOverrides(notebookParameters(json, nb), overrides, nb)), null, 1));
    }
    lab = await startLab([], 60000, folder);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await lab?.stop();
    if (dir) removeDir(dir);
  });

  for (const nb of notebooks) {
    it(`${nb}, filled in by the student's fixture: Run All Cells runs every cell without an error and draws every figure`,
      () => runAllInLab(browser!, lab!, nb, join(dir!, "etudiant", "notebooks", nb), { label: "etudiant-", requireLive: false, selfChecksPass: true }));
  }
});
