"""The requirements and generation added to kill tensor mutants, each seen failing on its mutant: a real
worker running the reference with the bug, the killing requirement named (and nothing else needed)."""

from __future__ import annotations

import pytest

from accord.conformance.check import RunSettings
from accord.conformance.mutate.runner import MutateConfig, run_mutants
from accord.conformance.mutate.sets import mutant_set

#: mutant -> the requirement added (or whose generation was improved) to kill it
KILLERS = {
    "tensor.subtract.infinity-cancels": "tensor.subtract.special-cases",
    "tensor.less.signed-zero-order": "tensor.less.special-cases",
    "tensor.abs.complex-result-dtype": "tensor.abs.complex-dtype",
    "tensor.unique_all.last-occurrence": "tensor.unique_all.first-occurrence",
    "tensor.unique_values.nan-merged": "tensor.unique_values.nan-distinct",
    "tensor.can_cast.signed-to-unsigned": "tensor.can_cast.values",
    "tensor.clip.float-bound-widens": "tensor.clip.dtype",
}


@pytest.fixture(scope="module")
def outcome() -> object:
    return run_mutants(mutant_set("tensor"), MutateConfig("tensor", "draft", select=sorted(KILLERS), settings=RunSettings(
        seed=1, max_examples=100, timeout=30.0)))


@pytest.mark.parametrize("mutant", sorted(KILLERS))
def test_mutant_is_killed_by_the_added_check(outcome: object, mutant: str) -> None:
    result = next(r for r in outcome.results if r.mutant.id == mutant)
    assert result.status == "killed", f"{mutant} survived"
    assert KILLERS[mutant] in result.killed_by, result.killed_by
    assert outcome.unstable == {}
