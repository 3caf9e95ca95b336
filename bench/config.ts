/** The configurations `npm run bench` measures, shared by the runner and its workers. */
export interface BenchConfig {
  /** A dataset name of lib/data's DATASETS. */
  dataset: string;
  model: "one-layer" | "two-layers";
  /** Q, for the two-layer net. */
  hidden?: number;
  /** Timed passes per run. */
  passes: number;
  /**
   * Untimed passes first, on both sides: V8 compiles the hot loops after a
   * few hundred milliseconds, and a real run is 200–2 000 passes long.
   */
  warmup: number;
  epsilon: number;
  /** MB of live JavaScript objects the worker holds while it trains (`--heap`). */
  heapMb?: number;
}

/** What one run (ours or NumPy's) reports. */
export interface RunResult {
  /** Wall time of each full pass (forward on train and test, losses, gradients, update), ms. */
  ms: number[];
  train_loss: number[];
  test_loss: number[];
  /** Peak resident memory of the process, MB. */
  peak_mb: number;
  version: string;
}

const SHIPPED = "digit 3 classes", FULL = "digit 3 classes full";

/**
 * The handout's nets on the shipped 1 000-image set and on full MNIST-1/7/8.
 * The full set takes a smaller ε (the gradient is a sum over 18 858 samples:
 * ε = 1e-3 diverges there) so that every pass does real work.
 */
export const CONFIGS: readonly BenchConfig[] = [
  { dataset: SHIPPED, model: "one-layer", warmup: 100, passes: 300, epsilon: 1e-5 },
  { dataset: SHIPPED, model: "two-layers", hidden: 10, warmup: 100, passes: 200, epsilon: 1e-3 },
  { dataset: SHIPPED, model: "two-layers", hidden: 100, warmup: 60, passes: 100, epsilon: 1e-3 },
  { dataset: FULL, model: "one-layer", warmup: 10, passes: 40, epsilon: 1e-5 },
  { dataset: FULL, model: "two-layers", hidden: 10, warmup: 10, passes: 30, epsilon: 5e-5 },
  { dataset: FULL, model: "two-layers", hidden: 100, warmup: 5, passes: 15, epsilon: 5e-5 },
];

export function label(c: BenchConfig): string {
  const net = c.model === "one-layer" ? "one-layer" : `two-layer Q=${c.hidden}`;
  return `${net}, ${c.dataset === FULL ? "full set" : "shipped set"}`;
}

/** A part 3 configuration: the autograd pass of the two-layer net (tanh, the handout's loss). */
export interface AutogradConfig {
  dataset: string;
  hidden: number;
  optimizer: "gd" | "momentum";
  passes: number;
  warmup: number;
  epsilon: number;
}

/** What a part 3 run is timed on: a TensorFlow.js backend or PyTorch, and its threads. */
export interface AutogradSide {
  engine: "native" | "wasm" | "torch";
  threads: number;
}

/**
 * Part 3 on both sets, Q = 10 and 100, gd and momentum. ε = 1e-4 (the
 * handout's for consigne 18) on the shipped set, 5e-6 on the full set,
 * where the loss is a mean over 18 858 samples as well but momentum
 * multiplies steps by up to 10.
 */
export const AUTOGRAD_CONFIGS: readonly AutogradConfig[] = [SHIPPED, FULL].flatMap((dataset) =>
  [10, 100].flatMap((hidden) =>
    (["gd", "momentum"] as const).map((optimizer) =>
      dataset === SHIPPED
        ? { dataset, hidden, optimizer, warmup: 30, passes: 60, epsilon: 1e-4 }
        : { dataset, hidden, optimizer, warmup: 5, passes: 10, epsilon: 5e-6 },
    ),
  ),
);

export function autogradLabel(c: AutogradConfig): string {
  return `autograd Q=${c.hidden} ${c.optimizer}, ${c.dataset === FULL ? "full set" : "shipped set"}`;
}
