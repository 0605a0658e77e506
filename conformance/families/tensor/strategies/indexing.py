"""Indexing functions: ``take`` and ``take_along_axis`` (negative indices count from the end)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import oracle
from .base import Inputs, draws, x_of


@draws("take")
def _take(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs, min_dims=1, min_side=1)
    axis = draw(st.integers(-xv.ndim, xv.ndim - 1)) if xv.ndim > 1 or draw(st.booleans()) else None
    n = xv.shape[axis if axis is not None else 0]
    # negative indices count from the end (standard 2024.12); out-of-bounds ones are unspecified
    idx = np.asarray(draw(st.lists(st.integers(-n, n - 1), max_size=5)), dtype=np.int64)
    return oracle.call("take", x, idx, **({"axis": axis} if axis is not None else {}))


@draws("take_along_axis")
def _take_along_axis(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs, min_dims=1, min_side=1)
    axis = draw(st.integers(-xv.ndim, xv.ndim - 1))
    shape = list(xv.shape)
    n = shape[axis]
    shape[axis] = draw(st.integers(0, 4))
    idx = draw(hnp.arrays(np.int64, tuple(shape), elements=st.integers(-n, n - 1)))  # negative: from the end
    return oracle.call("take_along_axis", x, idx, **({"axis": axis} if axis != -1 or draw(st.booleans()) else {}))
