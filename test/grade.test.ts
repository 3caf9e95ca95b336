/**
 * Teacher tools: `assign` makes the student version, `grade` runs and scores
 * submissions. Submissions are built here from the shipped notebooks: a
 * correct one, a wrong gradient, stubs left in part 1 but part 2 right, an
 * infinite loop and a memory hog, process.exit / kill / writes outside the
 * sandbox, and a file that is not JSON.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { ROOT, NOTEBOOKS } from "../cli/paths";
import { assign } from "../cli/assign";
import { bubblewrap, errorLine, grade, loadPoints, submissions } from "../cli/grade";
import type { StudentGrade } from "../cli/grade";
import { hasTag, readNotebook, sourceText } from "../cli/notebook-json";
import type { Notebook, NotebookCell } from "../cli/notebook-json";
import { injectParameters } from "../cli/parameters";
import { CHECKS } from "../lib/grading/checks";
import { tempDir, removeDir } from "./helpers";

const PART1 = ["softmax", "predict_one_layer_nn", "evaluate_loss", "partial_derivative_one_layer_nn", "gradient_descent_one_layer_nn"];
const PART2 = ["predict_two_layers_nn", "partial_derivative_two_layers_nn", "gradient_descent_two_layers_nn"];
const code = (nb: Notebook) => nb.cells.filter((c) => c.cell_type === "code");
const codeCell = (source: string): NotebookCell => ({ cell_type: "code", metadata: {}, source, outputs: [], execution_count: null });
const save = (file: string, nb: Notebook) => writeFileSync(file, JSON.stringify(nb, null, 1));

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

describe("nn-workbook grade", function () {
  this.timeout(15 * 60 * 1000);
  let dir: string;
  let grades: Map<string, StudentGrade>;
  const escaped = () => [join(dir, "escaped.txt"), join(ROOT, "data", "escaped.txt")];

  /** The student version with the teacher's code cells pasted back. */
  function pasted(name: string, student: string): Notebook {
    const sol = readNotebook(join(NOTEBOOKS, name)), stu = readNotebook(join(student, name));
    const solCode = code(sol).filter((c) => !hasTag(c, "solution"));
    code(stu).forEach((c, i) => (c.source = sourceText(solCode[i].source)));
    return stu;
  }
  /** Inserts cells after the first cell whose source starts with `after`. */
  function insertAfter(nb: Notebook, after: string, ...cells: NotebookCell[]): Notebook {
    const i = nb.cells.findIndex((c) => sourceText(c.source).startsWith(after));
    assert.ok(i >= 0, `no cell starting with ${after}`);
    nb.cells.splice(i + 1, 0, ...cells);
    return nb;
  }

  before(async () => {
    // Without bubblewrap the notebooks could write anywhere: this test must not run then.
    assert.ok(bubblewrap(), "bubblewrap (bwrap) is needed to sandbox graded notebooks: sudo apt install bubblewrap");
    dir = tempDir("nnwb-grade-test-");
    const student = join(dir, "student");
    assign(["1-une-couche.ipynb", "2-deux-couches.ipynb", "3-autograd.ipynb"].map((f) => join(NOTEBOOKS, f)), student);
    const subs = join(dir, "submissions");
    const folder = (name: string) => { mkdirSync(join(subs, name), { recursive: true }); return join(subs, name); };
    // Part 2 with fewer passes, as a teacher re-running it would (the notebook's own parameters).
    const part2 = () => injectParameters(pasted("2-deux-couches.ipynb", student), { num_passes: "150", sweep_passes: "20" });

    save(join(folder("correct"), "1-une-couche.ipynb"), pasted("1-une-couche.ipynb", student));
    save(join(folder("correct"), "2-deux-couches.ipynb"), part2());
    save(join(folder("correct"), "3-autograd.ipynb"), injectParameters(pasted("3-autograd.ipynb", student), { num_passes: "30" }));

    const wrong = pasted("1-une-couche.ipynb", student);
    const grad = code(wrong).find((c) => sourceText(c.source).includes("return lib.partial_derivative_one_layer_nn("))!;
    grad.source = sourceText(grad.source).replace(/return lib\.partial_derivative_one_layer_nn\(([^)]*)\);/, "const [dW, db] = lib.partial_derivative_one_layer_nn($1);\n  return [mul(dW, 2), db]; // wrong: twice the gradient");
    mkdirSync(subs, { recursive: true });
    save(join(subs, "wrong-gradient.ipynb"), wrong);

    save(join(folder("part1-throws"), "1-une-couche.ipynb"), readNotebook(join(student, "1-une-couche.ipynb")));
    save(join(folder("part1-throws"), "2-deux-couches.ipynb"), part2());

    save(join(subs, "runaway.ipynb"), insertAfter(pasted("1-une-couche.ipynb", student), "check.softmax(",
      codeCell("// never ends\nwhile (true) {}"),
      codeCell("const hog: Float64Array[] = [];\nwhile (true) hog.push(new Float64Array(1 << 24).fill(1));")));

    const [outside, inRepo] = escaped();
    save(join(subs, "exits.ipynb"), insertAfter(pasted("1-une-couche.ipynb", student), "check.evaluate_loss(",
      codeCell(`import { writeFileSync } from "fs";\nwriteFileSync(${JSON.stringify(outside)}, "escaped");`),
      codeCell(`import { writeFileSync as w2 } from "fs";\nw2(${JSON.stringify(inRepo)}, "escaped");`),
      codeCell("process.exit(1);"),
      codeCell(`import { execSync } from "child_process";\nexecSync("kill -9 " + process.pid);`)));

    writeFileSync(join(subs, "not-json.ipynb"), "{ this is not a notebook");

    const out = join(dir, "grades");
    const list = await grade(subs, { outDir: out, cellTimeout: 30, budget: 600, memoryMb: 1500, jobs: 2, pointsFile: join(ROOT, "grading", "points.json") });
    grades = new Map(list.map((g) => [g.student, g]));
  });
  after(() => removeDir(dir));

  const points = loadPoints(join(ROOT, "grading", "points.json"));
  const maxOf = (fns: string[]) => fns.reduce((s, f) => s + CHECKS[f].reduce((t, c) => t + points(`${f}/${c.name}`), 0), 0);
  const scoreOf = (g: StudentGrade, fns: string[]) => g.checks.filter((c) => fns.includes(c.function)).reduce((s, c) => s + c.points, 0);
  const failed = (g: StudentGrade) => g.checks.filter((c) => !c.ok).map((c) => c.id);
  const feedbackOf = (name: string) => readFileSync(join(dir, "grades", "feedback", `${name}.md`), "utf8");

  it("a correct submission (the solutions pasted back, parts 1 to 3) passes every check", () => {
    const g = grades.get("correct")!;
    assert.deepEqual(failed(g), []);
    assert.equal(g.total, g.max);
    assert.equal(g.max, maxOf(Object.keys(CHECKS)));
    assert.ok(g.notebooks.every((nb) => nb.cells.every((c) => c.status === "ok")), "every cell of the three notebooks ran");
  });

  it("a wrong gradient costs its check only", () => {
    const g = grades.get("wrong-gradient")!;
    assert.deepEqual(failed(g).filter((id) => PART1.some((f) => id.startsWith(`${f}/`))), ["partial_derivative_one_layer_nn/dW"]);
    assert.equal(scoreOf(g, PART1), maxOf(PART1) - points("partial_derivative_one_layer_nn/dW"));
    assert.equal(scoreOf(g, PART2), 0, "part 2 was not handed in");
    assert.match(feedbackOf("wrong-gradient"), /✘ dW est juste \(0\/2\) : dW est faux : écart relatif 5\.0e-1/);
    assert.match(feedbackOf("wrong-gradient"), /predict_two_layers_nn n'est définie dans aucun cahier rendu/);
  });

  it("stubs left in part 1 score 0 there, part 2 still scores in full", () => {
    const g = grades.get("part1-throws")!;
    assert.equal(scoreOf(g, PART1), 0);
    assert.equal(scoreOf(g, PART2), maxOf(PART2));
    assert.match(feedbackOf("part1-throws"), /softmax n'est pas encore écrite \(« À compléter »\)/);
  });

  it("an infinite loop and a memory hog are killed; the rest of the notebook and every check still run", () => {
    const g = grades.get("runaway")!;
    assert.equal(scoreOf(g, PART1), maxOf(PART1));
    const cells = g.notebooks[0].cells;
    assert.deepEqual(cells.filter((c) => c.status !== "ok").map((c) => c.status), ["timeout", "memory"]);
    const fb = feedbackOf("runaway");
    assert.match(fb, /\(temps dépassé\) : trop long \(limite de 30 s\)/);
    assert.match(fb, /\(mémoire dépassée\) : mémoire dépassée \(plus de 1500 Mo\)/);
  });

  it("process.exit, killing the kernel and writing outside the sandbox fail those cells only", () => {
    const g = grades.get("exits")!;
    assert.equal(scoreOf(g, PART1), maxOf(PART1));
    const bad = g.notebooks[0].cells.filter((c) => c.status !== "ok");
    assert.deepEqual(bad.map((c) => c.status), ["error", "error", "error", "died"]);
    assert.match(bad[0].message + bad[1].message, /EROFS|read-only/);
    assert.match(bad[2].message, /process\.exit est interdit dans un cahier noté/);
    assert.match(feedbackOf("exits"), /\(erreur\) : Error: process\.exit est interdit dans un cahier noté/);
    assert.match(feedbackOf("exits"), /\(noyau arrêté\) : le noyau s'est arrêté pendant cette cellule/);
    for (const f of escaped()) assert.ok(!existsSync(f), `${f} must not have been written`);
  });

  it("a file that is not JSON gets 0 and says why", () => {
    const g = grades.get("not-json")!;
    assert.equal(g.total, 0);
    assert.match(feedbackOf("not-json"), /fichier illisible, ce n'est pas un cahier Jupyter valide/);
  });

  it("grades.csv has one row per student and one column per check", () => {
    const rows = readFileSync(join(dir, "grades", "grades.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    const ids = Object.entries(CHECKS).flatMap(([f, cs]) => cs.map((c) => `${f}/${c.name}`));
    assert.deepEqual(rows[0], ["student", ...ids, "total", "max"]);
    assert.deepEqual(rows.slice(1).map((r) => r[0]).sort(), ["correct", "exits", "not-json", "part1-throws", "runaway", "wrong-gradient"]);
    for (const r of rows.slice(1)) assert.equal(Number(r[r.length - 2]), grades.get(r[0])!.total);
  });
});
