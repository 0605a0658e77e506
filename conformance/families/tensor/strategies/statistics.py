"""Statistical and utility functions: reductions, cumulative sums and products, ``diff``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st

from .. import oracle
from ..oracle import DType
from .base import Inputs, array, axis_for, builder, draws, name_of, shapes, value_of, x_of


def _reductionx_of(draw: Callable, inputs: Inputs, min_dims: int = 0) -> tuple[str, Any, np.ndarray]:
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    shape = draw(shapes(min_dims=max(min_dims, inputs.get("min_dims", 0)), max_side=3, min_side=inputs.get("min_side", 0)))
    x = draw(array(dtype, shape, inputs))
    return dtype, x, value_of(x)


@builder("reduction")
def _reduction(inputs: Inputs) -> st.SearchStrategy:
    name = name_of(inputs)
    kinds = {p["name"]: p["type"] for p in inputs.params}

    @st.composite
    def reduction(draw: Callable) -> dict:
        dtype, x, xv = _reductionx_of(draw, inputs)
        kwargs: dict[str, Any] = {}
        axis = axis_for(draw, xv.ndim, many=kinds.get("axis") == "axes-or-none")
        if axis is not None or draw(st.booleans()):
            kwargs["axis"] = axis
        if "keepdims" in kinds and draw(st.booleans()):
            kwargs["keepdims"] = draw(st.booleans())
        if "correction" in kinds:
            reduced = xv.shape if axis is None else [xv.shape[a] for a in ((axis,) if isinstance(axis, int) else axis)]
            n = int(np.prod(reduced))
            # N - correction <= 0 divides by zero or a negative count: the standard leaves that unspecified
            correction = draw(st.sampled_from([c for c in inputs.get("correction", [0.0]) if c < n] or [0.0]))
            if correction != 0.0 or draw(st.booleans()):  # a 0 is left out half the time: the default is 0
                kwargs["correction"] = correction
        if "dtype" in kinds and np.dtype(dtype).kind in "fc" and draw(st.booleans()):
            kwargs["dtype"] = DType(dtype)
        return oracle.call(name, x, **kwargs)
    return reduction()


@draws("cumulative")
def _cumulative(draw: Callable, inputs: Inputs) -> dict:
    name = name_of(inputs)
    dtype, x, xv = _reductionx_of(draw, inputs, min_dims=1)
    kwargs: dict[str, Any] = {}
    axis = axis_for(draw, xv.ndim, none=xv.ndim == 1)
    if axis is not None:
        kwargs["axis"] = axis
    if draw(st.booleans()):
        kwargs["include_initial"] = draw(st.booleans())
    if np.dtype(dtype).kind in "fc" and draw(st.booleans()):
        kwargs["dtype"] = DType(dtype)
    return oracle.call(name, x, **kwargs)


@draws("diff")
def _diff(draw: Callable, inputs: Inputs) -> dict:
    x, xv = x_of(draw, inputs, min_dims=1)
    kwargs: dict[str, Any] = {}
    axis = draw(st.integers(-xv.ndim, xv.ndim - 1))
    if axis != -1 or draw(st.booleans()):
        kwargs["axis"] = axis
    if draw(st.booleans()):
        kwargs["n"] = draw(st.integers(1, 2))  # n=0 with prepend/append is read differently across libraries
    for side in ("prepend", "append"):
        if draw(st.integers(0, 3)) == 0:
            shape = list(xv.shape)
            shape[axis] = draw(st.integers(0, 2))
            kwargs[side] = draw(array(xv.dtype.name, tuple(shape), inputs, views=False))
    return oracle.call("diff", x, **kwargs)
