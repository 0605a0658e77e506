"""Special cases the standard states as "an implementation-dependent approximation to +pi/2" (atan, atan2).

Their accuracy is the implementation's (design topic Accuracy), so the MUST special-cases requirement
fails only a gross error there (NaN, infinity, wrong sign); a float64 result at float32 precision, as
ndonnx gives for atan(+inf), is the float64-precision SHOULD's business, not the special case's.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pytest
from accord_testing import tensor_outcome

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import NumpyAdapter
from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.conformance.check import Outcome
from accord.conformance.families.tensor import special


class _Atan(NumpyAdapter):
    """numpy whose atan / atan2 answer the infinite and zero inputs of their special cases through ``edge``."""

    meta: ClassVar[AdapterMeta] = AdapterMeta(name="atan-edge", family="tensor", backend_package="numpy",
                                              requires=("numpy",), spec_versions=("1.0", "1.1"))

    def __init__(self, edge: Any) -> None:
        super().__init__()
        self.edge = edge

    def make_overrides(self) -> dict[str, Any]:
        np_, edge = self.xp, self.edge

        def atan(x: Any, /) -> Any:
            return np_.where(np_.isinf(x), edge(np_.atan(x)), np_.atan(x)).astype(x.dtype)

        def atan2(x1: Any, x2: Any, /) -> Any:
            exact = np_.atan2(x1, x2)
            return np_.where((x1 == 0) | (x2 == 0) | np_.isinf(x1) | np_.isinf(x2), edge(exact), exact).astype(exact.dtype)

        return {**super().make_overrides(), "atan": atan, "atan2": atan2}


# float64 results at float32 precision on the approximated rows (what ndonnx 0.23 gives for atan(+inf))
float32_edges = _Atan(lambda v: v.astype(np.float32).astype(v.dtype))
nan_edges = _Atan(lambda v: np.where(np.abs(v) > 1, np.nan, v))        # NaN for +-pi/2, +-pi: gross
flipped_edges = _Atan(lambda v: np.where(np.abs(v) > 1, -v, v))         # -pi/2 for +pi/2: gross


def outcome(adapter: Any, requirement_id: str) -> Outcome:
    return tensor_outcome(adapter, requirement_id, version="draft", seed=3, max_examples=40)


@pytest.mark.parametrize("name", ["atan", "atan2"])
def test_float32_precision_approximation_passes_the_must(name: str) -> None:
    result = outcome(float32_edges, f"tensor.{name}.special-cases")
    assert result.status == "pass", result.message
    assert outcome(numpy_adapter, f"tensor.{name}.special-cases").status == "pass"


@pytest.mark.parametrize("adapter", [nan_edges, flipped_edges], ids=["nan", "wrong-sign"])
@pytest.mark.parametrize("name", ["atan", "atan2"])
def test_gross_errors_in_approximations_still_fail(adapter: Any, name: str) -> None:
    result = outcome(adapter, f"tensor.{name}.special-cases")
    assert result.status == "fail", result.message
    assert "(finite, of its sign)" in result.message, result.message


def test_the_bound_still_applies_where_the_accuracy_is_stated() -> None:
    f64 = np.dtype("float64")
    got = np.float64(np.float32(np.pi / 2))
    assert special.check({"approx": "+pi/2"}, {}, got, f64, 4) is not None
    assert special.check({"approx": "+pi/2"}, {}, got, f64, None) is None
    assert special.check({"approx": "+pi/2"}, {}, np.float64(-1.5), f64, None) is not None
    assert special.check({"approx": "+pi/2"}, {}, np.float64(np.inf), f64, None) is not None
