"""Data type functions: ``astype``, ``can_cast``, ``finfo`` / ``iinfo``, ``isdtype``, ``result_type``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st

from .. import oracle
from ..oracle import DType
from .base import Inputs, array, builder, name_of, shapes


@builder("astype")
def _astype(inputs: Inputs) -> st.SearchStrategy:
    pairs = inputs.allow_tuples([(a, r) for a, _, r in inputs.data.pairs("any", inputs.with_complex)])

    @st.composite
    def astype(draw: Callable) -> dict:
        source, target = draw(st.sampled_from(pairs))
        x = draw(array(source, draw(shapes()), inputs))
        kwargs = {"copy": draw(st.booleans())} if draw(st.booleans()) else {}
        return oracle.call("astype", x, DType(target), **kwargs)
    return astype()


@builder("can_cast")
def _can_cast(inputs: Inputs) -> st.SearchStrategy:
    pairs = inputs.allow_tuples([(a, r) for a, _, r in inputs.data.pairs("any", inputs.with_complex)])
    # half the draws are any pair the promotion table holds (a, b): can_cast is True only where a with b
    # promotes to b, so int8 -> uint16 (int32) answers False; pairs outside the table are unspecified
    every = inputs.allow_tuples([(a, b) for a, b, _ in inputs.data.pairs("any", inputs.with_complex)])
    return st.one_of(st.sampled_from(pairs), st.sampled_from(every)).map(
        lambda p: oracle.call("can_cast", DType(p[0]), DType(p[1])))


@builder("info")
def _info(inputs: Inputs) -> st.SearchStrategy:
    name = name_of(inputs)
    return st.sampled_from(inputs.dtypes("type")).map(lambda d: oracle.call(name, DType(d)))


@builder("isdtype")
def _isdtype(inputs: Inputs) -> st.SearchStrategy:
    kinds = ["bool", "signed integer", "unsigned integer", "integral", "real floating", "complex floating", "numeric"]
    dtypes = inputs.dtypes_of("any")
    # the kinds' borders: bool is neither integral nor numeric, unsigned is not signed, float not integral
    borders = [d for d in ("bool", "uint8", "int8", "float32", "complex64") if d in dtypes]

    @st.composite
    def isdtype(draw: Callable) -> dict:
        dtype = draw(st.sampled_from(borders)) if borders and draw(st.booleans()) else draw(st.sampled_from(dtypes))
        if draw(st.booleans()):
            kind: Any = draw(st.sampled_from(kinds))
        else:
            kind = tuple(draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3, unique=True)))
        return oracle.call("isdtype", DType(dtype), kind)
    return isdtype()


@builder("result_type")
def _result_type(inputs: Inputs) -> st.SearchStrategy:
    pairs = inputs.pairs("any")
    data = inputs.data

    @st.composite
    def result_type(draw: Callable) -> dict:
        a, b, r = draw(st.sampled_from(pairs))
        args: list[Any] = [DType(a), DType(b)]
        third = draw(st.sampled_from([None, *[p[1] for p in pairs if p[0] == r]]))
        if third is not None:
            args.append(DType(third))
        if draw(st.booleans()):
            args[0] = np.zeros((1,), dtype=a)
        return oracle.call("result_type", *args)
    del data
    return result_type()
