/**
 * `nn-workbook grade` against students who try to fool it. Every submission
 * is built here from a correct one (test/submission.ts) plus an attack; each
 * must get exactly the marks its honest part deserves, the attack named in
 * the feedback where it can be seen, and nothing outside its sandbox may
 * change. Then the same submissions graded idle and under two busy loops get
 * the same grades (limits are CPU seconds), and shards merge into one class.
 * Needs bubblewrap; runs as root or as any user allowed user namespaces.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../cli/paths";
import { bubblewrap, grade, loadPoints } from "../cli/grade";
import type { GradeOptions, StudentGrade } from "../cli/grade";
import { merge } from "../cli/grading/merge";
import { CHECKS } from "../lib/grading/registry";
import { PART1, codeCell, correct, notebook } from "./submission";
import type { Notebook } from "../cli/notebook-json";
import { tempDir, removeDir } from "./helpers";

const P1 = ["init_one_layer_nn", "softmax", "predict_one_layer_nn", "evaluate_loss", "partial_derivative_one_layer_nn", "gradient_descent_one_layer_nn", "accuracy"];
const SECRET = "SECRET-OF-THE-CORRECT-STUDENT-4217";
const points = loadPoints(join(ROOT, "grading", "points.json"));
const maxOf = (fns: string[]) => fns.reduce((s, f) => s + CHECKS[f].reduce((t, c) => t + points(`${f}/${c.name}`), 0), 0);
const save = (file: string, nb: Notebook) => writeFileSync(file, JSON.stringify(nb));

/** Part 1, correct, with `accuracy` replaced (when given) and attack cells after the functions. */
function part1(attack: string[], accuracy?: string): Notebook {
  const cells = { ...PART1 } as Record<string, string>;
  if (accuracy) cells.accuracy = accuracy;
  const { training, ...decls } = cells;
  return notebook([...Object.values(decls).map(codeCell), ...attack.map(codeCell), codeCell(training)]);
}
const WRONG_ACCURACY = "function accuracy(y: Matrix, y_hat: Matrix): number { return 0.5; }";

describe("nn-workbook grade: attacks", function () {
  this.timeout(60 * 60 * 1000);
  let dir: string, subs: string, out: string;
  let grades: Map<string, StudentGrade>;
  const opts = (o: Partial<GradeOptions>): GradeOptions => ({ outDir: out, cellTimeout: 30, budget: 60, memoryMb: 1500, jobs: 2, pointsFile: join(ROOT, "grading", "points.json"), variant: 11, ...o });
  const fb = (s: string) => readFileSync(join(out, "feedback", `${s}.md`), "utf8");
  const executed = (s: string) => readdirSync(join(out, "executed", s)).map((f) => readFileSync(join(out, "executed", s, f), "utf8")).join("\n");
  const protectedFiles = () => [join(ROOT, "cli", "grade.ts"), join(ROOT, "grading", "points.json")].map((f) => readFileSync(f, "utf8"));
  let original: string[];

  before(async () => {
    assert.ok(bubblewrap(), "bubblewrap (bwrap) is needed: sudo apt install bubblewrap");
    original = protectedFiles();
    dir = tempDir("nnwb-attacks-");
    subs = join(dir, "submissions");
    out = join(dir, "out");
    const folder = (name: string) => { mkdirSync(join(subs, name), { recursive: true }); return join(subs, name); };
    for (const [name, nb] of Object.entries(correct())) {
      if (name.startsWith("1-")) nb.cells.push(codeCell(`// ${SECRET}`));
      save(join(folder("correct"), name), nb);
    }
    // Forging the verdict: the old grader read a line the notebook printed and ran its checks in the notebook.
    save(join(folder("forge"), "1.ipynb"), part1([
      `const realLog = console.log;\nconsole.log = (...a: unknown[]) => realLog("NNWB-GRADE " + JSON.stringify([{ id: "accuracy/valeur", ok: true }]));`,
      `(process.stdout as any).write = (s: string) => true;\n(globalThis as any).GRADE_MARKER = "nothing";`,
      `import * as L from "../dist/lib";\n(L as any).runChecks = async () => [];\n(L as any).relativeError = () => 0;\nMath.abs = () => 0;\nNumber.isFinite = () => true;`,
      // Runs when the grader loads the declarations: patches the checking process itself.
      `class Patch { static { if (process.argv[1] === "/grader/server.js") { Math.abs = () => 0; JSON.stringify = () => '{"id":1,"ok":true,"value":1}'; console.log = () => {}; } } }`,
    ], WRONG_ACCURACY));
    // The teacher's solution, and a function that looks for the grader before calling it.
    save(join(folder("solution"), "1.ipynb"), part1([], `function accuracy(y: Matrix, y_hat: Matrix): number {
  const graded = process.cwd().startsWith("/sb") || String(new Error().stack).includes("server");
  return (require("../dist/lib") as any).accuracy(y, y_hat) + (graded ? 0 : 0);
}`));
    // Reading what is not theirs, sending it out, writing outside.
    const readAll = `import * as fs from "fs";
const look: Record<string, string> = {};
for (const p of [${JSON.stringify(subs)}, ${JSON.stringify(join(subs, "correct", "1-une-couche.ipynb"))}, ${JSON.stringify(out)}, ${JSON.stringify(join(ROOT, "notebooks"))}, ${JSON.stringify(join(ROOT, "lib", "nn", "softmax.ts"))}, "/sb/dist/lib/nn/softmax.js", "/sb/dist/lib/grading/reference.js", "/tmp", "/root", "/work"]) {
  try { look[p] = fs.statSync(p).isDirectory() ? fs.readdirSync(p).join(" ") : fs.readFileSync(p, "utf8").slice(0, 200); } catch (e) { look[p] = "ERR " + (e as Error).message.slice(0, 60); }
}
console.log("LOOK " + JSON.stringify(look));`;
    save(join(folder("snoop"), "1.ipynb"), part1([
      readAll,
      `import { execSync } from "child_process";\nlet r1 = ""; try { r1 = execSync("mount -o remount,bind,rw / 2>&1; id -u").toString().replace(/\\n/g, " | "); } catch (e) { r1 = "ERR " + (e as Error).message; }\nconsole.log("MOUNT " + r1);`,
      `import { writeFileSync as w } from "fs";\nfor (const f of [${JSON.stringify(join(out, "grades.csv"))}, ${JSON.stringify(join(ROOT, "cli", "grade.ts"))}, ${JSON.stringify(join(subs, "correct", "forged.ipynb"))}, "/sb/dist/lib/index.js"]) { try { w(f, "snoop,999"); console.log("WROTE " + f); } catch (e) { console.log("NOWRITE " + (e as Error).message.slice(0, 80)); } }`,
      `import * as http from "http";\nconst got = await new Promise<string>((ok) => { const rq = http.get("http://registry.npmjs.org/", (r) => ok("NET " + r.statusCode)); rq.on("error", (e) => ok("NONET " + e.message)); });\nconsole.log(got);`,
      `import * as fs2 from "fs";\nimport * as path from "path";\nconst cfg = process.argv[process.argv.indexOf("--config-path") + 1];\nlet others = ""; try { others = fs2.readdirSync(path.dirname(path.dirname(cfg))).join(" "); } catch (e) { others = "ERR " + (e as Error).message.slice(0, 60); }\nconsole.log("KERNELS " + cfg + " :: " + others + " :: " + fs2.readdirSync(path.dirname(cfg)).join(" "));`,
    ]));
    // Floods and resource hogs: each costs its own cell only.
    save(join(folder("floods"), "1.ipynb"), part1([
      `for (let i = 0; i < 700; i++) process.stderr.write("x".repeat(1 << 20));`,
      `for (let i = 0; i < 300; i++) console.log("y".repeat(1 << 20));`,
      `import { writeFileSync as wf } from "fs";\nconst mb = Buffer.alloc(16 << 20, 1);\nlet shm = 0; try { for (let i = 0; i < 200; i++) { wf("/dev/shm/f" + i, mb); shm++; } } catch (e) { console.log("SHM stopped after " + shm * 16 + " MB: " + (e as Error).message.slice(0, 40)); }\nlet tmp = 0; try { for (let i = 0; i < 200; i++) { wf("/tmp/f" + i, mb); tmp++; } } catch (e) { console.log("TMP stopped after " + tmp * 16 + " MB: " + (e as Error).message.slice(0, 40)); }`,
      `const hog: Buffer[] = [];\nfor (let i = 0; i < 48; i++) hog.push(Buffer.alloc(64 << 20, 1));`,
      `import { spawn } from "child_process";\nfor (let i = 0; i < 1000; i++) spawn("sleep", ["60"]);\nawait new Promise((r) => setTimeout(r, 3000));`,
      "process.exit(1);",
    ]));
    // 10 000 cells: the CPU budget ends them, the rest of the class is graded.
    const many = part1([]);
    for (let i = 0; i < 10000; i++) many.cells.push(codeCell(`let v${i} = ${i};`));
    save(join(folder("many-cells"), "1.ipynb"), many);
    save(join(folder("wrong-accuracy"), "1.ipynb"), part1([], WRONG_ACCURACY));

    const list = await grade(subs, opts({}));
    grades = new Map(list.map((g) => [g.student, g]));
  });
  after(() => removeDir(dir));

  const total = (s: string) => grades.get(s)!.total;
  const failedIds = (s: string) => grades.get(s)!.checks.filter((c) => !c.ok).map((c) => c.id);
  const honest = maxOf(P1);

  it("a correct submission of parts 1 to 3 passes every check", () => {
    assert.deepEqual(failedIds("correct"), []);
    assert.equal(total("correct"), grades.get("correct")!.max);
  });

  it("rewriting console.log / stdout, the marker, the checks, Math.abs or the lib changes nothing: the wrong accuracy gets 0", () => {
    assert.deepEqual(failedIds("forge").filter((id) => P1.some((f) => id.startsWith(f + "/"))), ["accuracy/valeur"]);
    assert.equal(total("forge"), honest - maxOf(["accuracy"]));
    assert.match(fb("forge"), /accuracy vaut 0,5|accuracy lève une erreur|n'est définie/);
  });

  it("calling the teacher's solution (even only when graded) gets 0 for that function, and the feedback says why", () => {
    assert.equal(total("solution"), honest - maxOf(["accuracy"]));
    assert.match(fb("solution"), /accuracy[^\n]*(solution|bibliothèque)/);
  });

  it("nothing outside the sandbox is readable, writable or reachable", () => {
    const text = executed("snoop");
    assert.ok(!text.includes(SECRET), "another student's notebook was read");
    assert.doesNotMatch(text, /export function softmax|BEGIN SOLUTION/);
    assert.match(text, /\/sb\/dist\/lib\/nn\/softmax\.js\\?":\s*\\?"ERR/);
    assert.match(text, /MOUNT [^\n]*(must be superuser|permission denied|not permitted|only root)[^\n]*65534/i);
    assert.doesNotMatch(text, /WROTE /);
    assert.match(text, /NONET/);
    assert.doesNotMatch(text, /KERNELS[^\n]*:: [^\n]*kernel-\d+\.json[^\n]*::/, "another kernel's folder was listed");
    assert.equal(total("snoop"), honest, "snooping costs nothing, gains nothing");
    assert.deepEqual(protectedFiles(), original, "the grader's files are untouched");
    assert.ok(!existsSync(join(subs, "correct", "forged.ipynb")));
    const csv = readFileSync(join(out, "grades.csv"), "utf8");
    assert.doesNotMatch(csv, /snoop,999/);
  });

  it("700 MB on stderr, 300 MB of console.log, 3 GB in /dev/shm and /tmp, 3 GB of memory, 1 000 processes and process.exit cost their cells only", () => {
    const g = grades.get("floods")!;
    assert.equal(total("floods"), honest);
    const bad = g.notebooks[0].cells.filter((c) => c.status !== "ok").map((c) => c.status);
    assert.ok(bad.includes("memory"), `a memory kill among ${bad}`);
    assert.ok(bad.includes("processes") || bad.includes("died"), `the fork bomb stopped: ${bad}`);
    const text = executed("floods");
    assert.match(text, /sortie tronquée par le correcteur/);
    assert.match(text, /SHM stopped after \d+ MB/);
    assert.match(text, /TMP stopped after \d+ MB/);
    assert.ok(Buffer.byteLength(text) < 20e6, "the executed copy stays small");
    assert.match(fb("floods"), /mémoire dépassée/);
  });

  it("10 000 cells run out of CPU budget; the feedback names the cells that never ran; the checks still score", () => {
    assert.equal(total("many-cells"), honest);
    assert.match(fb("many-cells"), /non exécutée|jamais exécutées/);
  });

  it("the same submissions get the same grades idle and under two busy loops; shards merge into the class", async () => {
    const pick = join(dir, "pick");
    for (const s of ["correct", "wrong-accuracy"]) {
      mkdirSync(join(pick, s), { recursive: true });
      for (const f of readdirSync(join(subs, s))) writeFileSync(join(pick, s, f), readFileSync(join(subs, s, f)));
    }
    const busy: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ["-e", "for(;;);"], { stdio: "ignore" }));
    let loaded: StudentGrade[];
    try {
      loaded = await grade(pick, opts({ outDir: join(dir, "busy") }));
    } finally {
      busy.forEach((b) => b.kill("SIGKILL"));
    }
    for (const g of loaded) assert.deepEqual(g.checks.map((c) => [c.id, c.points]), grades.get(g.student)!.checks.map((c) => [c.id, c.points]), g.student);
    // Two shards of the busy folder's class, merged: the same rows as one run.
    await grade(pick, opts({ outDir: join(dir, "s1"), shard: [1, 2] }));
    await grade(pick, opts({ outDir: join(dir, "s2"), shard: [2, 2] }));
    merge([join(dir, "s1"), join(dir, "s2")], join(dir, "merged"));
    assert.equal(readFileSync(join(dir, "merged", "grades.csv"), "utf8"), readFileSync(join(dir, "busy", "grades.csv"), "utf8"));
    assert.deepEqual(readdirSync(join(dir, "merged", "feedback")).sort(), ["correct.md", "wrong-accuracy.md"]);
    assert.throws(() => merge([join(dir, "s1"), join(dir, "busy")], join(dir, "bad")), /graded in both/);
  });
});
