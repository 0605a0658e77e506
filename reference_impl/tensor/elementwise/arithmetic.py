"""Arithmetic: add, subtract, multiply, divide, floor_divide, remainder, pow, negation, abs, sign.

Choices where the standard says "unspecified" / "implementation-defined" (numpy-compatible):
* integer overflow in + - * pow, negation/abs of the minimum integer: wraparound;
* integer floor_divide / remainder by zero: result 0;
* integer pow with a negative exponent: ValueError (as numpy);
* divide of two integer arrays: float64 result, correctly rounded (numpy's behaviour);
* sign(-0.0) is +0.0 (the standard only says "0").
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

from .. import dtypes as dt
from .._exact import dot_finite
from ..array import Array
from .complex_kernels import cexp, complex_log
from .core import (
    INF,
    NAN,
    binary,
    cdiv,
    check_category,
    fdiv,
    is_inf,
    is_nan,
    is_odd_integer,
    map2,
    operands,
    sign_bit,
    unary,
)

_abs = abs  # the builtin; this module defines its own ``abs``
_ipow = pow  # the builtin three-argument pow (modular exponentiation)

__all__ = [
    "add", "subtract", "multiply", "divide", "floor_divide", "remainder", "pow", "negative", "positive",
    "abs", "square", "reciprocal", "sign",
]


def add(x1: Array | int | float | complex, x2: Array | int | float | complex, /) -> Array:
    return binary("add", x1, x2, "numeric", lambda d: operator.add)


def subtract(x1: Array | int | float | complex, x2: Array | int | float | complex, /) -> Array:
    return binary("subtract", x1, x2, "numeric", lambda d: operator.sub)


def _cmul(z: complex, w: complex) -> complex:
    """Textbook (ac - bd) + (ad + bc)j with each part rounded once from its exact value.

    Non-finite parts, and exact zeros (whose sign IEEE arithmetic decides), use the IEEE
    evaluation of the same formula.
    """
    a, b, c, d = z.real, z.imag, w.real, w.imag
    ieee = complex(a * c - b * d, a * d + b * c)
    if not all(math.isfinite(v) for v in (a, b, c, d)):
        return ieee
    real = dot_finite([a, -b], [c, d]) or ieee.real
    imag = dot_finite([a, b], [d, c]) or ieee.imag
    return complex(real, imag)


def multiply(x1: Array | int | float | complex, x2: Array | int | float | complex, /) -> Array:
    return binary("multiply", x1, x2, "numeric", lambda d: _cmul if d.is_complex else operator.mul)


def _int_true_divide(a: int, b: int) -> float:
    if b == 0:
        return NAN if a == 0 else (INF if a > 0 else -INF)
    try:
        return a / b  # Python's int/int true division is correctly rounded
    except OverflowError:
        return INF if (a > 0) == (b > 0) else -INF


def divide(x1: Array | int | float | complex, x2: Array | int | float | complex, /) -> Array:
    a, b, dtype = operands(x1, x2, "divide")
    check_category(dtype, "numeric", "divide")
    if dtype.is_integer:  # implementation-defined: numpy returns float64
        return map2(a, b, _int_true_divide, dt.float64)
    return map2(a, b, cdiv if dtype.is_complex else fdiv, dtype)


def _python_floor_divide_f32(a: float, b: float) -> float:
    """CPython's float floor division (``float_floor_div``) with every step rounded to binary32."""
    r = dt.round_f32
    mod = math.fmod(a, b)  # exact
    div = r(r(a - mod) / b)
    if mod and (b < 0) != (mod < 0):
        div = r(div - 1.0)
    if not div:
        return math.copysign(0.0, fdiv(a, b))
    if is_inf(div):
        return div  # the quotient overflows float32
    floordiv = float(math.floor(div))
    if div - floordiv > 0.5:
        floordiv += 1.0
    return floordiv


def _floor_divide_float(dtype: dt.DType) -> Callable[[float, float], float]:
    """floor_divide on floats: the standard's special cases, then Python's ``//``.

    For finite nonzero operands the standard prefers floor(divide(x1, x2)) but allows
    Python's behaviour; this uses Python's (CPython's fmod-based algorithm, which numpy and
    array-api-strict share), evaluated in the operand precision.
    """
    def kernel(a: float, b: float) -> float:
        if is_nan(a) or is_nan(b):
            return NAN
        if is_inf(a) and is_inf(b):
            return NAN
        if a == 0 and b == 0:
            return NAN
        negative = sign_bit(a) != sign_bit(b)
        if a == 0:  # ±0 divided by a nonzero (possibly infinite) number
            return -0.0 if negative else 0.0
        if b == 0 or is_inf(a):  # nonzero / ±0, or ±inf / nonzero finite
            return -INF if negative else INF
        if is_inf(b):  # nonzero finite / ±inf: floor(±0) per the standard (Python gives -1.0)
            return -0.0 if negative else 0.0
        if dtype is dt.float32:
            return _python_floor_divide_f32(a, b)
        return a // b
    return kernel


def _floor_divide_int(a: int, b: int) -> int:
    return 0 if b == 0 else a // b  # division by zero: implementation-defined, numpy gives 0


def floor_divide(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return binary("floor_divide", x1, x2, "real numeric",
                  lambda d: _floor_divide_int if d.is_integer else _floor_divide_float(d))


def _remainder_float(a: float, b: float) -> float:
    # Python's % implements every listed special case except a zero divisor (NaN).
    if b == 0 or is_nan(a) or is_nan(b) or is_inf(a):
        return NAN
    return a % b


def _remainder_int(a: int, b: int) -> int:
    return 0 if b == 0 else a % b


def remainder(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return binary("remainder", x1, x2, "real numeric",
                  lambda d: _remainder_int if d.is_integer else _remainder_float)


def _pow_float(a: float, b: float) -> float:
    if b == 0:
        return 1.0  # even if a is NaN
    if a == 1:
        return 1.0  # 1 ** y is 1 for every y (including NaN, as C99)
    if is_nan(a) or is_nan(b):
        return NAN
    if a == 0:
        if b > 0:
            return a if is_odd_integer(b) else 0.0
        return math.copysign(INF, a) if is_odd_integer(b) else INF
    if a < 0 and math.isfinite(a) and math.isfinite(b) and b != math.floor(b):
        return NAN
    try:
        return math.pow(a, b)
    except OverflowError:
        return -INF if a < 0 and is_odd_integer(b) else INF
    except ValueError:
        return NAN


def _pow_int(dtype: dt.DType) -> Callable[[int, int], int]:
    modulus = 1 << dtype.bits

    def kernel(a: int, b: int) -> int:
        if b < 0:
            raise ValueError("integers to negative integer powers are not allowed")
        return _ipow(a, b, modulus)
    return kernel


def _pow_complex(z: complex, w: complex) -> complex:
    """z ** w; special cases as exp(w * log(z)): 0 ** w is 0 when Re(w) > 0, inf + NaN j for a
    negative real w, NaN + NaN j otherwise."""
    if w == 0:
        return complex(1.0, 0.0)
    try:
        return z ** w
    except ZeroDivisionError:  # zero base with a negative or complex exponent: |0**w| = 0**Re(w)
        if w.real > 0:
            return complex(0.0, 0.0)
        return complex(INF, NAN) if w.imag == 0 else complex(NAN, NAN)  # exp(inf + NaN j)
    except OverflowError:
        return cexp(w * complex_log(z))


def pow(x1: Array | int | float | complex, x2: Array | int | float | complex, /) -> Array:
    def kernel(d: dt.DType) -> Callable[[Any, Any], Any]:
        if d.is_integer:
            return _pow_int(d)
        return _pow_complex if d.is_complex else _pow_float
    return binary("pow", x1, x2, "numeric", kernel)


def negative(x: Array, /) -> Array:
    return unary("negative", x, "numeric", lambda d: operator.neg)


def positive(x: Array, /) -> Array:
    return unary("positive", x, "numeric", lambda d: operator.pos)


def _abs_complex(z: complex) -> float:
    try:
        return _abs(z)
    except OverflowError:
        return INF


def abs(x: Array, /) -> Array:
    return unary("abs", x, "numeric",
                 lambda d: _abs_complex if d.is_complex else _abs, out=dt.real_dtype_of)


def square(x: Array, /) -> Array:
    return unary("square", x, "numeric", lambda d: (lambda v: _cmul(v, v)) if d.is_complex else (lambda v: v * v))


def reciprocal(x: Array, /) -> Array:
    return unary("reciprocal", x, "floating-point",
                 lambda d: (lambda v: cdiv(1 + 0j, v)) if d.is_complex else (lambda v: fdiv(1.0, v)))


def _sign_real(v: Any) -> Any:
    if isinstance(v, int):
        return (v > 0) - (v < 0)
    if is_nan(v):
        return NAN
    return 1.0 if v > 0 else -1.0 if v < 0 else 0.0


def _sign_complex(z: complex) -> complex:
    if z == 0:
        return complex(0.0, 0.0)
    if is_nan(z.real) or is_nan(z.imag):
        return complex(NAN, NAN)
    return cdiv(z, complex(_abs_complex(z), 0.0))


def sign(x: Array, /) -> Array:
    return unary("sign", x, "numeric", lambda d: _sign_complex if d.is_complex else _sign_real)
