"""Classification (isnan, isinf, isfinite), sign bits (signbit, copysign) and complex parts (real, imag, conj)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .. import dtypes as dt
from ..array import Array
from .core import binary, is_inf, is_nan, sign_bit, unary

__all__ = [
    "isnan", "isinf", "isfinite", "signbit", "copysign", "real", "imag", "conj",
]


def _parts_any(test: Callable[[float], bool]) -> Callable[[Any], bool]:
    def run(v: Any) -> bool:
        if isinstance(v, complex):
            return test(v.real) or test(v.imag)
        if isinstance(v, float):
            return test(v)
        return False
    return run


def isnan(x: Array, /) -> Array:
    return unary("isnan", x, "numeric", lambda d: _parts_any(is_nan), out=lambda d: dt.bool_)


def isinf(x: Array, /) -> Array:
    return unary("isinf", x, "numeric", lambda d: _parts_any(is_inf), out=lambda d: dt.bool_)


def isfinite(x: Array, /) -> Array:
    finite = _parts_any(lambda v: not math.isfinite(v))
    return unary("isfinite", x, "numeric", lambda d: lambda v: not finite(v), out=lambda d: dt.bool_)


def signbit(x: Array, /) -> Array:
    return unary("signbit", x, "real floating-point", lambda d: sign_bit, out=lambda d: dt.bool_)


def copysign(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return binary("copysign", x1, x2, "real floating-point", lambda d: math.copysign)


def real(x: Array, /) -> Array:
    return unary("real", x, "numeric", lambda d: (lambda v: v.real) if d.is_complex else (lambda v: v),
                 out=dt.real_dtype_of)


def imag(x: Array, /) -> Array:
    return unary("imag", x, "floating-point",
                 lambda d: (lambda v: v.imag) if d.is_complex else (lambda v: 0.0), out=dt.real_dtype_of)


def conj(x: Array, /) -> Array:
    return unary("conj", x, "numeric", lambda d: (lambda v: v.conjugate()) if d.is_complex else (lambda v: v))
