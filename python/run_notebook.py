"""Executes one notebook headless with the project's TypeScript kernel.

Called by `nn-workbook run`, not meant to be run by hand. It runs the cells in
order in the notebook's own folder, stops at the first failing cell, always
writes the executed copy (complete, or up to the failure), signs it as trusted,
optionally exports HTML, and prints one JSON line describing the outcome.
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--output", required=True)
    ap.add_argument("--html")
    ap.add_argument("--kernel", default="nn-workbook")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    ap.add_argument("--cwd", help="folder the kernel runs in (default: the notebook's)")
    args = ap.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    cwd = args.cwd or os.path.dirname(os.path.abspath(args.notebook))
    client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.timeout,
                            resources={"metadata": {"path": cwd}}, allow_errors=False)
    result = {"ok": True, "cells": len(nb.cells)}
    started = time.time()
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
