"""Sorting functions: sort and argsort along an axis, ascending or descending, stable.

The standard leaves the order of NaNs and signed zeros unspecified.  This implementation
treats NaN as greater than +inf (NaNs last when ascending, first when descending, as numpy)
and -0 equal to +0 (stability keeps their input order).  Ties keep their input order in
both directions (Python's sort is stable, also with ``reverse=True``).
"""

from __future__ import annotations

from typing import Any

from . import _helpers as h
from . import dtypes as dt
from .array import Array

__all__ = ["argsort", "sort", "sort_key"]


def sort_key(v: Any) -> tuple:
    """Total order used for sorting: numbers by value, NaN after everything."""
    if isinstance(v, complex):
        raise TypeError("sorting complex numbers is unspecified by the standard")
    return (True, 0) if v != v else (False, v)


def _order(values: list, descending: bool) -> list[int]:
    return sorted(range(len(values)), key=lambda i: sort_key(values[i]), reverse=descending)


def _check(x: Array, name: str) -> None:
    if not isinstance(x, Array):
        raise TypeError(f"{name}: x must be an array")
    if x.dtype.is_complex:
        raise TypeError(f"{name}: complex dtypes have no order")
    if x.ndim == 0:
        raise ValueError(f"{name}: zero-dimensional arrays cannot be sorted along an axis")


def argsort(x: Array, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Array:
    """Indices (default integer dtype) that sort ``x`` along ``axis``."""
    _check(x, "argsort")
    ax = h.normalize_axis(axis, x.ndim)
    _, lanes = h.moved_axis_lanes(x.shape, ax)
    out = [0] * x.size
    for lane in lanes:
        order = _order([x._data[p] for p in lane], descending)
        for pos, src in zip(lane, order, strict=True):
            out[pos] = src
    return Array(out, x.shape, dt.default_int)


def sort(x: Array, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Array:
    """A sorted copy of ``x`` along ``axis``."""
    _check(x, "sort")
    ax = h.normalize_axis(axis, x.ndim)
    _, lanes = h.moved_axis_lanes(x.shape, ax)
    out = list(x._data)
    for lane in lanes:
        values = [x._data[p] for p in lane]
        for pos, src in zip(lane, _order(values, descending), strict=True):
            out[pos] = values[src]
    return Array(out, x.shape, x.dtype)
