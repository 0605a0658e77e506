"""``accord plan validate|show|run``: a matrix of conformance runs, each cell in its own environment.

A plan file that is not valid is one line per problem (``file:line: field: message``) and exit 2.
``run`` exits 0 when every cell has its report (whatever the reports' verdicts: the matrix is the
result), 1 when a cell has none (its environment could not be built, or ``accord run`` broke), and
130 on Ctrl-C, after stopping every running cell; the same command then runs only the unfinished cells.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from rich.table import Table

from ..console import err, out
from .cell import ABORTED, ENVIRONMENT_FAILED, FAILED, FINISHED, PASSED, CellResult
from .envs import default_cache, env_key
from .executors import Executor, LocalPool, RayExecutor
from .model import Cell, Plan, PlanError, load_plan
from .state import OutputFolder

STYLE = {PASSED: "green", FAILED: "red", ABORTED: "magenta", ENVIRONMENT_FAILED: "bold red", "error": "bold red",
         "interrupted": "yellow", "finished-before": "dim"}


def _load(path: Path) -> Plan:
    try:
        return load_plan(path)
    except PlanError as exc:
        for problem in exc.problems:
            err.print(problem, markup=False, soft_wrap=True)
        sys.exit(2)


@click.group("plan")
def plan() -> None:
    """Matrix plans: many adapters × backend releases × spec versions × seeds, each in its own environment."""


@plan.command("validate")
@click.argument("plan_file", type=click.Path(path_type=Path))
def validate_cmd(plan_file: Path) -> None:
    """Check PLAN_FILE against the plan schema: one line per problem, exit 2."""
    loaded = _load(plan_file)
    out.print(f"{plan_file}: valid plan {loaded.name!r}, {len(loaded.cells)} cells", markup=False)


@plan.command("show")
@click.argument("plan_file", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="also show each cell's status in this output folder")
def show_cmd(plan_file: Path, out_dir: Path | None) -> None:
    """The cells PLAN_FILE expands into, with their environment keys."""
    loaded = _load(plan_file)
    folder = OutputFolder(out_dir, loaded) if out_dir else None
    statuses = folder.statuses() if folder else {}
    table = Table("cell", "family", "adapter", "backend", "spec", "seed", "options", "environment",
                  *(["status"] if folder else []), title=f"plan {loaded.name}: {len(loaded.cells)} cells")
    for cell in loaded.cells:
        options = f"max_examples={cell.max_examples} timeout={cell.timeout:g}"
        if cell.select:
            options += f" select={','.join(cell.select)}"
        backend = f"{cell.package}=={cell.version}" if cell.package else "-"
        row = [cell.id, cell.family, cell.adapter, backend, cell.spec_version, str(cell.seed), options,
               env_key(cell.requirements)]
        if folder:
            status = statuses.get(cell.id, "not run")
            row.append(f"[{STYLE.get(status, '')}]{status}[/]" if status in STYLE else status)
        table.add_row(*row)
    out.print(table)


@plan.command("run")
@click.argument("plan_file", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="output folder: cells/<cell-id>.json and plan-state.json; cells with a report there are skipped")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="cells at a time (default: the cores)")
@click.option("--env-cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="where environments are kept (default: ~/.cache/accord/plan-envs)")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--ray-address", default=None,
              help="with --executor ray: the cluster to run on (default: a Ray started for this run alone)")
@click.option("--max-retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="with --executor ray: reruns of a cell whose node was lost")
def run_cmd(plan_file: Path, out_dir: Path, workers: int | None, env_cache: Path | None, executor: str,
            ray_address: str | None, max_retries: int) -> None:
    """Run every cell of PLAN_FILE not finished in --out yet."""
    loaded = _load(plan_file)
    cache = (env_cache or default_cache()).expanduser().resolve()
    chosen: Executor = RayExecutor(ray_address, max_retries) if executor == "ray" else LocalPool(workers)
    folder = OutputFolder(out_dir, loaded)
    todo: list[Cell] = []
    for cell in loaded.cells:
        if folder.finished(cell):
            folder.mark_skipped(cell)
        else:
            todo.append(cell)
    skipped = len(loaded.cells) - len(todo)
    out.print(f"plan {loaded.name}: {len(loaded.cells)} cells, {skipped} finished before (skipped), "
              f"{len(todo)} to run on {chosen.name}" + (f" ({chosen.workers} at a time)"
                                                         if isinstance(chosen, LocalPool) else ""), markup=False)
    results: list[CellResult] = []
    started = time.monotonic()

    def done(cell: Cell, result: CellResult) -> None:
        folder.record(cell, result)
        results.append(result)
        env = ("env built" + f" {result.env_seconds:.1f}s" if result.env_built else
               "env reused" if result.env_built is False else "no env")
        line = (f"[{len(results):>{len(str(len(todo)))}}/{len(todo)}] {result.status.upper():<18} {cell.id} "
                f"({result.duration:.1f}s, {env})")
        if result.status not in FINISHED and result.message:
            line += "\n    " + result.message.replace("\n", "\n    ")
        err.print(line, markup=False, soft_wrap=True)

    try:
        if todo:
            chosen.run(todo, cache, done)
    except KeyboardInterrupt:
        folder.save()
        err.print(f"accord: interrupted: {len(results)} of {len(todo)} cells finished; the same command runs "
                  "the others", markup=False)
        sys.exit(130)
    folder.save()
    _summary(folder, results, time.monotonic() - started)
    sys.exit(0 if all(r.status in FINISHED for r in results) else 1)


def _summary(folder: OutputFolder, results: list[CellResult], seconds: float) -> None:
    built = {r.env_key for r in results if r.env_built}
    reused = {r.env_key for r in results if r.env_built is False} - built
    failed = {r.env_key for r in results if r.status == ENVIRONMENT_FAILED}
    statuses = folder.statuses()
    table = Table("status", "cells")
    for status in sorted(set(statuses.values())):
        table.add_row(f"[{STYLE.get(status, '')}]{status}[/]", str(sum(s == status for s in statuses.values())))
    out.print(table)
    out.print(f"environments: {len(built)} built, {len(reused)} reused" + (f", {len(failed)} failed" if failed else "")
              + f" · {len(results)} cells run in {seconds:.1f}s · state {folder.out / 'plan-state.json'}",
              markup=False)
