"""The standard's ``cumulative_sum`` / ``cumulative_prod`` over a backend's scan (torch and dask shims).

A backend's cumsum/cumprod lacks the standard's ``axis=None`` rule for 1-D input and ``include_initial``;
the shim adds both the same way whatever the backend, given how it scans, fills and concatenates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.adapters.base import Shim

Scan = Callable[[Any, int, Any], Any]  # (x, axis, dtype) -> scanned array
Full = Callable[[list[int], int, Any], Any]  # (shape, value, dtype) -> filled array
Concat = Callable[[list[Any], int], Any]  # (arrays, axis) -> joined array


def cumulative_shim(reason: str) -> Shim:
    """The declaration of what ``cumulative_functions`` replaces, with the backend's ``reason``."""
    return Shim("cumulative", ("cumulative_sum", "cumulative_prod"), "replace", reason)


def cumulative(scan: Scan, full: Full, concat: Concat, identity: int) -> Callable[..., Any]:
    """The standard's signature around ``scan``; ``include_initial`` prepends ``identity``."""

    def cumulative(
        x: Any, /, *, axis: int | None = None, dtype: Any = None, include_initial: bool = False
    ) -> Any:
        if axis is None:
            if x.ndim != 1:
                raise ValueError("axis is required for an array of more than one dimension")
            axis = 0
        out = scan(x, axis, dtype)
        if include_initial:
            shape = list(out.shape)
            shape[axis] = 1
            out = concat([full(shape, identity, out.dtype), out], axis)
        return out

    return cumulative


def cumulative_functions(
    ns: Any, spelled: str, concat: Callable[..., Any], axis_keyword: str
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """``(cumulative_sum, cumulative_prod)`` over ``ns.cumsum`` / ``ns.cumprod``, ``ns.full`` and
    ``concat``, whose axis keyword is ``axis_keyword``; ``spelled`` names ``ns`` in the docstrings the
    snippets show."""

    def scan(fn: Callable[..., Any]) -> Scan:
        return lambda x, axis, dtype: fn(x, **{axis_keyword: axis}, dtype=dtype)

    def full(shape: list[int], value: int, dtype: Any) -> Any:
        return ns.full(shape, value, dtype=dtype)

    def join(arrays: list[Any], axis: int) -> Any:
        return concat(arrays, **{axis_keyword: axis})

    out = []
    for name, identity in (("cumsum", 0), ("cumprod", 1)):
        fn = cumulative(scan(getattr(ns, name)), full, join, identity)
        fn.__doc__ = f"{spelled}.{name}(x, {axis_keyword}=axis, dtype=dtype), include_initial prepends {identity}"
        out.append(fn)
    return out[0], out[1]
