"""``accord bench``: time the spec's workloads on several backends; ``accord bench diff OLD NEW``.

Bad input (an unknown family or adapter, no workload matched, an unreadable report) is one line and
exit status 2; ``diff`` exits 1 on a regression.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..console import err, out
from . import clocks, estimates, fingerprint, markdown, report
from . import diff as bench_diff
from .clocks import CLOCKS
from .families import family_module
from .measure import TARGET_NS, Runner
from .workloads import BenchFamily, first_of_each_group, select


def _fail(message: str) -> None:
    err.print(f"accord: error: {message}", markup=False, soft_wrap=True)
    sys.exit(2)


def _pythons(pairs: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        name, sep, python = pair.partition("=")
        if not sep or not name or not python:
            _fail(f"--python takes ADAPTER=PYTHON, got {pair!r}")
        found[name] = python
    return found


@click.group("bench", invoke_without_command=True)
@click.option("--family", "-f", default=None, help="spec family whose bench workloads run (tensor)")
@click.option("--adapter", "-a", "adapters", multiple=True, help="a backend to time (repeat the option)")
@click.option("--spec-version", default="draft", show_default=True, help="spec version holding the bench document")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="write the bench report (JSON, accord-bench/1) here")
@click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="write a Markdown table for a pull request here")
@click.option("--select", "-s", "select_", default=None, help="workload id globs, comma-separated (default: every workload)")
@click.option("--rounds", type=click.IntRange(min=1), default=None,
              help=f"rounds per workload at most (default: the family's, {BenchFamily.default_rounds} but faas 9)")
@click.option("--baseline", default=None, help="the backend every ratio is to (default: the family's, numpy)")
@click.option("--seed", type=int, default=1, show_default=True, help="input draws and the rounds' order")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
              help="seconds a worker may take for one request before it counts as hung")
@click.option("--target-ms", type=click.FloatRange(min=0, min_open=True), default=TARGET_NS / 1e6,
              show_default=True, help="the least duration of one timed batch")
@click.option("--python", "pythons", multiple=True, help="ADAPTER=PYTHON: run that adapter's worker with this Python")
@click.option("--clock", type=click.Choice(CLOCKS), default=None,
              help="what a time counts: the worker's CPU time (default where the family's engines run in the "
                   "worker: tensor; it repeats on a busy machine) or wall time (pipeline, faas)")
@click.option("--threads", type=click.IntRange(min=0), default=None,
              help="size of every native thread pool of the workers; 0: the backends' own "
                   "(default: 1 with the cpu clock, 0 with wall)")
@click.option("--affinity", default="auto", show_default=True,
              help="CPUs every worker is pinned to (e.g. 1 or 0,2), none, or auto: tensor with one-thread pools "
                   "on the last CPU (a process moved between cores runs at two speeds); faas: the worker (load "
                   "generator) on the first CPU, its hosts on the others; else none")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="worker processes per backend, taking turns at the rounds (default: the family's, "
                   "tensor 2, pipeline and faas 1)")
@click.pass_context
def bench(ctx: click.Context, family: str | None, adapters: tuple[str, ...], spec_version: str,
          report_path: Path | None, markdown_path: Path | None, select_: str | None, **options: Any) -> None:
    """Time every workload of a family's bench spec on each backend (checked against the reference first)."""
    if ctx.invoked_subcommand is not None:
        return
    if family is None or not adapters:
        _fail("accord bench needs --family and at least one --adapter (or: accord bench diff OLD NEW)")
    run(family, adapters, spec_version, report_path, markdown_path, select_, **options)


def run(family: str, adapters: tuple[str, ...], spec_version: str, report_path: Path | None,
        markdown_path: Path | None, select_: str | None, rounds: int | None, baseline: str | None, seed: int,
        timeout: float, target_ms: float, pythons: tuple[str, ...], clock: str | None = None,
        threads: int | None = None, workers: int | None = None, affinity: str = "auto") -> dict[str, Any]:
    from accord.adapters.registry import AdapterNotFound, resolve
    from accord.spec import SpecError, load_spec

    from ..client import BackendClient, BackendStartError

    try:
        fam = family_module(family)
        spec = load_spec(family, spec_version)
        every = fam.workloads(spec, seed)
        workloads = select(every, (select_ or "").split(","))
    except (LookupError, SpecError, ValueError) as exc:
        _fail(" ".join(str(exc).split()))
    if not workloads:
        _fail(f"no {family} bench workload matches {select_!r}")
    clock = clock or fam.clocks[0]
    if clock not in fam.clocks:
        _fail(f"--clock {clock}: the {family} family's engines compute outside the worker (its CPU time would "
              f"miss their work); it can be timed with: {', '.join(fam.clocks)}")
    threads = clocks.default_threads(clock) if threads is None else (threads or None)
    try:
        cpus = (fam.auto_affinity(clocks.allowed_cpus(), threads) if affinity == "auto"
                else clocks.parse_affinity(affinity))
    except ValueError as exc:
        _fail(str(exc))
    names = list(dict.fromkeys(adapters))
    for name in names:
        try:
            resolve(name, family)
        except (AdapterNotFound, LookupError, ImportError) as exc:
            _fail(" ".join(str(exc).split()) or f"unknown adapter {name!r}")
    baseline = baseline or (fam.default_baseline if fam.default_baseline in names else names[0])
    if baseline not in names:
        _fail(f"the baseline {baseline!r} is not one of the adapters ({', '.join(names)})")
    python_of = _pythons(pythons)
    workers = workers or fam.workers
    rounds = rounds or fam.default_rounds
    load_before = fingerprint.load()
    clients: dict[str, Any] = {}
    replicas: dict[str, list[Any]] = {}
    made: list[Any] = []  # each worker made, closed at the end however the run ends
    entries: list[dict[str, Any]] = []
    started = time.monotonic()
    try:
        for name in names:
            group = [BackendClient(name, family=family, python=python_of.get(name), timeout=timeout,
                                   standards=[s.to_json() for s in spec.standards], env=worker_env(threads), cpus=cpus)
                     for _ in range(workers)]
            made += group
            try:
                hello = group[0].start()
                for replica in group[1:]:
                    replica.start()
            except BackendStartError as exc:
                for client in group:
                    client.close()
                entries.append(fingerprint.backend(name, None, [], str(exc)))
                continue
            clients[name], replicas[name] = group[0], group[1:]
            entries.append(fingerprint.backend(name, hello, fam.probe(group[0])))
        if baseline not in clients:
            _fail(f"the baseline {baseline!r} did not start: "
                  + next(e.get("message", "") for e in entries if e["name"] == baseline))
        with Progress(TextColumn("[bold]bench[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}"), console=err, transient=True) as progress:
            task = progress.add_task("", total=len(workloads))
            runner = Runner(fam, clients, rounds=rounds, seed=seed, target_ns=int(target_ms * 1e6), clock=clock,
                            advance=lambda wid, share: progress.update(task, advance=share, description=wid),
                            replicas=replicas)
            results = runner.run(workloads, samples=first_of_each_group(every))
    finally:
        for client in made:
            client.close()
    data = report.build(family, spec, seed, rounds, baseline, f"{fam.timing.rstrip('.')}. {clocks.describe(clock, threads, cpus, fam.host_cpus)} "
                        f"{_workers_sentence(workers)} {estimates.describe(fam.ratio)}",
                        {"clock": clock, "threads": threads, "workers": workers,
                         "affinity": sorted(cpus) if cpus else None,
                         **({"host_affinity": fam.host_cpus} if fam.host_cpus else {})},
                        fingerprint.machine(load_before, fingerprint.load()), entries, workloads, results, fam.ratio)
    elapsed = time.monotonic() - started
    if report_path is not None:
        report.write(report_path, data)
    if markdown_path is not None:
        from ..report import write_atomically

        write_atomically(Path(markdown_path), markdown.render(data), "bench Markdown")
    _summary(data, elapsed)
    return data


def _workers_sentence(workers: int) -> str:
    if workers == 1:
        return "Each backend in one worker process."
    return (f"Each backend in {workers} worker processes taking turns at the rounds, so that a speed differing "
            "from one process to the next shows in the spread.")


#: glibc malloc fixed for every bench worker: large blocks from the heap, never trimmed. With glibc's dynamic
#: thresholds a 10⁶-element result is mmapped fresh (and page-faulted) or reused from the heap depending on
#: the worker's history, which made one numpy worker 2x slower than another on the same call
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": str(2**30), "MALLOC_TRIM_THRESHOLD_": str(2**31), "MALLOC_TOP_PAD_": str(2**26)}


def worker_env(threads: int | None = None) -> dict[str, str]:
    """The environment of a bench worker: this process's, with :data:`MALLOC_ENV` unless the user set those,
    and its native pools sized to ``threads`` (None: left as they are)."""
    return {**MALLOC_ENV, **os.environ, **clocks.thread_env(threads, os.environ)}


def _summary(data: dict[str, Any], elapsed: float) -> None:
    counts: dict[str, dict[str, int]] = {}
    for w in data["workloads"]:
        for name, cell in w["results"].items():
            row = counts.setdefault(name, {})
            row[cell["status"]] = row.get(cell["status"], 0) + 1
    table = Table(title=f"accord bench {data['family']}: {len(data['workloads'])} workloads in {elapsed:.0f} s, "
                        f"load {data['machine']['load_before'][0]} → {data['machine']['load_after'][0]}")
    statuses = ("timed", "wrong", "error", "unsupported", "timeout", "crashed")
    table.add_column("backend")
    for s in statuses:
        table.add_column(s, justify="right")
    table.add_column(f"median ratio to {data['baseline']}", justify="right")
    for b in data["backends"]:
        if b["status"] != "ok":
            table.add_row(b["name"], *[""] * len(statuses), f"failed to start: {b.get('message', '')}"[:60])
            continue
        ratios = sorted(c["ratio"] for w in data["workloads"] for n, c in w["results"].items()
                        if n == b["name"] and "ratio" in c)
        middle = f"{ratios[len(ratios) // 2]:.2f}×" if ratios else ""
        table.add_row(b["name"], *[str(counts.get(b["name"], {}).get(s, 0)) for s in statuses], middle)
    out.print(table)


def _value(v: float | None, measure: str) -> str:
    if v is None:
        return ""
    return f"{v:.3g}" if measure == "ratio" else f"{v / 1e3:.3g} µs"


@bench.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--floor", type=click.FloatRange(min=0), default=bench_diff.FLOOR, show_default=True,
              help="relative slowdown always tolerated on top of the two runs' IQRs")
@click.option("--all", "show_all", is_flag=True, help="list every compared cell, not only the changes")
def diff_cmd(old: Path, new: Path, floor: float, show_all: bool) -> None:
    """Compare two bench reports: exit 1 on a slowdown beyond the noise band, 0 otherwise."""
    try:
        a, b = report.load(old), report.load(new)
    except report.BenchReportError as exc:
        _fail(str(exc))
    if a["family"] != b["family"]:
        _fail(f"{old} is a {a['family']} bench and {new} a {b['family']} one: nothing to compare")
    if report.clock(a) != report.clock(b):
        _fail(f"{old} was timed with the {report.clock(a)} clock and {new} with the {report.clock(b)} clock: "
              "their times do not compare (rerun one with --clock)")
    deltas = bench_diff.compare(a, b, floor)
    shown = [d for d in deltas if show_all or d.verdict != "same"]
    table = Table(title=f"accord bench diff: {len(deltas)} workload × backend cells in both runs")
    for column in ("workload", "backend", "compared", "old", "new", "change", "band", "verdict"):
        table.add_column(column, justify="right" if column in ("old", "new", "change", "band") else "left")
    style = {"regression": "bold red", "lost": "bold red", "improvement": "green", "unsure": "yellow"}
    for d in sorted(shown, key=lambda d: (not d.regression, d.workload, d.backend)):
        table.add_row(d.workload, d.backend, d.measure, _value(d.old, d.measure), _value(d.new, d.measure),
                      "" if d.change is None else f"{d.change:+.0%}", "" if d.band is None else f"±{d.band:.0%}",
                      f"[{style.get(d.verdict, '')}]{d.verdict}[/]" if d.verdict in style else d.verdict)
    if shown:
        out.print(table)
    agree, compared = bench_diff.agreement(deltas)
    regressions = [d for d in deltas if d.regression]
    share = f"{agree / compared:.0%}" if compared else "n/a"
    out.print(f"ratios within ±{bench_diff.AGREEMENT:.0%}: {share} of {compared} workload × backend ratios")
    unsure = sum(d.verdict == "unsure" for d in deltas)
    if unsure:
        out.print(f"{unsure} cell(s) moved beyond the band but were timed once in a run: no noise band, no verdict")
    out.print(f"{len(regressions)} regression(s)" if regressions else "no regression beyond the noise band")
    sys.exit(1 if regressions else 0)
