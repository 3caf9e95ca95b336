/**
 * Teacher tools: `assign` makes the student version; `grade` refuses bad
 * command lines and points files, finds the students of a folder. The
 * grading runs themselves (sandbox, attacks, a class) are in
 * grade-attacks.test.ts.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { ROOT, NOTEBOOKS, projectLayout } from "../cli/paths";
import { assign, stubSolutions, STUB } from "../cli/assign";
import { errorLine, loadPoints, submissions } from "../cli/grade";
import { runNotebook } from "../cli/run";
import { hasTag, readNotebook, sourceText } from "../cli/notebook-json";
import type { Notebook } from "../cli/notebook-json";
import { tempDir, removeDir } from "./helpers";

const code = (nb: Notebook) => nb.cells.filter((c) => c.cell_type === "code");

describe("nn-workbook assign", function () {
  this.timeout(300000);
  let dir: string;
  before(() => {
    dir = tempDir("nnwb-assign-");
    // The student folder sits beside dist/ and data/, as student/ does in the project.
    projectLayout(dir, "link");
    assign(["1-une-couche.ipynb", "2-deux-couches.ipynb"].map((f) => join(NOTEBOOKS, f)), join(dir, "student"));
  });
  after(() => removeDir(dir));

  it("stubs every solution, drops solution cells and answers, keeps the self-checks", () => {
    for (const name of ["1-une-couche.ipynb", "2-deux-couches.ipynb"]) {
      const sol = readNotebook(join(NOTEBOOKS, name)), stu = readNotebook(join(dir, "student", name));
      const text = code(stu).map((c) => sourceText(c.source)).join("\n");
      assert.doesNotMatch(text, /BEGIN SOLUTION|END SOLUTION|import \* as lib|showSource\("(softmax|predict_|partial_|gradient_descent_|evaluate_loss)/, name);
      assert.ok(stu.cells.every((c) => !hasTag(c, "solution") && (c.outputs ?? []).length === 0));
      assert.ok(stu.cells.filter((c) => hasTag(c, "answer")).every((c) => /^\*\*Votre réponse \(/.test(sourceText(c.source))));
      // Same code cells as the solution, minus its solution cells, each stubbed.
      const solCode = code(sol).filter((c) => !hasTag(c, "solution"));
      assert.deepEqual(code(stu).map((c) => sourceText(c.source)), solCode.map((c, i) => stubSolutions(sourceText(c.source), `cell ${i}`)));
      assert.ok(code(stu).some((c) => sourceText(c.source).includes(STUB)));
      assert.ok(code(stu).some((c) => /^check\./.test(sourceText(c.source))), "self-check cells stay");
    }
    assert.throws(() => stubSolutions("a\n// BEGIN SOLUTION\nb", "x"), /line 2: BEGIN SOLUTION without END SOLUTION/);
    assert.throws(() => stubSolutions("// END SOLUTION", "x"), /END SOLUTION without BEGIN/);
  });

  it("the student version runs up to the first stub, which says « À compléter »", async () => {
    const r = await runNotebook(join(dir, "student", "1-une-couche.ipynb"), { outDir: join(dir, "out") });
    assert.equal(r.ok, false);
    assert.match(r.error ?? "", /À compléter/);
    const cells = readNotebook(r.output).cells;
    const firstStub = cells.findIndex((c) => sourceText(c.source).includes(STUB));
    assert.ok(firstStub > 0 && r.failed_cell! > firstStub, `fails after the first stub (cell ${firstStub}), at ${r.failed_cell}`);
    const selfCheck = cells.slice(firstStub, r.failed_cell).map((c) => JSON.stringify(c.outputs ?? [])).join("");
    assert.match(selfCheck, /✘ softmax\\u00a0: 0\/4 vérifications réussies/, "the self-check ran and said what is missing");
  });
});

describe("nn-workbook grade: bad input", () => {
  let dir: string;
  beforeEach(() => (dir = tempDir("nnwb-grade-args-")));
  afterEach(() => removeDir(dir));
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "nn-workbook.js"), ...args], { encoding: "utf8" });

  it("says what is wrong with the command line, exit code 2", () => {
    for (const [args, message] of [
      [["grade"], /grade needs one folder of submissions/],
      [["grade", join(dir, "nope")], /nope: not a folder of submissions/],
      [["grade", dir, "--timeout", "soon"], /--timeout must be a positive number, got 'soon'/],
      [["grade", dir, "--points", join(dir, "missing.json")], /missing\.json: cannot read the points file/],
      [["grade", dir, "--shard", "3/2"], /--shard must be K\/N with 1 ≤ K ≤ N/],
      [["grade", "merge", dir], /grade merge needs --out DIR/],
      [["grade", "merge", dir, join(dir, "other"), "--out", join(dir, "m")], /grades\.csv is missing: is this an output folder/],
    ] as [string[], RegExp][]) {
      const r = cli(...args);
      assert.equal(r.status, 2, args.join(" "));
      assert.match(r.stderr, message);
    }
  });

  it("rejects a points file naming a check that does not exist", () => {
    const file = join(dir, "points.json");
    writeFileSync(file, JSON.stringify({ points: { "softmax/valeurs": 3, "softmax/vitesse": 1 } }));
    assert.throws(() => loadPoints(file), /unknown check 'softmax\/vitesse'/);
    writeFileSync(file, JSON.stringify({ default: 2, points: { "softmax/valeurs": 3 } }));
    const points = loadPoints(file);
    assert.deepEqual([points("softmax/valeurs"), points("softmax/dimensions")], [3, 2]);
  });

  it("feedback quotes the line of an error that says what went wrong", () => {
    const stack = "evalmachine.<anonymous>:3\n    process[name] = () => { throw new Error(`interdit`); };\n    ^\n\nError: process.exit est interdit\n    at process.exit";
    assert.equal(errorLine(stack), "Error: process.exit est interdit");
    assert.equal(errorLine("3:36 - Cannot find name 'evaluate_loss'."), "3:36 - Cannot find name 'evaluate_loss'.");
    assert.equal(errorLine("trop long (limite de 30 s) : le noyau a été arrêté"), "trop long (limite de 30 s) : le noyau a été arrêté");
  });

  it("finds the students of a folder: one .ipynb each, or one folder each", () => {
    mkdirSync(join(dir, "bob"));
    writeFileSync(join(dir, "bob", "1-une-couche.ipynb"), "{}");
    writeFileSync(join(dir, "bob", "notes.txt"), "");
    writeFileSync(join(dir, "alice.ipynb"), "{}");
    writeFileSync(join(dir, "README.md"), "");
    assert.deepEqual([...submissions(dir)].map(([s, files]) => [s, files.map((f) => f.slice(dir.length + 1))]), [["alice", ["alice.ipynb"]], ["bob", ["bob/1-une-couche.ipynb"]]]);
  });
});
