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
import type { Notebook } from "../cli/notebook-json";
import { merge } from "../cli/grading/merge";
import { CHECKS } from "../lib/grading/registry";
import { P1, SECRET, writeAttackSubmissions } from "./attack-submissions";
import { tempDir, removeDir } from "./helpers";

const points = loadPoints(join(ROOT, "grading", "points.json"));
const maxOf = (fns: string[]) => fns.reduce((s, f) => s + CHECKS[f].reduce((t, c) => t + points(`${f}/${c.name}`), 0), 0);

describe("nn-workbook grade: attacks", function () {
  this.timeout(60 * 60 * 1000);
  let dir: string, subs: string, out: string;
  let grades: Map<string, StudentGrade>;
  const opts = (o: Partial<GradeOptions>): GradeOptions => ({ outDir: out, cellTimeout: 30, budget: 60, memoryMb: 1500, jobs: 2, pointsFile: join(ROOT, "grading", "points.json"), variant: 11, ...o });
  const fb = (s: string) => readFileSync(join(out, "feedback", `${s}.md`), "utf8");
  const executedFiles = (s: string) => readdirSync(join(out, "executed", s)).map((f) => readFileSync(join(out, "executed", s, f), "utf8"));
  /** What the student's cells printed in the executed copies (not their sources, which name what they look for). */
  const printed = (s: string) => executedFiles(s).flatMap((text) => (JSON.parse(text) as Notebook).cells.flatMap((c) => ((c as { outputs?: { text?: string | string[] }[] }).outputs ?? []).map((o) => [o.text ?? ""].flat().join("")))).join("\n");
  const protectedFiles = () => [join(ROOT, "cli", "grade.ts"), join(ROOT, "grading", "points.json")].map((f) => readFileSync(f, "utf8"));
  let original: string[];

  before(async () => {
    assert.ok(bubblewrap(), "bubblewrap (bwrap) is needed: sudo apt install bubblewrap");
    original = protectedFiles();
    dir = tempDir("nnwb-attacks-");
    subs = join(dir, "submissions");
    out = join(dir, "out");
    writeAttackSubmissions(subs, out);
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
    const text = printed("snoop");
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

  it("700 MB on stderr, 300 MB of console.log, full /dev/shm and /tmp, 1 GB of tmpfs as memory, 3 GB of memory, 480 MB on disk, 1 000 processes and process.exit cost their cells only", () => {
    const g = grades.get("floods")!;
    assert.equal(total("floods"), honest);
    const bad = g.notebooks[0].cells.filter((c) => c.status !== "ok").map((c) => c.status);
    assert.ok(bad.includes("memory"), `a memory kill among ${bad}`);
    assert.ok(bad.includes("processes") || bad.includes("died"), `the fork bomb stopped: ${bad}`);
    const cell = (marker: string) => g.notebooks[0].cells.find((c) => c.source.startsWith(marker))!;
    assert.equal(cell("// tmpfs-hog").status, "memory", "1 GB in tmpfs + 500 MB held is over 1 500 MB: tmpfs counts as memory");
    assert.equal(cell("// disk-fill").status, "disk", "480 MB written in the kernel's own folder");
    const text = printed("floods");
    assert.match(text, /sortie tronquée par le correcteur/);
    assert.match(text, /SHM stopped after \d+ MB/);
    assert.match(text, /TMP stopped after \d+ MB/);
    assert.ok(Buffer.byteLength(executedFiles("floods").join("")) < 20e6, "the executed copy stays small");
    assert.doesNotMatch(text, /TMPFS-HOG survived|DISK-FILL survived/);
    assert.match(fb("floods"), /mémoire dépassée/);
    assert.doesNotMatch(fb("floods"), /x{50}|y{50}/, "the feedback does not quote a flood");
  });

  it("10 000 cells run out of CPU budget; the feedback names the cells that never ran; the checks still score", () => {
    assert.equal(total("many-cells"), honest);
    assert.match(fb("many-cells"), /non exécutée|jamais exécutées/);
  });

  it("the same submissions get the same grades idle and under two busy loops, graded in two shards at once that merge into the class", async () => {
    const pick = join(dir, "pick");
    for (const s of ["correct", "wrong-accuracy"]) {
      mkdirSync(join(pick, s), { recursive: true });
      for (const f of readdirSync(join(subs, s))) writeFileSync(join(pick, s, f), readFileSync(join(subs, s, f)));
    }
    // The two shards of that class at once, beside two busy loops: both cores taken twice over.
    const busy: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ["-e", "for(;;);"], { stdio: "ignore" }));
    let loaded: StudentGrade[];
    try {
      loaded = (await Promise.all([1, 2].map((k) => grade(pick, opts({ outDir: join(dir, `s${k}`), shard: [k, 2], jobs: 1 }))))).flat();
    } finally {
      busy.forEach((b) => b.kill("SIGKILL"));
    }
    assert.deepEqual(loaded.map((g) => g.student).sort(), ["correct", "wrong-accuracy"]);
    for (const g of loaded) assert.deepEqual(g.checks.map((c) => [c.id, c.points]), grades.get(g.student)!.checks.map((c) => [c.id, c.points]), g.student);
    merge([join(dir, "s1"), join(dir, "s2")], join(dir, "merged"));
    const rows = (file: string) => readFileSync(file, "utf8").trim().split("\n");
    const idle = rows(join(out, "grades.csv"));
    assert.deepEqual(rows(join(dir, "merged", "grades.csv")), [idle[0], ...idle.filter((l) => /^(correct|wrong-accuracy),/.test(l))]);
    assert.deepEqual(readdirSync(join(dir, "merged", "feedback")).sort(), ["correct.md", "wrong-accuracy.md"]);
    assert.throws(() => merge([join(dir, "s1"), join(dir, "merged")], join(dir, "bad")), /graded in both/);
  });
});
