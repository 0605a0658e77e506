"""What every element-wise function shares: dtype categories, operands, broadcasting, rounding.

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

Choices where the standard says "unspecified" / "implementation-defined" (numpy-compatible):
* mixing kinds (bool/int/float arrays) or unsupported dtypes for a function: TypeError;
* Python int scalar outside the array dtype's range: OverflowError.

``finish`` and ``operands`` are reused by ``linalg``, ``statistics`` and ``searching``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .. import _helpers as h
from .. import dtypes as dt
from ..array import Array

INF = math.inf
NAN = math.nan

# dtype categories used by the standard ("Should have a ... data type")
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


def check_category(dtype: dt.DType, category: str, name: str) -> None:
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


def binary(name: str, x1: Any, x2: Any, category: str,
           kernel: Callable[[dt.DType], Callable[[Any, Any], Any]], out: dt.DType | None = None) -> Array:
    a, b, dtype = operands(x1, x2, name)
    check_category(dtype, category, name)
    return map2(a, b, kernel(dtype), out or dtype)


def unary(name: str, x: Any, category: str, kernel: Callable[[dt.DType], Callable[[Any], Any]],
          out: Callable[[dt.DType], dt.DType] | None = None) -> Array:
    if not isinstance(x, Array):
        raise TypeError(f"{name}: x must be an array, got {type(x).__name__}")
    check_category(x.dtype, category, name)
    return map1(x, kernel(x.dtype), out(x.dtype) if out else x.dtype)


# IEEE helpers on Python floats (Python's operators raise where IEEE 754 answers)

def is_nan(v: float) -> bool:
    return v != v


def is_inf(v: float) -> bool:
    return v == INF or v == -INF


def sign_bit(v: float) -> bool:
    return math.copysign(1.0, v) < 0


def is_odd_integer(v: float) -> bool:
    return math.isfinite(v) and v == math.floor(v) and math.fmod(v, 2.0) != 0.0


def fdiv(a: float, b: float) -> float:
    """IEEE division (``/`` raises on a zero divisor; IEEE gives ±inf or NaN)."""
    if b != 0:
        return a / b
    if a != a or a == 0:
        return NAN
    return INF if sign_bit(a) == sign_bit(b) else -INF


def cdiv(z: complex, w: complex) -> complex:
    if w.imag == 0:  # the table's "divide by a real c" column: (a/c) + (b/c)j
        return complex(fdiv(z.real, w.real), fdiv(z.imag, w.real))
    return z / w


def guard_complex(fn: Callable[[complex], complex]) -> Callable[[complex], complex]:
    """cmath raises where C99 Annex G returns infinities; map overflow to inf, domain to NaN."""
    def run(z: complex) -> complex:
        try:
            return fn(z)
        except OverflowError:
            return complex(INF, INF)
        except (ValueError, ZeroDivisionError):
            return complex(NAN, NAN)
    return run
