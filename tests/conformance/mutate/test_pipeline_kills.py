"""The requirements and generation added to kill pipeline mutants, each seen failing on its mutant: a real
worker running the pipeline reference with the bug, the killing requirement named."""

from __future__ import annotations

import pytest

from accord.conformance.check import RunSettings
from accord.conformance.mutate.runner import MutateConfig, run_mutants
from accord.conformance.mutate.sets import mutant_set

#: mutant -> the requirement added (or whose generation was improved) to kill it
KILLERS = {
    "pipeline.key_equality.str-keys": "pipeline.key_equality.random",  # str() twins among the colliding keys
    "pipeline.count_per_key.distinct-values": "pipeline.count_per_key.values",  # condition: duplicates
    "pipeline.top_per_key.ties-merged": "pipeline.top_per_key.ties",
    "pipeline.top_per_key.unordered": "pipeline.top_per_key.values",  # few keys now and then
    "pipeline.read_text.unterminated-last-line-dropped": "pipeline.read_text.lines",  # files may end unterminated
    "pipeline.side_inputs.iter-deduplicated": "pipeline.side_inputs.iter_duplicates",
    "pipeline.map.window-reset": "pipeline.map.values",  # condition: window-edge
    "pipeline.flat_map.none-items-dropped": "pipeline.flat_map.values",  # condition: value-kind:none
}


@pytest.fixture(scope="module")
def outcome() -> object:
    return run_mutants(mutant_set("pipeline"), MutateConfig("pipeline", "draft", select=sorted(KILLERS),
                                                            settings=RunSettings(seed=1, max_examples=100,
                                                                                 timeout=30.0)))


@pytest.mark.parametrize("mutant", sorted(KILLERS))
def test_mutant_is_killed_by_the_added_check(outcome: object, mutant: str) -> None:
    result = next(r for r in outcome.results if r.mutant.id == mutant)
    assert result.status == "killed", f"{mutant} survived"
    assert KILLERS[mutant] in result.killed_by, result.killed_by
    assert outcome.unstable == {}
