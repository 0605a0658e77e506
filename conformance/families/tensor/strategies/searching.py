"""Searching, sorting and set functions: ``nonzero``, ``searchsorted``, ``where``, ``unique_*``, ``isin``,
``sort`` / ``argsort``."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import oracle
from .base import (
    MAX_DIMS,
    MAX_SIDE,
    Inputs,
    array,
    builder,
    draws,
    elements,
    name_of,
    one_array,
    scalar_of,
    shapes,
    value_of,
)

one_array("nonzero", min_dims=1)


@draws("searchsorted")
def _searchsorted(draw: Callable, inputs: Inputs) -> dict:
    dtype = draw(st.sampled_from(inputs.dtypes("x1")))
    elems = elements(dtype, inputs, allow_nan=False)
    x1 = draw(hnp.arrays(np.dtype(dtype), (draw(st.integers(0, 6)),), elements=elems))
    x2 = draw(hnp.arrays(np.dtype(dtype), draw(shapes(max_side=3)), elements=elems))
    if x1.size and draw(st.booleans()):  # values of x1 itself: where side='left' and 'right' part
        x2 = np.asarray(draw(st.lists(st.sampled_from(list(x1)), min_size=1, max_size=4)), dtype=dtype)
    if "python-scalars" in inputs.spec.get("edges", ()) and draw(st.booleans()):
        x2 = draw(scalar_of(dtype, inputs, "x2"))  # 2025.12: x2 may be a Python int or float
    kwargs: dict[str, Any] = {}
    if draw(st.booleans()):
        kwargs["side"] = draw(st.sampled_from(["left", "right"]))
    if draw(st.booleans()):
        kwargs["sorter"] = np.argsort(x1, kind="stable").astype(np.int64)
    else:
        x1 = np.sort(x1, kind="stable")
    return oracle.call("searchsorted", x1, x2, **kwargs)


@builder("where")
def _where(inputs: Inputs) -> st.SearchStrategy:
    pairs = inputs.pairs("any")

    @st.composite
    def where(draw: Callable) -> dict:
        d1, d2, _ = draw(st.sampled_from(pairs))
        sc, s1, s2 = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=MAX_DIMS, max_side=MAX_SIDE)).input_shapes
        cond = draw(array("bool", sc, inputs))
        x1 = draw(array(d1, s1, inputs, "x1"))
        if draw(st.integers(0, 2)) == 0:  # a Python scalar operand (2024.12), of x1's kind: it takes x1's dtype
            scalar = draw(scalar_of(d1, inputs, "x2"))
            return oracle.call("where", cond, *((x1, scalar) if draw(st.booleans()) else (scalar, x1)))
        return oracle.call("where", cond, x1, draw(array(d2, s2, inputs, "x2")))
    return where()


@draws("unique")
def _unique(draw: Callable, inputs: Inputs) -> dict:
    name = name_of(inputs)
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    kind = np.dtype(dtype).kind
    pool = {"b": [False, True], "i": [-3, -1, 0, 2, 5], "u": [0, 1, 2, 7], "f": [-1.5, -0.0, 0.0, 1.0, 2.5, np.inf],
            "c": [0j, 1 + 1j, -1.5j]}[kind]
    x = draw(array(dtype, draw(shapes(max_side=4)), inputs, elems=st.sampled_from(pool)))
    return oracle.call(name, x)


@draws("isin")
def _isin(draw: Callable, inputs: Inputs) -> dict:
    """x1 and x2 of independent shapes (they are not broadcast) and a promotable pair of integer dtypes (the
    standard's "Should have an integer data type"; pairs that do not promote are unspecified).

    x2 often holds values of x1 (and a scalar x1 a value of x2), so that both answers occur; either operand
    is sometimes a Python int (of a value the other's dtype holds), never both: at least one must be an array.
    """
    d1, d2, _ = draw(st.sampled_from(inputs.pairs()))
    x1 = draw(array(d1, draw(shapes()), inputs, "x1"))
    v1 = value_of(x1).reshape(-1)
    info = np.iinfo(d2)
    shared = [int(v) for v in v1 if info.min <= int(v) <= info.max]  # values of x1 that x2's dtype holds
    elems = elements(d2, inputs, "x2")
    if shared and draw(st.booleans()):
        elems = st.one_of(st.sampled_from(shared), elems)
    x2 = draw(array(d2, draw(shapes()), inputs, "x2", elems=elems))
    which = draw(st.sampled_from(["none", "none", "x1", "x2"]))
    if which == "x2":
        x2 = draw(st.sampled_from(shared) if shared and draw(st.booleans()) else scalar_of(d1, inputs, "x2"))
    elif which == "x1":
        v2 = [int(v) for v in value_of(x2).reshape(-1)]
        x1 = draw(st.sampled_from(v2) if v2 and draw(st.booleans()) else scalar_of(d2, inputs, "x1"))
    kwargs: dict[str, Any] = {}
    if draw(st.booleans()):
        kwargs["invert"] = draw(st.booleans())
    return oracle.call("isin", x1, x2, **kwargs)


@builder("sort")
def _sort(inputs: Inputs) -> st.SearchStrategy:
    """Ties on purpose (0 and 1 mixed in) for the stable order; ``stable`` passed as True, False or not at all.

    ``stable=False`` leaves the order of equal elements to the backend, so it is drawn only for arrays
    whose elements are pairwise unequal: there every conforming sort has one answer, the reference's.
    NaNs stay out (``allow_nan: false``): the standard leaves their place in the order unspecified.
    """
    name = name_of(inputs)
    stables = st.sampled_from([None, True, False]) if inputs.get("stable") else st.just(None)

    @st.composite
    def sort(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(inputs.dtypes("x")))
        shape = draw(shapes(min_dims=1))
        stable = draw(stables)
        if stable is False and (dtype == "bool" and math.prod(shape) > 2):
            stable = None  # no bool array of more than two elements is free of ties
        if stable is False:
            x = draw(array(dtype, shape, inputs, elems=elements(dtype, inputs, allow_nan=False), unique=True))
        else:
            elems = st.one_of(elements(dtype, inputs, allow_nan=False), st.sampled_from([0, 1]).map(
                lambda v: np.asarray(v).astype(dtype).item()))
            x = draw(array(dtype, shape, inputs, elems=elems))
        kwargs: dict[str, Any] = {}
        if draw(st.booleans()):
            kwargs["axis"] = draw(st.integers(-value_of(x).ndim, value_of(x).ndim - 1))
        if draw(st.booleans()):
            kwargs["descending"] = draw(st.booleans())
        if stable is not None:
            kwargs["stable"] = stable
        return oracle.call(name, x, **kwargs)
    return sort()
