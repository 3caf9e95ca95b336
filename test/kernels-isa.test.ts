import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { nativeInfo, nativeUnavailable } from "../lib/array";
import { ISA_NAMES } from "../lib/array/addon";

const CHECKS = join(__dirname, "kernel-checks.js");

/** Runs the kernel checks (only the report with --info) in a child process with `env` added; its JSON report and stderr. */
function checksWith(env: Record<string, string>, args: string[] = []): { report: { isa: string; isas: string[]; checks: number }; stderr: string } {
  const r = spawnSync(process.execPath, [CHECKS, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 600000 });
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
