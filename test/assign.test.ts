/** `nn-workbook assign`: the self-contained student folder, free of solutions. */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assign, stubSolutions, STUB } from "../cli/assign";
import { gradedBodies, solutionsIn, studentSources } from "../cli/student-folder";
import { NOTEBOOKS, ROOT } from "../cli/paths";
import { hasTag, readNotebook, sourceText } from "../cli/notebook-json";
import type { Notebook } from "../cli/notebook-json";
import { runNotebook } from "../cli/run";
import { GRADER_LIMITS } from "../cli/limits";
import { tempDir, removeDir } from "./helpers";

const GRADED = ["init_one_layer_nn", "softmax", "predict_one_layer_nn", "evaluate_loss", "partial_derivative_one_layer_nn", "gradient_descent_one_layer_nn", "accuracy",
  "init_two_layers_nn", "predict_two_layers_nn", "partial_derivative_two_layers_nn", "gradient_descent_two_layers_nn",
  "to_torch_parameters", "predict_two_layers_nn_torch", "evaluate_loss_torch", "gradient_descent_torch", "gradient_descent_torch_optim", "MLP"];
const code = (nb: Notebook) => nb.cells.filter((c) => c.cell_type === "code");

describe("nn-workbook assign", function () {
  this.timeout(300000);
  let dir: string, student: string;
  before(() => {
    dir = tempDir("nnwb-assign-");
    student = join(dir, "etudiant");
    assign(readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).map((f) => join(NOTEBOOKS, f)), student);
  });
  after(() => removeDir(dir));

  it("writes a folder with the two commands: notebooks, lib sources, data, package.json, README", () => {
    for (const f of ["package.json", "README.md", "tsconfig.json", "lib/index.ts", "lib/autograd/index.ts", "cli/main.ts", "scripts/setup.mjs", "scripts/start.mjs",
      "bin/nn-workbook.js", "native/binding.gyp", "data/digit-3-classes/x.npy", "notebooks/1-une-couche.ipynb", "notebooks/3-autograd.ipynb"]) {
      assert.ok(existsSync(join(student, f)), f);
    }
    const pkg = JSON.parse(readFileSync(join(student, "package.json"), "utf8")) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.postinstall, "node scripts/setup.mjs");
    assert.match(readFileSync(join(student, "README.md"), "utf8"), /npm install && npm start[\s\S]*npm test/);
  });

  it("holds no graded function: no teacher file, no body of a solution, in sources or notebooks", () => {
    const files = [...studentSources().keys()];
    assert.ok(files.every((f) => !/^lib\/nn\/|^lib\/autograd\/(torch|mlp)\.ts$|^cli\/(grade|assign|train)\.ts$/.test(f)), files.join(" "));
    assert.deepEqual(solutionsIn(student), []);
    // The scan finds a body where there is one: it would have caught a leak.
    const bodies = gradedBodies();
    for (const name of ["softmax", "evaluate_loss", "partial_derivative_two_layers_nn", "gradient_descent_torch", "MLP"]) assert.ok(bodies.has(name), name);
    const planted = join(dir, "planted");
    mkdirSync(planted);
    writeFileSync(join(planted, "x.ts"), readFileSync(join(ROOT, "lib", "nn", "two-layers.ts"), "utf8"));
    assert.ok(solutionsIn(planted).some((s) => s.startsWith("partial_derivative_two_layers_nn in x.ts")), solutionsIn(planted).join("; "));
  });

  it("stubs every solution region, drops the teacher's cells, empties the answers", () => {
    for (const name of ["1-une-couche.ipynb", "2-deux-couches.ipynb", "3-autograd.ipynb"]) {
      const sol = readNotebook(join(NOTEBOOKS, name)), stu = readNotebook(join(student, "notebooks", name));
      assert.ok(stu.cells.every((c) => !hasTag(c, "solution") && !hasTag(c, "record") && (c.outputs ?? []).length === 0), name);
      assert.ok(stu.cells.filter((c) => hasTag(c, "answer")).every((c) => /^\*\*Votre réponse \(/.test(sourceText(c.source))));
      const solCode = code(sol).filter((c) => !hasTag(c, "solution") && !hasTag(c, "record"));
      assert.deepEqual(code(stu).map((c) => sourceText(c.source)), solCode.map((c, i) => stubSolutions(sourceText(c.source), `cell ${i}`)));
      const text = code(stu).map((c) => sourceText(c.source)).join("\n");
      assert.doesNotMatch(text, /BEGIN SOLUTION|END SOLUTION|record\(\{|showSource/, name);
    }
    // Every function the handout asks for is a stub the student writes.
    const all = ["1-une-couche.ipynb", "2-deux-couches.ipynb", "3-autograd.ipynb"].map((n) => code(readNotebook(join(student, "notebooks", n))).map((c) => sourceText(c.source)).join("\n")).join("\n");
    for (const name of GRADED) {
      const m = new RegExp(`(?:function|class) ${name}\\b[\\s\\S]*?${STUB.replace(/[()]/g, "\\$&")}`).exec(all);
      assert.ok(m, `${name} is a stub`);
    }
    assert.throws(() => stubSolutions("a\n// BEGIN SOLUTION\nb", "x"), /line 2: BEGIN SOLUTION without END SOLUTION/);
    assert.throws(() => stubSolutions("// END SOLUTION", "x"), /END SOLUTION without BEGIN/);
  });

  it("refuses to overwrite a folder it did not write", () => {
    const other = join(dir, "autre");
    mkdirSync(other);
    writeFileSync(join(other, "important.txt"), "x");
    assert.throws(() => assign([join(NOTEBOOKS, "1-une-couche.ipynb")], other), /exists and is not a student folder/);
    assert.ok(existsSync(join(other, "important.txt")));
  });

  it("builds on its own, exports none of the handout's functions, and runs up to the first stub", async () => {
    symlinkSync(join(ROOT, "node_modules"), join(student, "node_modules"));
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(student, "tsconfig.json")], { encoding: "utf8" });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    const lib = require(join(student, "dist", "lib")) as Record<string, unknown>;
    const autograd = require(join(student, "dist", "lib", "autograd")) as Record<string, unknown>;
    for (const name of GRADED) assert.ok(!(name in lib) && !(name in autograd), name);
    assert.ok("np" in lib && "Module" in autograd && "Linear" in autograd);
    const r = await runNotebook(join(student, "notebooks", "1-une-couche.ipynb"), { outDir: join(dir, "out") });
    assert.equal(r.ok, false);
    assert.match(r.error ?? "", /À compléter/);
  });

  it("the student's own run applies the grader's limits (its folder holds the grader's runner) and stops at the first stub", () => {
    // The student's install made .venv; here the project's stands for it.
    symlinkSync(join(ROOT, ".venv"), join(student, ".venv"));
    const help = spawnSync(process.execPath, [join(student, "bin", "nn-workbook.js"), "run", "--help"], { encoding: "utf8", cwd: student });
    assert.match(help.stdout, new RegExp(`${GRADER_LIMITS.cellCpuSeconds} CPU seconds per cell`));
    assert.match(readFileSync(join(student, "README.md"), "utf8"), /## Run as graded/);
    const run = spawnSync(process.execPath, [join(student, "bin", "nn-workbook.js"), "run", "notebooks/1-une-couche.ipynb", "--out", join(dir, "student-out")], { encoding: "utf8", cwd: student });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`FAILED; as graded: [\\d.]+ CPU s of ${GRADER_LIMITS.notebookCpuSeconds}, longest cell \\d+: [\\d.]+ CPU s of ${GRADER_LIMITS.cellCpuSeconds}`));
    assert.match(run.stderr, /À compléter/);
  });
});
