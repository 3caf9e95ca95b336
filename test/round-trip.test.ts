/**
 * The round trip a real student makes: the student folder from `assign`,
 * filled in with a student's own code (test/fixtures/student), its notebooks
 * run end to end, then graded by `grade`: full marks. (Each subtle mistake
 * of issue 15 costing its own checks: test/grade-checks.test.ts.)
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { bubblewrap, grade } from "../cli/grade";
import { NOTEBOOKS, ROOT } from "../cli/paths";
import { runNotebook } from "../cli/run";
import { readNotebook } from "../cli/notebook-json";
import { filledStudentFolder, fixtureParameters, VARIANTS } from "./student";
import { tempDir, removeDir } from "./helpers";

const NOTEBOOK_FILES = readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

describe("a student's round trip: assign, fill in, run, grade", function () {
  this.timeout(3600000);
  let dir: string;
  before(function () {
    if (!bubblewrap()) this.skip();
    dir = tempDir("nnwb-round-trip-");
  });
  after(() => dir && removeDir(dir));

  /** A student folder filled in with the fixture (and the given mistakes). */
  const folder = (name: string, mistakes = VARIANTS[name] ?? []) => {
    const out = join(dir, name.replace(/\W+/g, "-"));
    assert.equal(filledStudentFolder(out, mistakes), 17);
    return out;
  };

  it("the filled-in student folder runs every notebook end to end, figures included", async () => {
    const out = folder("honnete", []);
    // The student's install, as npm install would leave it: the lib built from the folder's own sources.
    symlinkSync(join(ROOT, "node_modules"), join(out, "node_modules"));
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(out, "tsconfig.json")], { encoding: "utf8" });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    for (const f of NOTEBOOK_FILES) {
      const r = await runNotebook(join(out, "notebooks", f), { outDir: join(dir, "run"), parameters: fixtureParameters(f) });
      assert.ok(r.ok, `${f}: cell ${r.failed_cell}: ${r.error}`);
      // What the cells printed and drew (the prose mentions « À compléter » itself).
      const outputs = readNotebook(r.output).cells.map((c) => JSON.stringify(c.outputs ?? [])).join("\n");
      assert.doesNotMatch(outputs, /À compléter/, f);
      if (!f.startsWith("0-")) assert.match(outputs, /application\/vnd\.plotly\.v1\+json/, `${f}: figures`);
      assert.doesNotMatch(outputs, /✘/, `${f}: every self-check passes`);
    }
  });

  it("grades the honest student at full marks (the mistakes: test/grade-checks.test.ts)", async () => {
    const subs = join(dir, "copies");
    const to = join(subs, "honnete");
    mkdirSync(to, { recursive: true });
    const out = folder("honnete", []);
    for (const f of NOTEBOOK_FILES) cpSync(join(out, "notebooks", f), join(to, f));
    const outDir = join(dir, "notes");
    // The checks call the functions themselves: a small CPU budget for the notebooks' own cells (the run above
    // ran them end to end) grades the same, in a fraction of the time.
    const [honest] = await grade(subs, { outDir, cellTimeout: 40, budget: 40, memoryMb: 2048, jobs: 1, pointsFile: join(ROOT, "grading", "points.json") });
    const fb = readFileSync(join(outDir, "feedback", "honnete.md"), "utf8");
    assert.deepEqual(honest.checks.filter((c) => !c.ok).map((c) => c.id), [], fb);
    assert.equal(honest.total, honest.max);
    assert.equal(readdirSync(join(outDir, "executed", "honnete")).sort().join(), NOTEBOOK_FILES.join(), "every notebook has its executed copy");
  });
});
