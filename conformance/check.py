"""What a family suite's check returns, and how the core runs a property.

A check is ``(ctx, requirement, document) -> Outcome | Property``. Plain checks
return an :class:`Outcome`; property checks return a :class:`Property`, which
the core runs under hypothesis with the run's seed and example budget, keeping
the shrunk counterexample so that ``accord repro`` can replay it.

No masking: a property that can name the input class of an example (``classify``)
is explored again after a failure with that class left out, so one broken dtype
or request shape does not hide what the requirement would find elsewhere. Every
distinct failure becomes a :class:`Case` of the outcome.
"""

from __future__ import annotations

import json
import math
import re
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import hypothesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from accord.conformance import interrupts
from accord.conformance.seeded import keyless, seed_only

if TYPE_CHECKING:
    from accord.conformance.client import BackendClient
    from accord.spec.model import Document, Requirement, Spec


class Mismatch(AssertionError):
    """The backend's answer differs from what the spec demands."""

    def __init__(self, message: str, *, expected: Any = None, actual: Any = None, raised: Any = None,
                 rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.actual = actual
        self.raised = raised  # the BackendRaised the check judged, when the deviation is a raise
        # the spec rule the deviation breaks when many documents share it (type promotion): one deviation of
        # such a rule is one finding, whichever function showed it (see conformance/findings.py)
        self.rule = rule


class NotApplicableHere(Exception):
    """Raised by a check when the requirement cannot apply to this backend."""


@dataclass
class Case:
    """One distinct failure inside a requirement: its input class, shrunk example and repro."""

    status: str  # fail | error | timeout | crashed
    message: str
    input_class: str | None = None  # e.g. "float32", "int8,uint16", "path:newline"; None = unclassified
    counterexample: Any = None
    expected: Any = None
    actual: Any = None
    snippet: str | None = None
    raised: dict[str, Any] | None = None  # {"type", "message", "origin"} when the backend raised
    replay: dict[str, Any] | None = None  # the stored counterexample run once more: {"reproduced", ...}
    rule: str | None = None  # the shared spec rule the deviation breaks (Mismatch.rule)

    def to_json(self) -> dict[str, Any]:
        data = {"status": self.status, "message": self.message, "input_class": self.input_class,
                "counterexample": self.counterexample, "expected": self.expected, "actual": self.actual,
                "snippet": self.snippet, "raised": self.raised, "replay": self.replay, "rule": self.rule}
        return {k: v for k, v in data.items() if v is not None}


def raised_info(exc: BaseException | None) -> dict[str, Any] | None:
    """What the backend raised, from a BackendRaised (duck-typed: this module does not import the client)."""
    if exc is None or not hasattr(exc, "origin"):
        return None
    return {"type": getattr(exc, "type", type(exc).__name__), "message": getattr(exc, "message", str(exc)),
            "origin": exc.origin}


@dataclass
class Outcome:
    status: str  # pass | fail | error | skipped | not-applicable
    examples: int = 0
    message: str | None = None
    counterexample: Any = None
    expected: Any = None
    actual: Any = None
    snippet: str | None = None
    cases: list[Case] = field(default_factory=list)  # every distinct failure; cases[0] is the primary
    extra: dict[str, Any] = field(default_factory=dict)  # further report-entry keys (e.g. measured accuracy)

    def primary_case(self) -> Case:
        """The outcome's own fields as a case (for checks that report one failure without cases)."""
        return Case(self.status, self.message or "", counterexample=self.counterexample,
                    expected=self.expected, actual=self.actual, snippet=self.snippet)

    @classmethod
    def from_cases(cls, cases: list[Case], examples: int) -> Outcome:
        """A failed outcome whose fields mirror its primary case: the first real failure, else the first error."""
        primary = next((c for c in cases if c.status == "fail"), cases[0])
        return cls(primary.status, examples, primary.message, primary.counterexample, primary.expected,
                   primary.actual, primary.snippet, [primary] + [c for c in cases if c is not primary])


@dataclass
class Property:
    """A hypothesis property: ``test(example)`` raises :class:`Mismatch` when wrong."""

    strategy: st.SearchStrategy
    test: Callable[[Any], None]
    encode: Callable[[Any], Any] = lambda example: example
    decode: Callable[[Any], Any] = lambda data: data
    snippet: Callable[[Any], str] | None = None
    max_examples: int | None = None  # overrides the run's budget (e.g. expensive engines)
    classify: Callable[[Any], str | None] | None = None  # an example's input class, for exploring past a failure
    max_cases: int = 8  # distinct failing classes recorded at most (each costs one more search)
    extra: Callable[[], dict[str, Any]] | None = None  # after the run: entries for the report (e.g. accuracy)
    retest: Callable[[Any], None] | None = None  # ``test`` asking the backend afresh, where ``test`` caches answers
    observe: Callable[[Any], None] | None = None  # sees every example a search tests (strata counting)
    strata: list[Any] | None = None  # the requirement's strata (``accord.conformance.strata``)


@dataclass
class RunSettings:
    seed: int = 0
    max_examples: int = 100
    timeout: float = 30.0
    #: distinct failures a requirement records at most (None: each property's own ``max_cases``);
    #: ``accord mutate`` needs one, since a mutant is killed by the first
    max_cases: int | None = None


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
    """Run a property with the run's seed; or replay one stored counterexample.

    With ``prop.classify``, a failure's input class is excluded and the search runs again, until it
    passes, no class is left, or ``prop.max_cases`` distinct failures are recorded.
    """
    if replay is not None:
        again = replay_example(prop, prop.decode(replay))
        if again is None:
            return Outcome("pass", examples=1, message="the recorded counterexample no longer fails")
        return Outcome.from_cases([again], 1)

    cases: list[Case] = []
    excluded: set[str] = set()
    examples = 0
    while True:
        strategy = prop.strategy
        if excluded:
            strategy = strategy.filter(lambda example: _class_of(prop, example) not in excluded)
        try:
            # each follow-up search gets the full budget: after an early first failure it is what explores
            # the classes left, as a clean run would; its failure is shrunk with a smaller budget
            seen, failure = _search(prop, strategy, run, prop.max_examples or run.max_examples,
                                    FOLLOW_UP_SHRINK_CALLS if cases else SHRINK_CALLS)
        except BaseException as exc:  # a dead or hung backend: keep what was found for the runner
            exc.accord_cases = cases  # type: ignore[attr-defined]
            raise
        examples += seen
        if isinstance(failure, Outcome):  # not a failure of the backend: the search itself could not run
            if cases:
                break
            failure.examples = examples
            return failure
        if failure is None:
            break
        example, exc = failure
        case = _case(prop, example, exc)
        cases.append(case)
        try:
            case.replay = replay_case(prop, case)
        except BaseException as dead:  # the backend hung or died on the replay: keep the cases
            dead.accord_cases = cases  # type: ignore[attr-defined]
            raise
        if (prop.classify is None or case.input_class is None or case.input_class in excluded
                or len(cases) >= min(prop.max_cases, run.max_cases or prop.max_cases)):
            break
        excluded.add(case.input_class)
    if not cases:
        return Outcome("pass", examples=examples)
    return Outcome.from_cases(cases, examples)


def replay_example(prop: Property, example: Any) -> Case | None:
    """Run the test on one example, as the search does: None when it passes, else the failure's case.

    Outside a search, hypothesis warns on every ``assume`` a check makes; the example already passed
    those assumptions once, so the warning says nothing here and would only litter the console.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", hypothesis.errors.HypothesisDeprecationWarning)
            (prop.retest or prop.test)(example)  # a replay must ask the backend again, not a cache
    except Exception as exc:
        return _case(prop, example, exc)
    return None


def replay_case(prop: Property, case: Case) -> dict[str, Any] | None:
    """Replay a case's stored counterexample once, read back from JSON as ``accord repro`` reads it.

    A backend whose answer to the same input changes (a race, an uninitialised buffer, a random
    kernel) fails with a counterexample that repro cannot show again; this says so in the report.
    None when the counterexample cannot be read back (nothing to replay).
    """
    if case.counterexample is None:
        return None
    try:
        example = prop.decode(json.loads(json.dumps(case.counterexample)))
    except Exception:  # a codec that cannot read its own output: a defect of the check, not the backend's
        return None
    again = replay_example(prop, example)
    if answer_key(again) == answer_key(case):
        return {"reproduced": True}
    return {"reproduced": False, **answer_json(again)}


def answer_key(case: Case | None) -> str:
    """What a failure answered, comparable across replays of one input (None: it passed).

    Left out is what legitimately varies between two answers to one input: measured times
    (``elapsed``, ``*seconds``), the order of list items (pipeline outputs are bags) and memory
    addresses in reprs.
    """
    if case is None:
        return "pass"
    return json.dumps([case.status, (case.raised or {}).get("type"), _canonical(case.actual)], sort_keys=True)


def answer_json(case: Case | None) -> dict[str, Any]:
    """A replay's answer for the report and the console: status, and what failed when it did."""
    if case is None:
        return {"status": "pass"}
    return {k: v for k, v in (("status", case.status), ("message", case.message), ("actual", case.actual))
            if v is not None}


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items() if k != "elapsed" and not str(k).endswith("seconds")}
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, str):
        return _ADDRESS.sub("0x…", value)
    return value


_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")


def _class_of(prop: Property, example: Any) -> str | None:
    try:
        return prop.classify(example) if prop.classify else None
    except Exception:  # a classifier that cannot read an example leaves it unclassified
        return None


SHRINK_CALLS = 200
"""Examples a search tests while shrinking its failure. Past that, the search ends and the smallest
failure found so far stands: a backend failing a hundred requirements must not spend most of its run
shrinking (a third of a torch run did). Counted, not timed, so a seed gives the same counterexample on
any machine."""

FOLLOW_UP_SHRINK_CALLS = 50
"""The same budget for a follow-up search's failure (one found past the first): it is a finding of its own
and its counterexample needs to be small enough to read, not minimal. On torch's 40 slowest failing
requirements this took the CPU time from 124 s to 112 s."""


class _ShrinkSpent(BaseException):
    """Ends a search whose shrink budget is spent. Not an ``Exception``: hypothesis shrinks what a test
    raises as an Exception, but lets any other BaseException end its run at once (as Ctrl-C does), so
    the shrinker does not go on drawing candidates that would only pass untested."""


def _search(prop: Property, strategy: st.SearchStrategy, run: RunSettings, max_examples: int,
            shrink_calls: int = SHRINK_CALLS) -> tuple[int, Any]:
    """One hypothesis search: (examples seen, None | (shrunk example, exception) | an error Outcome)."""
    seen = 0
    last_failure: list[tuple[Any, BaseException]] = []
    first_failure = 0  # ``seen`` at the search's first failure (0: none yet)

    @keyless
    @settings(
        max_examples=max_examples,
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
    @hypothesis.given(strategy)
    def _property(example: Any) -> None:
        nonlocal seen, first_failure
        interrupts.check()
        seen += 1
        if first_failure and seen - first_failure > shrink_calls:
            raise _ShrinkSpent  # the smallest failure seen stands (``last_failure``)
        if prop.observe is not None:
            prop.observe(example)
        try:
            prop.test(example)
        except hypothesis.errors.UnsatisfiedAssumption:
            raise  # a check's assume(): hypothesis draws another example; not a failure
        except Exception as exc:
            first_failure = first_failure or seen
            if last_failure:  # its frames' locals (a check's two answers) too: hypothesis keeps the frames
                traceback.clear_frames(last_failure[0][1].__traceback__)
            last_failure[:] = [(example, exc)]
            light = _unloaded(exc)
            if light is None:
                raise
        else:
            return
        raise light  # outside the except block: this frame no longer holds ``exc``

    try:
        with seed_only():
            _property()
    except _ShrinkSpent:
        return seen, last_failure[0]
    except hypothesis.errors.Unsatisfiable as exc:
        return seen, Outcome("error", message=f"no valid example could be generated: {exc}")
    except Exception as exc:  # a Mismatch, the check itself, or an unexpected backend answer
        if last_failure:
            return seen, last_failure[0]
        return seen, Outcome("error", message=f"{type(exc).__name__}: {exc}")
    return seen, None


def _unloaded(exc: BaseException) -> Mismatch | None:
    """A copy of a mismatch without the two answers it carries, for hypothesis, which holds on to every
    failure of a search: a backend answering a large wrong array on every example would otherwise fill
    the kit's memory (30 000 elements: +250 MB in one run). The same type raised from the same place,
    so hypothesis tells failures apart as before; the search reads only the last failure, kept whole.
    None for another exception (raised as it is)."""
    if not isinstance(exc, Mismatch):
        return None
    # built by hand, not with copy.copy: a registered reducer may hand the copy the original's own
    # ``__dict__`` (tblib's pickling support does, installed by dask.distributed), and clearing the
    # copy's answers would then clear the failure's
    try:
        light = type(exc).__new__(type(exc), *exc.args)
    except Exception:  # a subclass that cannot be built so keeps its load
        return None
    light.__dict__.update(vars(exc))
    light.expected = light.actual = light.raised = None
    return light.with_traceback(exc.__traceback__)


def _case(prop: Property, example: Any, exc: BaseException) -> Case:
    mismatch = exc if isinstance(exc, Mismatch) else None
    message = mismatch.message if mismatch else f"{type(exc).__name__}: {exc}"
    snippet = None
    if prop.snippet is not None:
        try:
            snippet = prop.snippet(example)
        except Exception as snippet_exc:  # a broken snippet must not hide the failure
            snippet = f"# could not render a snippet: {snippet_exc}"
    return Case(
        "fail" if mismatch else "error",
        message,
        input_class=_class_of(prop, example),
        counterexample=to_json(prop.encode(example)),
        expected=to_json(mismatch.expected) if mismatch else None,
        actual=to_json(mismatch.actual) if mismatch else None,
        snippet=snippet,
        raised=raised_info(mismatch.raised if mismatch else exc),
        rule=mismatch.rule if mismatch else None,
    )
