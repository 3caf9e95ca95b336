import { strict as assert } from "node:assert";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { load_data, DataError, DATA_DIR, buildDataset, checksums, DATASETS } from "../lib/data";
import { readNpy, writeNpy } from "../lib/npy";
import { sum } from "../lib/array";
import { tempDir, removeDir, rawNpy } from "./helpers";

const SHIPPED = join(DATA_DIR, "digit-3-classes");

describe("load_data", () => {
  it("loads the shipped dataset: 1000 + 1000 images, x in [0, 1], y one-hot", () => {
    const d = load_data(DATA_DIR);
    assert.deepEqual(d.x_train.shape, [1000, 784]);
    assert.deepEqual(d.y_train.shape, [1000, 3]);
    assert.deepEqual(d.x_test.shape, [1000, 784]);
    assert.deepEqual(d.y_test.shape, [1000, 3]);
    assert.equal(d.x_train.data.reduce((a, b) => Math.max(a, b)), 1);
    assert.equal(d.x_train.data.reduce((a, b) => Math.min(a, b)), 0);
    assert.ok(sum(d.y_train, 1).data.every((v) => v === 1));
    // '1' → class 0, '7' → 1, '8' → 2: the raw labels agree with the one-hot rows.
    const raw = readNpy(join(SHIPPED, "y.npy")).data;
    for (let i = 0; i < 20; i++) assert.equal(d.y_train.get(i, [1, 7, 8].indexOf(raw[i])), 1);
  });

  it("ships files that match their checksums, and rebuilds them identically from MNIST", () => {
    const recorded = readFileSync(join(SHIPPED, "SHA256SUMS"), "utf8");
    assert.equal(checksums(SHIPPED), recorded);
    const dir = tempDir();
    try {
      buildDataset(join(dir, "d"), DATASETS["digit 3 classes"]);
      assert.equal(checksums(join(dir, "d")), recorded);
    } finally {
      removeDir(dir);
    }
  });

  describe("files a teacher brings", () => {
    let dir: string;
    beforeEach(() => (dir = tempDir()));
    afterEach(() => removeDir(dir));

    const pixels = (n: number) => Uint8Array.from({ length: n * 784 }, (_, i) => (i * 37) % 256);

    it("takes float64 pixels in [0, 1] as they are and digit labels {1, 7, 8}", () => {
      const x = Float64Array.from(pixels(4), (v) => v / 255);
      writeNpy(join(dir, "x.npy"), x, [4, 784]);
      writeNpy(join(dir, "xt.npy"), x, [4, 784]);
      writeNpy(join(dir, "y.npy"), Int32Array.from([1, 7, 8, 7]), [4]);
      writeNpy(join(dir, "yt.npy"), Int32Array.from([8, 8, 1, 1]), [4]);
      const d = load_data(dir);
      assert.deepEqual(d.x_train.data, x);
      assert.deepEqual(d.y_train.toArray(), [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]]);
      assert.deepEqual(d.y_test.toArray(), [[0, 0, 1], [0, 0, 1], [1, 0, 0], [1, 0, 0]]);
    });

    it("takes float32 0–255 pixels as (N, 28, 28), class ids as int64, and one-hot labels", () => {
      writeNpy(join(dir, "x.npy"), Float32Array.from(pixels(3)), [3, 28, 28]);
      writeNpy(join(dir, "xt.npy"), pixels(2), [2, 784]);
      const ids = new BigInt64Array([0n, 2n, 1n]);
      rawNpy(join(dir, "y.npy"), "<i8", [3], new Uint8Array(ids.buffer));
      writeNpy(join(dir, "yt.npy"), Float64Array.from([0, 1, 0, 1, 0, 0]), [2, 3]);
      const d = load_data(dir);
      assert.deepEqual(d.x_train.shape, [3, 784]);
      assert.equal(d.x_train.get(0, 1), 37 / 255);
      assert.deepEqual(d.y_train.toArray(), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
      assert.deepEqual(d.y_test.toArray(), [[0, 1, 0], [1, 0, 0]]);
    });

    it("reads Fortran-ordered arrays in the right order", () => {
      const c = Float64Array.from({ length: 2 * 784 }, (_, i) => (i % 784) / 784 + Math.floor(i / 784) * 0.0001);
      const f = new Float64Array(c.length);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 784; j++) f[j * 2 + i] = c[i * 784 + j];
      rawNpy(join(dir, "x.npy"), "<f8", [2, 784], new Uint8Array(f.buffer), true);
      writeNpy(join(dir, "xt.npy"), c, [2, 784]);
      writeNpy(join(dir, "y.npy"), Uint8Array.from([1, 7]), [2]);
      writeNpy(join(dir, "yt.npy"), Uint8Array.from([1, 7]), [2]);
      assert.deepEqual(load_data(dir).x_train.data, c);
    });
  });

  describe("bad input: one clear error naming the file and the problem", () => {
    let dir: string;
    beforeEach(() => {
      dir = tempDir();
      for (const f of ["x.npy", "y.npy", "xt.npy", "yt.npy"]) copyFileSync(join(SHIPPED, f), join(dir, f));
    });
    afterEach(() => removeDir(dir));

    const fails = (pattern: RegExp) => assert.throws(() => load_data(dir), (e: Error) => e instanceof DataError && pattern.test(e.message));

    it("missing folder", () => assert.throws(() => load_data(join(dir, "nope")), /nope: data folder not found/));
    it("a file instead of a folder", () => assert.throws(() => load_data(join(dir, "x.npy")), /x\.npy: not a folder/));
    it("unknown dataset name", () => {
      const empty = tempDir();
      try {
        assert.throws(() => load_data(empty, "digits 10 classes"), /unknown dataset 'digits 10 classes'; known: 'digit 3 classes', 'digit 3 classes full'/);
      } finally {
        removeDir(empty);
      }
    });
    it("missing file", () => {
      removeDir(join(dir, "yt.npy"));
      fails(/yt\.npy: file not found/);
    });
    it("truncated file", () => {
      const b = readFileSync(join(dir, "x.npy"));
      writeFileSync(join(dir, "x.npy"), b.subarray(0, b.length - 100));
      fails(/x\.npy: truncated: shape \(1000, 784\) needs 784072 bytes, the file has 783972/);
    });
    it("not a .npy file", () => {
      writeFileSync(join(dir, "xt.npy"), "x,y\n1,2\n");
      fails(/xt\.npy: not a NumPy \.npy file/);
    });
    it("big-endian data", () => {
      rawNpy(join(dir, "x.npy"), ">f8", [1000, 784], new Uint8Array(1000 * 784 * 8));
      fails(/x\.npy: big-endian data \('>f8'\) is not supported/);
    });
    it("unsupported dtype", () => {
      rawNpy(join(dir, "x.npy"), "<c16", [1000, 784], new Uint8Array(1000 * 784 * 16));
      fails(/x\.npy: unsupported dtype '<c16'/);
    });
    it("x not (N, 784)", () => {
      writeNpy(join(dir, "x.npy"), new Uint8Array(1000 * 100), [1000, 100]);
      fails(/x\.npy: images must have shape \(N, 784\) or \(N, 28, 28\), got \(1000, 100\)/);
    });
    it("labels of another length than x", () => {
      writeNpy(join(dir, "y.npy"), new Uint8Array(999).fill(1), [999]);
      fails(/y\.npy: 999 labels for 1000 images/);
    });
    it("unknown labels", () => {
      writeNpy(join(dir, "yt.npy"), new Uint8Array(1000).fill(3), [1000]);
      fails(/yt\.npy: unknown label\(s\) 3; expected digits \{1, 7, 8\} or class ids \{0, 1, 2\}/);
    });
    it("one-hot rows that are not one-hot", () => {
      const y = new Float64Array(3000);
      y[0] = 1; y[1] = 1;
      writeNpy(join(dir, "y.npy"), y, [1000, 3]);
      fails(/y\.npy: row 0 is not one-hot \(2 ones\)/);
    });
    it("NaN pixels", () => {
      const x = new Float64Array(1000 * 784);
      x[784 * 5 + 3] = NaN;
      writeNpy(join(dir, "xt.npy"), x, [1000, 784]);
      fails(/xt\.npy: pixel 3923 \(image 5\) is NaN/);
    });
    it("pixels out of range", () => {
      const x = new Float64Array(1000 * 784);
      x[10] = 300;
      writeNpy(join(dir, "x.npy"), x, [1000, 784]);
      fails(/x\.npy: pixel 10 \(image 0\) is 300, outside \[0, 255\]/);
    });
  });

  it("builds a named dataset on demand inside a repository folder", function () {
    this.timeout(60000);
    const repo = tempDir();
    try {
      mkdirSync(join(repo, "unused"));
      const d = load_data(repo, "digit 3 classes full");
      assert.deepEqual(d.x_train.shape, [18858, 784]);
      assert.deepEqual(d.x_test.shape, [3137, 784]);
      assert.deepEqual(Array.from(sum(d.y_train, 0).data), [6742, 6265, 5851]);
    } finally {
      removeDir(repo);
    }
  });
});
