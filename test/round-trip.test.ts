/**
 * The round trip a real student makes: the student folder from `assign`,
 * filled in with a student's own code (test/fixtures/student), its notebooks
 * run end to end, then graded: full marks. Each subtle mistake of issue 15
 * costs its own checks, with feedback that names the function.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { assign } from "../cli/assign";
import { bubblewrap, grade } from "../cli/grade";
import { NOTEBOOKS, ROOT } from "../cli/paths";
import { runNotebook } from "../cli/run";
import { readNotebook } from "../cli/notebook-json";
import { fillStudentFolder, fixtureParameters, VARIANTS } from "./student";
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
    assign(NOTEBOOK_FILES.map((f) => join(NOTEBOOKS, f)), out);
    assert.equal(fillStudentFolder(out, mistakes), 17);
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

  it("grades the honest student at full marks, and each mistake loses its own checks, named in the feedback", async () => {
    const subs = join(dir, "copies");
    const students: Record<string, string> = { honnete: folder("honnete", []) };
    for (const name of Object.keys(VARIANTS)) students[name] = folder(name);
    for (const [name, out] of Object.entries(students)) {
      const to = join(subs, name.replace(/\W+/g, "-"));
      mkdirSync(to, { recursive: true });
      for (const f of NOTEBOOK_FILES) cpSync(join(out, "notebooks", f), join(to, f));
    }
    const outDir = join(dir, "notes");
    const grades = await grade(subs, { outDir, cellTimeout: 300, budget: 1800, memoryMb: 2048, jobs: 2, pointsFile: join(ROOT, "grading", "points.json") });
    const by = new Map(grades.map((g) => [g.student, g]));
    const failed = (student: string) => by.get(student)!.checks.filter((c) => !c.ok).map((c) => c.id);
    const honest = by.get("honnete")!;
    assert.deepEqual(failed("honnete"), [], readFileSync(join(outDir, "feedback", "honnete.md"), "utf8"));
    assert.equal(honest.total, honest.max);
    const expect: Record<string, { must: string[]; only: RegExp }> = {
      "db-as-a-mean": { must: ["partial_derivative_one_layer_nn/db"], only: /^(partial_derivative|gradient_descent)_one_layer_nn\// },
      "tanh-from-Z1-instead-of-A1": { must: ["partial_derivative_two_layers_nn/dW1"], only: /^(partial_derivative|gradient_descent)_two_layers_nn\// },
      "momentum-done-as-plain-SGD": { must: [], only: /^gradient_descent_torch_optim\// },
      "no-1e-16": { must: ["evaluate_loss/epsilon"], only: /^evaluate_loss(_torch)?\// },
    };
    for (const [student, { must, only }] of Object.entries(expect)) {
      const f = failed(student);
      const feedback = readFileSync(join(outDir, "feedback", `${student}.md`), "utf8");
      assert.ok(f.length > 0, `${student} loses points`);
      for (const id of must) assert.ok(f.includes(id), `${student}: ${id} fails (failed: ${f.join(", ")})`);
      assert.ok(f.every((id) => only.test(id)), `${student} loses only its own checks: ${f.join(", ")}`);
      assert.ok(by.get(student)!.total < honest.total);
      for (const id of f) assert.ok(feedback.includes(id.split("/")[0]), `${student}: the feedback names ${id}`);
    }
  });
});
