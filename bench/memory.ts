/** The peak memory of this process, for the bench workers. */
import { readFileSync } from "node:fs";

/** VmHWM: unlike maxRSS, it does not inherit the parent's peak across fork and exec. */
export function peakMemoryMb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}
