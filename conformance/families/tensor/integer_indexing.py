"""Integer array indexing: the ``integer-arrays`` aspects of the ``indexing`` check.

The standard's *Indexing / Integer Array Indexing* section (2025.12) says an array must support an
indexing tuple ``T = (t1, ..., tN)`` of length ``N`` (one entry per axis) made only of integers and
integer arrays: each integer counts as a zero-dimensional integer array, all entries are broadcast to a
common shape ``S2``, and the result gathers ``A[(u1[i], ..., uN[i])]`` for each ``i`` in ``S2``, with
shape ``S2``. Entries not broadcast-compatible "must" raise (no exception type is named).

What is drawn, and what never is (the text leaves it unspecified): tuples of exactly ``N`` entries
(fewer, with slices, ellipsis or None mixed in, or Python lists as indices are not addressed);
index values in ``[-n, n)`` only (no bounds checking is required); index arrays of the backend's
default index dtype (``default_dtypes()["indexing"]``, the dtype the text says a user "should"
give; other integer dtypes are a "may"); ``__getitem__`` only (assignment through integer arrays is
not yet specified). Duplicated indices, negative indices and zero-dimensional index arrays are drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from accord.conformance.check import Context, Mismatch, Property
from accord.conformance.client import BackendRaised, BackendUnsupported
from accord.spec.model import Document, Requirement

from . import compare, oracle, strategies

#: the aspects of the ``indexing`` check this module draws
ASPECTS = frozenset({"integer-arrays", "integer-arrays-incompatible"})


def index_dtype(ctx: Context) -> str:
    """The backend's default index dtype (asked once per worker); int64 when it declares none."""
    if "index dtype" not in ctx.state:
        name = "int64"
        try:
            found = oracle.decode(ctx.backend.invoke("call", oracle.call("__array_namespace_info__.default_dtypes")))
            declared = found.get("indexing") if isinstance(found, dict) else None
            if isinstance(declared, np.dtype) and declared.kind == "i":
                name = declared.name
        except (BackendRaised, BackendUnsupported):
            pass
        ctx.state["index dtype"] = name
    return ctx.state["index dtype"]


def integer_array_key(draw: Callable, shape: tuple[int, ...], dtype: str) -> tuple[Any, ...]:
    """One entry per axis, integers or integer arrays of mutually broadcastable shapes (at least one array),
    values in ``[-n, n)`` of each axis (valid indices, negative ones and repeats included)."""
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=len(shape), max_dims=3, max_side=3)).input_shapes
    as_array = [draw(st.booleans()) for _ in shape]
    if not any(as_array):
        as_array[draw(st.integers(0, len(shape) - 1))] = True
    key: list[Any] = []
    for n, s, is_array in zip(shape, shapes, as_array, strict=True):
        if is_array:
            key.append(draw(hnp.arrays(np.dtype(dtype), s, elements=st.integers(-n, n - 1))))
        else:
            key.append(draw(st.integers(-n, n - 1)))
    return tuple(key)


def incompatible_key(draw: Callable, shape: tuple[int, ...], dtype: str) -> tuple[Any, ...]:
    """Like :func:`integer_array_key`, but two index arrays disagree on one axis (neither side is 1)."""
    first = list(draw(strategies.shapes(min_dims=1, max_dims=2, min_side=2, max_side=3)))
    at = draw(st.integers(0, len(first) - 1))
    second = list(first)
    second[at] = draw(st.integers(2, 4).filter(lambda m: m != first[at]))
    i, j = sorted(draw(st.lists(st.integers(0, len(shape) - 1), min_size=2, max_size=2, unique=True)))
    key: list[Any] = []
    for axis, n in enumerate(shape):
        if axis in (i, j):
            s = tuple(first if axis == i else second)
            key.append(draw(hnp.arrays(np.dtype(dtype), s, elements=st.integers(-n, n - 1))))
        else:
            key.append(draw(st.integers(-n, n - 1)))
    return tuple(key)


def check(ctx: Context, req: Requirement, doc: Document, plain: strategies.Inputs, dtypes: list[str]) -> Property:
    """``x[T]`` for a tuple ``T`` of integers and integer arrays: the gathered elements (aspect
    ``integer-arrays``), or an exception when the arrays do not broadcast (``integer-arrays-incompatible``)."""
    aspect = req.params["aspect"]
    incompatible = aspect == "integer-arrays-incompatible"
    index = index_dtype(ctx)

    @st.composite
    def examples(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(dtypes))
        shape = draw(strategies.shapes(min_dims=2 if incompatible else 1, min_side=1))
        x = draw(strategies.array(dtype, shape, plain, views=not incompatible))
        make_key = incompatible_key if incompatible else integer_array_key
        key = make_key(draw, strategies.value_of(x).shape, index)
        return {"self": oracle.encode(x), "key": oracle.encode(key)}

    def test(args: dict) -> None:
        if incompatible:
            if not oracle.raises(ctx, "getitem", args):
                raise Mismatch("index arrays that do not broadcast together gave a result", expected="an exception",
                               actual="a result")
            return
        try:
            want = oracle.expected("getitem", args)
        except oracle.Rejected:
            assume(False)
        got = oracle.actual(ctx, "getitem", args)
        reason = compare.same_value(want, got, {"rule": "exact"})
        if reason:
            raise Mismatch(reason, expected=oracle.readable(want), actual=oracle.readable(got))

    return Property(strategy=examples(), test=test, snippet=lambda args: oracle.snippet(ctx, "getitem", args))
