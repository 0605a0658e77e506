"""Tensor spec data that points at code or states a comparison agrees with what the code does.

* ``inputs.strategy`` names a hypothesis builder: every name in every spec version (released ones
  included, since they stay runnable) must be registered, and the meta-schema's list of names must be
  the registry's, so the schema and the code cannot drift.
* A ``values`` requirement's summary states how results are compared; it must agree with its compare
  rule: an exact / json / multiset rule has no tolerance to mention, an ulp / allclose rule has one.
  Released folders (1.0, 1.1) are frozen with their old summaries; every later version is checked.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import pytest

from accord.conformance.families.tensor.strategies import BUILDERS
from accord.spec import SPEC_ROOT, load_spec, versions

FROZEN_BEFORE_THE_CHECK = {"1.0", "1.1"}  # released with summaries that contradict their rule (88 exact ones)
STATES_TOLERANCE = re.compile(r"\btolerance\b|\bULP\b|\bwithin\b", re.IGNORECASE)
STATES_EXACT = re.compile(r"\bexactly\b", re.IGNORECASE)


@functools.cache
def _spec(version: str) -> Any:
    return load_spec("tensor", version)


def strategy_names(version: str) -> dict[str, str]:
    """Requirement document name -> the builder its ``inputs.strategy`` names."""
    found = {}
    for doc in _spec(version).documents:
        inputs = doc.data.get("inputs")
        if isinstance(inputs, dict) and "strategy" in inputs:
            found[f"{doc.kind}:{doc.name}"] = inputs["strategy"]
    return found


def unresolved(names: dict[str, str]) -> list[str]:
    return [f"{where}: inputs.strategy {name!r} is not a registered builder"
            for where, name in sorted(names.items()) if name not in BUILDERS]


def summary_disagreement(summary: str, compare: dict[str, Any]) -> str | None:
    """Why a values summary contradicts its compare rule, or None."""
    rule = compare.get("rule")
    tolerance = STATES_TOLERANCE.search(summary)
    if rule in ("ulp", "allclose"):
        if not tolerance:
            return f"rule {rule} allows a tolerance the summary does not state"
        if STATES_EXACT.search(summary):
            return f"says 'exactly' under rule {rule}"
        return None
    if tolerance:
        return f"states a tolerance ({tolerance.group(0)!r}) that rule {rule} does not have"
    if rule in ("exact", "json") and not STATES_EXACT.search(summary):
        return f"rule {rule} compares exactly; the summary does not say so"
    if rule == "exact" and compare.get("signed_zeros") is False and "zero" not in summary:
        return "the sign of zero is not judged (signed_zeros: false); the summary does not say so"
    if rule == "multiset" and "aspect" not in compare and "multiset" not in summary:
        return "rule multiset ignores order; the summary does not say so"
    return None


def summary_problems(version: str) -> list[str]:
    problems = []
    for doc in _spec(version).documents:
        for req in doc.requirements:
            if req.check == "values":
                why = summary_disagreement(req.summary, dict(req.compare or {}))
                if why:
                    problems.append(f"{req.id}: {why}: {req.summary!r}")
    return problems


@pytest.mark.parametrize("version", versions("tensor"))
def test_every_strategy_name_resolves_to_a_builder(version: str) -> None:
    names = strategy_names(version)
    assert len(names) > 100  # every function document names one
    assert unresolved(names) == []


def test_the_schema_lists_exactly_the_registered_builders() -> None:
    schema = json.loads((SPEC_ROOT / "meta" / "tensor.function.schema.json").read_text())
    assert sorted(schema["properties"]["inputs"]["properties"]["strategy"]["enum"]) == sorted(BUILDERS)


def test_an_unknown_strategy_name_is_reported() -> None:
    assert unresolved({"tensor.function:add": "elementwise", "tensor.function:frobnicate": "frobnicate"}) == [
        "tensor.function:frobnicate: inputs.strategy 'frobnicate' is not a registered builder"]


@pytest.mark.parametrize("version", [v for v in versions("tensor") if v not in FROZEN_BEFORE_THE_CHECK])
def test_values_summaries_agree_with_their_compare_rule(version: str) -> None:
    assert summary_problems(version) == []


def test_the_frozen_releases_are_what_the_check_catches() -> None:
    """On 1.1 the check finds the 88 exact-rule summaries that state a tolerance (so it is not vacuous)."""
    problems = summary_problems("1.1")
    exact = [p for p in problems if "that rule exact does not have" in p]
    assert len(exact) == 88, problems
    assert any(p.startswith("tensor.abs.values: states a tolerance") for p in exact)


@pytest.mark.parametrize(("summary", "compare", "agrees"), [
    ("The values of f match the reference exactly (NaN matches NaN).", {"rule": "exact"}, True),
    ("The values of f match the reference within the stated tolerance.", {"rule": "exact"}, False),
    ("The values of f match the reference.", {"rule": "exact"}, False),
    ("The values of f match the reference exactly.", {"rule": "exact", "signed_zeros": False}, False),
    ("The values of f match the reference within the stated ULP tolerance.", {"rule": "ulp"}, True),
    ("For complex inputs the values of f match the reference.", {"rule": "ulp"}, False),
    ("The values of f match the reference exactly, within 4 ULP.", {"rule": "ulp"}, False),
    ("The results of f equal the reference's exactly.", {"rule": "json"}, True),
    ("The unique values of f match the reference's as a multiset, in any order.", {"rule": "multiset"}, True),
    ("The values of f match the reference within the stated tolerance.", {"rule": "multiset"}, False),
])
def test_summary_disagreement_cases(summary: str, compare: dict, agrees: bool) -> None:
    assert (summary_disagreement(summary, compare) is None) is agrees

