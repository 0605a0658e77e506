"""The reference ``isin`` (array API 2025.12) against numpy, and the points where the standard decides.

numpy is only a cross-check of plain membership; value equality as ``equal`` defines it (NaN is in
nothing, -0.0 is +0.0) and the shape of x1 (no broadcasting) are asserted from the standard's text.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import accord.reference.tensor as xp

from .conftest import from_np, to_np


@pytest.mark.parametrize("invert", [False, True])
@pytest.mark.parametrize(("d1", "d2"), [("int8", "int8"), ("int16", "uint8"), ("uint32", "int64"), ("uint8", "uint16")])
def test_isin_matches_numpy(rng, d1: str, d2: str, invert: bool) -> None:
    a = rng.integers(0, 6, size=(2, 3)).astype(d1)
    b = rng.integers(0, 6, size=(4,)).astype(d2)
    got = xp.isin(from_np(a), from_np(b), invert=invert)
    assert got.dtype == xp.bool
    assert got.shape == (2, 3)  # x1's shape: x1 and x2 are not broadcast
    np.testing.assert_array_equal(to_np(got), np.isin(a, b, invert=invert))


def test_isin_gives_both_answers_and_invert_negates() -> None:
    x1 = xp.asarray([[1, 2], [3, 4]], dtype=xp.int32)
    x2 = xp.asarray([4, 1, 1, 9], dtype=xp.int8)  # duplicates in x2 change nothing
    assert to_np(xp.isin(x1, x2)).tolist() == [[True, False], [False, True]]
    assert to_np(xp.isin(x1, x2, invert=True)).tolist() == [[False, True], [True, False]]


def test_isin_python_int_operands() -> None:
    x = xp.asarray([5, -1, 5], dtype=xp.int16)
    scalar_x1 = xp.isin(5, x)
    assert scalar_x1.shape == () and scalar_x1.dtype == xp.bool and bool(scalar_x1) is True
    assert bool(xp.isin(7, x)) is False
    assert to_np(xp.isin(x, -1)).tolist() == [False, True, False]
    with pytest.raises(TypeError):  # at least one of x1 or x2 must be an array
        xp.isin(1, 2)


def test_isin_empty_operands() -> None:
    empty = xp.asarray([], dtype=xp.int64)
    assert to_np(xp.isin(xp.asarray([1, 2]), empty)).tolist() == [False, False]
    assert to_np(xp.isin(xp.asarray([1, 2]), empty, invert=True)).tolist() == [True, True]
    assert xp.isin(xp.zeros((0, 3), dtype=xp.int8), xp.asarray([0], dtype=xp.int8)).shape == (0, 3)


def test_isin_is_value_equality_as_equal_defines_it() -> None:
    nan = math.nan
    x = xp.asarray([nan, -0.0, 1.5], dtype=xp.float64)
    assert to_np(xp.isin(x, x)).tolist() == [False, True, True]  # NaN equals nothing, not even itself
    assert to_np(xp.isin(x, xp.asarray([0.0]))).tolist() == [False, True, False]  # -0.0 == +0.0


def test_isin_refuses_pairs_without_promotion() -> None:
    with pytest.raises(TypeError):  # unspecified by the standard; the reference refuses, as for equal
        xp.isin(xp.asarray([1], dtype=xp.int64), xp.asarray([1], dtype=xp.uint64))
