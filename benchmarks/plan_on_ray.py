"""The whole example plan on a loopback Ray cluster of one node, then of two, and on the local pool.

Each node is a ``ray start --block`` process group of its own with ONE CPU (``--cpus``): a node is then a
one-core machine, so one node runs one cell at a time and two nodes run two — the question is whether
cells spread over the nodes and the wall time follows. (Splitting the machine's two cores the other way,
one node of 2 CPUs against two of 1, would ask instead whether distribution costs anything.) On a
machine of two cores shared with other work expect less than 2×: a cell is an ``accord run`` driver and
its worker, and both nodes' cells compete for the same cores.

Every run writes into a fresh output folder and all share one environment cache (``--env-cache``,
default ~/.cache/accord/plan-envs), so only the first run can build environments; the numbers are wall
times of ``accord plan run`` as a user runs it (cluster start-up excluded). The pool gets as many workers as
the cluster of two has CPUs. Printed: each run's wall time, the 2-vs-1 ratio, the cells each node ran,
environments built / reused, each run's statuses, and every cell whose status differs between runs.

Run: ``python benchmarks/plan_on_ray.py [--plan examples/plans/array-api.yaml] [--runs 1,2,pool]
[--cells GLOB[,GLOB]] [--json out.json]``. Exit 1 when statuses differ between runs.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from accord.conformance.plan.envs import default_cache
from accord.conformance.plan.local_ray import LocalRayCluster, is_loopback_ip

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "examples" / "plans" / "array-api.yaml"
MAIN = "import sys; from accord.conformance.cli import main; sys.exit(main())"


def plan_run(plan: Path, out: Path, cache: Path, extra: list[str], env: dict[str, str] | None,
             log: Path) -> tuple[float, int]:
    """``accord plan run`` to its end; (wall seconds, exit code). Its output goes to ``log``."""
    started = time.monotonic()
    with open(log, "w") as sink:
        code = subprocess.run([sys.executable, "-c", MAIN, "plan", "run", str(plan), "--out", str(out),
                               "--env-cache", str(cache), *extra], stdout=sink, stderr=subprocess.STDOUT,
                              env=env).returncode
    return time.monotonic() - started, code


def read_state(out: Path) -> dict[str, Any]:
    try:
        return json.loads((out / "plan-state.json").read_text())["cells"]
    except (OSError, ValueError, KeyError):
        return {}


def summarize(name: str, seconds: float, code: int, cells: dict[str, Any],
              node_names: dict[str, str] | None = None) -> dict[str, Any]:
    names = node_names or {}
    nodes = Counter(names.get(m.group(1), m.group(1)) if (m := re.search(r"ray node (\w+)", c.get("host") or ""))
                    else "local" for c in cells.values())
    built = {c.get("env_key") for c in cells.values() if c.get("env_built") is True}
    reused = {c.get("env_key") for c in cells.values() if c.get("env_built") is False} - built
    return {"run": name, "seconds": round(seconds, 1), "exit": code, "cells_per_node": dict(nodes),
            "environments_built": len(built), "environments_reused": len(reused),
            "statuses": {cid: c.get("status") for cid, c in sorted(cells.items())}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=Path, default=PLAN)
    parser.add_argument("--runs", default="1,2,pool", help="in this order: N (a Ray cluster of N nodes), pool")
    parser.add_argument("--cpus", type=int, default=1, help="CPUs of each Ray node")
    parser.add_argument("--env-cache", type=Path, default=None)
    parser.add_argument("--cells", default=None, help="only these cells (accord plan run --cells)")
    parser.add_argument("--select", default=None, help="requirement globs for every cell (--select)")
    parser.add_argument("--keep", type=Path, default=None, help="keep output folders and logs here")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args(argv)
    console = Console()
    cache = (args.env_cache or default_cache()).expanduser().resolve()
    work = args.keep or Path(tempfile.mkdtemp(prefix="accord-bench-plan-"))
    work.mkdir(parents=True, exist_ok=True)
    extra = (["--cells", args.cells] if args.cells else []) + (["--select", args.select] if args.select else [])
    runs = [r.strip() for r in args.runs.split(",") if r.strip()]
    node_counts = [int(r) for r in runs if r.isdigit()]
    results: list[dict[str, Any]] = []
    try:
        for run in runs:
            out, log = work / f"out-{run}", work / f"{run}.log"
            if run == "pool":
                workers = str(max(node_counts or [2]) * args.cpus)
                console.print(f"[bold]local pool[/bold], {workers} workers …")
                seconds, code = plan_run(args.plan, out, cache, [*extra, "--workers", workers], None, log)
                results.append(summarize("pool", seconds, code, read_state(out)))
            else:
                nodes = int(run)
                console.print(f"[bold]Ray, {nodes} node(s) × {args.cpus} CPU[/bold] …")
                started = time.monotonic()
                with LocalRayCluster(nodes=nodes, cpus=args.cpus, log_dir=work / f"ray-{nodes}") as cluster:
                    up = time.monotonic() - started
                    addresses = {addr for _, addr in cluster.alive_nodes()}
                    wide = [s for s in cluster.listening() if not is_loopback_ip(s.ip)]
                    seconds, code = plan_run(args.plan, out, cache, [*extra, "--executor", "ray", "--ray-address",
                                                                     cluster.address], cluster.driver_env, log)
                names = {node_id[:12]: "head" if i == 0 else f"node{i}" for i, node_id in enumerate(cluster.node_ids)}
                result = summarize(f"ray-{nodes}", seconds, code, read_state(out), names)
                result.update(cluster_start_seconds=round(up, 1), node_addresses=sorted(addresses),
                              non_loopback_listeners=[f"{s.name}@{s.ip}:{s.port}" for s in wide])
                results.append(result)
            console.print(f"  {results[-1]['seconds']:.1f}s, exit {results[-1]['exit']} (log {log})")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return report(console, results, args.json)


def report(console: Console, results: list[dict[str, Any]], json_path: Path | None) -> int:
    table = Table("run", "wall s", "cells per node", "env built", "env reused", "statuses", "loopback")
    for r in results:
        statuses = Counter(r["statuses"].values())
        loop = ("-" if "node_addresses" not in r else
                "yes" if r["node_addresses"] == ["127.0.0.1"] and not r["non_loopback_listeners"] else
                f"NO: {r['node_addresses']} {r['non_loopback_listeners']}")
        table.add_row(r["run"], f"{r['seconds']:.1f}", ", ".join(f"{k}: {v}" for k, v in r["cells_per_node"].items()),
                      str(r["environments_built"]), str(r["environments_reused"]),
                      ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())), loop)
    console.print(table)
    by_run = {r["run"]: r for r in results}
    if "ray-1" in by_run and "ray-2" in by_run:
        ratio = by_run["ray-2"]["seconds"] / by_run["ray-1"]["seconds"]
        console.print(f"two nodes vs one: {by_run['ray-2']['seconds']:.1f}s / {by_run['ray-1']['seconds']:.1f}s "
                      f"= {ratio:.2f}")
    cells = sorted({c for r in results for c in r["statuses"]})
    differ = {c: {r["run"]: r["statuses"].get(c, "not run") for r in results} for c in cells
              if len({r["statuses"].get(c, "not run") for r in results}) > 1}
    if differ:
        console.print(f"[red]statuses differ between runs in {len(differ)} cell(s):[/red]")
        for cell, per_run in differ.items():
            console.print(f"  {cell}: " + ", ".join(f"{k}={v}" for k, v in per_run.items()), markup=False)
    else:
        console.print(f"statuses agree between {', '.join(by_run)} in all {len(cells)} cells")
    if json_path:
        json_path.write_text(json.dumps({"runs": results, "differ": differ}, indent=1) + "\n")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
