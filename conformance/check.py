"""What a family suite's check returns, and how the core runs a property.

A check is ``(ctx, requirement, document) -> Outcome | Property``. Plain checks
return an :class:`Outcome`; property checks return a :class:`Property`, which
the core runs under hypothesis with the run's seed and example budget, keeping
the shrunk counterexample so that ``accord repro`` can replay it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import hypothesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from accord.conformance.client import BackendClient
    from accord.spec.model import Document, Requirement, Spec


class Mismatch(AssertionError):
    """The backend's answer differs from what the spec demands."""

    def __init__(self, message: str, *, expected: Any = None, actual: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.actual = actual


class NotApplicableHere(Exception):
    """Raised by a check when the requirement cannot apply to this backend."""


@dataclass
class Outcome:
    status: str  # pass | fail | error | skipped | not-applicable
    examples: int = 0
    message: str | None = None
    counterexample: Any = None
    expected: Any = None
    actual: Any = None
    snippet: str | None = None


@dataclass
class Property:
    """A hypothesis property: ``test(example)`` raises :class:`Mismatch` when wrong."""

    strategy: st.SearchStrategy
    test: Callable[[Any], None]
    encode: Callable[[Any], Any] = lambda example: example
    decode: Callable[[Any], Any] = lambda data: data
    snippet: Callable[[Any], str] | None = None
    max_examples: int | None = None  # overrides the run's budget (e.g. expensive engines)


@dataclass
class RunSettings:
    seed: int = 0
    max_examples: int = 100
    timeout: float = 30.0


@dataclass
class Context:
    """Everything a check may use: the backend, the spec, and the run's settings."""

    backend: BackendClient
    spec: Spec
    settings: RunSettings
    adapter: dict[str, Any] = field(default_factory=dict)  # AdapterMeta JSON from the worker's hello
    state: dict[str, Any] = field(default_factory=dict)  # per-worker state a suite's prepare() sets up

    def claims(self, feature: str) -> bool:
        return feature in self.adapter.get("claims", ())


Check = Callable[["Context", "Requirement", "Document"], "Outcome | Property"]


def to_json(value: Any) -> Any:
    """Make a value JSON-encodable for the report (lossless where JSON allows)."""
    try:
        json.dumps(value, allow_nan=False)
        return value
    except (TypeError, ValueError):
        pass
    if isinstance(value, float):
        if math.isnan(value):
            return {"$float": "nan"}
        return {"$float": "inf" if value > 0 else "-inf"}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, bytes):
        return {"$bytes": value.hex()}
    return repr(value)


def run_property(prop: Property, run: RunSettings, replay: Any = None) -> Outcome:
    """Run a property with the run's seed; or replay one stored counterexample."""
    if replay is not None:
        example = prop.decode(replay)
        try:
            prop.test(example)
        except Mismatch as exc:
            return _failed(prop, example, exc, 1)
        return Outcome("pass", examples=1, message="the recorded counterexample no longer fails")

    seen = 0
    last_failure: list[tuple[Any, BaseException]] = []

    @settings(
        max_examples=prop.max_examples or run.max_examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
        verbosity=hypothesis.Verbosity.quiet,
        # no explain phase: it re-runs the test many times after shrinking (real engine and HTTP
        # calls), and the report records the shrunk example itself
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    )
    @hypothesis.seed(run.seed)
    @hypothesis.given(prop.strategy)
    def _property(example: Any) -> None:
        nonlocal seen
        seen += 1
        try:
            prop.test(example)
        except Exception as exc:
            last_failure[:] = [(example, exc)]
            raise

    try:
        _property()
    except Mismatch:
        example, exc = last_failure[0]
        return _failed(prop, example, exc, seen)
    except hypothesis.errors.Unsatisfiable as exc:
        return Outcome("error", examples=seen, message=f"no valid example could be generated: {exc}")
    except Exception as exc:  # the check itself, or an unexpected backend answer
        if last_failure:
            example, raised = last_failure[0]
            outcome = _failed(prop, example, raised, seen)
            outcome.status = "fail" if isinstance(raised, Mismatch) else "error"
            return outcome
        return Outcome("error", examples=seen, message=f"{type(exc).__name__}: {exc}")
    return Outcome("pass", examples=seen)


def _failed(prop: Property, example: Any, exc: BaseException, seen: int) -> Outcome:
    mismatch = exc if isinstance(exc, Mismatch) else None
    message = mismatch.message if mismatch else f"{type(exc).__name__}: {exc}"
    snippet = None
    if prop.snippet is not None:
        try:
            snippet = prop.snippet(example)
        except Exception as snippet_exc:  # a broken snippet must not hide the failure
            snippet = f"# could not render a snippet: {snippet_exc}"
    return Outcome(
        "fail" if mismatch else "error",
        examples=seen,
        message=message,
        counterexample=to_json(prop.encode(example)),
        expected=to_json(mismatch.expected) if mismatch else None,
        actual=to_json(mismatch.actual) if mismatch else None,
        snippet=snippet,
    )
