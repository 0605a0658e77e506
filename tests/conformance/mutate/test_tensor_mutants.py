"""The tensor mutant set: every mutant's direct example really changes the reference's answer, and the set
is well formed against the draft spec (groups are capabilities, every mutant selects requirements)."""

from __future__ import annotations

import pytest

from accord.conformance.mutate.model import check_set
from accord.conformance.mutate.sets import mutant_set
from accord.spec import load_spec, match_requirements

TENSOR = mutant_set("tensor")


@pytest.mark.parametrize("mutant", TENSOR.mutants, ids=lambda m: m.id)
def test_direct_example_differs_from_the_reference(mutant) -> None:
    """In-process on the reference module: a patch builds new callables and changes nothing shared."""
    from accord.reference import tensor as xp

    before = {name: getattr(xp, name) for name in dir(xp) if not name.startswith("_")}
    assert TENSOR.difference(mutant) is not None, f"{mutant.id}: its direct example gives the reference's answer"
    assert {name: getattr(xp, name) for name in before} == before, "a patch changed the reference namespace"


def test_the_kit_oracle_is_never_patched() -> None:
    from accord.adapters.tensor.reference_adapter import adapter

    for mutant in TENSOR.mutants:
        TENSOR.difference(mutant)
    assert dict(adapter.overrides) == {}


def test_set_is_well_formed_against_the_draft() -> None:
    spec = load_spec("tensor", "draft")
    capabilities = {c.id for c in spec.capabilities}
    assert check_set(TENSOR.mutants, "tensor") == []
    scored = [m for m in TENSOR.mutants if not m.allowed]
    assert len(scored) >= 60
    for mutant in TENSOR.mutants:
        assert mutant.group in capabilities, mutant.id
        selected = match_requirements(spec, mutant.globs())
        assert selected, f"{mutant.id} selects no requirement"
        assert mutant.group in {r.capability for r in selected}, f"{mutant.id}: group {mutant.group} is not one of " \
                                                                  "the capabilities its requirements are in"
    # spread over the capability groups, not piled in one
    assert len({m.group for m in scored}) >= 15


def test_check_set_reports_a_malformed_set() -> None:
    mutant = TENSOR.mutants[0]
    import dataclasses

    twin = dataclasses.replace(mutant, description="too short")
    problems = check_set((mutant, twin), "tensor")
    assert any("duplicate" in p for p in problems) and any("description" in p for p in problems)
