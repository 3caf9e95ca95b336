/** Helpers shared by the bench runners: running a worker, statistics, table cells. */
import { spawnSync } from "node:child_process";
import type { RunResult } from "./config";

/** Runs a worker that prints a RunResult as its last stdout line. */
export function runJson(cmd: string, args: string[], what: string, cwd: string, env?: NodeJS.ProcessEnv): RunResult {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd, maxBuffer: 64 << 20, env });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !line.startsWith("{")) throw new Error(`${what} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  return JSON.parse(line) as RunResult;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Every timed pass of every run. */
export const ms = (runs: RunResult[]): number[] => runs.flatMap((r) => r.ms);
export const peak = (runs: RunResult[]): number => Math.max(...runs.map((r) => r.peak_mb));

/** Largest relative gap between the two loss histories (train and test). */
export function lossGap(a: RunResult, b: RunResult): number {
  let gap = 0;
  for (const key of ["train_loss", "test_loss"] as const) {
    a[key].forEach((v, i) => { gap = Math.max(gap, Math.abs(v - b[key][i]) / Math.abs(b[key][i])); });
  }
  return gap;
}

export const f = (x: number, digits = 1): string => x.toFixed(digits);
