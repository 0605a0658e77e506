"""finfo / iinfo attribute types (``dtypes`` check, aspects ``finfo-types`` / ``iinfo-types``).

The standard's Returns sections type each attribute (bits: int, eps: float, …); the wire says what each
number was before it became plain JSON. numpy scalars where it says int fail; so does numpy's own finfo
of float32 (eps, max, min, smallest_normal are numpy.float32, a real deviation); the reference passes.
"""

from __future__ import annotations

from typing import Any

import pytest
from accord_testing import tensor_outcome
from accord_testing.wrong_results import scalar_info

from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.adapters.tensor.reference_adapter import adapter as reference_adapter
from accord.conformance.check import Outcome


def outcome(adapter: Any, requirement_id: str) -> Outcome:
    return tensor_outcome(adapter, requirement_id, version="draft", seed=1, max_examples=10)


@pytest.mark.parametrize(("requirement", "text"), [
    ("tensor.dtypes.iinfo-attribute-types", "iinfo(int8).max is a numpy.int64, the standard says int"),
    ("tensor.dtypes.finfo-attribute-types", "finfo(float32).bits is a float, the standard says int"),
])
def test_numpy_scalar_attributes_fail(requirement: str, text: str) -> None:
    result = outcome(scalar_info, requirement)
    assert result.status == "fail", result.message
    assert text in (result.message or ""), result.message


def test_numpy_finfo_of_float32_holds_numpy_scalars() -> None:
    result = outcome(numpy_adapter, "tensor.dtypes.finfo-attribute-types")
    assert result.status == "fail"
    assert "finfo(float32).eps is a numpy.float32" in (result.message or ""), result.message
    assert outcome(numpy_adapter, "tensor.dtypes.iinfo-attribute-types").status == "pass"


@pytest.mark.parametrize("requirement", ["tensor.dtypes.finfo-attribute-types", "tensor.dtypes.iinfo-attribute-types"])
def test_the_reference_passes(requirement: str) -> None:
    assert outcome(reference_adapter, requirement).status == "pass"
