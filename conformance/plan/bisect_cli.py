"""``accord bisect``: the first release of a backend where a requirement's verdict changed.

Each release tried is one plan cell (:func:`.cell.run_cell`): its environment (``<package>==<release>``,
built or reused from the same cache as ``accord plan run``, so the two share environments) and ``accord run
--select <requirement>`` with one job and the same seed, so every release meets the same examples.
Exit 0: found; 1: the two ends agree (no change); 3: ambiguous or untestable (releases that could not be
tested hide the answer); 2: bad input (one line); 130: Ctrl-C, after stopping every child process.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..console import STATUS_STYLE, err, out
from ..report import BAD, ReportWriteError, write_atomically
from .bisect import AMBIGUOUS, FOUND, NO_CHANGE, Outcome, Trial, bisect
from .cell import ENVIRONMENT_FAILED, run_cell
from .envs import default_cache
from .model import DEFAULT_OPTIONS, Cell, cell_id
from .procs import Children, Stopped
from .releases import ReleaseError, list_releases, parse_range, select

FORMAT = "accord-bisect/1"
EXIT = {FOUND: 0, NO_CHANGE: 1, AMBIGUOUS: 3}  # untestable: 3 too


def _fail(message: str) -> NoReturn:
    err.print(f"accord: error: {message}", markup=False, soft_wrap=True)
    sys.exit(2)


def _adapter(name: str, family: str | None) -> Any:
    from accord.adapters.registry import AdapterNotFound, resolve

    try:
        return resolve(name, family)
    except AdapterNotFound as exc:
        _fail(str(exc))


def _spec_version(family: str, declared: tuple[str, ...], requirement: str, given: str | None) -> str:
    """``given`` if it holds the requirement, else the newest declared version that does; one line if none."""
    from accord.spec import load_spec, versions

    def holds(version: str) -> bool:
        return any(r.id == requirement for r in load_spec(family, version).requirements)

    if given is not None:
        if given not in versions(family):
            _fail(f"spec {family} {given} does not exist (known versions: {', '.join(versions(family))})")
        if not holds(given):
            _fail(f"unknown requirement {requirement!r} in spec {family} {given}")
        return given
    ordered = [v for v in versions(family) if v in declared and v != "draft"]  # oldest first
    for version in reversed(ordered):
        if holds(version):
            return version
    _fail(f"unknown requirement {requirement!r} in spec {family} {', '.join(ordered) or '(none declared)'} "
          "(the versions the adapter declares)")


def _trial(release: str, cell: Cell, cache: Path, children: Children, requirement: str) -> Trial:
    """Test one release; a release that gives no verdict is untestable, with the reason as its message."""
    try:
        result = run_cell(cell, cache, children)
    except Stopped:
        raise KeyboardInterrupt from None
    except Exception as exc:  # noqa: BLE001 - a kit bug on one release must not end the search
        return Trial(release, None, f"the release could not be run: {traceback.format_exception_only(exc)[-1].strip()}")
    env = "built" if result.env_built else "reused" if result.env_built is False else "none"
    if result.status == ENVIRONMENT_FAILED:
        return Trial(release, None, result.message, "failed", result.duration)
    if result.report is None:
        return Trial(release, None, f"accord run gave no report: {result.message}", env, result.duration)
    data = json.loads(result.report)
    entry = next((r for r in data.get("requirements", []) if r.get("id") == requirement), None)
    aborted = data.get("state") == "aborted"
    if entry is None or (aborted and entry.get("status") == "not-run"):
        return Trial(release, "aborted" if aborted else "not-run", data.get("error"), env, result.duration)
    return Trial(release, entry["status"], entry.get("message") or data.get("error"), env, result.duration)


def _verdict(trial: Trial | None) -> str:
    if trial is None:
        return "-"
    if trial.untestable:
        return "[bold red]untestable[/]"
    return f"[{STATUS_STYLE.get(trial.verdict, '')}]{trial.verdict}[/]" if trial.verdict in STATUS_STYLE \
        else str(trial.verdict)


def _first_line(text: str | None, limit: int = 110) -> str:
    line = (text or "").strip().splitlines()[-1:] or [""]
    return line[0] if len(line[0]) <= limit else line[0][:limit - 1] + "…"


def _show(outcome: Outcome, package: str, requirement: str, seconds: float) -> None:
    table = Table("release", "verdict", "environment", "seconds", "message",
                  title=f"{requirement}: {len(outcome.trials)} of {len(outcome.releases)} {package} releases tried")
    for trial in sorted(outcome.trials, key=lambda t: outcome.releases.index(t.release)):
        mark = " ← first new" if trial is outcome.first_new else " ← last old" if trial is outcome.last_old else ""
        table.add_row(trial.release + mark, _verdict(trial), trial.env, f"{trial.seconds:.1f}",
                      escape(_first_line(trial.message)))
    out.print(table)
    if outcome.result == NO_CHANGE:
        out.print(f"no change between {package} {outcome.low.release} and {outcome.high.release}: both "
                  f"{_verdict(outcome.low)}")
    elif outcome.result in (FOUND, AMBIGUOUS):
        old, new = outcome.last_old, outcome.first_new
        if outcome.result == FOUND:
            out.print(f"first release with the new verdict: {package} {new.release} ({_verdict(new)})")
        else:
            out.print(f"[bold yellow]ambiguous[/]: the first release with the new verdict is one of "
                      f"{', '.join(outcome.candidates)} (untestable releases hide which); {package} {new.release} "
                      f"has it ({_verdict(new)})")
        out.print(f"last release with the old verdict:  {package} {old.release} ({_verdict(old)})")
        for trial in (old, new):
            if trial.verdict in BAD and trial.message:
                out.print(f"finding on {package} {trial.release}: {trial.message}", markup=False, soft_wrap=True)
    else:
        out.print("[bold red]untestable[/]: fewer than two releases of the range could be tested")
    for trial in outcome.trials:
        if trial.untestable:
            out.print(f"untestable {package} {trial.release}:\n    " + (trial.message or "").replace("\n", "\n    "),
                      markup=False, soft_wrap=True)
    envs = _environments(outcome)
    out.print(f"environments: {envs['built']} built, {envs['reused']} reused, {envs['failed']} failed · "
              f"{len(outcome.trials)} releases tried in {seconds:.1f}s", markup=False)


def document(outcome: Outcome, *, family: str, adapter: str, package: str, spec_version: str, requirement: str,
             version_range: str, pre: bool, settings: dict[str, Any], seconds: float) -> dict[str, Any]:
    """The ``--report`` JSON (spec/meta/bisect.schema.json): the search's outcome and what it searched."""
    return {"format": FORMAT, "family": family, "adapter": adapter, "package": package, "spec_version": spec_version,
            "requirement": requirement, "range": version_range, "pre": pre, "settings": settings,
            **outcome.to_json(), "environments": _environments(outcome), "seconds": round(seconds, 3)}


def _environments(outcome: Outcome) -> dict[str, int]:
    return {kind: sum(t.env == kind for t in outcome.trials) for kind in ("built", "reused", "failed")}


@click.command("bisect")
@click.option("--adapter", "-a", required=True, help="adapter name (entry point) or module:attribute")
@click.option("--versions", "version_range", required=True, metavar="LO..HI",
              help="backend releases to search, inclusive version prefixes (1.26..2.4); either end may be empty")
@click.option("--requirement", "-r", required=True, metavar="ID", help="the requirement id whose verdict is compared")
@click.option("--family", "-f", default=None, help="spec family (default: the adapter's)")
@click.option("--spec-version", default=None,
              help="spec version (default: the newest the adapter declares that holds the requirement)")
@click.option("--package", default=None, help="the distribution whose releases are searched (default: the adapter's backend)")
@click.option("--seed", type=int, default=1, show_default=True, help="hypothesis seed, the same for every release")
@click.option("--max-examples", type=click.IntRange(min=1), default=DEFAULT_OPTIONS["max_examples"], show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_OPTIONS["timeout"],
              show_default=True, help="seconds per backend call")
@click.option("--env-cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="where environments are kept (default: ~/.cache/accord/plan-envs, shared with accord plan run)")
@click.option("--pre", is_flag=True, help="include pre-releases and development releases")
@click.option("--wheels-only", is_flag=True,
              help="a release without a wheel for this Python is untestable at once (pip --only-binary for the "
                   "package) instead of built from source")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="write the result as JSON (spec/meta/bisect.schema.json)")
def bisect_cmd(adapter: str, version_range: str, requirement: str, family: str | None, spec_version: str | None,
               package: str | None, seed: int, max_examples: int, timeout: float, env_cache: Path | None,
               pre: bool, wheels_only: bool, report_path: Path | None) -> None:
    """Find the first release of the adapter's backend where REQUIREMENT's verdict changed."""
    try:
        wanted = parse_range(version_range)
    except ReleaseError as exc:
        _fail(str(exc))
    loaded = _adapter(adapter, family)
    meta = loaded.meta
    spec_version = _spec_version(meta.family, tuple(meta.spec_versions), requirement, spec_version)
    package = package or meta.backend_package
    try:
        releases = [str(v) for v in select(list_releases(package, pre), wanted, pre)]
    except ReleaseError as exc:
        _fail(str(exc))
    if not releases:
        _fail(f"no release of {package!r} in the range {version_range!r}" + ("" if pre else " (pre-releases: --pre)"))
    cache = (env_cache or default_cache()).expanduser().resolve()
    if wheels_only:  # the environment builds take pip's options from this process's environment
        os.environ["PIP_ONLY_BINARY"] = package
    name = adapter if ":" in adapter else meta.name
    err.print(f"bisect {requirement} on {name} (spec {meta.family} {spec_version}, seed {seed}): "
              f"{len(releases)} {package} releases in {version_range} ({releases[0]} … {releases[-1]})", markup=False)
    children = Children()
    started = time.monotonic()

    def test(release: str) -> Trial:
        cell = Cell(id=cell_id(meta.family, name, release, spec_version, seed), family=meta.family, adapter=adapter,
                    spec_version=spec_version, seed=seed, package=package, version=release,
                    requirements=(f"{package}=={release}",), max_examples=max_examples, timeout=timeout,
                    select=(requirement,))
        task = progress.add_task(f"{package} {release}: environment and accord run", total=None)
        try:
            trial = _trial(release, cell, cache, children, requirement)
        finally:
            progress.remove_task(task)
        verdict = "untestable: " + _first_line(trial.message, 200) if trial.untestable else trial.verdict
        progress.console.print(f"  {package} {release}: {verdict} (env {trial.env}, {trial.seconds:.1f}s)",
                               markup=False, soft_wrap=True)
        return trial

    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                        transient=True)
    try:
        with progress:
            outcome = bisect(releases, test)
    except KeyboardInterrupt:
        children.stop_all()
        err.print("accord: interrupted: bisect stopped, nothing left running", markup=False)
        sys.exit(130)
    seconds = time.monotonic() - started
    _show(outcome, package, requirement, seconds)
    if report_path is not None:
        settings = {"seed": seed, "max_examples": max_examples, "timeout": timeout}
        data = document(outcome, family=meta.family, adapter=name, package=package, spec_version=spec_version,
                        requirement=requirement, version_range=version_range, pre=pre, settings=settings,
                        seconds=seconds)
        try:
            write_atomically(report_path, json.dumps(data, indent=1) + "\n", "bisect report")
        except ReportWriteError as exc:
            _fail(str(exc))
    sys.exit(EXIT.get(outcome.result, 3))
