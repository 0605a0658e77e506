"""The combine-law checks pass on the vetted registry and catch each kind of broken combine function."""

from __future__ import annotations

from unittest import mock

import pytest

from accord.conformance.check import Context, RunSettings, run_property
from accord.conformance.families.pipeline import SUITE
from accord.spec.loader import load_spec
from accord.spec.pipeline import functions
from accord.spec.pipeline.functions import CombineFn, Entry

SPEC = load_spec("pipeline", "1.0")
SETTINGS = RunSettings(seed=0, max_examples=30)


def law_outcome(law: str) -> str:
    requirement = SPEC.requirement(f"pipeline.combine_fn.{law}")
    ctx = Context(backend=None, spec=SPEC, settings=SETTINGS, adapter={"name": "kit"})  # type: ignore[arg-type]
    prop = SUITE.checks["combine_law"](ctx, requirement, SPEC.document_of(requirement))
    return run_property(prop, SETTINGS).status


@pytest.mark.parametrize("law", ["bundling", "merge_order", "empty_accumulators", "repeated_extract", "pure"])
def test_registry_obeys_every_law(law: str) -> None:
    assert law_outcome(law) == "pass"


def _replace(name: str, fn: CombineFn) -> object:
    entry = functions.REGISTRY[name]
    fake = Entry(entry.name, entry.kind, lambda **_: fn, entry.accepts, entry.returns, entry.doc, entry.params)
    return mock.patch.dict(functions.REGISTRY, {name: fake})


def _average_of_averages() -> CombineFn:
    # merge averages the partial means: wrong whenever bundles differ in size
    return CombineFn("mean", lambda: (0, 0), lambda a, x: (a[0] + x, a[1] + 1),
                     lambda accs: (sum(a[0] / a[1] for a in accs if a[1]) * sum(1 for a in accs if a[1]),
                                   sum(1 for a in accs if a[1])),
                     lambda a: a[0] / a[1] if a[1] else float("nan"))


def _unsorted_concat() -> CombineFn:
    return CombineFn("concat_sorted", lambda: (), lambda a, x: (*a, x), lambda accs: tuple(x for a in accs for x in a),
                     lambda a: list(a))


def _max_from_zero() -> CombineFn:
    # 0 is not a neutral element: empty accumulators pull negative maxima up
    return CombineFn("max", lambda: 0, lambda a, x: x if a is None or x > a else a, lambda accs: max(accs),
                     lambda a: a)


def _destructive_extract() -> CombineFn:
    return CombineFn("count", lambda: [0], lambda a, x: [a[0] + 1], lambda accs: [sum(a[0] for a in accs)],
                     lambda a: a.pop() if a else 0)


def _mutating_add() -> CombineFn:
    def add(acc: list, x: object) -> list:
        acc.append(x)
        return acc
    return CombineFn("concat_sorted", list, add, lambda accs: [x for a in accs for x in a], lambda a: sorted(a, key=str))


@pytest.mark.parametrize(("law", "name", "broken"), [
    ("bundling", "mean", _average_of_averages()),
    ("merge_order", "concat_sorted", _unsorted_concat()),
    ("empty_accumulators", "max", _max_from_zero()),
    ("repeated_extract", "count", _destructive_extract()),
    ("pure", "concat_sorted", _mutating_add()),
])
def test_each_law_catches_its_defect(law: str, name: str, broken: CombineFn) -> None:
    with _replace(name, broken):
        assert law_outcome(law) in ("fail", "error")
