"""The ``isin`` builder draws what the standard specifies, and reaches both answers.

"Should have an integer data type": integer dtypes only; pairs that do not promote are unspecified: never
drawn; "At least one of x1 or x2 must be an array": never two Python ints. x1 and x2 are not broadcast,
so their shapes are drawn apart (some pairs could not broadcast at all).
"""

from __future__ import annotations

import numpy as np
from accord_testing.drawn import function_calls

from accord.conformance.families.tensor import oracle, strategies
from accord.conformance.families.tensor.specdata import tensor_data
from accord.spec import load_spec


def _calls(n: int) -> list[dict]:
    return function_calls(load_spec("tensor", "draft"), "isin", n)


def test_isin_draws_integer_promotable_operands_never_two_scalars_and_both_answers() -> None:
    data = tensor_data(load_spec("tensor", "draft"))
    seen = {"true": 0, "false": 0, "invert": 0, "scalar-x1": 0, "scalar-x2": 0, "unbroadcastable": 0}
    for call in _calls(300):
        assert call["fn"] == "isin"
        x1, x2 = (strategies.value_of(oracle.decode(a)) for a in call["args"])
        arrays = [v for v in (x1, x2) if isinstance(v, np.ndarray)]
        assert arrays, "two Python scalars drawn"
        assert all(a.dtype.kind in "iu" for a in arrays)
        if len(arrays) == 2:
            assert data.promote(x1.dtype.name, x2.dtype.name), (x1.dtype, x2.dtype)
            try:
                np.broadcast_shapes(x1.shape, x2.shape)
            except ValueError:
                seen["unbroadcastable"] += 1
        seen["scalar-x1"] += isinstance(x1, int)
        seen["scalar-x2"] += isinstance(x2, int)
        seen["invert"] += call["kwargs"].get("invert") is True
        result = np.asarray(oracle.expected("call", call))
        seen["true"] += bool(result.any())
        seen["false"] += bool((~result).any())
    assert all(count >= 10 for count in seen.values()), seen
