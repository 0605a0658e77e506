"""Creation functions: ``arange``, ``asarray``, shape-only constructors, ``full``, ``*_like``, ``eye``,
``linspace``, ``meshgrid``, ``tril`` / ``triu``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from .. import oracle
from ..oracle import DType
from .base import Inputs, array, builder, draws, dtype_kw, name_of, scalar_of, shapes, value_of


@draws("arange")
def _arange(draw: Callable, inputs: Inputs) -> dict:
    if draw(st.booleans()):
        start = draw(st.integers(-20, 20))
        step = draw(st.integers(-5, 5).filter(bool))
        stop = draw(st.integers(-20, 20))
        dtype = draw(st.sampled_from(inputs.allow([None, "int32", "int64", "float64"])))
    else:
        start = draw(st.integers(-40, 40)) / 4
        step = draw(st.integers(-8, 8).filter(bool)) / 4
        stop = draw(st.integers(-40, 40)) / 4
        dtype = draw(st.sampled_from(inputs.allow([None, "float32", "float64"])))
    kwargs = {"dtype": DType(dtype)} if dtype else {}
    form = draw(st.sampled_from(["start", "start-stop", "all"]))
    if form == "start":
        return oracle.call("arange", abs(start), **kwargs)
    if form == "start-stop":
        return oracle.call("arange", start, stop, **kwargs)
    return oracle.call("arange", start, stop, step, **kwargs)


@draws("asarray")
def _asarray(draw: Callable, inputs: Inputs) -> dict:
    dtype = draw(st.sampled_from(inputs.dtypes_of("any")))
    x = draw(array(dtype, draw(shapes()), inputs))
    if draw(st.booleans()):
        return oracle.call("asarray", x)
    return oracle.call("asarray", value_of(x).tolist(), dtype=DType(dtype))


def _shape_arg(draw: Callable) -> Any:
    shape = draw(shapes(max_side=3))
    if len(shape) == 1 and draw(st.booleans()):
        return shape[0]
    return shape


@builder("creation-shape")
def _creation_shape(inputs: Inputs) -> st.SearchStrategy:
    name = name_of(inputs)
    return st.composite(lambda draw: oracle.call(name, _shape_arg(draw), **dtype_kw(draw, inputs)))()


@draws("full")
def _full(draw: Callable, inputs: Inputs) -> dict:
    shape = _shape_arg(draw)
    dtype = draw(st.sampled_from(inputs.dtypes_of("any")))
    fill = draw(scalar_of(dtype, inputs, "fill"))
    if draw(st.booleans()):
        return oracle.call("full", shape, fill, dtype=DType(dtype))
    if isinstance(fill, int) and not isinstance(fill, bool) and not -2**31 <= fill < 2**31:
        fill = fill % 1000
    return oracle.call("full", shape, fill)


@draws("like")
def _like(draw: Callable, inputs: Inputs) -> dict:
    name = name_of(inputs)
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    return oracle.call(name, draw(array(dtype, draw(shapes()), inputs)), **dtype_kw(draw, inputs))


@draws("full_like")
def _full_like(draw: Callable, inputs: Inputs) -> dict:
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    x = draw(array(dtype, draw(shapes()), inputs))
    return oracle.call("full_like", x, draw(scalar_of(dtype, inputs, "fill")))


@draws("eye")
def _eye(draw: Callable, inputs: Inputs) -> dict:
    args = [draw(st.integers(0, 5))]
    if draw(st.booleans()):
        args.append(draw(st.integers(0, 5)))
    kwargs = dtype_kw(draw, inputs)
    if draw(st.booleans()):
        kwargs["k"] = draw(st.integers(-6, 6))
    return oracle.call("eye", *args, **kwargs)


@draws("linspace")
def _linspace(draw: Callable, inputs: Inputs) -> dict:
    start = draw(st.floats(-100, 100, allow_subnormal=False))
    stop = draw(st.floats(-100, 100, allow_subnormal=False))
    kwargs: dict[str, Any] = {}
    if draw(st.booleans()):
        kwargs["endpoint"] = draw(st.booleans())
    if inputs.only is not None or draw(st.booleans()):
        kwargs["dtype"] = DType(draw(st.sampled_from(inputs.allow(["float32", "float64"]))))
    return oracle.call("linspace", start, stop, draw(st.integers(0, 8)), **kwargs)


@draws("meshgrid")
def _meshgrid(draw: Callable, inputs: Inputs) -> dict:
    dtype = draw(st.sampled_from(inputs.dtypes("arrays")))
    arrays = [draw(array(dtype, (draw(st.integers(0, 3)),), inputs)) for _ in range(draw(st.integers(1, 3)))]
    kwargs = {"indexing": draw(st.sampled_from(["xy", "ij"]))} if draw(st.booleans()) else {}
    return oracle.call("meshgrid", *arrays, **kwargs)


@draws("triangle")
def _triangle(draw: Callable, inputs: Inputs) -> dict:
    name = name_of(inputs)
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    x = draw(array(dtype, draw(shapes(min_dims=2)), inputs))
    kwargs = {"k": draw(st.integers(-4, 4))} if draw(st.booleans()) else {}
    return oracle.call(name, x, **kwargs)
