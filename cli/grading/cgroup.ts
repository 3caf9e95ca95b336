/**
 * Hard limits for one sandbox from the kernel's control groups, where the
 * grader may create them (root with cgroups v1 or v2, or a delegated v2
 * subtree): a task limit (a fork bomb stops at N tasks, threads included,
 * whatever the uid) and a memory limit that counts the sandbox's tmpfs and
 * /dev/shm pages with its processes'. The watchers of the process tree
 * (proctree.ts, python/grade_notebook.py) name the limit a student went
 * over; these are the backstop they cannot be outrun past. Where no group
 * can be made (a user without delegation), RLIMIT_NPROC is the backstop
 * (`nprocLimit`): the kernel enforces it for any uid but root.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT_FS = "/sys/fs/cgroup";

export interface CgroupLimits {
  /** Tasks (processes and threads) at most. */
  tasks: number;
  /** Memory at most, tmpfs and shared memory included. */
  memoryMb: number;
}

export interface SandboxCgroup {
  /** The group's folders (one per v1 controller, one in v2). */
  dirs: string[];
  /** Arguments to put before a command so that it starts inside the group (no race: the shell enters, then execs). */
  launcher(): string[];
  /** True once the kernel's OOM killer has killed a process of the group. */
  oomKilled(): boolean;
  /** Removes the group's folders (they must be empty of processes); true when gone. */
  remove(): boolean;
}

/** Where this process's group of `controller` is (v1), or its unified group (v2, controller ""). */
function ownGroup(controller: string): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync("/proc/self/cgroup", "utf8").trim().split("\n");
  } catch {
    return undefined;
  }
  for (const line of lines) {
    const [, ctrls, path] = line.split(":");
    if (controller === "" ? ctrls === "" && line.startsWith("0::") : ctrls.split(",").includes(controller)) {
      const dir = controller === "" ? join(ROOT_FS, path) : join(ROOT_FS, controller, path);
      return existsSync(dir) ? dir : undefined;
    }
  }
  return undefined;
}

const write = (file: string, value: string) => writeFileSync(file, value);

function made(dirs: string[], oomFile: string): SandboxCgroup {
  return {
    dirs,
    launcher: () => ["/bin/sh", "-c", `echo $$ | tee ${dirs.map((d) => `'${join(d, "cgroup.procs")}'`).join(" ")} > /dev/null && exec "$@"`, "nnwb-cgroup"],
    oomKilled: () => {
      try {
        return /^oom_kill [1-9]/m.test(readFileSync(oomFile, "utf8"));
      } catch {
        return false;
      }
    },
    remove: () => {
      let gone = true;
      for (const d of dirs) {
        try {
          rmdirSync(d);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ENOENT") gone = false;
        }
      }
      return gone;
    },
  };
}

/** A fresh group named `name` with these limits, or undefined when this process may not make one. */
export function sandboxCgroup(name: string, limits: CgroupLimits): SandboxCgroup | undefined {
  const memBytes = String(Math.round(limits.memoryMb * 1024 * 1024));
  const created: string[] = [];
  const undo = () => { for (const d of created.reverse()) try { rmdirSync(d); } catch { /* busy or gone */ } };
  try {
    const pids = ownGroup("pids"), memory = ownGroup("memory");
    if (pids && memory) {
      // cgroups v1: one group per controller.
      const p = join(pids, name), m = join(memory, name);
      mkdirSync(p);
      created.push(p);
      write(join(p, "pids.max"), String(limits.tasks));
      mkdirSync(m);
      created.push(m);
      write(join(m, "memory.limit_in_bytes"), memBytes);
      try { write(join(m, "memory.memsw.limit_in_bytes"), memBytes); } catch { /* no swap accounting */ }
      return made([p, m], join(m, "memory.oom_control"));
    }
    const unified = ownGroup("");
    if (unified && existsSync(join(unified, "cgroup.controllers"))) {
      const enabled = readFileSync(join(unified, "cgroup.subtree_control"), "utf8");
      if (!/\bpids\b/.test(enabled) || !/\bmemory\b/.test(enabled)) return undefined;
      const u = join(unified, name);
      mkdirSync(u);
      created.push(u);
      write(join(u, "pids.max"), String(limits.tasks));
      write(join(u, "memory.max"), memBytes);
      try { write(join(u, "memory.swap.max"), "0"); } catch { /* no swap controller */ }
      return made([u], join(u, "memory.events"));
    }
  } catch {
    undo();
  }
  return undefined;
}

/** Removes `group` once its processes are gone (killed ones leave it a moment after their parent sees them end). */
export async function removeWhenEmpty(group: SandboxCgroup | undefined): Promise<void> {
  for (let attempt = 0; group && attempt < 30 && !group.remove(); attempt++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * Removes the groups a grading run left (names starting with `prefix`): a
 * sandbox killed with SIGKILL cannot remove its own, and a group empties a
 * moment after its last process is killed (so a few tries).
 */
export async function removeCgroups(prefix: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    let left = 0;
    for (const parent of [ownGroup("pids"), ownGroup("memory"), ownGroup("")]) {
      if (!parent) continue;
      let entries: string[] = [];
      try {
        entries = readdirSync(parent).filter((e) => e.startsWith(prefix));
      } catch { /* unreadable */ }
      for (const e of entries) {
        try {
          rmdirSync(join(parent, e));
        } catch {
          left++;
        }
      }
    }
    if (!left) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * RLIMIT_NPROC for a sandbox started by a user other than root: the kernel
 * counts all of that user's tasks against it, so the limit is what the user
 * runs now plus `extra`. Undefined for root, whom the kernel does not limit.
 */
export function nprocLimit(extra: number): number | undefined {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0) return undefined;
  let tasks = 0;
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) === uid) tasks += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
    } catch { /* gone */ }
  }
  return tasks + extra;
}
