import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../cli/paths";
import { init_one_layer_nn, init_two_layers_nn } from "../lib/nn";
import { saveMatrix, writeNpy } from "../lib/npy";
import { tempDir, removeDir } from "./helpers";

const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin", "nn-workbook.js"), ...args], { encoding: "utf8", cwd: ROOT });

describe("nn-workbook train", function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => removeDir(dir));

  it("--model one-layer --json writes the losses, accuracies and speed", () => {
    const r = cli("train", "--model", "one-layer", "--passes", "30", "--json", join(dir, "r.json"));
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    assert.deepEqual(Object.keys(j).sort(), ["model", "ms_per_pass", "passes", "test_accuracy", "test_loss", "train_accuracy", "train_loss"]);
    assert.equal(j.passes, 30);
    assert.equal(j.train_loss.length, 30);
    assert.equal(j.test_loss.length, 30);
    assert.ok(j.train_loss[29] < j.train_loss[0]);
    assert.ok(j.test_accuracy > 0.5 && j.test_accuracy <= 1);
    assert.match(r.stdout, /accuracy\s+train 0\.\d{4}\s+test 0\.\d{4}/);
  });

  it("--init starts from W.npy and b.npy (b as (K,) or (1, K)), the same as the seeded init", () => {
    const p = init_one_layer_nn(784, 3, 4);
    saveMatrix(join(dir, "W.npy"), p.W);
    writeNpy(join(dir, "b.npy"), p.b.data, [3]);
    const a = cli("train", "--init", dir, "--passes", "5", "--json", join(dir, "a.json"));
    const b = cli("train", "--seed", "4", "--passes", "5", "--json", join(dir, "b.json"));
    assert.equal(a.status, 0, a.stderr);
    assert.equal(b.status, 0, b.stderr);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, "a.json"), "utf8")).train_loss, JSON.parse(readFileSync(join(dir, "b.json"), "utf8")).train_loss);
  });

  it("--model two-layers --hidden Q trains the two-layer net, from --init W1, b1, W2, b2 too", () => {
    const r = cli("train", "--model", "two-layers", "--hidden", "10", "--passes", "20", "--json", join(dir, "r.json"));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /two-layers \(Q = 10\)/);
    const j = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    assert.equal(j.train_loss.length, 20);
    assert.ok(j.train_loss[19] < j.train_loss[0]);
    const p = init_two_layers_nn(784, 7, 3, 9);
    for (const [k, m] of Object.entries(p)) saveMatrix(join(dir, `${k}.npy`), m);
    const i = cli("train", "--model", "two-layers", "--init", dir, "--passes", "3");
    assert.equal(i.status, 0, i.stderr);
    assert.match(i.stdout, /Q = 7/);
    assert.match(cli("train", "--model", "two-layers", "--init", dir, "--hidden", "5").stderr, /--hidden 5 but --init .*W1\.npy has Q = 7/);
  });

  it("--model autograd trains with TensorFlow.js, gd or momentum, tanh or relu", () => {
    const gd = cli("train", "--model", "autograd", "--hidden", "10", "--passes", "20", "--json", join(dir, "g.json"));
    assert.equal(gd.status, 0, gd.stderr);
    assert.match(gd.stdout, /autograd \(Q = 10\), gd, tanh, TensorFlow\.js float32 \(native backend\)/);
    const mo = cli("train", "--model", "autograd", "--hidden", "10", "--passes", "20", "--optimizer", "momentum", "--activation", "relu", "--json", join(dir, "m.json"));
    assert.equal(mo.status, 0, mo.stderr);
    const [g, m] = ["g", "m"].map((f) => JSON.parse(readFileSync(join(dir, `${f}.json`), "utf8")));
    assert.equal(g.train_loss.length, 20);
    assert.ok(g.train_loss[19] < g.train_loss[0]);
    assert.ok(m.train_loss[19] < g.train_loss[19], "momentum goes further");
    assert.match(cli("train", "--model", "autograd", "--optimizer", "adam").stderr, /--optimizer must be one of gd, momentum/);
  });

  it("--backend picks TensorFlow.js's backend; both give the same losses to float32 precision (1e-4)", () => {
    const runs = (["native", "wasm"] as const).map((b) => {
      const r = cli("train", "--model", "autograd", "--hidden", "10", "--passes", "10", "--backend", b, "--json", join(dir, `${b}.json`));
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`TensorFlow\\.js float32 \\(${b} backend\\)`));
      return JSON.parse(readFileSync(join(dir, `${b}.json`), "utf8")) as { train_loss: number[] };
    });
    // wasm rounds its own way (1e-5 relative after 10 passes here; native is within 1.2e-7 of PyTorch: npm run bench).
    runs[0].train_loss.forEach((l, i) => assert.ok(Math.abs(l - runs[1].train_loss[i]) < 1e-4 * l, `pass ${i}: ${l} vs ${runs[1].train_loss[i]}`));
    assert.match(cli("train", "--model", "autograd", "--backend", "gpu").stderr, /--backend must be one of native, wasm, cpu; got 'gpu'/);
    assert.match(cli("train", "--backend", "wasm").stderr, /--backend applies to --model autograd only/);
  });

  it("exits 1 with the divergence message, and still writes the JSON", () => {
    const r = cli("train", "--model", "two-layers", "--hidden", "10", "--passes", "60", "--epsilon", "0.5", "--json", join(dir, "d.json"));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /the descent diverges/);
    const j = JSON.parse(readFileSync(join(dir, "d.json"), "utf8"));
    assert.ok(j.passes < 60 && /diverges/.test(j.stopped));
  });

  it("says what is wrong with bad options and files", () => {
    const cases: [string[], RegExp][] = [
      [["train", "--passes=-3"], /--passes must be an integer ≥ 0, got '-3'/],
      [["train", "--epsilon", "0"], /--epsilon must be a positive number, got '0'/],
      [["train", "--model", "cnn"], /--model must be one of one-layer, two-layers, autograd/],
      [["train", "--activation", "relu"], /--activation applies to --model autograd only/],
      [["train", "--hidden", "10"], /--hidden does not apply to --model one-layer/],
      [["train", "--init", join(dir, "none")], /--init .*none: folder not found/],
      [["train", "--init", dir], /--init .*: W\.npy is missing/],
      [["train", "--data", join(dir, "nodata")], /nodata: data folder not found/],
      [["train", "--bogus"], /Unknown option '--bogus'/],
      [["frobnicate"], /unknown command 'frobnicate'/],
    ];
    for (const [args, pattern] of cases) {
      const r = cli(...args);
      assert.equal(r.status, 2, `${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
      assert.match(r.stderr, pattern);
    }
    saveMatrix(join(dir, "W.npy"), init_one_layer_nn(10, 3).W);
    saveMatrix(join(dir, "b.npy"), init_one_layer_nn(10, 3).b);
    assert.match(cli("train", "--init", dir).stderr, /W\.npy is \(10, 3\) but must be \(784, 3\)/);
  });
});
