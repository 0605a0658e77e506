"""``accord plan validate|show|run``: a matrix of conformance runs, each cell in its own environment.

A plan file that is not valid is one line per problem (``file:line: field: message``) and exit 2.
``run`` exits 0 when every cell has its report (whatever the reports' verdicts: the matrix is the
result), 1 when a cell has none (its environment could not be built, or ``accord run`` broke), and
130 on Ctrl-C, after stopping every running cell; the same command then runs only the unfinished cells.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import sys
import time
from pathlib import Path

import click
from rich.table import Table

from ..console import err, out
from .cell import ABORTED, ENVIRONMENT_FAILED, FAILED, FINISHED, PASSED, CellResult
from .envs import default_cache, env_key
from .executors import Executor, ExecutorUnavailable, LocalPool, RayExecutor
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


def _narrow(loaded: Plan, cells: str | None, select: str | None) -> list[Cell]:
    """The plan's cells matching ``cells`` (globs on cell ids), with ``select`` (globs on requirement ids) in
    place of each cell's own; exit 2 when no cell matches."""
    chosen = loaded.cells
    if cells is not None:
        globs = _globs(cells)
        chosen = [c for c in chosen if any(fnmatch.fnmatchcase(c.id, g) for g in globs)]
        if not chosen:
            err.print(f"accord: --cells {cells}: no cell of {loaded.path} matches (accord plan show "
                      f"{loaded.path} lists them)", markup=False, soft_wrap=True)
            sys.exit(2)
    if select is not None:
        chosen = [dataclasses.replace(c, select=_globs(select)) for c in chosen]
    return chosen


def _globs(text: str) -> tuple[str, ...]:
    globs = tuple(g.strip() for g in text.split(",") if g.strip())
    if not globs:
        err.print(f"accord: {text!r}: give one or more globs separated by commas", markup=False)
        sys.exit(2)
    return globs


CELLS_HELP = "only the cells whose id matches one of these globs (comma-separated); the others are left as they are"
SELECT_HELP = ("for a smoke run: these requirement globs (comma-separated) in place of every cell's own select "
               "(plan-state.json records it); give such a run an --out of its own: a later full run would take "
               "its reports as finished")


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
@click.option("--cells", "cell_globs", default=None, metavar="GLOB[,GLOB]", help=CELLS_HELP)
@click.option("--select", default=None, metavar="GLOB[,GLOB]", help=SELECT_HELP)
def show_cmd(plan_file: Path, out_dir: Path | None, cell_globs: str | None, select: str | None) -> None:
    """The cells PLAN_FILE expands into, with their environment keys."""
    loaded = _load(plan_file)
    cells = _narrow(loaded, cell_globs, select)
    folder = OutputFolder(out_dir, loaded) if out_dir else None
    statuses = folder.statuses() if folder else {}
    table = Table("cell", "family", "adapter", "backend", "spec", "seed", "options", "environment",
                  *(["status"] if folder else []), title=f"plan {loaded.name}: {len(loaded.cells)} cells"
                  + (f", {len(cells)} shown" if len(cells) < len(loaded.cells) else ""))
    for cell in cells:
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
              help="with --executor ray: the cluster to run on (default: a Ray started for this run alone, on "
                   "127.0.0.1 only; a cluster at 127.0.0.1:PORT is joined on 127.0.0.1 too)")
@click.option("--max-retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="with --executor ray: reruns of a cell whose node was lost")
@click.option("--cells", "cell_globs", default=None, metavar="GLOB[,GLOB]", help=CELLS_HELP)
@click.option("--select", default=None, metavar="GLOB[,GLOB]", help=SELECT_HELP)
def run_cmd(plan_file: Path, out_dir: Path, workers: int | None, env_cache: Path | None, executor: str,
            ray_address: str | None, max_retries: int, cell_globs: str | None, select: str | None) -> None:
    """Run every cell of PLAN_FILE not finished in --out yet (with --cells: of those cells).

    \b
    A smoke run of the example plan's numpy cells on tensor.add's requirements:
      accord plan run examples/plans/array-api.yaml --out smoke --cells 'tensor-numpy-*' --select 'tensor.add.*'
    """
    loaded = _load(plan_file)
    cells = _narrow(loaded, cell_globs, select)
    cache = (env_cache or default_cache()).expanduser().resolve()
    chosen: Executor = RayExecutor(ray_address, max_retries) if executor == "ray" else LocalPool(workers)
    folder = OutputFolder(out_dir, loaded)  # the whole plan: the state of cells outside --cells stays as it is
    todo: list[Cell] = []
    for cell in cells:
        if folder.finished(cell):
            folder.mark_skipped(cell)
        else:
            todo.append(cell)
    skipped = len(cells) - len(todo)
    chosen_text = f" ({len(cells)} chosen by --cells)" if len(cells) < len(loaded.cells) else ""
    out.print(f"plan {loaded.name}: {len(loaded.cells)} cells{chosen_text}, {skipped} finished before (skipped), "
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
    except ExecutorUnavailable as exc:
        folder.save()
        err.print(f"accord: {exc}", markup=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        folder.save()
        err.print(f"accord: interrupted: {len(results)} of {len(todo)} cells finished; the same command runs "
                  "the others", markup=False)
        sys.exit(130)
    folder.save()
    _summary(folder, {c.id for c in cells}, results, time.monotonic() - started)
    sys.exit(0 if all(r.status in FINISHED for r in results) else 1)


def _summary(folder: OutputFolder, ids: set[str], results: list[CellResult], seconds: float) -> None:
    built = {r.env_key for r in results if r.env_built}
    reused = {r.env_key for r in results if r.env_built is False} - built
    failed = {r.env_key for r in results if r.status == ENVIRONMENT_FAILED}
    statuses = {k: v for k, v in folder.statuses().items() if k in ids}
    table = Table("status", "cells")
    for status in sorted(set(statuses.values())):
        table.add_row(f"[{STYLE.get(status, '')}]{status}[/]", str(sum(s == status for s in statuses.values())))
    out.print(table)
    out.print(f"environments: {len(built)} built, {len(reused)} reused" + (f", {len(failed)} failed" if failed else "")
              + f" · {len(results)} cells run in {seconds:.1f}s · state {folder.out / 'plan-state.json'}",
              markup=False)
