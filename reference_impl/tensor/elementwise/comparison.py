"""Comparison: equal, not_equal, less, less_equal, greater, greater_equal, maximum, minimum, clip.

Choice where the standard says "unspecified": maximum/minimum of signed zeros give
``x1 if x1 > x2 else x2`` (resp. ``<``), as numpy.
"""

from __future__ import annotations

import operator
from typing import Any

from .. import _helpers as h
from .. import dtypes as dt
from ..array import Array
from .core import NAN, binary, check_category, finish, is_nan, scalar_array

__all__ = [
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "maximum", "minimum", "clip",
]


def equal(x1: Array | int | float | complex | bool, x2: Array | int | float | complex | bool, /) -> Array:
    return binary("equal", x1, x2, "any", lambda d: operator.eq, out=dt.bool_)


def not_equal(x1: Array | int | float | complex | bool, x2: Array | int | float | complex | bool, /) -> Array:
    return binary("not_equal", x1, x2, "any", lambda d: operator.ne, out=dt.bool_)


def less(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return binary("less", x1, x2, "real numeric", lambda d: operator.lt, out=dt.bool_)


def less_equal(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return binary("less_equal", x1, x2, "real numeric", lambda d: operator.le, out=dt.bool_)


def greater(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return binary("greater", x1, x2, "real numeric", lambda d: operator.gt, out=dt.bool_)


def greater_equal(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return binary("greater_equal", x1, x2, "real numeric", lambda d: operator.ge, out=dt.bool_)


def _maximum(a: Any, b: Any) -> Any:
    if is_nan(a) or is_nan(b):
        return NAN
    return a if a > b else b


def _minimum(a: Any, b: Any) -> Any:
    if is_nan(a) or is_nan(b):
        return NAN
    return a if a < b else b


def maximum(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return binary("maximum", x1, x2, "real numeric", lambda d: _maximum)


def minimum(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return binary("minimum", x1, x2, "real numeric", lambda d: _minimum)


def clip(x: Array, /, min: Array | int | float | None = None, max: Array | int | float | None = None) -> Array:
    """Clamp to [min, max], NaN in any operand giving NaN.

    Unspecified by the standard, chosen here: min > max gives max (numpy's
    ``minimum(maximum(x, min), max)``); min/max of a different dtype than x, or outside x's
    integer range, raise TypeError / OverflowError.
    """
    if not isinstance(x, Array):
        raise TypeError("clip: x must be an array")
    check_category(x.dtype, "real numeric", "clip")
    bounds = []
    for bound in (min, max):
        if bound is None:
            bounds.append(None)
        elif isinstance(bound, Array):
            if bound.dtype is not x.dtype:
                raise TypeError(f"clip: bound dtype {bound.dtype.name} differs from x dtype {x.dtype.name}")
            bounds.append(bound)
        else:
            bounds.append(scalar_array(bound, dt.promote_with_scalar(x.dtype, bound)))
    lo, hi = bounds
    shape = h.broadcast_shapes(x.shape, *(b.shape for b in bounds if b is not None))
    xs = [x._data[i] for i in h.broadcast_index_list(x.shape, shape)]
    los = [lo._data[i] for i in h.broadcast_index_list(lo.shape, shape)] if lo is not None else None
    his = [hi._data[i] for i in h.broadcast_index_list(hi.shape, shape)] if hi is not None else None
    out = []
    for k, v in enumerate(xs):  # raise to min, then cap at max (numpy's order when min > max)
        if los is not None:
            v = _maximum(v, los[k])
        if his is not None:
            v = _minimum(v, his[k])
        out.append(v)
    return Array(finish(out, x.dtype), shape, x.dtype)
