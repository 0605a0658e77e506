"""Run a family's mutants: a control run of the unmutated reference, then each mutant in a worker of its own.

Each mutant runs only the requirements of the documents it concerns, with the run's seed and example
budget, through the ordinary runner (``runner.run``) and a worker started with the mutant adapter and
the option ``mutant``. The worker is started as a separate interpreter (``RunConfig.python``), so the
kit process never even imports the mutant adapter. A mutant is killed when one of its requirements
fails, errors, times out or crashes — except a requirement that is already not green on the
unmutated reference (the control run): that one says nothing about the mutant and is reported apart.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord.spec import Spec, match_requirements

from .. import interrupts
from ..check import RunSettings
from ..report import BAD
from ..runner import RunConfig, UsageError, load_for_run, run
from .model import Mutant, MutantSet


@dataclass
class MutateConfig:
    family: str
    spec_version: str = "draft"
    select: list[str] = field(default_factory=list)  # mutant id globs (none: every mutant)
    settings: RunSettings = field(default_factory=RunSettings)
    min_score: float = 0.95


@dataclass
class _WorkerConfig(RunConfig):
    """A run of the family's mutant adapter, with the mutant named in the hello's options."""

    options: dict[str, str] = field(default_factory=dict)

    def adapter_options(self) -> dict[str, Any]:
        return dict(self.options)


@dataclass
class MutantResult:
    mutant: Mutant
    status: str  # model.STATUSES
    requirements: list[str] = field(default_factory=list)
    killed_by: list[str] = field(default_factory=list)
    duration: float = 0.0
    message: str | None = None


@dataclass
class MutationRun:
    config: MutateConfig
    spec: Spec
    control: dict[str, dict[str, Any]]  # requirement id -> its result on the unmutated reference
    results: list[MutantResult]
    state: str = "complete"  # complete | interrupted
    started: float = field(default_factory=time.time)
    duration: float = 0.0

    @property
    def unstable(self) -> dict[str, dict[str, Any]]:
        """Requirements not green on the unmutated reference: they kill no mutant."""
        return {rid: r for rid, r in self.control.items() if r["status"] in BAD}


OnMutant = Callable[[MutantResult, int, int], None]


def plan(mutants: MutantSet, config: MutateConfig) -> tuple[Spec, list[Mutant], dict[str, list[str]]]:
    """The spec, the selected mutants and each one's requirement ids; a mutant selecting nothing is bad usage."""
    spec = load_for_run(config.family, config.spec_version)
    chosen = mutants.selected(config.select)
    if not chosen:
        raise UsageError(f"--select {','.join(config.select)} matches no {config.family} mutant")
    capabilities = {c.id for c in spec.capabilities}
    selected = {}
    for mutant in chosen:
        if mutant.group not in capabilities:
            raise UsageError(f"mutant {mutant.id}: group {mutant.group!r} is not a capability of "
                             f"{spec.family} {spec.version}")
        ids = [r.id for r in match_requirements(spec, mutant.globs())]
        if not ids:
            raise UsageError(f"mutant {mutant.id}: {', '.join(mutant.globs())} match no requirement of "
                             f"{spec.family} {spec.version}")
        selected[mutant.id] = ids
    return spec, chosen, selected


def _worker_run(mutants: MutantSet, config: MutateConfig, ids: list[str], mutant: Mutant | None) -> Any:
    """One ordinary run of ``ids`` against the mutant adapter (the unmutated reference when ``mutant`` is None)."""
    # one failure kills a mutant: a requirement records its first failing case only, not every class's
    settings = dataclasses.replace(config.settings, max_cases=1)
    worker = _WorkerConfig(family=config.family, adapter=mutants.adapter, spec_version=config.spec_version,
                           select=ids, settings=settings, report_path=None, python=sys.executable,
                           options=mutants.options(mutant))
    return run(worker)


def run_mutants(mutants: MutantSet, config: MutateConfig, on_result: OnMutant | None = None,
                on_control: Callable[[dict[str, dict[str, Any]] | None], None] | None = None) -> MutationRun:
    """The control run, then every selected mutant in turn; Ctrl-C leaves the rest ``not-run``.

    ``on_control`` hears of the control run twice: with None as it starts, with its results when done."""
    spec, chosen, selected = plan(mutants, config)
    if on_control:
        on_control(None)
    started = time.monotonic()
    outcome = MutationRun(config, spec, {}, [MutantResult(m, "not-run", selected[m.id]) for m in chosen])
    union = list(dict.fromkeys(rid for m in chosen for rid in selected[m.id]))
    control = _worker_run(mutants, config, union, None)
    outcome.control = {r["id"]: r for r in control.report.results()}
    if on_control:
        on_control(outcome.control)
    if control.exit_code == 130:
        outcome.state = "interrupted"
    elif control.report.data["state"] == "aborted":
        raise UsageError(f"the {config.family} mutant adapter could not start: {control.report.data.get('error')}")
    unstable = set(outcome.unstable)
    for i, result in enumerate(outcome.results):
        if outcome.state == "interrupted":
            break
        try:
            interrupts.check()
        except KeyboardInterrupt:
            outcome.state = "interrupted"
            break
        begun = time.monotonic()
        ran = _worker_run(mutants, config, result.requirements, result.mutant)
        result.duration = round(time.monotonic() - begun, 3)
        if ran.exit_code == 130:
            outcome.state = "interrupted"
            break
        entries = ran.report.results()
        result.killed_by = [e["id"] for e in entries if e["status"] in BAD and e["id"] not in unstable]
        if ran.report.data["state"] == "aborted":
            result.status, result.message = "error", ran.report.data.get("error") or "the worker could not start"
        elif result.mutant.allowed:
            result.status = "allowed"
        else:
            result.status = "killed" if result.killed_by else "survived"
        if result.killed_by:
            first = next(e for e in entries if e["id"] == result.killed_by[0])
            result.message = first.get("message")
        if on_result:
            on_result(result, i + 1, len(outcome.results))
    outcome.duration = round(time.monotonic() - started, 3)
    return outcome


@dataclass(frozen=True)
class GroupScore:
    id: str
    title: str
    killed: int
    survived: int
    errors: int
    allowed: int

    @property
    def total(self) -> int:
        """Mutants in the score: allowed ones (and ones not run) are left out."""
        return self.killed + self.survived + self.errors

    @property
    def score(self) -> float | None:
        return self.killed / self.total if self.total else None


def group_scores(outcome: MutationRun) -> list[GroupScore]:
    """One score per capability group that has mutants, in the manifest's order."""
    scores = []
    for capability in outcome.spec.capabilities:
        mine = [r for r in outcome.results if r.mutant.group == capability.id]
        if not mine:
            continue
        count = {s: sum(r.status == s for r in mine) for s in ("killed", "survived", "error", "allowed")}
        scores.append(GroupScore(capability.id, capability.title, count["killed"], count["survived"], count["error"],
                                 count["allowed"]))
    return scores


def total_score(outcome: MutationRun) -> GroupScore:
    groups = group_scores(outcome)
    return GroupScore("total", "total", *(sum(getattr(g, f) for g in groups)
                                          for f in ("killed", "survived", "errors", "allowed")))


def exit_code(outcome: MutationRun) -> int:
    """0 when the score meets the minimum, 1 when it does not; 130 when interrupted."""
    if outcome.state == "interrupted":
        return 130
    score = total_score(outcome).score
    return 0 if score is not None and score >= outcome.config.min_score else 1
