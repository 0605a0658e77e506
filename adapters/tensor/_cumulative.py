"""The standard's ``cumulative_sum`` / ``cumulative_prod`` over a backend's scan (torch and dask shims).

A backend's cumsum/cumprod lacks the standard's ``axis=None`` rule for 1-D input and ``include_initial``;
the shim adds both the same way whatever the backend, given how it scans, fills and concatenates.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Scan = Callable[[Any, int, Any], Any]  # (x, axis, dtype) -> scanned array
Full = Callable[[list[int], int, Any], Any]  # (shape, value, dtype) -> filled array
Concat = Callable[[list[Any], int], Any]  # (arrays, axis) -> joined array


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
