"""Run a family's requirements against one adapter and record every result.

The runner owns the policy: not-claimed MAY items, declared not-applicable and
expected failures, and turning a hung or dead worker into ``timeout`` /
``crashed`` while the run goes on with a fresh worker.
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.spec import Requirement, Spec, load_spec, match_requirements

from . import interrupts, strata
from .check import Case, Context, NotApplicableHere, Outcome, Property, RunSettings, raised_info, run_property
from .client import (
    BackendClient,
    BackendCrashed,
    BackendFailure,
    BackendRaised,
    BackendStartError,
    BackendTimeout,
    BackendUnsupported,
)
from .declarations import for_version, unmatched_declarations
from .families import FamilySuite, get_suite
from .findings import attach as attach_findings
from .report import BAD, Report


class UsageError(Exception):
    """Bad usage or bad input: one line, exit 2."""


def _matches(patterns: list[dict[str, Any]], requirement_id: str) -> dict[str, Any] | None:
    for entry in patterns:
        if fnmatch.fnmatchcase(requirement_id, entry.get("id", "")):
            return entry
    return None


def evaluate(ctx: Context, suite: FamilySuite, requirement: Requirement, replay: Any = None) -> Outcome:
    """Run one requirement's check; backend failures propagate as BackendFailure."""
    check = suite.checks.get(requirement.check)
    if check is None:
        return Outcome("error", message=f"the {suite.family} suite has no check kind {requirement.check!r}")
    document = ctx.spec.document_of(requirement)
    try:
        produced = check(ctx, requirement, document)
        if isinstance(produced, Property):
            if replay is None:
                strata.attach(produced, strata.build(suite.conditions, ctx, requirement, document))
            outcome = run_property(produced, ctx.settings, replay=replay)
            if replay is None:
                strata.complete(produced, outcome, ctx.settings)
            if produced.extra is not None:
                outcome.extra.update(produced.extra())
            return outcome
        if replay is None and produced.status in strata.RAN and strata.unexamined(requirement):
            produced.extra.setdefault("strata", strata.unexamined(requirement))
        return produced
    except NotApplicableHere as exc:
        return Outcome("not-applicable", message=str(exc))
    except BackendUnsupported as exc:
        return Outcome("fail", message=f"adapter does not implement it: {exc}")
    except BackendRaised as exc:
        message = f"backend raised {exc}"
        return Outcome("fail", message=message, cases=[Case("fail", message, raised=raised_info(exc))])


def classify(requirement: Requirement, adapter: dict[str, Any]) -> Outcome | None:
    """Results decided without running anything (not claimed, declared not applicable)."""
    if requirement.level == "MAY" and requirement.feature and requirement.feature not in adapter.get("claims", ()):
        return Outcome("not-claimed", message=f"adapter does not claim feature {requirement.feature!r}")
    declared = _matches(adapter.get("not_applicable", []), requirement.id)
    if declared:
        return Outcome("not-applicable", message=declared.get("reason", ""))
    return None


def _declared_finding(patterns: list[dict[str, Any]], requirement_id: str, outcome: Outcome) -> dict[str, Any] | None:
    """A declaration by finding id matches when every failure of the requirement belongs to a declared finding."""
    from .findings import finding_ids, outcome_cases

    declared = {entry["finding"]: entry for entry in patterns if entry.get("finding")}
    ids = finding_ids(requirement_id, outcome_cases(outcome)) if declared else set()
    if not ids or not ids <= declared.keys():
        return None
    first = declared[min(ids)]
    return {**first, "id": ",".join(sorted(ids))}


def apply_expectations(outcome: Outcome, requirement: Requirement, adapter: dict[str, Any]) -> tuple[str, dict | None]:
    """Map a check outcome through the adapter's declared known failures."""
    declared = _matches(adapter.get("expected_failures", []), requirement.id)
    if declared is None and outcome.status in BAD:
        declared = _declared_finding(adapter.get("expected_failures", []), requirement.id, outcome)
    if declared is None:
        return outcome.status, None
    note = {"reason": declared.get("reason", ""), "pattern": declared.get("id", "")}
    if declared.get("link"):
        note["link"] = declared["link"]
    if outcome.status in BAD:
        return "xfail", note
    if outcome.status == "pass":
        return "xpass", note
    return outcome.status, note


@dataclass
class RunConfig:
    family: str
    adapter: str
    spec_version: str | None = None
    select: list[str] = field(default_factory=list)
    settings: RunSettings = field(default_factory=RunSettings)
    report_path: Path | None = None
    python: str | None = None
    start_timeout: float = 600.0
    raw: bool = False  # the backend's own namespace, adapter shims off (adapter option "raw")

    def adapter_options(self) -> dict[str, Any]:
        return {"raw": True} if self.raw else {}


@dataclass
class RunResult:
    report: Report
    spec: Spec
    exit_code: int


def load_for_run(family: str, version: str | None) -> Spec:
    from accord.spec import SpecError

    try:
        return load_spec(family, version)
    except LookupError as exc:
        raise UsageError(str(exc).strip("'\"")) from None
    except SpecError as exc:
        first = exc.problems[0] if exc.problems else "invalid spec"
        raise UsageError(f"spec {family} {version or ''} is invalid: {first}"
                         + (f" (and {len(exc.problems) - 1} more; run 'accord spec validate')"
                            if len(exc.problems) > 1 else "")) from None


def check_adapter_name(config: RunConfig) -> tuple[str, ...] | None:
    """An adapter that cannot even be found is bad usage (exit 2), not a finding; returns the spec
    versions it declares.

    Only checked in-process when the worker runs in this interpreter: an adapter
    for another virtual environment may not be importable here (None then).
    """
    if config.python is None:
        from accord.adapters.registry import AdapterNotFound, resolve

        try:
            adapter = resolve(config.adapter, config.family)
            adapter.check_options(config.adapter_options())  # the shared instance stays as it is
            return tuple(adapter.meta.spec_versions)
        except (AdapterNotFound, ValueError) as exc:
            raise UsageError(str(exc)) from None
    return None


def default_version(family: str, declared: tuple[str, ...] | None) -> str | None:
    """Without --spec-version: the latest released version the adapter declares, so an adapter written
    for 1.0 keeps running unchanged once 1.1 is released; else the latest released (None)."""
    from accord.spec import versions

    supported = [v for v in versions(family) if v != "draft" and v in (declared or ())]
    return supported[-1] if supported else None


def start_worker(config: RunConfig, spec: Spec) -> tuple[BackendClient, dict[str, Any]]:
    """The run's worker, told the standard revisions ``spec`` follows (an adapter of several answers as it);
    its hello's adapter metadata keeps the expected failures that hold for ``spec``'s version."""
    client = BackendClient(config.adapter, config.family, python=config.python,
                           timeout=config.settings.timeout, start_timeout=config.start_timeout,
                           options=config.adapter_options(), standards=[s.to_json() for s in spec.standards])
    hello = client.start()
    return client, {**hello, "adapter": for_version(hello["adapter"], spec.version)}


OnResult = Callable[[Requirement, dict[str, Any], int, int], None]


@dataclass
class Plan:
    """What a run is about to do: the spec, the selected requirements (in report order) and the report."""

    spec: Spec
    version: str | None  # the version argument the spec was loaded with (a shard loads the same)
    requirements: list[Requirement]
    suite: FamilySuite
    report: Report


def plan_run(config: RunConfig, extra_settings: dict[str, Any] | None = None) -> Plan:
    """Resolve the spec version, select the requirements and write the report's first, all-``not-run`` state."""
    declared = check_adapter_name(config)
    version = config.spec_version or default_version(config.family, declared)
    spec = load_for_run(config.family, version)
    requirements = match_requirements(spec, config.select)
    if not requirements:
        raise UsageError(f"--select {','.join(config.select)} matches no requirement of {spec.family} {spec.version}")
    suite = get_suite(config.family)
    settings = {"seed": config.settings.seed, "max_examples": config.settings.max_examples,
                "timeout": config.settings.timeout}
    if config.select:
        settings["select"] = list(config.select)
    if config.raw:
        settings["raw"] = True
    settings.update(extra_settings or {})
    report = Report(config.report_path, spec, requirements, settings, config.adapter)
    return Plan(spec, version, requirements, suite, report)


def check_hello(config: RunConfig, spec: Spec, adapter: dict[str, Any]) -> None:
    """The worker's adapter must be of the spec's family, support a released spec's version and declare
    only what the spec has; else bad usage (UsageError)."""
    if adapter.get("family") != spec.family:
        raise UsageError(f"adapter {config.adapter!r} is a {adapter.get('family')} adapter, not {spec.family}")
    if spec.status == "released" and spec.version not in adapter.get("spec_versions", []):
        raise UsageError(f"adapter {config.adapter!r} does not support {spec.family} {spec.version} "
                         f"(it supports {', '.join(adapter.get('spec_versions', [])) or 'none'})")
    unmatched = unmatched_declarations(adapter, spec)
    if unmatched:
        raise UsageError(unmatched[0] + (f" (and {len(unmatched) - 1} more)" if len(unmatched) > 1 else ""))


def aborted(plan: Plan, message: str, on_result: OnResult | None = None) -> RunResult:
    """The run cannot go on (no worker could start; with ``--jobs``, no shard is left): every requirement
    not run yet is an ``error`` saying why, and the run is aborted (exit 1)."""
    report, total = plan.report, len(plan.requirements)
    done = sum(r["status"] != "not-run" for r in report.results())
    for requirement, entry in zip(plan.requirements, report.results(), strict=True):
        if entry["status"] != "not-run":
            continue
        result = {"status": "error", "message": message, "examples": 0, "duration": 0.0}
        report.record(requirement.id, result)
        done += 1
        if on_result:
            on_result(requirement, result, done, total)
    attach_findings(report.data, plan.spec)
    report.finish("aborted", message)
    return RunResult(report, plan.spec, 1)


def interrupted(plan: Plan) -> RunResult:
    """Ctrl-C (or SIGTERM): what ran stays, the rest is ``not-run``; exit 130."""
    attach_findings(plan.report.data, plan.spec)
    plan.report.finish("interrupted", "interrupted by the user")
    return RunResult(plan.report, plan.spec, 130)


def completed(plan: Plan) -> RunResult:
    """Findings attached, state complete; exit 1 when a MUST requirement is bad."""
    report = plan.report
    attach_findings(report.data, plan.spec)
    report.finish("complete")
    failed = any(r["status"] in BAD for r in report.results() if r["level"] == "MUST")
    return RunResult(report, plan.spec, 1 if failed else 0)


def run(config: RunConfig, on_result: OnResult | None = None, on_start: Callable[[int], None] | None = None) -> RunResult:
    """Run the selected requirements in this process with one worker; returns the report and the exit code
    (0/1; 130 on Ctrl-C). ``accord run --jobs N`` shards them over N processes instead (:mod:`.sharded`)."""
    plan = plan_run(config)
    spec, requirements, suite, report = plan.spec, plan.requirements, plan.suite, plan.report
    if on_start:
        on_start(len(requirements))

    try:
        client, hello = start_worker(config, spec)
    except BackendStartError as exc:
        return aborted(plan, str(exc), on_result)

    adapter = hello["adapter"]
    report.set_adapter(adapter, hello.get("python"))
    ctx = Context(backend=client, spec=spec, settings=config.settings, adapter=adapter)
    try:
        check_hello(config, spec, adapter)
        prepare(ctx, suite)
        for i, requirement in enumerate(requirements):
            interrupts.check()
            result = run_requirement(ctx, suite, requirement)
            report.record(requirement.id, result)
            if on_result:
                on_result(requirement, result, i + 1, len(requirements))
    except KeyboardInterrupt:
        ended = interrupted(plan)
        client.close()
        return ended
    except UsageError:
        client.close()
        report.finish("aborted")
        raise
    client.close()
    return completed(plan)


def prepare(ctx: Context, suite: FamilySuite) -> None:
    """Run the suite's once-per-worker setup (FaaS deploys its probes)."""
    if suite.prepare is not None:
        suite.prepare(ctx)


def run_requirement(ctx: Context, suite: FamilySuite, requirement: Requirement, replay: Any = None) -> dict[str, Any]:
    started = time.monotonic()
    outcome = classify(requirement, ctx.adapter)
    if outcome is None:
        try:
            outcome = evaluate(ctx, suite, requirement, replay)
        except BackendFailure as exc:
            status = ("timeout" if isinstance(exc, BackendTimeout) else
                      "crashed" if isinstance(exc, BackendCrashed) else "error")
            # what the search found before the worker hung or died stays; the hang or crash is a case too
            cases = getattr(exc, "accord_cases", [])
            outcome = Outcome(status, message=str(exc), cases=[Case(status, str(exc)), *cases])
            _recover(ctx, suite, outcome)
        except Exception as exc:  # a defect of the check itself: recorded, never fatal
            outcome = Outcome("error", message=f"check raised {type(exc).__name__}: {exc}")
        if outcome.status in BAD and suite.after_failure is not None:
            _clean_up_after_failure(ctx, suite, outcome)
    status, declared = apply_expectations(outcome, requirement, ctx.adapter)
    result: dict[str, Any] = {
        "status": status,
        "examples": outcome.examples,
        "duration": round(time.monotonic() - started, 4),
        "message": outcome.message,
        "counterexample": outcome.counterexample,
        "expected": outcome.expected,
        "actual": outcome.actual,
        "snippet": outcome.snippet,
    }
    if outcome.status in BAD:
        result["findings"] = [case.to_json() for case in outcome.cases or [outcome.primary_case()]]
        if any(case.replay and not case.replay["reproduced"] for case in outcome.cases):
            result["reproduced"] = False  # a counterexample gave another answer when replayed
    shims = exercised_shims(ctx, requirement)
    if shims:
        result["shims"] = shims
    result.update(outcome.extra)
    if declared:
        result["declared"] = declared
        result["outcome"] = outcome.status
    return result


def exercised_shims(ctx: Context, requirement: Requirement) -> list[str]:
    """Names of the adapter's shims whose functions include the requirement's document name."""
    shims = ctx.adapter.get("shims") or []
    if not shims:
        return []
    name = ctx.spec.document_of(requirement).name
    return [s["name"] for s in shims if name in s.get("functions", ())]


def _clean_up_after_failure(ctx: Context, suite: FamilySuite, outcome: Outcome) -> None:
    try:
        suite.after_failure(ctx)
    except BackendFailure as exc:
        outcome.message = f"{outcome.message}; cleaning up after the failure: {exc}"
        _recover(ctx, suite, outcome)
    except Exception as exc:  # cleanup is best effort; the recorded result stands
        outcome.message = f"{outcome.message}; cleaning up after the failure raised {type(exc).__name__}: {exc}"


def _recover(ctx: Context, suite: FamilySuite, outcome: Outcome) -> None:
    """Start a fresh worker after a hang or crash so the run goes on."""
    try:
        ctx.backend.restart()
        ctx.state.clear()
        prepare(ctx, suite)
    except (BackendStartError, BackendFailure) as exc:
        outcome.message = f"{outcome.message}; restarting the worker failed: {exc}"


def replay(report: dict[str, Any], requirement_id: str, adapter: str | None = None,
           python: str | None = None, times: int = 1) -> tuple[Requirement, dict[str, Any], list[Outcome]]:
    """Replay a report's recorded counterexample for one requirement ``times`` times in one worker.

    A requirement without a stored counterexample is run again once with the report's seed (a whole
    search, not one input)."""
    spec_info = report["spec"]
    spec = load_for_run(spec_info["family"], spec_info["version"] if spec_info.get("status") != "draft" else "draft")
    try:
        requirement = spec.requirement(requirement_id)
    except KeyError:
        raise UsageError(f"requirement {requirement_id!r} is not in {spec.family} {spec.version}") from None
    entries = [r for r in report["requirements"] if r["id"] == requirement_id]
    if not entries:
        raise UsageError(f"the report has no result for {requirement_id!r}")
    entry = entries[0]
    if isinstance(entry.get("counterexample"), dict) and "$truncated" in entry["counterexample"]:
        raise UsageError(f"the report stored only the first bytes of the counterexample of {requirement_id!r} "
                         f"({entry['counterexample']['$truncated'].get('bytes')} bytes): it cannot be replayed")
    settings = report["settings"]
    run_settings = RunSettings(seed=settings["seed"], max_examples=settings["max_examples"],
                               timeout=settings["timeout"])
    config = RunConfig(spec.family, adapter or report["adapter"].get("spec") or report["adapter"]["name"],
                       settings=run_settings, python=python or None, raw=bool(settings.get("raw")))
    try:
        client, hello = start_worker(config, spec)
    except BackendStartError as exc:
        raise UsageError(f"{exc} (replay on another adapter or interpreter with --adapter / --python)") from None
    ctx = Context(backend=client, spec=spec, settings=run_settings, adapter=hello["adapter"])
    suite = get_suite(spec.family)
    results = []
    try:
        prepare(ctx, suite)
        if entry.get("counterexample") is None:
            # no stored example (a plain check): run the requirement again with the same seed
            results.append(run_requirement(ctx, suite, requirement))
        else:
            for _ in range(times):
                results.append(run_requirement(ctx, suite, requirement, replay=entry["counterexample"]))
    finally:
        client.close()
    outcomes = []
    for result in results:
        raised = (result.get("findings") or [{}])[0].get("raised")
        status = result.get("outcome", result["status"])  # what the check said, before declared failures
        case = Case(status, result["message"] or "", actual=result.get("actual"), raised=raised)
        outcomes.append(Outcome(result["status"], result["examples"], result["message"],
                                result.get("counterexample"), result.get("expected"), result.get("actual"),
                                result.get("snippet"), cases=[case]))
    return requirement, entry, outcomes


def iter_requirements(spec: Spec, patterns: list[str]) -> Iterator[Requirement]:
    yield from match_requirements(spec, patterns)
