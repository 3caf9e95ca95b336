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
import { ROOT } from "../cli/paths";
import { errorLine, loadPoints, submissions } from "../cli/grade";
import { tempDir, removeDir } from "./helpers";


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
