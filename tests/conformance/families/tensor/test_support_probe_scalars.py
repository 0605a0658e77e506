"""The dtype-support probe asks about the dtype, not about Python scalar operands (aspect isolation).

pydata/sparse shifts uint64 arrays but refuses ``bitwise_left_shift(5, x)`` for a uint64 ``x`` (it turns
the int into an int64 array first): ``tensor.dtypes.support-uint64`` said "bitwise_left_shift refuses
uint64". The scalar gap is the function's own requirements' to report.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from accord_testing import tensor_outcome

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import NumpyAdapter
from accord.conformance.check import Outcome

SHIFTS = ("bitwise_left_shift", "bitwise_right_shift")


class ScalarsAsInt64(NumpyAdapter):
    """numpy whose shifts turn a Python int operand of a uint64 array into an int64 array (sparse's pattern)."""

    meta: ClassVar[AdapterMeta] = AdapterMeta(name="scalars-as-int64", family="tensor", backend_package="numpy",
                                              requires=("numpy",), spec_versions=("1.0", "1.1"))

    def make_overrides(self) -> dict[str, Any]:
        xp = self.xp

        def strict(name: str) -> Any:
            def shift(x1: Any, x2: Any, /) -> Any:
                if not any(getattr(v, "dtype", None) == np.uint64 for v in (x1, x2)):
                    return getattr(xp, name)(x1, x2)
                a, b = (np.asarray(v, dtype=np.int64) if isinstance(v, int) else v for v in (x1, x2))
                return getattr(xp, name)(a, b, casting="safe")
            return shift

        return {**super().make_overrides(), **{name: strict(name) for name in SHIFTS}}


def outcome(requirement_id: str, seed: int = 11) -> Outcome:
    adapter = ScalarsAsInt64()
    return tensor_outcome(adapter, requirement_id, version="draft", seed=seed, max_examples=100)


def test_a_scalar_gap_is_not_a_dtype_gap() -> None:
    result = outcome("tensor.dtypes.support-uint64")
    assert result.status == "pass", result.message


def test_the_scalar_gap_still_fails_the_function() -> None:
    result = outcome("tensor.bitwise_left_shift.dtype", seed=1)
    assert result.status == "fail", result.message
    assert "not supported for the input types" in result.message, result.message
