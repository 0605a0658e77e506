"""Utility functions: all, any (truthiness reductions, NaN is true) and diff."""

from __future__ import annotations

from typing import Any

from . import _helpers as h
from . import dtypes as dt
from .array import Array
from .elementwise import subtract
from .manipulation import concat

__all__ = ["all", "any", "diff"]

_builtin_all, _builtin_any = all, any


def _truth_reduce(x: Array, axis: Any, keepdims: bool, fn: Any) -> Array:
    axes = h.normalize_axes(axis, x.ndim)
    out_shape, groups = h.reduction_groups(x._data, x.shape, axes)
    if keepdims:
        out_shape = h.keepdims_shape(x.shape, axes)
    return Array([fn(v != 0 for v in g) for g in groups], out_shape, dt.bool_)


def all(x: Array, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Array:
    """True where every element is nonzero (True for an empty reduction)."""
    return _truth_reduce(x, axis, keepdims, _builtin_all)


def any(x: Array, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Array:
    """True where some element is nonzero (False for an empty reduction)."""
    return _truth_reduce(x, axis, keepdims, _builtin_any)


def diff(x: Array, /, *, axis: int = -1, n: int = 1, prepend: Array | None = None,
         append: Array | None = None) -> Array:
    """n-th forward difference along ``axis`` after joining prepend / x / append."""
    if x.ndim == 0:
        raise ValueError("diff: x must have at least one dimension")
    if n < 0:
        raise ValueError("diff: n must be non-negative")
    ax = h.normalize_axis(axis, x.ndim)
    parts = [p for p in (prepend, x, append) if p is not None]
    y = concat(parts, axis=ax) if len(parts) > 1 else x
    key = (slice(None),) * ax
    for _ in range(n):
        if y.shape[ax] == 0:
            break
        y = subtract(y[key + (slice(1, None), ...)], y[key + (slice(None, -1), ...)])
    return y
