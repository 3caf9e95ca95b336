import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { nativeInfo, nativeUnavailable } from "../lib/array";
import { ISA_NAMES } from "../lib/array/addon";

const CHECKS = join(__dirname, "kernel-checks.js");
const TFJS_NATIVE_TEST = join(__dirname, "tfjs-native.test.js");
/** The float32 checks: tfjs-native.test.ts's comparisons of the `native` backend with tfjs's cpu backend. */
const F32_CHECKS = "matches the cpu backend";

/** Runs the float32 checks in a child mocha with `env` added: its passes, failures (titles and messages) and pending tests. */
function f32ChecksWith(env: Record<string, string>, emulator: string[] = []): { passes: number; failures: string[]; pending: number } {
  const mocha = require.resolve("mocha/bin/mocha.js");
  const r = spawnSync(...node([mocha, "--no-config", "--timeout", "1800000", "--reporter", "json", "--grep", F32_CHECKS, TFJS_NATIVE_TEST], emulator), {
    encoding: "utf8", env: { ...process.env, ...env }, timeout: 1800000, maxBuffer: 64 << 20,
  });
  const at = r.stdout.indexOf('{\n  "stats"');
  assert.ok(at >= 0, `${JSON.stringify(env)}: no mocha report (exit ${r.status} ${r.signal ?? ""})\n${r.stderr}`);
  const report = JSON.parse(r.stdout.slice(at)) as { stats: { passes: number; pending: number }; failures: { fullTitle: string; err: { message: string } }[] };
  return { passes: report.stats.passes, pending: report.stats.pending, failures: report.failures.map((f) => `${f.fullTitle}: ${f.err.message}`) };
}

/** A child node running `args`, directly or under `emulator` (a command and its flags, e.g. qemu-x86_64 -cpu Nehalem). */
function node(args: string[], emulator: string[] = []): [string, string[]] {
  return emulator.length ? [emulator[0], [...emulator.slice(1), process.execPath, ...args]] : [process.execPath, args];
}

/** Runs the kernel checks (only the report with --info) in a child process with `env` added; its JSON report and stderr. */
function checksWith(env: Record<string, string>, args: string[] = [], emulator: string[] = []): { report: { isa: string; isas: string[]; checks: number }; stderr: string } {
  const r = spawnSync(...node([CHECKS, ...args], emulator), { encoding: "utf8", env: { ...process.env, ...env }, timeout: 1800000 });
  assert.equal(r.status, 0, `${JSON.stringify(env)}: exit ${r.status} ${r.signal ?? ""}\n${r.stderr}`);
  return { report: JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}"), stderr: r.stderr };
}

describe("native kernels, each instruction-set variant (NN_WORKBOOK_ISA)", function () {
  this.timeout(900000);
  const info = nativeInfo();
  before(function () {
    if (!info) {
      console.warn(`    native kernels not available, skipped: ${nativeUnavailable()}`);
      this.skip();
    }
  });

  it("the default is the best variant the CPU supports", () => {
    const isas = info?.isas ?? [];
    assert.equal(isas[0], "baseline");
    assert.equal(info?.isa, isas[isas.length - 1]);
  });

  // One test per variant this CPU runs (a child process each: the choice is made at load).
  for (const isa of ISA_NAMES) {
    it(`${isa}: forced, reported, and every gemm path, unary, broadcast and tanh backpropagation match the reference`, function () {
      if (!info?.isas.includes(isa)) {
        console.warn(`    ${isa} not supported by this CPU, skipped`);
        this.skip();
      }
      const { report } = checksWith({ NN_WORKBOOK_ISA: isa });
      assert.equal(report.isa, isa);
      assert.ok(report.checks > 100, `only ${report.checks} checks ran`);
    });
  }

  // The float32 kernels of the TensorFlow.js backend follow the same choice.
  for (const isa of ISA_NAMES) {
    it(`${isa}: forced, the float32 kernels of the native tfjs backend match tfjs's cpu backend`, function () {
      if (!info?.isas.includes(isa)) {
        console.warn(`    ${isa} not supported by this CPU, skipped`);
        this.skip();
      }
      const { passes, failures, pending } = f32ChecksWith({ NN_WORKBOOK_ISA: isa });
      assert.deepEqual(failures, []);
      assert.equal(pending, 0, "skipped: are the float32 kernels missing from the addon?");
      // One check of the variant in use, eight unary ops, four binary ones, matMul (3), sum, softmax, the net's loss.
      assert.ok(passes >= 19, `only ${passes} float32 checks ran`);
    });
  }

  it("on an emulated CPU without AVX (qemu-x86_64 -cpu Nehalem), the addon loads, runs its baseline kernels and they match (float64 and float32)", function () {
    this.timeout(3600000); // emulated: ten times slower or more
    // What a course's older lab machine does with a binary built on a newer one:
    // an AVX instruction outside the AVX kernels would be an illegal instruction here.
    if (process.arch !== "x64" || process.platform !== "linux") this.skip();
    const emulator = ["qemu-x86_64", "-cpu", "Nehalem"];
    if (spawnSync(emulator[0], ["-version"]).error) {
      console.warn("    qemu-x86_64 not found (Debian/Ubuntu: apt install qemu-user), skipped");
      this.skip();
    }
    const env = { NN_WORKBOOK_ADDON: info?.path ?? "" };
    const { report } = checksWith(env, [], emulator);
    assert.equal(report.isa, "baseline");
    assert.deepEqual(report.isas, ["baseline"], "the emulated CPU has no AVX2");
    assert.ok(report.checks > 100, `only ${report.checks} checks ran`);
    const { passes, failures, pending } = f32ChecksWith(env, emulator);
    assert.deepEqual(failures, []);
    assert.equal(pending, 0);
    assert.ok(passes >= 19, `only ${passes} float32 checks ran`);
  });

  it("an unknown NN_WORKBOOK_ISA is reported on stderr and the best variant runs", () => {
    const { report, stderr } = checksWith({ NN_WORKBOOK_ISA: "sse9" }, ["--info"]);
    assert.match(stderr, /NN_WORKBOOK_ISA=sse9 is not one of baseline, avx2, avx512/);
    assert.equal(report.isa, info?.isa);
  });

  it("outside the AVX2 and AVX-512 kernels the addon holds no AVX instruction (it loads on any x86-64 CPU)", function () {
    // objdump (binutils) disassembles the addon; every VEX/EVEX instruction
    // (v-prefixed mnemonics) must sit in a function of nnk::avx2 or nnk::avx512.
    if (process.arch !== "x64") this.skip();
    const r = spawnSync("objdump", ["-d", "-C", "--no-show-raw-insn", info?.path ?? ""], { encoding: "utf8", maxBuffer: 256 << 20 });
    if (r.error) {
      console.warn("    objdump not found, skipped");
      this.skip();
    }
    let fn = "";
    const offenders = new Set<string>();
    let vector = 0;
    for (const line of r.stdout.split("\n")) {
      const head = /^[0-9a-f]+ <(.*)>:$/.exec(line);
      if (head) fn = head[1];
      else if (/^\s+[0-9a-f]+:\s+v[a-z0-9]+\s/.test(line)) {
        vector++;
        if (!/nnk::(avx2|avx512)::/.test(fn)) offenders.add(fn);
      }
    }
    assert.ok(vector > 100, `only ${vector} AVX instructions found: is ${info?.path} the multi-variant addon?`);
    assert.deepEqual([...offenders], []);
  });
});
