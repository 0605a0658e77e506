"""The ``accord`` command line.

Every user error ends in one line on stderr and exit status 2; a conformance
failure is exit status 1; nothing here lets a traceback reach the user.
"""

from __future__ import annotations

import os

# Hypothesis loads every installed plugin (its entry-point group) when it is imported; trio's imports pytest,
# a fifth of a second per kit process here. The kit's searches use no plugin's strategies, so its command
# line (and the shards and plan cells it starts, which inherit this) skips them unless the user says otherwise.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")

import json
import random
import sys
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from accord.spec import FAMILIES, check_paths

from . import interrupts
from .check import RunSettings
from .console import STATUS_STYLE, err, out, summary_table
from .main_job import publish
from .report import BAD, QUIET, ReportWriteError, Status, load_report
from .runner import RunConfig, UsageError, replay
from .sharded import auto_jobs, run_jobs


def fail_usage(message: str) -> None:
    err.print(f"accord: error: {message}", markup=False, soft_wrap=True)
    sys.exit(2)


class AccordGroup(click.Group):
    """Turns click's usage errors and our UsageError into one line + exit 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("standalone_mode", False)
        # SIGTERM (a CI job cancelled, `kill`) ends a run the way Ctrl-C does: the report is finished
        # as interrupted and the worker's process tree is stopped, instead of both being cut off
        interrupts.install()
        try:
            return super().main(*args, **kwargs)
        except click.UsageError as exc:
            if type(exc).__name__.startswith("NoArgsIsHelp"):  # `accord` or `accord spec` alone: show help
                click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
                sys.exit(0)
            fail_usage(exc.format_message().splitlines()[0])
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.Abort:
            err.print("accord: aborted")
            sys.exit(130)
        except (UsageError, ReportWriteError) as exc:
            fail_usage(str(exc))
        except click.ClickException as exc:
            fail_usage(exc.format_message())


@click.group(cls=AccordGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="accord", prog_name="accord")
def main() -> None:
    """Accord: versioned interface specs, conformance runs and compatibility matrices."""


# ------------------------------------------------------------------ run


class _Jobs(click.ParamType):
    """``--jobs``: a count of 1 or more, or ``auto`` (None: decided per run by :func:`.sharded.auto_jobs`)."""

    name = "N|auto"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int | None:
        if value is None or value == "auto":
            return None
        try:
            jobs = int(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is neither a number nor 'auto'", param, ctx)
        if jobs < 1:
            self.fail(f"{jobs} is not 1 or more", param, ctx)
        return jobs


JOBS = _Jobs()


def _globs(value: str | None) -> list[str]:
    return [g.strip() for g in (value or "").split(",") if g.strip()]


class _Progress:
    """A rich progress bar on a terminal; one plain line per requirement otherwise."""

    def __init__(self, label: str, quiet: bool = False) -> None:
        self.label = label
        self.quiet = quiet
        self.live = err.is_terminal and not quiet
        self._progress = None
        self._task = None

    def start(self, total: int) -> None:
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), TextColumn("{task.fields[current]}"), console=err,
                                      transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=total, current="")

    def result(self, requirement: Any, result: dict[str, Any], done: int, total: int) -> None:
        status = result["status"]
        if self._progress is not None:
            self._progress.update(self._task, advance=1, current=requirement.id)
            if status not in QUIET:
                self._progress.console.print(f"[{STATUS_STYLE[status]}]{status.upper():>8}[/] {requirement.id}"
                                             + (f"  {_short(result.get('message'))}" if result.get("message") else "")
                                             + ("  (not deterministic: another answer on replay)"
                                                if result.get("reproduced") is False else ""))
        elif not self.quiet:
            width = len(str(total))
            line = f"[{done:>{width}}/{total}] {status.upper():<14} {requirement.id} ({result['duration']:.2f}s)"
            if status not in (Status.PASS, Status.NOT_CLAIMED) and result.get("message"):
                line += f"  {_short(result['message'])}"
            if result.get("reproduced") is False:
                line += "  [not deterministic: another answer on replay]"
            err.print(line, markup=False, soft_wrap=True)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def _short(text: str | None, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@main.command("run")
@click.option("--family", "-f", required=True, type=click.Choice(FAMILIES), help="spec family")
@click.option("--adapter", "-a", required=True, help="adapter name (entry point) or module:attribute")
@click.option("--spec-version", default=None, help="spec version (default: the latest released one the adapter supports; 'draft' for the draft)")
@click.option("--select", "-s", default=None, help="requirement id globs, comma-separated")
@click.option("--max-examples", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--seed", type=int, default=None, help="hypothesis seed (default: random, recorded in the report)")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="seconds a single backend call may take")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--python", "python", default=None, help="run the worker with this interpreter (another venv)")
@click.option("--quiet", "-q", is_flag=True, help="no per-requirement lines")
@click.option("--raw", is_flag=True,
              help="run the backend's own namespace with the adapter's shims off (reported as 'ADAPTER (raw namespace)')")
@click.option("--jobs", "-j", type=JOBS, default="auto", show_default=True,
              help="processes running requirements side by side, each with its own worker; results do not depend "
                   "on it. auto: the cores (up to 4) for a tensor run of 100 requirements or more, else 1")
@click.option("--explain", "explain_id", default=None, metavar="ID",
              help="run requirement ID alone and print each of its strata (stated conditions) with its count")
def run_cmd(family: str, adapter: str, spec_version: str | None, select: str | None, max_examples: int,
            seed: int | None, timeout: float, report_path: Path | None, junit_path: Path | None,
            python: str | None, quiet: bool, raw: bool, jobs: int | None, explain_id: str | None) -> None:
    """Run the conformance suite of FAMILY against ADAPTER and write a report."""
    if explain_id is not None:
        if select is not None:
            raise UsageError("--explain runs one requirement: give it without --select")
        select = explain_id
    if seed is None:
        seed = random.randrange(2**32)
    if report_path is None:
        stem = f"{family}-{adapter.replace(':', '_').replace('/', '_')}" + ("-raw" if raw else "")
        report_path = Path("accord-reports") / f"{stem}.json"
    if select is not None and not _globs(select):  # '' or ',' would otherwise select everything
        raise UsageError(f"--select {select!r} names no requirement glob (give ids or globs, comma-separated)")
    config = RunConfig(family=family, adapter=adapter, spec_version=spec_version, select=_globs(select),
                       settings=RunSettings(seed=seed, max_examples=max_examples, timeout=timeout),
                       report_path=report_path, python=python, raw=raw)
    if jobs is None:
        jobs = auto_jobs(config)
    progress = _Progress(f"{family}/{adapter}", quiet)
    try:
        result = run_jobs(config, jobs, on_result=progress.result, on_start=progress.start)
    finally:
        progress.stop()
    data = result.report.data
    out.print(summary_table(data))
    xpass = [r["id"] for r in data["requirements"] if r["status"] == Status.XPASS]
    if xpass:
        out.print(f"[bold yellow]{len(xpass)} declared failure(s) now pass — the adapter's expected-failures list "
                  f"is stale:[/] {', '.join(xpass[:10])}")
    if data["state"] == "aborted" and data.get("error"):
        err.print(f"accord: adapter could not start: {data['error']}", markup=False, soft_wrap=True)
    from .findings import ratio_line, stale_declarations

    for line in stale_declarations(data):
        err.print(f"accord: warning: {line}", markup=False, soft_wrap=True)
    for line in data.get("warnings", ()):
        err.print(f"accord: warning: {line}", markup=False, soft_wrap=True)
    if explain_id is not None:
        _explain(result.spec, data, explain_id)
    unstable = [r["id"] for r in data["requirements"] if r.get("reproduced") is False]
    if unstable:
        err.print(f"accord: warning: not deterministic: {len(unstable)} requirement(s) gave another answer when "
                  f"their counterexample was replayed: {', '.join(unstable[:10])}", markup=False, soft_wrap=True)
    out.print(ratio_line(data) + f" (details: accord findings {report_path})", markup=False)
    out.print(f"seed {seed}" + (f" · {jobs} jobs" if jobs > 1 else "") + f" · report {report_path}"
              + (f" · junit {junit_path}" if junit_path else ""), markup=False)
    if junit_path:
        from .junit import write_junit

        write_junit(data, junit_path)
    sys.exit(result.exit_code)


def _explain(spec: Any, data: dict[str, Any], requirement_id: str) -> None:
    """Print a requirement's strata: each listed condition, how many examples fell in it, what it means."""
    from .strata import explain

    entry = next((r for r in data["requirements"] if r["id"] == requirement_id), None)
    if entry is None:
        raise UsageError(f"--explain {requirement_id!r}: no requirement with that id in {spec.family} {spec.version}")
    rows = explain(spec, entry)
    out.print(f"{requirement_id}: {entry['status']}, {entry.get('examples', 0)} examples", markup=False)
    if not rows:
        out.print("  the requirement lists no conditions" if spec.requirement(requirement_id).conditions is not None
                  else "  the requirement does not list its conditions", markup=False)
    for condition, count, meaning in rows:
        shown = "-" if count is None else str(count)
        out.print(f"  {condition:<28} {shown:>5}  {meaning}", markup=False, soft_wrap=True)


# ------------------------------------------------------------------ repro


def _show(value: Any) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False) if not isinstance(value, str) else value


@main.command("repro")
@click.argument("report_file", type=click.Path(path_type=Path))
@click.argument("requirement_id")
@click.option("--adapter", default=None, help="replay on another adapter than the report's")
@click.option("--python", default=None, help="run the worker with this interpreter")
@click.option("--times", type=click.IntRange(min=1), default=5, show_default=True,
              help="replays of the counterexample; answers that differ mean the backend is not deterministic")
def repro_cmd(report_file: Path, requirement_id: str, adapter: str | None, python: str | None, times: int) -> None:
    """Replay the counterexample REPORT_FILE recorded for REQUIREMENT_ID."""
    try:
        report = load_report(report_file)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    requirement, entry, outcomes = replay(report, requirement_id, adapter, python, times)
    outcome = outcomes[0]
    out.print(f"[bold]{requirement.id}[/] ({requirement.level}) — {requirement.summary}")
    replayed = f"replayed {len(outcomes)}× on" if len(outcomes) > 1 else "replayed on"
    out.print(f"recorded: {entry['status']}; {replayed} {adapter or report['adapter']['name']}: "
              f"[{STATUS_STYLE.get(outcome.status, '')}]{outcome.status}[/]")
    answers = _distinct_answers(outcomes)
    if len(answers) > 1:
        out.print(f"[bold red]not deterministic[/]: the same input gave {len(answers)} distinct answers "
                  f"in {len(outcomes)} replays:")
        for i, (answer, count) in enumerate(answers, 1):
            out.print(f"  answer {i} ({count}×): {_short(json.dumps(answer, ensure_ascii=False), 300)}",
                      markup=False, soft_wrap=True)
    elif entry.get("reproduced") is False and adapter is None:
        out.print("note: the run's own replay of this counterexample gave another answer than the recorded "
                  "one: the backend may not be deterministic", markup=False)
    if entry.get("counterexample") is not None:
        out.print("counterexample:", markup=False)
        out.print(_show(entry["counterexample"]), markup=False)
    if outcome.message:
        out.print(f"message: {outcome.message}", markup=False)
    table = Table("expected (reference)", "actual (backend)", show_lines=False)
    table.add_row(_show(outcome.expected), _show(outcome.actual))
    out.print(table)
    if outcome.snippet:
        out.print("reproduce in the backend's own terms:", markup=False)
        out.print(outcome.snippet, markup=False)
    sys.exit(1 if outcome.status in BAD or len(answers) > 1 else 0)


def _distinct_answers(outcomes: list[Any]) -> list[tuple[dict[str, Any], int]]:
    """The replays' distinct answers (what varies legitimately, like timings, left out) with their counts."""
    from .check import answer_json, answer_key

    seen: dict[str, list[Any]] = {}
    for outcome in outcomes:
        case = outcome.cases[0] if outcome.status != Status.PASS else None
        seen.setdefault(answer_key(case), [answer_json(case), 0])[1] += 1
    return [(answer, count) for answer, count in seen.values()]


# ------------------------------------------------------------------ adapters and smoke


@main.command("adapters")
@click.option("--family", "-f", type=click.Choice(FAMILIES), default=None)
@click.option("--json", "as_json", is_flag=True)
def adapters_cmd(family: str | None, as_json: bool) -> None:
    """List every adapter, its backend version, and whether it is usable here."""
    from accord.adapters.registry import list_adapters

    from .standards import follows, follows_text

    infos = list_adapters(family)
    if as_json:
        click.echo(json.dumps([{**info.__dict__, "spec_versions": list(info.spec_versions),
                                "standards": follows(info.family, info.spec_versions)} for info in infos], indent=1))
        return
    table = Table("family", "adapter", "backend", "version", "spec versions → standards followed", "usable here")
    for info in infos:
        table.add_row(info.family, info.name + (" (reference)" if info.is_reference else ""),
                      info.backend_package, info.backend_version or "-",
                      follows_text(follows(info.family, info.spec_versions)) or "-",
                      "[green]yes[/]" if info.usable else f"[red]no[/]: {info.reason}")
    out.print(table)


@main.command("smoke")
@click.option("--adapter", "-a", required=True, help="adapter name or module:attribute")
@click.option("--family", "-f", type=click.Choice(FAMILIES), default=None)
@click.option("--python", default=None)
@click.option("--timeout", type=float, default=30.0)
def smoke_cmd(adapter: str, family: str | None, python: str | None, timeout: float) -> None:
    """Onboarding check for a new adapter: loads, valid metadata, protocol, one requirement per group."""
    from .smoke import smoke

    ok = smoke(adapter, family, python, timeout, out)
    sys.exit(0 if ok else 1)


# ------------------------------------------------------------------ spec


@main.group("spec", cls=click.Group)
def spec_group() -> None:
    """Validate, diff, render and release spec versions."""


@spec_group.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def spec_validate(paths: tuple[Path, ...]) -> None:
    """Validate spec documents (default: every family and version)."""
    problems = check_paths(paths)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        sys.exit(2)
    click.echo("all spec documents are valid")


def _register_commands() -> None:
    """Commands that live in their own packages: the main job, publishing, mutation testing and spec tooling."""
    from .bench.cli import bench
    from .mutate.cli import mutate
    from .publish.cli import matrix
    from .publish.findings_md import findings
    from .scaffold import new_adapter_cmd
    from .spectools.cli import diff, release, render

    main.add_command(publish)
    main.add_command(matrix)
    main.add_command(mutate)
    main.add_command(bench)
    from .plan.cli import plan  # matrix plans (conformance/plan/)

    main.add_command(plan)
    from .plan.bisect_cli import bisect_cmd  # accord bisect: over a backend's releases

    main.add_command(bisect_cmd)
    main.add_command(findings)
    main.add_command(new_adapter_cmd)
    for command in (diff, render, release):
        spec_group.add_command(command)


_register_commands()
