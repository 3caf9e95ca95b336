/**
 * The command of the grader's kernelspec: starts tslab inside the sandbox
 * (sandbox.ts). Jupyter gives it the connection file, in the kernel's
 * private folder; the kernel talks over unix sockets in that folder (ipc
 * transport: the sandbox has no network), the only writable folder it shares
 * with the host. Its stdout/stderr go to a capped file, never to the grader.
 *
 *   node kernel-wrapper.js <connection-file>     (settings in NNWB_SANDBOX)
 */
import { spawn } from "node:child_process";
import { openSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { SB, bwrapArgs, layoutBinds } from "./sandbox";
import { nprocLimit, removeWhenEmpty, sandboxCgroup } from "./cgroup";

export interface KernelSandbox {
  bwrap: string;
  studentLib: string;
  tmpfsMb: number;
  memoryMb: number;
  outputBytes: number;
  /** The student's notebooks, bound read-only beside the running one. */
  notebooks?: string;
  /** Tasks (processes and threads) of the sandbox at most: the hard backstop of the runner's process watch. */
  tasks: number;
  /** Names of this run's control groups start with it (the grader removes what is left at the end). */
  cgroupPrefix: string;
}

function main(): void {
  const file = process.argv[2];
  const settings = JSON.parse(process.env.NNWB_SANDBOX ?? "{}") as KernelSandbox;
  const conn = JSON.parse(readFileSync(file, "utf8")) as Record<string, string | number>;
  const dir = dirname(file);
  if (conn.transport === "ipc") {
    // Jupyter connects to <ip>-<port>, tslab binds <ip>:<port>.
    for (const k of ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"]) {
      try {
        symlinkSync(`${basename(String(conn.ip))}:${conn[k]}`, `${conn.ip}-${conn[k]}`);
      } catch { /* already there (a restart) */ }
    }
  }
  const args = bwrapArgs({ ro: layoutBinds(settings.studentLib, settings.notebooks), rw: [[dir, dir]], tmpfsMb: settings.tmpfsMb, chdir: `${SB}/notebooks` });
  const log = openSync(join(dir, `kernel-${process.pid}.log`), "w");
  // Memory: the runner stops the kernel at memoryMb (its processes and tmpfs); the group is the hard stop above it.
  const group = sandboxCgroup(`${settings.cgroupPrefix}k${process.pid}`, { tasks: settings.tasks, memoryMb: settings.memoryMb + 512 });
  const nproc = group ? undefined : nprocLimit(settings.tasks);
  const command = [...(group?.launcher() ?? []), "/usr/bin/prlimit", `--fsize=${settings.outputBytes}`, "--core=0", ...(nproc ? [`--nproc=${nproc}`] : []), "--", settings.bwrap, ...args, "--",
    "/usr/bin/node", `--max-old-space-size=${Math.max(256, Math.round(settings.memoryMb))}`, `${SB}/node_modules/tslab/bin/tslab`, "kernel", "--config-path", file];
  const child = spawn(command[0], command.slice(1), { stdio: ["ignore", log, log] });
  // bwrap runs with --die-with-parent: once this process is gone, so is the sandbox.
  const stop = () => { child.kill("SIGKILL"); process.exit(1); };
  process.on("SIGINT", () => child.kill("SIGINT")); // tslab interrupts the running cell
  for (const sig of ["SIGTERM", "SIGHUP"] as const) process.on(sig, stop);
  // Orphaned (the runner died without stopping us): the kernel goes too.
  const parent = process.ppid;
  setInterval(() => { if (process.ppid !== parent) stop(); }, 1000).unref();
  child.on("exit", async (code, signal) => {
    // The runner names the cell that went over memory from this file (the OOM killer looks like a crash).
    if (group?.oomKilled()) writeFileSync(join(dir, `oom-${process.pid}`), "");
    await removeWhenEmpty(group);
    process.exit(code ?? (signal ? 128 : 1));
  });
}

main();
