"""Executes one notebook headless with the project's TypeScript kernel.

Called by `nn-workbook run`, not meant to be run by hand. It runs the cells in
order in the notebook's own folder, stops at the first failing cell, always
writes the executed copy (complete, or up to the failure), signs it as trusted,
optionally exports HTML, and prints one JSON line describing the outcome.
With --cell-cpu (and --budget-cpu, --memory-mb, --processes) it applies the
grader's limits with the grader's own watch (grade_notebook.py): a cell over
them fails here with the French message the grader's feedback gives.
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbformat.sign import NotebookNotary
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def cell_text(cell, limit=2000, streams=("stderr",)):
    """What the cell printed on `streams` (tslab reports errors on stderr, not as error outputs), the last `limit` characters."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") in streams:
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("%s: %s" % (out.get("ename", ""), out.get("evalue", "")))
    text = "".join(parts)
    return text if limit is None else text[-limit:]


def write_atomic(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp-%d" % os.getpid()
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def run_plain(nb, args, cwd, result):
    """Runs the cells in order, each within --timeout seconds of wall time; returns the last cell's index."""
    client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.timeout,
                            resources={"metadata": {"path": cwd}}, allow_errors=False)
    index = -1
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
    except CellTimeoutError:
        result.update(ok=False, failed_cell=index, reason="timeout",
                      error="cell ran longer than %d s" % args.timeout)
    except CellExecutionError as e:
        text = cell_text(nb.cells[index]) or str(e)
        result.update(ok=False, failed_cell=index, reason="error", error=text.strip())
    except DeadKernelError as e:
        result.update(ok=False, failed_cell=index, reason="kernel died", error=str(e))
    return index


def run_limited(nb, args, cwd, result):
    """Runs the cells in order under the grader's limits (its Watch, its messages); returns the last cell's index.
    result gets "cpu": the CPU seconds of each code cell, by cell index."""
    import signal
    from jupyter_client.manager import KernelManager
    from grade_notebook import Watch, KernelGone, limit_outcome, BUDGET_SPENT, _kernel_gone
    signal.signal(signal.SIGUSR1, _kernel_gone)
    km = KernelManager(kernel_name=args.kernel)
    client = NotebookClient(nb, km=km, timeout=int(args.cell_cpu), shutdown_kernel="immediate",
                            resources={"metadata": {"path": cwd}}, allow_errors=False)
    watch = Watch(km, args.memory_mb, args.processes)
    watch.running = True
    cpu = {}
    index = -1
    wall_factor = 20  # as graded: a backstop only, the limits are CPU seconds

    def stopped(limit, kind):
        return limit_outcome(watch.tripped or ("cpu" if kind == "timeout" else None), limit, args)

    try:
        with client.setup_kernel():
            watch.running = False
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                left = args.budget_cpu - watch.cpu
                if left <= 0:
                    result.update(ok=False, failed_cell=index, reason="budget", error=BUDGET_SPENT % args.budget_cpu)
                    break
                limit = min(args.cell_cpu, left)
                client.timeout = max(1, int(limit * wall_factor + 30))
                watch.start_cell(limit, limit * wall_factor + 40)
                watch.running = True
                kind = None
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    kind = "timeout"
                except (DeadKernelError, KernelGone):
                    kind = "dead"
                except CellExecutionError:
                    kind = "error"
                finally:
                    watch.running = False
                    cpu[index] = round(watch.cell_cpu(), 2)
                limits = stopped(limit, kind)
                if limits:
                    result.update(ok=False, failed_cell=index, reason=limits[0], error=limits[1])
                elif kind == "dead":
                    result.update(ok=False, failed_cell=index, reason="kernel died", error="le noyau s'est arrêté pendant cette cellule (process.exit, plantage…)")
                elif kind == "error":
                    result.update(ok=False, failed_cell=index, reason="error", error=(cell_text(cell) or "").strip())
                if not result["ok"]:
                    break
    except (DeadKernelError, KernelGone):
        limits = stopped(args.cell_cpu, "dead")
        result.update(ok=False, failed_cell=index, reason=limits[0] if limits else "kernel died",
                      error=limits[1] if limits else "le noyau s'est arrêté")
    finally:
        watch.stop()
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # already gone
            pass
    result["cpu"] = {str(i): v for i, v in cpu.items()}
    result["cpu_seconds"] = round(watch.cpu, 2)
    return index


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--output", required=True)
    ap.add_argument("--html")
    ap.add_argument("--kernel", default="nn-workbook")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    ap.add_argument("--cwd", help="folder the kernel runs in (default: the notebook's)")
    ap.add_argument("--cell-cpu", type=float, help="CPU seconds per cell, as graded (with the three below)")
    ap.add_argument("--budget-cpu", type=float, help="CPU seconds for all the cells")
    ap.add_argument("--memory-mb", type=float, help="memory cap of the kernel's process tree")
    ap.add_argument("--processes", type=int, help="process cap of the kernel's tree")
    args = ap.parse_args()
    limited = [args.cell_cpu, args.budget_cpu, args.memory_mb, args.processes]
    if any(v is not None for v in limited) and any(v is None for v in limited):
        ap.error("--cell-cpu, --budget-cpu, --memory-mb and --processes go together")

    nb = nbformat.read(args.notebook, as_version=4)
    cwd = args.cwd or os.path.dirname(os.path.abspath(args.notebook))
    result = {"ok": True, "cells": len(nb.cells)}
    started = time.time()
    if args.cell_cpu is not None:
        index = run_limited(nb, args, cwd, result)
    else:
        index = run_plain(nb, args, cwd, result)
    if not result["ok"]:
        src = nb.cells[index].get("source", "") if 0 <= index < len(nb.cells) else ""
        result["source"] = src[:400]
    result["seconds"] = round(time.time() - started, 2)
    nbformat.validate(nb)
    NotebookNotary().sign(nb)
    write_atomic(args.output, nbformat.writes(nb))
    if args.html:
        from nbconvert import HTMLExporter
        body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
        write_atomic(args.html, body)
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
