"""Rounding: ceil, floor, trunc and round (half to even), keeping ±0, ±inf and NaN."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..array import Array
from .core import unary

_round = round  # the builtin; this module defines its own ``round``

__all__ = [
    "ceil", "floor", "trunc", "round",
]


def _rounding(fn: Callable[[float], int]) -> Callable[[Any], Any]:
    """Apply an integer-valued rounding to a float, keeping ±0, ±inf, NaN and the zero's sign."""
    def real_kernel(v: Any) -> Any:
        if isinstance(v, int) or not math.isfinite(v) or v == 0:
            return v
        r = float(fn(v))
        return math.copysign(0.0, v) if r == 0 else r

    def kernel(v: Any) -> Any:
        if isinstance(v, complex):
            return complex(real_kernel(v.real), real_kernel(v.imag))
        return real_kernel(v)
    return kernel


def ceil(x: Array, /) -> Array:
    return unary("ceil", x, "real numeric", lambda d: _rounding(math.ceil))


def floor(x: Array, /) -> Array:
    return unary("floor", x, "real numeric", lambda d: _rounding(math.floor))


def trunc(x: Array, /) -> Array:
    return unary("trunc", x, "real numeric", lambda d: _rounding(math.trunc))


def round(x: Array, /) -> Array:
    """Round half to even (Python's ``round`` of a float is exactly that)."""
    return unary("round", x, "numeric", lambda d: _rounding(_round))
