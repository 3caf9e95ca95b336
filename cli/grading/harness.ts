/**
 * The grader's harness: a submission's declarations run in a sandboxed
 * `node` (lib/grading/server.ts) that answers calls on a pipe; the checks
 * run here, in the grader's process, and compare what comes back with the
 * teacher's reference computed here too. Nothing the submission prints or
 * patches reaches a verdict. Each call is limited in CPU seconds (not wall
 * time), memory and processes; a call over a limit kills the sandbox and a
 * fresh one serves the next call.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { closeSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { createInterface } from "node:readline";
import { ROOT } from "../paths";
import { SB, bwrapArgs, layoutBinds, privateDir } from "./sandbox";
import { treeUsage } from "./proctree";
import { nprocLimit, removeWhenEmpty, sandboxCgroup } from "./cgroup";
import type { SandboxCgroup } from "./cgroup";
import { decode, encode } from "../../lib/grading/wire";
import type { Handle, RequestBody, Response, Wire, WireHooks } from "../../lib/grading/wire";
import { valueHooks } from "../../lib/grading";
import { CHECKS, runChecksWith } from "../../lib/grading/registry";
import type { CheckResult, Context, ReferenceLib, StudentObject } from "../../lib/grading/checks";

export interface HarnessLimits {
  /** CPU seconds one call may use (the descents of the checks take a few). */
  callCpuSeconds: number;
  memoryMb: number;
  processes: number;
  /** Size of each tmpfs of the sandbox. */
  tmpfsMb: number;
  /** Bytes of stdout/stderr kept per sandbox (the rest is dropped). */
  outputBytes: number;
  /** Tasks (processes and threads) at most: the hard backstop of the process watch (default 256). */
  tasks?: number;
  /** Names of this run's control groups start with it (default nnwb-<pid>-). */
  cgroupPrefix?: string;
}

let servers = 0;

/** Why a call got no answer. */
export class CallFailed extends Error {
  constructor(readonly kind: "cpu" | "memory" | "processes" | "died" | "wall", message: string) {
    super(message);
  }
}

export interface Usage { cpuSeconds: number; peakRssMb: number }

/** One running sandbox holding a submission's module. */
class Server {
  readonly child: ChildProcess;
  private readonly pending = new Map<number, (r: Response) => void>();
  private nextId = 1;
  exited = false;
  cpuSeconds = 0;
  peakRssMb = 0;
  /** The kernel's OOM killer stopped it (the group's memory limit). */
  oom = false;
  private readonly group?: SandboxCgroup;

  constructor(moduleFile: string, studentLib: string, work: string, private readonly limits: HarnessLimits, bwrap: string, notebooks?: string) {
    const server = join(ROOT, "dist", "lib", "grading");
    const args = bwrapArgs({
      ro: [...layoutBinds(studentLib, notebooks), [moduleFile, `${SB}/notebooks/submission.js`], [join(server, "server.js"), "/grader/server.js"], [join(server, "wire.js"), "/grader/wire.js"], [join(server, "fit.js"), "/grader/fit.js"]],
      tmpfsMb: limits.tmpfsMb, chdir: `${SB}/notebooks`,
      env: { NODE_OPTIONS: `--max-old-space-size=${Math.max(256, limits.memoryMb)}` },
    });
    // stdout/stderr go to files capped by RLIMIT_FSIZE (prlimit): a flood fills nothing but its own file.
    const out = openSync(join(work, "server.out"), "w");
    // The watch below stops the sandbox at memoryMb (processes and tmpfs); the group is the hard stop above it.
    const tasks = limits.tasks ?? 256;
    this.group = sandboxCgroup(`${limits.cgroupPrefix ?? `nnwb-${process.pid}-`}s${process.pid}-${++servers}`, { tasks, memoryMb: limits.memoryMb + 512 });
    const nproc = this.group ? undefined : nprocLimit(tasks);
    const command = [...(this.group?.launcher() ?? []), "/usr/bin/prlimit", `--fsize=${limits.outputBytes}`, "--core=0", ...(nproc ? [`--nproc=${nproc}`] : []), "--",
      bwrap, ...args, "--", "/usr/bin/node", "/grader/server.js", `${SB}/notebooks/submission.js`, `${SB}/dist/lib`];
    this.child = spawn(command[0], command.slice(1), { stdio: ["ignore", out, out, "pipe", "pipe"], detached: true });
    closeSync(out);
    this.child.on("exit", () => {
      this.exited = true;
      if (this.group?.oomKilled()) this.oom = true;
      void removeWhenEmpty(this.group);
      for (const done of this.pending.values()) done({ id: 0, ok: false, error: "died" });
      this.pending.clear();
    });
    const lines = createInterface({ input: this.child.stdio[4] as NodeJS.ReadableStream, crlfDelay: Infinity });
    lines.on("line", (line) => {
      let r: Response;
      try {
        r = JSON.parse(line) as Response;
      } catch {
        return; // not ours: the submission wrote on the pipe
      }
      this.pending.get(r.id)?.(r);
      this.pending.delete(r.id);
    });
    (this.child.stdio[3] as Writable).on("error", () => {});
  }

  /** Sends one request; resolves with the answer, or rejects when a limit stops the sandbox. */
  request(r: RequestBody): Promise<Wire> {
    if (this.exited) return Promise.reject(new CallFailed("died", "died"));
    const id = this.nextId++;
    const start = treeUsage(this.child.pid!).cpuSeconds;
    return new Promise<Wire>((resolve, reject) => {
      let stop: CallFailed | undefined;
      const wallLimit = Date.now() + (this.limits.callCpuSeconds * 10 + 60) * 1000;
      const watch = setInterval(() => {
        const u = treeUsage(this.child.pid!);
        this.cpuSeconds = Math.max(this.cpuSeconds, u.cpuSeconds);
        this.peakRssMb = Math.max(this.peakRssMb, u.rssMb);
        if (u.cpuSeconds - start > this.limits.callCpuSeconds) stop = new CallFailed("cpu", `plus de ${this.limits.callCpuSeconds} s de calcul`);
        else if (u.rssMb + u.tmpfsMb > this.limits.memoryMb) stop = new CallFailed("memory", `plus de ${this.limits.memoryMb} Mo de mémoire`);
        else if (u.processes > this.limits.processes) stop = new CallFailed("processes", `plus de ${this.limits.processes} processus`);
        else if (Date.now() > wallLimit) stop = new CallFailed("wall", "aucune réponse (bloquée)");
        if (stop) this.kill();
      }, 100);
      this.pending.set(id, (resp) => {
        clearInterval(watch);
        if (resp.ok) resolve(resp.value);
        else if (resp.id === 0) reject(stop ?? (this.oom ? new CallFailed("memory", `plus de ${this.limits.memoryMb} Mo de mémoire`) : new CallFailed("died", "le processus s'est arrêté pendant l'appel (process.exit, plantage…)")));
        else reject(new Error(resp.error));
      });
      (this.child.stdio[3] as Writable).write(JSON.stringify({ ...r, id }) + "\n");
    });
  }

  kill(): void {
    try {
      process.kill(-this.child.pid!, "SIGKILL");
    } catch { /* gone */ }
  }
}

/** A submission's functions, reachable through sandboxes started on demand. */
export class Submission {
  private server?: Server;
  private names?: Set<string>;
  private restarts = 0;
  cpuSeconds = 0;
  peakRssMb = 0;

  constructor(
    private readonly moduleFile: string, private readonly studentLib: string, private readonly work: string,
    private readonly limits: HarnessLimits, private readonly bwrap: string, private readonly notebooks?: string,
  ) {}

  private live(): Server {
    if (!this.server || this.server.exited) {
      if (this.server) this.account(this.server);
      if (this.restarts++ > 40) throw new CallFailed("died", "trop de redémarrages");
      this.server = new Server(this.moduleFile, this.studentLib, privateDir(this.work, `run-${this.restarts}`), this.limits, this.bwrap, this.notebooks);
    }
    return this.server;
  }

  private account(s: Server): void {
    this.cpuSeconds += s.cpuSeconds;
    this.peakRssMb = Math.max(this.peakRssMb, s.peakRssMb);
  }

  request(r: RequestBody): Promise<Wire> {
    return this.live().request(r);
  }

  /** Why the notebook's declarations do not load (an error at the top level, an earlier notebook charger_cahier cannot read), if they do not. */
  loadError?: string;

  /** The graded names the submission defines (functions or classes). */
  async defined(names: string[]): Promise<Set<string>> {
    if (!this.names) {
      try {
        this.names = new Set(decode(await this.request({ op: "names", names }), valueHooks) as string[]);
      } catch (e) {
        this.names = new Set();
        this.loadError = (e as Error).message;
      }
    }
    return this.names;
  }

  close(): Usage {
    if (this.server) {
      this.server.kill();
      this.account(this.server);
      this.server = undefined;
    }
    return { cpuSeconds: this.cpuSeconds, peakRssMb: this.peakRssMb };
  }
}

/** Decoding on the harness side: handles become StudentObjects over `sub`. */
function harnessHooks(sub: Submission): WireHooks {
  return {
    ...valueHooks,
    tensorOf: (v) => valueHooks.tensorOf(v),
    handleOf: (v) => (v instanceof RemoteObject ? { handle: v.handle, kind: v.kind } : undefined),
    fromHandle: (h: Handle) => new RemoteObject(sub, h.handle, h.kind),
  };
}

class RemoteObject implements StudentObject {
  constructor(private readonly sub: Submission, readonly handle: number, readonly kind: string) {}
  async get(path: string[]) { return decode(await this.sub.request({ op: "get", handle: this.handle, path }), harnessHooks(this.sub)); }
  async set(path: string[], value: unknown) { await this.sub.request({ op: "set", handle: this.handle, path, value: encode(value, harnessHooks(this.sub)) }); }
  async call(method: string, ...args: unknown[]) {
    return decode(await this.sub.request({ op: "method", handle: this.handle, method, args: args.map((a) => encode(a, harnessHooks(this.sub))) }), harnessHooks(this.sub));
  }
  async fit(x: unknown, y: unknown, passes: number, epsilon: number) {
    const hooks = harnessHooks(this.sub);
    await this.sub.request({ op: "fit", handle: this.handle, x: encode(x, hooks), y: encode(y, hooks), passes, epsilon });
  }
}

/** Reference values shared by all the students of a run (the reference descents run once per class). */
export class ReferenceCache {
  private readonly values = new Map<string, unknown>();
  constructor(readonly lib: ReferenceLib) {}
  get<T>(key: string, compute: (lib: ReferenceLib) => T): T {
    if (!this.values.has(key)) this.values.set(key, compute(this.lib));
    return this.values.get(key) as T;
  }
}

const LIMIT_MESSAGES: Record<CallFailed["kind"], string> = {
  cpu: "trop long", memory: "mémoire dépassée", processes: "trop de processus", died: "arrêt du processus", wall: "bloquée",
};

/** Runs every check of `name` against the submission; `missing` says why the function is absent when it is. */
export async function checkFunction(sub: Submission, name: string, ref: ReferenceCache, missing: string | undefined, variant: number): Promise<CheckResult[]> {
  const hooks = harnessHooks(sub);
  const call = (fn: string) => async (...args: unknown[]) => {
    try {
      return decode(await sub.request({ op: "call", name: fn, args: args.map((a) => encode(a, hooks)) }), hooks);
    } catch (e) {
      if (e instanceof CallFailed) throw new Error(`${LIMIT_MESSAGES[e.kind]} (${e.message}) : l'appel a été arrêté`);
      throw e;
    }
  };
  const defined = await sub.defined([name, ...Object.keys(CHECKS)]);
  return runChecksWith(name, (once): Context | string => {
    if (!defined.has(name)) return sub.loadError ? `${name} n'a pas pu être chargée : ${sub.loadError}` : missing ?? `${name} n'est définie dans aucun cahier rendu`;
    return {
      fn: call(name),
      other: (n) => (defined.has(n) ? call(n) : undefined),
      construct: async (cls, ...args) => {
        const h = decode(await sub.request({ op: "new", name: cls, args: args.map((a) => encode(a, hooks)) }), hooks);
        if (!(h instanceof RemoteObject)) throw new Error(`new ${cls}(…) n'a pas donné un objet`);
        return h;
      },
      tensor: (t) => t,
      ref: async <T>(key: string, compute: (lib: ReferenceLib) => T) => ref.get(key, compute),
      live: ref.lib,
      variant,
      once,
    };
  });
}

/** Writes the module file a sandbox loads. */
export function writeModule(dir: string, js: string): string {
  const file = join(privateDir(dir, "module"), "submission.js");
  writeFileSync(file, js);
  return file;
}
