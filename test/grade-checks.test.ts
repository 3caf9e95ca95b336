/**
 * The grader's checks on a real student's code: the student folder from
 * `assign` filled in with the fixture (test/fixtures/student), each notebook's
 * declarations checked from outside the student's process as `grade` does
 * (cli/grading/check-student.ts), without running the notebooks' cells (the
 * round trip, `npm run test:round-trip`, runs them too). The honest student
 * gets full marks, parts 2 and 3 using the part 1 and 2 functions they
 * carry with charger_cahier; each subtle mistake of issue 15 loses its own
 * checks, with feedback that names the function.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { bubblewrap, feedback, loadPoints } from "../cli/grade";
import type { StudentGrade } from "../cli/grade";
import { checkStudent, notebookModule } from "../cli/grading/check-student";
import type { ScoredCheck } from "../cli/grading/check-student";
import { ReferenceCache } from "../cli/grading/harness";
import { studentLibDir } from "../cli/grading/sandbox";
import { readNotebook } from "../cli/notebook-json";
import { NOTEBOOKS, ROOT } from "../cli/paths";
import { initReference, reference } from "../lib/grading/reference";
import { CHECK_IDS } from "../lib/grading/registry";
import { filledStudentFolder, VARIANTS } from "./student";
import { tempDir, removeDir } from "./helpers";

const NOTEBOOK_FILES = readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort();

describe("the grader's checks on a student's own code (the fixture and its mistakes)", function () {
  this.timeout(30 * 60 * 1000);
  let dir: string, studentLib: string, ref: ReferenceCache;
  const bwrap = bubblewrap();
  const points = loadPoints(join(ROOT, "grading", "points.json"));

  before(async function () {
    if (!bwrap) this.skip();
    dir = tempDir("nnwb-grade-checks-");
    studentLib = studentLibDir(join(dir, "student-lib"));
    await initReference();
    ref = new ReferenceCache(reference);
  });
  after(() => dir && removeDir(dir));

  /** The checks of the fixture student with `mistakes`, as `grade` scores them. */
  async function checked(name: string, notebooks = NOTEBOOK_FILES): Promise<ScoredCheck[]> {
    const folder = join(dir, name.replace(/\W+/g, "-"));
    filledStudentFolder(folder, VARIANTS[name] ?? []);
    for (const f of NOTEBOOK_FILES.filter((f) => !notebooks.includes(f))) rmSync(join(folder, "notebooks", f));
    const work = `${folder}-checks`;
    mkdirSync(work, { mode: 0o700 });
    const modules = notebooks.map((f) => notebookModule(readNotebook(join(folder, "notebooks", f))));
    const limits = { callCpuSeconds: 60, memoryMb: 2048, processes: 64, tmpfsMb: 256, outputBytes: 5_000_000 };
    const r = await checkStudent(modules, { studentLib, notebooks: join(folder, "notebooks"), work, limits, bwrap: bwrap!, ref, variant: 3, points });
    return r.checks;
  }
  const text = (name: string, checks: ScoredCheck[]) => {
    const g: StudentGrade = { student: name, checks, total: 0, max: 0, notebooks: [], cpuSeconds: 0, wallSeconds: 0, peakMb: 0 };
    return feedback(g);
  };

  it("the honest student gets every check, parts 2 and 3 calling the part 1 and 2 functions they carry", async () => {
    const checks = await checked("honnete");
    const failed = checks.filter((c) => !c.ok);
    assert.deepEqual(failed.map((c) => `${c.id}: ${c.message}`), [], text("honnete", checks));
    assert.deepEqual(checks.map((c) => c.id), CHECK_IDS, "every check of every graded function ran");
  });

  const expect: Record<string, { must: string[]; only: RegExp; says?: RegExp }> = {
    "db as a mean": { must: ["partial_derivative_one_layer_nn/db"], only: /^(partial_derivative|gradient_descent)_one_layer_nn\//, says: /db est faux/ },
    "tanh' from Z1 instead of A1": { must: ["partial_derivative_two_layers_nn/dW1", "partial_derivative_two_layers_nn/db1"], only: /^(partial_derivative|gradient_descent)_two_layers_nn\//, says: /dW1 est faux/ },
    "momentum done as plain SGD": { must: ["gradient_descent_torch_optim/perte-exacte"], only: /^gradient_descent_torch_optim\// },
    "no +1e-16": { must: ["evaluate_loss/epsilon", "evaluate_loss_torch/epsilon"], only: /^evaluate_loss(_torch)?\// },
  };
  for (const [name, { must, only, says }] of Object.entries(expect)) {
    it(`${name}: loses exactly its own checks, and the feedback names them`, async () => {
      const checks = await checked(name);
      const failed = checks.filter((c) => !c.ok).map((c) => c.id);
      const fb = text(name, checks);
      for (const id of must) assert.ok(failed.includes(id), `${id} fails (failed: ${failed.join(", ")})`);
      assert.ok(failed.every((id) => only.test(id)), `only its own checks fail: ${failed.join(", ")}`);
      for (const id of failed) assert.match(fb, new RegExp(`### \`${id.split("/")[0]}\` — \\d+ / \\d+`));
      if (says) assert.match(fb, says);
    });
  }

  it("a part 2 handed in without the part 1 it carries from: the feedback says why its functions do not load", async () => {
    const checks = await checked("sans partie 1", ["2-deux-couches.ipynb"]);
    const two = checks.filter((c) => c.function === "predict_two_layers_nn");
    assert.ok(two.length > 0 && two.every((c) => !c.ok));
    assert.match(two[0].message, /n'a pas pu être chargée : .*charger_cahier : impossible de lire .*1-une-couche\.ipynb/);
    const softmax = checks.filter((c) => c.function === "softmax");
    assert.ok(softmax.every((c) => /n'est définie dans aucun cahier rendu/.test(c.message)), "a carried function counts for the notebook that writes it");
  });
});
