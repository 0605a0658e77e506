"""Linear algebra: ``matmul``, ``matrix_transpose``, ``tensordot``, ``vecdot``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import oracle
from .base import Inputs, array, draws, one_array


def _numeric_pair(draw: Callable, inputs: Inputs) -> tuple[str, str]:
    pairs = inputs.pairs(inputs.category("x1"))
    a, b, _ = draw(st.sampled_from(pairs))
    return a, b


@draws("matmul")
def _matmul(draw: Callable, inputs: Inputs) -> dict:
    a, b = _numeric_pair(draw, inputs)
    n, k, m = (draw(st.integers(0, 3)) for _ in range(3))
    k = max(k, 1) if draw(st.booleans()) else k
    b1, b2 = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=2)).input_shapes
    form = draw(st.sampled_from(["mm", "mm", "vm", "mv", "vv"]))
    s1 = (k,) if form in ("vm", "vv") else (*b1, n, k)
    s2 = (k,) if form in ("mv", "vv") else (*b2, k, m)
    return oracle.call("matmul", draw(array(a, s1, inputs, "x1")), draw(array(b, s2, inputs, "x2")))


one_array("matrix_transpose", min_dims=2)


@draws("tensordot")
def _tensordot(draw: Callable, inputs: Inputs) -> dict:
    a, b = _numeric_pair(draw, inputs)
    shared = draw(st.lists(st.integers(0, 3), max_size=2))
    left = draw(st.lists(st.integers(0, 3), max_size=2))
    right = draw(st.lists(st.integers(0, 3), max_size=2))
    x1 = draw(array(a, tuple(left + shared), inputs, "x1"))
    x2 = draw(array(b, tuple(shared + right), inputs, "x2"))
    n = len(shared)
    if draw(st.booleans()):
        axes: Any = n
    else:
        axes = (tuple(range(len(left), len(left) + n)), tuple(range(n)))
    kwargs = {"axes": axes} if axes != 2 or draw(st.booleans()) else {}
    return oracle.call("tensordot", x1, x2, **kwargs)


@draws("vecdot")
def _vecdot(draw: Callable, inputs: Inputs) -> dict:
    a, b = _numeric_pair(draw, inputs)
    s1, s2 = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3)).input_shapes
    k = draw(st.integers(0, 3))
    x1 = draw(array(a, (*s1, k), inputs, "x1"))
    x2 = draw(array(b, (*s2, k), inputs, "x2"))
    return oracle.call("vecdot", x1, x2, **({"axis": -1} if draw(st.booleans()) else {}))
