"""``accord mutate --family F``: the mutation score of the family's suite, per capability group.

Exit status: 0 when the score meets ``--min-score``, 1 when it does not, 2 on bad usage, 130 when
interrupted (the report then says ``interrupted`` and lists the mutants not reached as ``not-run``).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from accord.spec import FAMILIES

from ..check import RunSettings
from ..console import err, out
from ..report import BAD
from ..runner import UsageError
from . import report as mutation_report
from .runner import MutantResult, MutateConfig, MutationRun, exit_code, group_scores, run_mutants, total_score
from .sets import mutant_set

STYLE = {"killed": "green", "survived": "red", "allowed": "cyan", "error": "magenta", "not-run": "dim"}


def _percent(score: float | None) -> str:
    return "-" if score is None else f"{100 * score:.1f} %"


def score_table(outcome: MutationRun) -> Table:
    """One row per capability group: killed / total / score, with survivors and allowed mutants counted."""
    table = Table(title=f"{outcome.spec.family} {outcome.spec.version}: mutation score per capability group",
                  title_justify="left")
    for name, justify in (("capability group", "left"), ("killed", "right"), ("survived", "right"),
                          ("allowed", "right"), ("score", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for g in [*group_scores(outcome), total_score(outcome)]:
        bold = "[bold]" if g.id == "total" else ""
        table.add_row(f"{bold}{g.title}", f"{g.killed}/{g.total}",
                      f"[red]{g.survived + g.errors}[/]" if g.survived + g.errors else "",
                      str(g.allowed or ""), f"{bold}{_percent(g.score)}")
    return table


def _progress(quiet: bool) -> Any:
    def show(result: MutantResult, done: int, total: int) -> None:
        if quiet:
            return
        width = len(str(total))
        line = (f"[{done:>{width}}/{total}] [{STYLE[result.status]}]{result.status.upper():<8}[/] "
                f"{result.mutant.id} ({result.duration:.1f}s)")
        if result.killed_by:
            line += f" by {', '.join(result.killed_by[:3])}" + (" …" if len(result.killed_by) > 3 else "")
        err.print(line, soft_wrap=True, highlight=False)

    return show


@click.command("mutate")
@click.option("--family", "-f", required=True, type=click.Choice(FAMILIES), help="spec family")
@click.option("--spec-version", default="draft", show_default=True,
              help="spec version the suite runs (the draft: the suite being improved)")
@click.option("--select", "-s", default=None, help="mutant id globs, comma-separated (default: every mutant)")
@click.option("--max-examples", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--seed", type=int, default=None, help="hypothesis seed (default: random, recorded in the report)")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="seconds a single backend call may take")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.95, show_default=True,
              help="exit 1 when the share of scored mutants killed is below this")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="mutation report (default: accord-reports/mutation-FAMILY.json)")
@click.option("--quiet", "-q", is_flag=True, help="no per-mutant lines")
def mutate(family: str, spec_version: str, select: str | None, max_examples: int, seed: int | None, timeout: float,
           min_score: float, report_path: Path | None, quiet: bool) -> None:
    """Run FAMILY's mutants (bugs applied to its reference) against the suite and report what it kills."""
    try:
        mutants = mutant_set(family)
    except LookupError as exc:
        raise UsageError(str(exc)) from None
    if seed is None:
        seed = random.randrange(2**32)
    report_path = report_path or Path("accord-reports") / f"mutation-{family}.json"
    globs = [g.strip() for g in (select or "").split(",") if g.strip()]
    if select is not None and not globs:
        raise UsageError(f"--select {select!r} names no mutant glob")
    mutation_report.check_writable(report_path)
    config = MutateConfig(family, spec_version, globs, RunSettings(seed=seed, max_examples=max_examples,
                                                                  timeout=timeout), min_score)
    outcome = run_mutants(mutants, config, on_result=_progress(quiet), on_control=None if quiet else _control)
    data = mutation_report.to_json(outcome)
    mutation_report.write(data, report_path)
    out.print(score_table(outcome))
    _survivors(outcome)
    out.print(f"seed {seed} · {len(outcome.results)} mutants in {outcome.duration:.0f} s · report {report_path}",
              markup=False)
    sys.exit(exit_code(outcome))


def _control(results: dict[str, dict[str, Any]] | None) -> None:
    if results is None:
        err.print("control run: the unmutated reference on every requirement the mutants concern …", markup=False)
        return
    bad = sum(r["status"] in BAD for r in results.values())
    err.print(f"control run: {len(results)} requirements, {bad} not green (they kill no mutant)", markup=False)


def _survivors(outcome: MutationRun) -> None:
    survivors = [r for r in outcome.results if r.status in ("survived", "error")]
    for r in survivors:
        out.print(f"[red]{r.status}[/] [bold]{escape(r.mutant.id)}[/] ({r.mutant.group}): "
                  + escape(r.mutant.description + (f" — {r.message}" if r.status == "error" and r.message else "")),
                  soft_wrap=True, highlight=False)
    strict = [r for r in outcome.results if r.status == "allowed" and r.killed_by]
    for r in strict:
        err.print(f"accord: warning: allowed mutant {r.mutant.id} was killed by {', '.join(r.killed_by)}: the suite "
                  f"forbids what the spec allows ({r.mutant.allowed})", markup=False, soft_wrap=True)
    for rid, entry in outcome.unstable.items():
        err.print(f"accord: warning: {rid} is {entry['status']} on the unmutated reference; it killed no mutant",
                  markup=False, soft_wrap=True)
    if outcome.state == "interrupted":
        err.print("accord: interrupted: the mutants not reached are not-run", markup=False)

