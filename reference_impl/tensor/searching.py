"""Searching functions: argmax, argmin, count_nonzero, nonzero, searchsorted, where.

Unspecified choices: argmax/argmin of an empty reduction raise ValueError; NaN is treated
as the extreme value (the first NaN wins, as numpy); searchsorted orders NaN after +inf.
"""

from __future__ import annotations

from typing import Any

from . import _helpers as h
from . import dtypes as dt
from .array import Array
from .elementwise.core import finish, operands
from .sorting import sort_key

__all__ = ["argmax", "argmin", "count_nonzero", "nonzero", "searchsorted", "where"]


def _arg_extreme(x: Array, axis: int | None, keepdims: bool, better: Any, name: str) -> Array:
    if not x.dtype.is_numeric or x.dtype.is_complex:
        raise TypeError(f"{name}: real numeric dtype required, got {x.dtype.name}")
    if axis is None:
        axes = tuple(range(x.ndim))
        out_shape, groups = (), [list(x._data)]
    else:
        axes = (h.normalize_axis(axis, x.ndim),)
        out_shape, groups = h.reduction_groups(x._data, x.shape, axes)
    result = []
    for g in groups:
        if not g:
            raise ValueError(f"{name}: attempt to get the {name} of an empty sequence")
        nans = [i for i, v in enumerate(g) if v != v]
        if nans:
            result.append(nans[0])  # NaN counts as the extreme value; the first one wins
            continue
        best = 0
        for i, v in enumerate(g):
            if better(v, g[best]):  # strict comparison keeps the first occurrence
                best = i
        result.append(best)
    if keepdims:
        out_shape = h.keepdims_shape(x.shape, axes)
    return Array(result, out_shape, dt.default_int)


def argmax(x: Array, /, *, axis: int | None = None, keepdims: bool = False) -> Array:
    """Index of the first occurrence of the maximum (flattened when axis is None)."""
    return _arg_extreme(x, axis, keepdims, lambda v, b: v > b, "argmax")


def argmin(x: Array, /, *, axis: int | None = None, keepdims: bool = False) -> Array:
    """Index of the first occurrence of the minimum (flattened when axis is None)."""
    return _arg_extreme(x, axis, keepdims, lambda v, b: v < b, "argmin")


def count_nonzero(x: Array, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Array:
    """Number of nonzero elements (NaN counts as nonzero) with the default integer dtype."""
    axes = h.normalize_axes(axis, x.ndim)
    out_shape, groups = h.reduction_groups(x._data, x.shape, axes)
    if keepdims:
        out_shape = h.keepdims_shape(x.shape, axes)
    return Array([sum(1 for v in g if v != 0) for g in groups], out_shape, dt.default_int)


def nonzero(x: Array, /) -> tuple[Array, ...]:
    """One index array per axis, listing nonzero elements in row-major order (0-d raises)."""
    if x.ndim == 0:
        raise ValueError("nonzero: zero-dimensional arrays are not allowed")
    strides = h.strides_of(x.shape)
    hits = [p for p, v in enumerate(x._data) if v != 0]
    return tuple(Array([(p // st) % dim for p in hits], (len(hits),), dt.default_int)
                 for dim, st in zip(x.shape, strides, strict=True))


def searchsorted(x1: Array, x2: Array | int | float, /, *, side: str = "left", sorter: Array | None = None) -> Array:
    """Insertion indices into the sorted 1-D ``x1`` (via ``sorter`` if given) keeping order."""
    if x1.ndim != 1:
        raise ValueError("searchsorted: x1 must be one-dimensional")
    if side not in ("left", "right"):
        raise ValueError("searchsorted: side must be 'left' or 'right'")
    if not isinstance(x2, Array):
        x2 = operands(x1, x2, "searchsorted")[1]
    base = x1._data if sorter is None else [x1._data[i] for i in sorter._data]
    keys = [sort_key(v) for v in base]
    out = []
    for v in x2._data:
        k = sort_key(v)
        lo, hi = 0, len(keys)
        while lo < hi:
            mid = (lo + hi) // 2
            if keys[mid] < k or (side == "right" and keys[mid] == k):
                lo = mid + 1
            else:
                hi = mid
        out.append(lo)
    return Array(out, x2.shape, dt.default_int)


def where(condition: Array, x1: Array | bool | int | float | complex, x2: Array | bool | int | float | complex, /) -> Array:
    """Elements of x1 where condition is True, else of x2 (broadcast; dtypes promote)."""
    if not isinstance(condition, Array) or not condition.dtype.is_bool:
        raise TypeError("where: condition must be a boolean array")
    a, b, dtype = operands(x1, x2, "where")
    shape = h.broadcast_shapes(condition.shape, a.shape, b.shape)
    c = [condition._data[i] for i in h.broadcast_index_list(condition.shape, shape)]
    av = [a._data[i] for i in h.broadcast_index_list(a.shape, shape)]
    bv = [b._data[i] for i in h.broadcast_index_list(b.shape, shape)]
    values = [dt.cast_scalar(u if k else v, dtype) for k, u, v in zip(c, av, bv, strict=True)]
    return Array(finish(values, dtype), shape, dtype)
