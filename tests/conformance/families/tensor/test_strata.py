"""The tensor condition kinds: each recognises a hand-made call in its stratum and rejects one outside;
the value kinds draw their stratum on purpose where the requirement's own draws never reach it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import find, settings
from hypothesis import strategies as st

from accord.conformance.families.tensor import oracle
from accord.conformance.families.tensor.strata import KINDS
from accord.spec import load_spec

SPEC = load_spec("tensor", "draft")
F64 = np.float64


def _stratum(condition: str, function: str = "add"):
    kind, _, argument = condition.partition(":")
    doc = SPEC.document("tensor.function", function)
    req = doc.requirements[0]
    return KINDS[kind](argument or None, None, req, doc)  # type: ignore[arg-type]


A = np.array
CASES = [  # (condition, function, a call in the stratum, a call outside it)
    ("empty", "add", oracle.call("add", A([], F64), A([], F64)), oracle.call("add", A([1.0]), A([2.0]))),
    ("zero-dim", "add", oracle.call("add", A(1.0), A([2.0])), oracle.call("add", A([1.0]), A([2.0]))),
    ("nan", "add", oracle.call("add", A([1.0, np.nan]), A([2.0])), oracle.call("add", A([1.0]), A([2.0]))),
    ("infinity", "add", oracle.call("add", A([-np.inf]), A([2.0])), oracle.call("add", A([1.0]), A([np.nan]))),
    ("signed-zero", "add", oracle.call("add", A([-0.0]), A([2.0])), oracle.call("add", A([0.0]), A([2.0]))),
    ("halfway", "round", oracle.call("round", A([2.5])), oracle.call("round", A([2.25]))),
    ("duplicates", "argmax", oracle.call("argmax", A([3, 1, 3])), oracle.call("argmax", A([3, 1, 2]))),
    ("broadcast", "add", oracle.call("add", A([[1.0]]), A([1.0, 2.0])), oracle.call("add", A([1.0]), A([2.0]))),
    ("mixed-dtypes", "add", oracle.call("add", A([1.0], np.float32), A([1.0])), oracle.call("add", A([1.0]), A([2.0]))),
    ("predicate-mixed", "where", oracle.call("where", A([True, False]), A([1.0]), A([2.0])),
     oracle.call("where", A([True, True]), A([1.0]), A([2.0]))),
    ("scalar-operand", "add", oracle.call("add", A([1.0]), 2.0), oracle.call("add", A([1.0]), A([2.0]))),
    ("negative-axis", "argmax", oracle.call("argmax", A([[1, 2]]), axis=-1), oracle.call("argmax", A([[1, 2]]), axis=1)),
    ("non-default:keepdims", "argmax", oracle.call("argmax", A([1, 2]), keepdims=True),
     oracle.call("argmax", A([1, 2]), keepdims=False)),
    ("non-default:side", "searchsorted", oracle.call("searchsorted", A([1.0]), A([1.0]), side="right"),
     oracle.call("searchsorted", A([1.0]), A([1.0]))),
]


@pytest.mark.parametrize(("condition", "function", "inside", "outside"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_recognises_its_stratum(condition: str, function: str, inside: dict, outside: dict) -> None:
    stratum = _stratum(condition, function)
    assert stratum.recognise(inside)
    assert not stratum.recognise(outside)
    assert stratum.recognise({"calls": [inside]}) and stratum.recognise({"row": 0, "call": inside})


def test_every_kind_of_the_vocabulary_is_implemented_and_tested() -> None:
    assert {c.kind for c in SPEC.conditions} == set(KINDS)
    assert {c[0].partition(":")[0] for c in CASES} == set(KINDS)


FINITE = st.lists(st.floats(-4, 4), min_size=1, max_size=4).map(lambda xs: oracle.call("mean", A(xs)))


@pytest.mark.parametrize("condition", ["nan", "infinity", "signed-zero", "halfway", "duplicates"])
def test_a_value_kind_is_drawn_on_purpose(condition: str) -> None:
    stratum = _stratum(condition, "mean")
    never = FINITE.filter(lambda call: not stratum.recognise(call))  # draws that never reach the stratum
    drawn = find(stratum.strategy(never), lambda call: True, settings=settings(database=None))
    assert stratum.recognise(drawn)


def test_a_forced_duplicate_leaves_an_unstable_sort_alone() -> None:
    stratum = _stratum("duplicates", "argsort")
    unstable = st.just(oracle.call("argsort", A([1.0, 2.0, 3.0]), stable=False))
    with pytest.raises(Exception, match="(?i)unable to satisfy|unsatisf|could not find"):
        find(stratum.strategy(unstable), lambda call: True, settings=settings(database=None, max_examples=20))


def test_a_real_requirement_meets_a_stratum_its_own_draws_never_reach() -> None:
    """mean's values draw moderate finite floats; its text's NaN stratum is reached only on purpose."""
    from accord_testing import InProcess

    from accord.adapters.registry import resolve
    from accord.conformance.check import Context, RunSettings
    from accord.conformance.families.tensor import SUITE
    from accord.conformance.runner import evaluate

    backend = resolve("reference", "tensor")
    ctx = Context(backend=InProcess(backend, start=True), spec=SPEC, settings=RunSettings(seed=1, max_examples=20),
                  adapter=backend.meta.to_json())
    req = SPEC.requirement("tensor.mean.values")
    assert "nan" in req.conditions and SPEC.document_of(req).data["inputs"]["float_magnitude"] == "moderate"
    outcome = evaluate(ctx, SUITE, req)
    assert outcome.status == "pass", outcome.message
    assert outcome.extra["strata"]["nan"] > 0
    assert outcome.examples > 20  # the search's 20 and the ones drawn on purpose


def test_a_condition_the_generator_cannot_produce_stays_at_zero_and_warns() -> None:
    """argmax draws no empty array (min_side: 1): listing ``empty`` would leave that stratum untested."""
    import dataclasses

    from accord_testing import InProcess

    from accord.adapters.registry import resolve
    from accord.conformance.check import Context, RunSettings
    from accord.conformance.families.tensor import SUITE
    from accord.conformance.runner import evaluate
    from accord.conformance.strata import warnings

    backend = resolve("reference", "tensor")
    ctx = Context(backend=InProcess(backend, start=True), spec=SPEC, settings=RunSettings(seed=1, max_examples=10),
                  adapter=backend.meta.to_json())
    req = dataclasses.replace(SPEC.requirement("tensor.argmax.values"), conditions=("duplicates", "empty"))
    outcome = evaluate(ctx, SUITE, req)
    assert outcome.status == "pass" and outcome.extra["strata"]["empty"] == 0 < outcome.extra["strata"]["duplicates"]
    entry = {"id": req.id, "status": outcome.status, "strata": outcome.extra["strata"]}
    assert warnings({"requirements": [entry]}) == ["tensor.argmax.values: no example in stratum empty"]
