"""Transcendental functions: real kernels in double with explicit domain and overflow cases.

Complex inputs go to ``complex_kernels``; two-argument functions (atan2, hypot, logaddexp,
nextafter) are real only.
"""

from __future__ import annotations

import cmath
import math
import struct
from collections.abc import Callable
from typing import Any

from .. import dtypes as dt
from ..array import Array
from .complex_kernels import (
    cacosh,
    catanh,
    ccos,
    ccosh,
    cexp,
    cexpm1,
    complex_log,
    complex_log1p,
    complex_log_base,
    csin,
    csinh,
    ctanh,
    rotated,
)
from .core import INF, NAN, binary, guard_complex, is_inf, is_nan, unary

__all__ = [
    "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "sin", "tan", "cosh", "sinh", "tanh", "exp",
    "expm1", "log", "log1p", "log2", "log10", "sqrt", "atan2", "hypot", "logaddexp", "nextafter",
]


def _acos(v: float) -> float:
    return math.acos(v) if -1 <= v <= 1 else NAN


def _asin(v: float) -> float:
    return math.asin(v) if -1 <= v <= 1 else NAN


def _acosh(v: float) -> float:
    return math.acosh(v) if v >= 1 else NAN


def _atanh(v: float) -> float:
    if v == 1:
        return INF
    if v == -1:
        return -INF
    return math.atanh(v) if -1 < v < 1 else NAN


def _periodic(fn: Callable[[float], float]) -> Callable[[float], float]:
    return lambda v: NAN if is_inf(v) else fn(v)


def _overflowing(fn: Callable[[float], float], odd: bool) -> Callable[[float], float]:
    """fn(v), with OverflowError turned into +inf (or sign(v)*inf for odd functions)."""
    def run(v: float) -> float:
        try:
            return fn(v)
        except OverflowError:
            return math.copysign(INF, v) if odd else INF
    return run


def _logarithm(fn: Callable[[float], float], pole: float) -> Callable[[float], float]:
    """log-like: -inf at the pole, NaN below it."""
    def run(v: float) -> float:
        if v == pole:
            return -INF
        if v < pole:
            return NAN
        return fn(v)
    return run


def _float_unary(name: str, x: Array, real_fn: Callable[[float], float],
                 complex_fn: Callable[[complex], complex] | None) -> Array:
    def kernel(d: dt.DType) -> Callable[[Any], Any]:
        if d.is_complex:
            if complex_fn is None:
                raise TypeError(f"{name}: complex input is not supported")
            return guard_complex(complex_fn)
        return real_fn
    return unary(name, x, "floating-point", kernel)


def acos(x: Array, /) -> Array:
    return _float_unary("acos", x, _acos, cmath.acos)


def acosh(x: Array, /) -> Array:
    return _float_unary("acosh", x, _acosh, cacosh)


def asin(x: Array, /) -> Array:
    return _float_unary("asin", x, _asin, cmath.asin)


def asinh(x: Array, /) -> Array:
    return _float_unary("asinh", x, math.asinh, cmath.asinh)


def atan(x: Array, /) -> Array:
    return _float_unary("atan", x, math.atan, rotated(catanh))


def atanh(x: Array, /) -> Array:
    return _float_unary("atanh", x, _atanh, catanh)


def cos(x: Array, /) -> Array:
    return _float_unary("cos", x, _periodic(math.cos), ccos)


def sin(x: Array, /) -> Array:
    return _float_unary("sin", x, _periodic(math.sin), csin)


def tan(x: Array, /) -> Array:
    return _float_unary("tan", x, _periodic(math.tan), rotated(ctanh))


def cosh(x: Array, /) -> Array:
    return _float_unary("cosh", x, _overflowing(math.cosh, odd=False), ccosh)


def sinh(x: Array, /) -> Array:
    return _float_unary("sinh", x, _overflowing(math.sinh, odd=True), csinh)


def tanh(x: Array, /) -> Array:
    return _float_unary("tanh", x, math.tanh, ctanh)


def exp(x: Array, /) -> Array:
    return _float_unary("exp", x, _overflowing(math.exp, odd=False), cexp)


def expm1(x: Array, /) -> Array:
    return _float_unary("expm1", x, _overflowing(math.expm1, odd=False), cexpm1)


def log(x: Array, /) -> Array:
    return _float_unary("log", x, _logarithm(math.log, 0.0), complex_log)


def log1p(x: Array, /) -> Array:
    return _float_unary("log1p", x, _logarithm(math.log1p, -1.0), complex_log1p)


def log2(x: Array, /) -> Array:
    return _float_unary("log2", x, _logarithm(math.log2, 0.0), complex_log_base(2.0))


def log10(x: Array, /) -> Array:
    return _float_unary("log10", x, _logarithm(math.log10, 0.0), complex_log_base(10.0))


def sqrt(x: Array, /) -> Array:
    return _float_unary("sqrt", x, lambda v: NAN if v < 0 else math.sqrt(v), cmath.sqrt)


def atan2(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    """C99 ``atan2`` special cases; Python's ``math.atan2`` implements them."""
    return binary("atan2", x1, x2, "real floating-point", lambda d: math.atan2)


def hypot(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    """``math.hypot``: +inf if either is infinite (even with NaN), no undue overflow."""
    return binary("hypot", x1, x2, "real floating-point", lambda d: math.hypot)


def _logaddexp(a: float, b: float) -> float:
    if is_nan(a) or is_nan(b):
        return NAN
    if a == INF or b == INF:
        return INF
    big, small = (a, b) if a >= b else (b, a)
    if big == -INF:
        return -INF
    return big + math.log1p(math.exp(small - big))


def logaddexp(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return binary("logaddexp", x1, x2, "real floating-point", lambda d: _logaddexp)


def _nextafter32(a: float, b: float) -> float:
    """Next binary32 value after ``a`` toward ``b``, by stepping the bit pattern."""
    if is_nan(a) or is_nan(b):
        return NAN
    if a == b:
        return b
    if a == 0:
        return math.copysign(2.0 ** -149, b)  # smallest subnormal toward b
    bits = struct.unpack("<I", struct.pack("<f", a))[0]
    bits += 1 if (b > a) == (a > 0) else -1  # away from zero increases the magnitude
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _nextafter64(a: float, b: float) -> float:
    if is_nan(a) or is_nan(b):
        return NAN
    return math.nextafter(a, b)


def nextafter(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return binary("nextafter", x1, x2, "real floating-point",
                  lambda d: _nextafter32 if d is dt.float32 else _nextafter64)
