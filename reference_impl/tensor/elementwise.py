"""Element-wise functions of the array API standard (2024.12), with every special case.

How values are computed
-----------------------
* Integers: exact Python integer arithmetic, then two's-complement wraparound into the
  result dtype (:func:`dtypes.wrap_int`).
* float64: IEEE 754 double arithmetic of the host (Python floats).
* float32: the operation is evaluated in double on the (exactly representable) float32
  inputs and the result is rounded once to binary32 (:func:`dtypes.round_f32`).  For
  + - * / and sqrt this is the correctly rounded float32 result (double has more than
  2*24+2 bits, so the double rounding is innocuous); transcendental functions inherit the
  accuracy of the host libm (<1 ulp in double) plus the final rounding.
* Special cases (NaN, ±0, ±inf) are written out explicitly where Python's ``math`` module
  would raise instead of returning the IEEE / C99 value.

Choices where the standard says "unspecified" / "implementation-defined"
(the spec does not test them; numpy-compatible choices unless stated):
* integer overflow in + - * pow, negation/abs of the minimum integer: wraparound;
* integer floor_divide / remainder by zero: result 0;
* integer pow with a negative exponent: ValueError (as numpy);
* shift by a negative amount or by >= the bit width: left -> 0, right -> 0 or -1 (sign fill);
* divide of two integer arrays: float64 result, correctly rounded (numpy's behaviour);
* mixing kinds (bool/int/float arrays) or unsupported dtypes for a function: TypeError;
* Python int scalar outside the array dtype's range: OverflowError;
* maximum/minimum of signed zeros: ``x1 if x1 > x2 else x2`` (resp. ``<``), as numpy;
* sign(-0.0) is +0.0 (the standard only says "0");
* complex special cases: Python's ``cmath`` (C99 Annex G) where it answers; where it raises instead
  (cosh, sinh, tanh of infinite parts, atanh's poles, …) the standard's rows are written out here,
  on the quarter plane the standard uses and unfolded by its stated symmetries. Complex is a MAY feature.
"""

from __future__ import annotations

import cmath
import math
import operator
from collections.abc import Callable
from typing import Any

from . import _helpers as h
from . import dtypes as dt
from ._exact import dot_finite
from .array import Array

__all__ = [
    "abs", "acos", "acosh", "add", "asin", "asinh", "atan", "atan2", "atanh",
    "bitwise_and", "bitwise_left_shift", "bitwise_invert", "bitwise_or", "bitwise_right_shift",
    "bitwise_xor", "ceil", "clip", "conj", "copysign", "cos", "cosh", "divide", "equal", "exp",
    "expm1", "floor", "floor_divide", "greater", "greater_equal", "hypot", "imag", "isfinite",
    "isinf", "isnan", "less", "less_equal", "log", "log1p", "log2", "log10", "logaddexp",
    "logical_and", "logical_not", "logical_or", "logical_xor", "maximum", "minimum", "multiply",
    "negative", "nextafter", "not_equal", "positive", "pow", "real", "reciprocal", "remainder",
    "round", "sign", "signbit", "sin", "sinh", "square", "sqrt", "subtract", "tan", "tanh", "trunc",
]

INF = math.inf
NAN = math.nan
_abs = abs  # the builtin; the module defines its own ``abs``
_round = round
_ipow = pow  # the builtin three-argument pow (modular exponentiation)

# ---------------------------------------------------------------------------
# dtype categories used by the standard ("Should have a ... data type")
# ---------------------------------------------------------------------------
_CATEGORIES: dict[str, Callable[[dt.DType], bool]] = {
    "any": lambda d: True,
    "boolean": lambda d: d.is_bool,
    "integer": lambda d: d.is_integer,
    "integer or boolean": lambda d: d.is_integer or d.is_bool,
    "numeric": lambda d: d.is_numeric,
    "real numeric": lambda d: d.is_integer or d.is_real_float,
    "floating-point": lambda d: d.is_float,
    "real floating-point": lambda d: d.is_real_float,
}


def _check(dtype: dt.DType, category: str, name: str) -> None:
    if not _CATEGORIES[category](dtype):
        raise TypeError(f"{name}: input dtype {dtype.name} is not a {category} data type")


def finish(values: list, dtype: dt.DType) -> list:
    """Round / wrap computed Python values into ``dtype``'s value set."""
    if dtype is dt.float64:
        return [float(v) for v in values]
    if dtype is dt.float32:
        return [dt.int_to_f32(v) if isinstance(v, int) else dt.round_f32(v) for v in values]
    if dtype.is_integer:
        return [dt.wrap_int(v, dtype) for v in values]
    if dtype is dt.complex64:
        return [complex(dt.round_f32(v.real), dt.round_f32(v.imag)) for v in map(complex, values)]
    if dtype is dt.complex128:
        return [complex(v) for v in values]
    return [bool(v) for v in values]


def scalar_array(value: bool | int | float | complex, dtype: dt.DType) -> Array:
    """A Python scalar as a 0-d array of ``dtype`` (ints must fit the dtype's range)."""
    if dtype.is_integer:
        lo, hi = dt.int_bounds(dtype)
        if not lo <= value <= hi:
            raise OverflowError(f"Python int {value} is out of bounds for {dtype.name}")
    return Array([dt.cast_scalar(value, dtype)], (), dtype)


def operands(x1: Any, x2: Any, name: str) -> tuple[Array, Array, dt.DType]:
    """Two operands as arrays plus their promoted dtype; at least one must be an array."""
    if isinstance(x1, Array) and isinstance(x2, Array):
        return x1, x2, dt.promote_types(x1.dtype, x2.dtype)
    if isinstance(x1, Array):
        sd = dt.promote_with_scalar(x1.dtype, x2)
        return x1, scalar_array(x2, sd), dt.promote_types(x1.dtype, sd)
    if isinstance(x2, Array):
        sd = dt.promote_with_scalar(x2.dtype, x1)
        return scalar_array(x1, sd), x2, dt.promote_types(sd, x2.dtype)
    raise TypeError(f"{name}: at least one of x1 and x2 must be an array")


def map2(a: Array, b: Array, fn: Callable[[Any, Any], Any], out_dtype: dt.DType) -> Array:
    """Apply ``fn`` to broadcast pairs of elements and round into ``out_dtype``."""
    if a.shape == b.shape:
        shape = a.shape
        values = [fn(u, v) for u, v in zip(a._data, b._data, strict=True)]
    else:
        shape = h.broadcast_shapes(a.shape, b.shape)
        da, db = a._data, b._data
        ia = h.broadcast_index_list(a.shape, shape)
        ib = h.broadcast_index_list(b.shape, shape)
        values = [fn(da[i], db[j]) for i, j in zip(ia, ib, strict=True)]
    return Array(finish(values, out_dtype), shape, out_dtype)


def map1(x: Array, fn: Callable[[Any], Any], out_dtype: dt.DType) -> Array:
    return Array(finish([fn(v) for v in x._data], out_dtype), x.shape, out_dtype)


def _binary(name: str, x1: Any, x2: Any, category: str,
            kernel: Callable[[dt.DType], Callable[[Any, Any], Any]], out: dt.DType | None = None) -> Array:
    a, b, dtype = operands(x1, x2, name)
    _check(dtype, category, name)
    return map2(a, b, kernel(dtype), out or dtype)


def _unary(name: str, x: Any, category: str, kernel: Callable[[dt.DType], Callable[[Any], Any]],
           out: Callable[[dt.DType], dt.DType] | None = None) -> Array:
    if not isinstance(x, Array):
        raise TypeError(f"{name}: x must be an array, got {type(x).__name__}")
    _check(x.dtype, category, name)
    return map1(x, kernel(x.dtype), out(x.dtype) if out else x.dtype)


# ---------------------------------------------------------------------------
# IEEE helpers on Python floats
# ---------------------------------------------------------------------------

def _isnan(v: float) -> bool:
    return v != v


def _isinf(v: float) -> bool:
    return v == INF or v == -INF


def _signbit(v: float) -> bool:
    return math.copysign(1.0, v) < 0


def _is_odd_integer(v: float) -> bool:
    return math.isfinite(v) and v == math.floor(v) and math.fmod(v, 2.0) != 0.0


def fdiv(a: float, b: float) -> float:
    """IEEE division (``/`` raises on a zero divisor; IEEE gives ±inf or NaN)."""
    if b != 0:
        return a / b
    if a != a or a == 0:
        return NAN
    return INF if _signbit(a) == _signbit(b) else -INF


def _cdiv(z: complex, w: complex) -> complex:
    if w.imag == 0:  # the table's "divide by a real c" column: (a/c) + (b/c)j
        return complex(fdiv(z.real, w.real), fdiv(z.imag, w.real))
    return z / w


def _guard_complex(fn: Callable[[complex], complex]) -> Callable[[complex], complex]:
    """cmath raises where C99 Annex G returns infinities; map overflow to inf, domain to NaN."""
    def run(z: complex) -> complex:
        try:
            return fn(z)
        except OverflowError:
            return complex(INF, INF)
        except (ValueError, ZeroDivisionError):
            return complex(NAN, NAN)
    return run


# ---------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------

def add(x1: Array | int | float | complex, x2: Array | int | float | complex, /) -> Array:
    return _binary("add", x1, x2, "numeric", lambda d: operator.add)


def subtract(x1: Array | int | float | complex, x2: Array | int | float | complex, /) -> Array:
    return _binary("subtract", x1, x2, "numeric", lambda d: operator.sub)


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
    return _binary("multiply", x1, x2, "numeric", lambda d: _cmul if d.is_complex else operator.mul)


def _int_true_divide(a: int, b: int) -> float:
    if b == 0:
        return NAN if a == 0 else (INF if a > 0 else -INF)
    try:
        return a / b  # Python's int/int true division is correctly rounded
    except OverflowError:
        return INF if (a > 0) == (b > 0) else -INF


def divide(x1: Array | int | float | complex, x2: Array | int | float | complex, /) -> Array:
    a, b, dtype = operands(x1, x2, "divide")
    _check(dtype, "numeric", "divide")
    if dtype.is_integer:  # implementation-defined: numpy returns float64
        return map2(a, b, _int_true_divide, dt.float64)
    return map2(a, b, _cdiv if dtype.is_complex else fdiv, dtype)


def _python_floor_divide_f32(a: float, b: float) -> float:
    """CPython's float floor division (``float_floor_div``) with every step rounded to binary32."""
    r = dt.round_f32
    mod = math.fmod(a, b)  # exact
    div = r(r(a - mod) / b)
    if mod and (b < 0) != (mod < 0):
        div = r(div - 1.0)
    if not div:
        return math.copysign(0.0, fdiv(a, b))
    if _isinf(div):
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
        if _isnan(a) or _isnan(b):
            return NAN
        if _isinf(a) and _isinf(b):
            return NAN
        if a == 0 and b == 0:
            return NAN
        negative = _signbit(a) != _signbit(b)
        if a == 0:  # ±0 divided by a nonzero (possibly infinite) number
            return -0.0 if negative else 0.0
        if b == 0 or _isinf(a):  # nonzero / ±0, or ±inf / nonzero finite
            return -INF if negative else INF
        if _isinf(b):  # nonzero finite / ±inf: floor(±0) per the standard (Python gives -1.0)
            return -0.0 if negative else 0.0
        if dtype is dt.float32:
            return _python_floor_divide_f32(a, b)
        return a // b
    return kernel


def _floor_divide_int(a: int, b: int) -> int:
    return 0 if b == 0 else a // b  # division by zero: implementation-defined, numpy gives 0


def floor_divide(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return _binary("floor_divide", x1, x2, "real numeric",
                   lambda d: _floor_divide_int if d.is_integer else _floor_divide_float(d))


def _remainder_float(a: float, b: float) -> float:
    # Python's % implements every listed special case except a zero divisor (NaN).
    if b == 0 or _isnan(a) or _isnan(b) or _isinf(a):
        return NAN
    return a % b


def _remainder_int(a: int, b: int) -> int:
    return 0 if b == 0 else a % b


def remainder(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return _binary("remainder", x1, x2, "real numeric",
                   lambda d: _remainder_int if d.is_integer else _remainder_float)


def _pow_float(a: float, b: float) -> float:
    if b == 0:
        return 1.0  # even if a is NaN
    if a == 1:
        return 1.0  # 1 ** y is 1 for every y (including NaN, as C99)
    if _isnan(a) or _isnan(b):
        return NAN
    if a == 0:
        if b > 0:
            return a if _is_odd_integer(b) else 0.0
        return math.copysign(INF, a) if _is_odd_integer(b) else INF
    if a < 0 and math.isfinite(a) and math.isfinite(b) and b != math.floor(b):
        return NAN
    try:
        return math.pow(a, b)
    except OverflowError:
        return -INF if a < 0 and _is_odd_integer(b) else INF
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
        return _cexp(w * _complex_log(z))


def pow(x1: Array | int | float | complex, x2: Array | int | float | complex, /) -> Array:
    def kernel(d: dt.DType) -> Callable[[Any, Any], Any]:
        if d.is_integer:
            return _pow_int(d)
        return _pow_complex if d.is_complex else _pow_float
    return _binary("pow", x1, x2, "numeric", kernel)


def negative(x: Array, /) -> Array:
    return _unary("negative", x, "numeric", lambda d: operator.neg)


def positive(x: Array, /) -> Array:
    return _unary("positive", x, "numeric", lambda d: operator.pos)


def _abs_complex(z: complex) -> float:
    try:
        return _abs(z)
    except OverflowError:
        return INF


def abs(x: Array, /) -> Array:
    return _unary("abs", x, "numeric",
                  lambda d: _abs_complex if d.is_complex else _abs, out=dt.real_dtype_of)


def square(x: Array, /) -> Array:
    return _unary("square", x, "numeric", lambda d: (lambda v: _cmul(v, v)) if d.is_complex else (lambda v: v * v))


def reciprocal(x: Array, /) -> Array:
    return _unary("reciprocal", x, "floating-point",
                  lambda d: (lambda v: _cdiv(1 + 0j, v)) if d.is_complex else (lambda v: fdiv(1.0, v)))


def _sign_real(v: Any) -> Any:
    if isinstance(v, int):
        return (v > 0) - (v < 0)
    if _isnan(v):
        return NAN
    return 1.0 if v > 0 else -1.0 if v < 0 else 0.0


def _sign_complex(z: complex) -> complex:
    if z == 0:
        return complex(0.0, 0.0)
    if _isnan(z.real) or _isnan(z.imag):
        return complex(NAN, NAN)
    return _cdiv(z, complex(_abs_complex(z), 0.0))


def sign(x: Array, /) -> Array:
    return _unary("sign", x, "numeric", lambda d: _sign_complex if d.is_complex else _sign_real)


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------

def equal(x1: Array | int | float | complex | bool, x2: Array | int | float | complex | bool, /) -> Array:
    return _binary("equal", x1, x2, "any", lambda d: operator.eq, out=dt.bool_)


def not_equal(x1: Array | int | float | complex | bool, x2: Array | int | float | complex | bool, /) -> Array:
    return _binary("not_equal", x1, x2, "any", lambda d: operator.ne, out=dt.bool_)


def less(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return _binary("less", x1, x2, "real numeric", lambda d: operator.lt, out=dt.bool_)


def less_equal(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return _binary("less_equal", x1, x2, "real numeric", lambda d: operator.le, out=dt.bool_)


def greater(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return _binary("greater", x1, x2, "real numeric", lambda d: operator.gt, out=dt.bool_)


def greater_equal(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return _binary("greater_equal", x1, x2, "real numeric", lambda d: operator.ge, out=dt.bool_)


def _maximum(a: Any, b: Any) -> Any:
    if _isnan(a) or _isnan(b):
        return NAN
    return a if a > b else b


def _minimum(a: Any, b: Any) -> Any:
    if _isnan(a) or _isnan(b):
        return NAN
    return a if a < b else b


def maximum(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return _binary("maximum", x1, x2, "real numeric", lambda d: _maximum)


def minimum(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return _binary("minimum", x1, x2, "real numeric", lambda d: _minimum)


def clip(x: Array, /, min: Array | int | float | None = None, max: Array | int | float | None = None) -> Array:
    """Clamp to [min, max], NaN in any operand giving NaN.

    Unspecified by the standard, chosen here: min > max gives max (numpy's
    ``minimum(maximum(x, min), max)``); min/max of a different dtype than x, or outside x's
    integer range, raise TypeError / OverflowError.
    """
    if not isinstance(x, Array):
        raise TypeError("clip: x must be an array")
    _check(x.dtype, "real numeric", "clip")
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


# ---------------------------------------------------------------------------
# Logical and bitwise
# ---------------------------------------------------------------------------

def logical_and(x1: Array | bool, x2: Array | bool, /) -> Array:
    return _binary("logical_and", x1, x2, "boolean", lambda d: lambda a, b: a and b)


def logical_or(x1: Array | bool, x2: Array | bool, /) -> Array:
    return _binary("logical_or", x1, x2, "boolean", lambda d: lambda a, b: a or b)


def logical_xor(x1: Array | bool, x2: Array | bool, /) -> Array:
    return _binary("logical_xor", x1, x2, "boolean", lambda d: operator.ne)


def logical_not(x: Array, /) -> Array:
    return _unary("logical_not", x, "boolean", lambda d: operator.not_)


def bitwise_and(x1: Array | int | bool, x2: Array | int | bool, /) -> Array:
    return _binary("bitwise_and", x1, x2, "integer or boolean", lambda d: operator.and_)


def bitwise_or(x1: Array | int | bool, x2: Array | int | bool, /) -> Array:
    return _binary("bitwise_or", x1, x2, "integer or boolean", lambda d: operator.or_)


def bitwise_xor(x1: Array | int | bool, x2: Array | int | bool, /) -> Array:
    return _binary("bitwise_xor", x1, x2, "integer or boolean", lambda d: operator.xor)


def bitwise_invert(x: Array, /) -> Array:
    return _unary("bitwise_invert", x, "integer or boolean",
                  lambda d: operator.not_ if d.is_bool else operator.invert)


def _shift_left(dtype: dt.DType) -> Callable[[int, int], int]:
    return lambda a, s: a << s if 0 <= s < dtype.bits else 0


def _shift_right(dtype: dt.DType) -> Callable[[int, int], int]:
    return lambda a, s: a >> s if 0 <= s < dtype.bits else (-1 if a < 0 else 0)


def bitwise_left_shift(x1: Array | int, x2: Array | int, /) -> Array:
    return _binary("bitwise_left_shift", x1, x2, "integer", _shift_left)


def bitwise_right_shift(x1: Array | int, x2: Array | int, /) -> Array:
    return _binary("bitwise_right_shift", x1, x2, "integer", _shift_right)


# ---------------------------------------------------------------------------
# Classification, sign bits, complex parts
# ---------------------------------------------------------------------------

def _parts_any(test: Callable[[float], bool]) -> Callable[[Any], bool]:
    def run(v: Any) -> bool:
        if isinstance(v, complex):
            return test(v.real) or test(v.imag)
        if isinstance(v, float):
            return test(v)
        return False
    return run


def isnan(x: Array, /) -> Array:
    return _unary("isnan", x, "numeric", lambda d: _parts_any(_isnan), out=lambda d: dt.bool_)


def isinf(x: Array, /) -> Array:
    return _unary("isinf", x, "numeric", lambda d: _parts_any(_isinf), out=lambda d: dt.bool_)


def isfinite(x: Array, /) -> Array:
    finite = _parts_any(lambda v: not math.isfinite(v))
    return _unary("isfinite", x, "numeric", lambda d: lambda v: not finite(v), out=lambda d: dt.bool_)


def signbit(x: Array, /) -> Array:
    return _unary("signbit", x, "real floating-point", lambda d: _signbit, out=lambda d: dt.bool_)


def copysign(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return _binary("copysign", x1, x2, "real floating-point", lambda d: math.copysign)


def real(x: Array, /) -> Array:
    return _unary("real", x, "numeric", lambda d: (lambda v: v.real) if d.is_complex else (lambda v: v),
                  out=dt.real_dtype_of)


def imag(x: Array, /) -> Array:
    return _unary("imag", x, "floating-point",
                  lambda d: (lambda v: v.imag) if d.is_complex else (lambda v: 0.0), out=dt.real_dtype_of)


def conj(x: Array, /) -> Array:
    return _unary("conj", x, "numeric", lambda d: (lambda v: v.conjugate()) if d.is_complex else (lambda v: v))


# ---------------------------------------------------------------------------
# Rounding
# ---------------------------------------------------------------------------

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
    return _unary("ceil", x, "real numeric", lambda d: _rounding(math.ceil))


def floor(x: Array, /) -> Array:
    return _unary("floor", x, "real numeric", lambda d: _rounding(math.floor))


def trunc(x: Array, /) -> Array:
    return _unary("trunc", x, "real numeric", lambda d: _rounding(math.trunc))


def round(x: Array, /) -> Array:
    """Round half to even (Python's ``round`` of a float is exactly that)."""
    return _unary("round", x, "numeric", lambda d: _rounding(_round))


# ---------------------------------------------------------------------------
# Transcendental functions (real kernels in double, explicit domain / overflow cases)
# ---------------------------------------------------------------------------

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
    return lambda v: NAN if _isinf(v) else fn(v)


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


def _complex_log(z: complex) -> complex:
    if z == 0:
        return complex(-INF, math.atan2(z.imag, z.real))
    return cmath.log(z)


def _complex_log1p(z: complex) -> complex:
    """log(1 + z); near 0 the real part is 0.5*log1p(2a + a^2 + b^2) to avoid cancellation."""
    a, b = z.real, z.imag
    if _abs(a) < 0.5 and _abs(b) < 0.5:
        return complex(0.5 * math.log1p(a * (2.0 + a) + b * b), math.atan2(b, 1.0 + a))
    return _complex_log(complex(1.0 + a, b))  # not 1 + z: that would turn an imaginary -0 into +0


def _complex_log_base(base: float) -> Callable[[complex], complex]:
    """log(z) / log(base), dividing each part (complex division would turn -inf + 0j into NaN)."""
    scale = math.log(base)

    def run(z: complex) -> complex:
        w = _complex_log(z)
        return complex(w.real / scale, w.imag / scale)
    return run


def _exp_times(a: float, t: float) -> float:
    """exp(a) * t for finite a and t without spurious overflow (exact zero t keeps its sign)."""
    if t == 0:
        return t
    try:
        return math.exp(a) * t
    except OverflowError:  # exp(a) alone overflows; (exp(a/2) * t) * exp(a/2) may not
        try:
            half = math.exp(a / 2)
        except OverflowError:
            return math.copysign(INF, t)
        return (half * t) * half


def _cosh_sinh_times(a: float, t: float, odd: bool) -> float:
    """cosh(a) * t (or sinh(a) * t when ``odd``) for finite a and t, overflow-safe."""
    if t == 0:
        return t * (-1.0 if odd and _signbit(a) else 1.0)
    try:
        return (math.sinh(a) if odd else math.cosh(a)) * t
    except OverflowError:  # |a| > ~710: cosh(a) = |sinh(a)| = exp(|a|) / 2
        sign = -1.0 if odd and a < 0 else 1.0
        return sign * _exp_times(_abs(a), t / 2)


def _with_cmath_specials(finite: Callable[[float, float], complex], fallback: Callable[[complex], complex]):
    """Finite inputs through ``finite`` (overflow-safe real formulas, or cmath); non-finite ones through
    ``fallback``: the standard's rows written out, where cmath raises instead of answering."""
    def run(z: complex) -> complex:
        if math.isfinite(z.real) and math.isfinite(z.imag):
            return finite(z.real, z.imag)
        return _guard_complex(fallback)(z)
    return run


def _nan_or_plus_infinity(a: float, b: float) -> complex:
    """The rows exp, cosh and sinh share for a real part a = NaN or +infinity."""
    if _isnan(a):
        return complex(NAN, b) if b == 0 else complex(NAN, NAN)
    if b == 0:
        return complex(INF, b)
    if math.isfinite(b):  # +infinity * cis(b)
        return complex(math.copysign(INF, math.cos(b)), math.copysign(INF, math.sin(b)))
    return complex(INF, NAN)


def _cexp_nonfinite(z: complex) -> complex:
    """The standard's special cases of exp for a non-finite real or imaginary part."""
    a, b = z.real, z.imag
    if _isnan(a) or a == INF:
        return _nan_or_plus_infinity(a, b)
    if a == -INF:  # +0 * cis(b); signs unspecified when b is not finite
        return complex(0.0 * math.cos(b), 0.0 * math.sin(b)) if math.isfinite(b) else complex(0.0, 0.0)
    return complex(NAN, NAN)  # finite a with b = ±infinity or NaN


def _unfold(quadrant: Callable[[float, float], complex], parity: str) -> Callable[[complex], complex]:
    """Evaluate a conjugate-symmetric, even or odd function from its values for a, b >= 0, the quarter
    of the plane where the standard writes its special cases: f(conj z) = conj f(z) and f(-z) = ±f(z)."""
    def run(z: complex) -> complex:
        a, b = z.real, z.imag
        sign = 1.0
        if _signbit(a):
            a, b = -a, -b
            sign = -1.0 if parity == "odd" else 1.0
        conjugate = _signbit(b)
        w = quadrant(a, -b if conjugate else b)
        w = complex(w.real, -w.imag) if conjugate else w
        return complex(sign * w.real, sign * w.imag)
    return run


def _hyperbolic_quadrant(odd: bool) -> Callable[[float, float], complex]:
    """The standard's special cases of cosh (sinh when ``odd``) for a, b >= 0, one of them not finite.

    The two share every row but a = +0 with b = +infinity or NaN: cosh gives NaN + 0j, sinh 0 + NaN j
    (the zero's sign is unspecified in both)."""
    def run(a: float, b: float) -> complex:
        if _isnan(a) or a == INF:
            return _nan_or_plus_infinity(a, b)
        if a == 0:  # b = +infinity or NaN
            return complex(a, NAN) if odd else complex(NAN, a)
        return complex(NAN, NAN)  # finite nonzero a, b = +infinity or NaN
    return run


def _tanh_quadrant(a: float, b: float) -> complex:
    """The standard's special cases of tanh (a, b >= 0, one of them not finite)."""
    if _isnan(a):
        return complex(NAN, b) if b == 0 else complex(NAN, NAN)
    if a == INF:  # 1 + 0j; for finite b the zero takes the sign of sin(2b) = 2 sin(b) cos(b), as in C99
        return complex(1.0, math.copysign(0.0, math.sin(b) * math.cos(b)) if math.isfinite(b) else 0.0)
    return complex(a, NAN) if a == 0 else complex(NAN, NAN)  # finite a, b = +infinity or NaN


def _catanh(z: complex) -> complex:
    if _abs(z.real) == 1 and z.imag == 0:  # the poles: atanh(±1 ± 0j) = ±infinity ± 0j
        return complex(math.copysign(INF, z.real), z.imag)
    return cmath.atanh(z)


def _cacosh(z: complex) -> complex:
    if z.real == 0 and _isnan(z.imag):  # NaN ± πj/2 (sign unspecified); cmath answers NaN + NaN j
        return complex(NAN, math.pi / 2)
    return cmath.acosh(z)


def _rotated(fn: Callable[[complex], complex]) -> Callable[[complex], complex]:
    """-1j * fn(z * 1j), multiplying by the imaginary unit exactly (tan from tanh, atan from atanh)."""
    def run(z: complex) -> complex:
        w = fn(complex(-z.imag, z.real))
        return complex(w.imag, -w.real)
    return run


_ctanh = _with_cmath_specials(lambda a, b: cmath.tanh(complex(a, b)), _unfold(_tanh_quadrant, "odd"))

_cexp = _with_cmath_specials(lambda a, b: complex(_exp_times(a, math.cos(b)), _exp_times(a, math.sin(b))),
                             _cexp_nonfinite)
_ccosh = _with_cmath_specials(lambda a, b: complex(_cosh_sinh_times(a, math.cos(b), odd=False),
                                                   _cosh_sinh_times(a, math.sin(b), odd=True)),
                              _unfold(_hyperbolic_quadrant(odd=False), "even"))
_csinh = _with_cmath_specials(lambda a, b: complex(_cosh_sinh_times(a, math.cos(b), odd=True),
                                                   _cosh_sinh_times(a, math.sin(b), odd=False)),
                              _unfold(_hyperbolic_quadrant(odd=True), "odd"))


def _ccos(z: complex) -> complex:
    return _ccosh(complex(-z.imag, z.real))  # cos(z) = cosh(iz)


def _csin(z: complex) -> complex:
    w = _csinh(complex(-z.imag, z.real))  # sin(z) = -i sinh(iz)
    return complex(w.imag, -w.real)


def _cexpm1(z: complex) -> complex:
    a, b = z.real, z.imag
    if not (math.isfinite(a) and math.isfinite(b)):
        return _cexp(z) - 1
    try:  # exp(a)cos(b) - 1 = expm1(a)cos(b) - 2 sin^2(b/2), accurate near 0
        real = math.expm1(a) * math.cos(b) - 2.0 * math.sin(b / 2) ** 2
    except OverflowError:
        real = _exp_times(a, math.cos(b))
    return complex(real, _exp_times(a, math.sin(b)))


def _float_unary(name: str, x: Array, real_fn: Callable[[float], float],
                 complex_fn: Callable[[complex], complex] | None) -> Array:
    def kernel(d: dt.DType) -> Callable[[Any], Any]:
        if d.is_complex:
            if complex_fn is None:
                raise TypeError(f"{name}: complex input is not supported")
            return _guard_complex(complex_fn)
        return real_fn
    return _unary(name, x, "floating-point", kernel)


def acos(x: Array, /) -> Array:
    return _float_unary("acos", x, _acos, cmath.acos)


def acosh(x: Array, /) -> Array:
    return _float_unary("acosh", x, _acosh, _cacosh)


def asin(x: Array, /) -> Array:
    return _float_unary("asin", x, _asin, cmath.asin)


def asinh(x: Array, /) -> Array:
    return _float_unary("asinh", x, math.asinh, cmath.asinh)


def atan(x: Array, /) -> Array:
    return _float_unary("atan", x, math.atan, _rotated(_catanh))


def atanh(x: Array, /) -> Array:
    return _float_unary("atanh", x, _atanh, _catanh)


def cos(x: Array, /) -> Array:
    return _float_unary("cos", x, _periodic(math.cos), _ccos)


def sin(x: Array, /) -> Array:
    return _float_unary("sin", x, _periodic(math.sin), _csin)


def tan(x: Array, /) -> Array:
    return _float_unary("tan", x, _periodic(math.tan), _rotated(_ctanh))


def cosh(x: Array, /) -> Array:
    return _float_unary("cosh", x, _overflowing(math.cosh, odd=False), _ccosh)


def sinh(x: Array, /) -> Array:
    return _float_unary("sinh", x, _overflowing(math.sinh, odd=True), _csinh)


def tanh(x: Array, /) -> Array:
    return _float_unary("tanh", x, math.tanh, _ctanh)


def exp(x: Array, /) -> Array:
    return _float_unary("exp", x, _overflowing(math.exp, odd=False), _cexp)


def expm1(x: Array, /) -> Array:
    return _float_unary("expm1", x, _overflowing(math.expm1, odd=False), _cexpm1)


def log(x: Array, /) -> Array:
    return _float_unary("log", x, _logarithm(math.log, 0.0), _complex_log)


def log1p(x: Array, /) -> Array:
    return _float_unary("log1p", x, _logarithm(math.log1p, -1.0), _complex_log1p)


def log2(x: Array, /) -> Array:
    return _float_unary("log2", x, _logarithm(math.log2, 0.0), _complex_log_base(2.0))


def log10(x: Array, /) -> Array:
    return _float_unary("log10", x, _logarithm(math.log10, 0.0), _complex_log_base(10.0))


def sqrt(x: Array, /) -> Array:
    return _float_unary("sqrt", x, lambda v: NAN if v < 0 else math.sqrt(v), cmath.sqrt)


def atan2(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    """C99 ``atan2`` special cases; Python's ``math.atan2`` implements them."""
    return _binary("atan2", x1, x2, "real floating-point", lambda d: math.atan2)


def hypot(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    """``math.hypot``: +inf if either is infinite (even with NaN), no undue overflow."""
    return _binary("hypot", x1, x2, "real floating-point", lambda d: math.hypot)


def _logaddexp(a: float, b: float) -> float:
    if _isnan(a) or _isnan(b):
        return NAN
    if a == INF or b == INF:
        return INF
    big, small = (a, b) if a >= b else (b, a)
    if big == -INF:
        return -INF
    return big + math.log1p(math.exp(small - big))


def logaddexp(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return _binary("logaddexp", x1, x2, "real floating-point", lambda d: _logaddexp)


def _nextafter32(a: float, b: float) -> float:
    """Next binary32 value after ``a`` toward ``b``, by stepping the bit pattern."""
    import struct

    if _isnan(a) or _isnan(b):
        return NAN
    if a == b:
        return b
    if a == 0:
        return math.copysign(2.0 ** -149, b)  # smallest subnormal toward b
    bits = struct.unpack("<I", struct.pack("<f", a))[0]
    bits += 1 if (b > a) == (a > 0) else -1  # away from zero increases the magnitude
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _nextafter64(a: float, b: float) -> float:
    if _isnan(a) or _isnan(b):
        return NAN
    return math.nextafter(a, b)


def nextafter(x1: Array | int | float, x2: Array | int | float, /) -> Array:
    return _binary("nextafter", x1, x2, "real floating-point",
                   lambda d: _nextafter32 if d is dt.float32 else _nextafter64)
