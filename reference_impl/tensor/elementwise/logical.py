"""Logical (boolean) and bitwise (integer or boolean) functions.

Choice where the standard says "unspecified": a shift by a negative amount or by at least the
bit width gives 0 for a left shift and 0 or -1 (sign fill) for a right shift.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from .. import dtypes as dt
from ..array import Array
from .core import binary, unary

__all__ = [
    "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor",
    "bitwise_invert", "bitwise_left_shift", "bitwise_right_shift",
]


def logical_and(x1: Array | bool, x2: Array | bool, /) -> Array:
    return binary("logical_and", x1, x2, "boolean", lambda d: lambda a, b: a and b)


def logical_or(x1: Array | bool, x2: Array | bool, /) -> Array:
    return binary("logical_or", x1, x2, "boolean", lambda d: lambda a, b: a or b)


def logical_xor(x1: Array | bool, x2: Array | bool, /) -> Array:
    return binary("logical_xor", x1, x2, "boolean", lambda d: operator.ne)


def logical_not(x: Array, /) -> Array:
    return unary("logical_not", x, "boolean", lambda d: operator.not_)


def bitwise_and(x1: Array | int | bool, x2: Array | int | bool, /) -> Array:
    return binary("bitwise_and", x1, x2, "integer or boolean", lambda d: operator.and_)


def bitwise_or(x1: Array | int | bool, x2: Array | int | bool, /) -> Array:
    return binary("bitwise_or", x1, x2, "integer or boolean", lambda d: operator.or_)


def bitwise_xor(x1: Array | int | bool, x2: Array | int | bool, /) -> Array:
    return binary("bitwise_xor", x1, x2, "integer or boolean", lambda d: operator.xor)


def bitwise_invert(x: Array, /) -> Array:
    return unary("bitwise_invert", x, "integer or boolean",
                 lambda d: operator.not_ if d.is_bool else operator.invert)


def _shift_left(dtype: dt.DType) -> Callable[[int, int], int]:
    return lambda a, s: a << s if 0 <= s < dtype.bits else 0


def _shift_right(dtype: dt.DType) -> Callable[[int, int], int]:
    return lambda a, s: a >> s if 0 <= s < dtype.bits else (-1 if a < 0 else 0)


def bitwise_left_shift(x1: Array | int, x2: Array | int, /) -> Array:
    return binary("bitwise_left_shift", x1, x2, "integer", _shift_left)


def bitwise_right_shift(x1: Array | int, x2: Array | int, /) -> Array:
    return binary("bitwise_right_shift", x1, x2, "integer", _shift_right)
