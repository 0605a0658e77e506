"""Check kind ``result-container``: a list where the standard says ``List[array]``, a tuple where ``Tuple[array, ...]``.

A numpy adapter swapping the two fails every requirement; one answering as the text says passes; numpy 2
itself answers tuples for broadcast_arrays and meshgrid (a deviation from 2024.12, tensor 3.0, which 2025.12 made
the rule: tensor 4.0); the reference passes both, answering as the revision the run follows.
"""

from __future__ import annotations

from typing import Any

import pytest
from accord_testing import tensor_outcome
from accord_testing.wrong_results import list_containers, swapped_containers

from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.adapters.tensor.reference_adapter import adapter as reference_adapter
from accord.conformance.check import Outcome
from accord.spec import load_spec

CONTAINERS = {"broadcast_arrays": "list", "meshgrid": "list", "unstack": "tuple", "nonzero": "tuple"}  # tensor 3.0
TUPLES_SINCE_2025_12 = ("broadcast_arrays", "meshgrid")


def outcome(adapter: Any, requirement_id: str, seed: int = 3, version: str = "3.0") -> Outcome:
    return tensor_outcome(adapter, requirement_id, version=version, seed=seed, max_examples=30)


def test_the_container_is_spec_data_of_each_function() -> None:
    spec = load_spec("tensor", "3.0")
    draft = load_spec("tensor", "draft")
    for fn, container in CONTAINERS.items():
        doc = spec.document("tensor.function", fn)
        assert doc.data["result"]["container"] == container
        assert spec.requirement(f"tensor.{fn}.result-container").level == "MUST"
        assert draft.document("tensor.function", fn).data["result"]["container"] == "tuple"  # 2025.12, gh-981


@pytest.mark.parametrize("fn", TUPLES_SINCE_2025_12)
def test_the_draft_follows_2025_12(fn: str) -> None:
    """numpy's tuples conform to 4.0; the reference answers tuples once the run says 2025.12, lists for 3.0."""
    assert outcome(numpy_adapter, f"tensor.{fn}.result-container", version="draft").status == "pass"
    assert outcome(list_containers, f"tensor.{fn}.result-container", version="draft").status == "fail"
    assert outcome(reference_adapter, f"tensor.{fn}.result-container", version="draft").status == "pass"
    assert outcome(reference_adapter, f"tensor.{fn}.result-container").status == "pass"


@pytest.mark.parametrize("fn", sorted(CONTAINERS))
def test_the_other_container_fails(fn: str) -> None:
    result = outcome(swapped_containers, f"tensor.{fn}.result-container")
    assert result.status == "fail", result.message
    assert f"the standard's return annotation says {CONTAINERS[fn]}" in (result.message or "")
    assert result.cases[0].actual == ("tuple" if CONTAINERS[fn] == "list" else "list")


@pytest.mark.parametrize("fn", sorted(CONTAINERS))
@pytest.mark.parametrize("adapter", [list_containers, reference_adapter], ids=["list-containers", "reference"])
def test_the_stated_container_passes(adapter: Any, fn: str) -> None:
    result = outcome(adapter, f"tensor.{fn}.result-container")
    assert result.status == "pass", result.message


def test_numpy_answers_tuples_where_the_standard_says_list() -> None:
    assert outcome(numpy_adapter, "tensor.broadcast_arrays.result-container").status == "fail"
    assert outcome(numpy_adapter, "tensor.meshgrid.result-container").status == "fail"
    assert outcome(numpy_adapter, "tensor.unstack.result-container").status == "pass"


def test_a_raise_hides_the_container_and_is_left_out() -> None:
    """nonzero raising on empty input is its values requirement's failure; the container requirement passes."""
    class RaisingOnEmpty(type(swapped_containers)):
        def replace(self, np: Any) -> dict[str, Any]:
            def nonzero(x: Any, /) -> Any:
                if x.size == 0:
                    raise NotImplementedError("no nonzero of an empty array")
                return tuple(np.nonzero(x))
            return {"nonzero": nonzero}

    adapter = RaisingOnEmpty()
    assert outcome(adapter, "tensor.nonzero.values").status == "fail"  # the raise is drawn and judged there
    assert outcome(adapter, "tensor.nonzero.result-container").status == "pass"
