"""Data type functions: astype, can_cast, finfo, iinfo, isdtype, result_type.

astype conversions (standard): bool -> numeric gives 0/1; numeric -> bool is "nonzero"
(NaN is True); float -> integer truncates toward zero; complex -> real is not permitted
(TypeError) except to bool.  Unspecified, chosen here: out-of-range float -> int and
int -> narrower int wrap around; NaN/inf -> int raise ValueError.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from . import dtypes as dt
from .array import Array, check_device

__all__ = ["astype", "can_cast", "finfo", "iinfo", "isdtype", "result_type", "finfo_object", "iinfo_object"]


def astype(x: Array, dtype: dt.DType, /, *, copy: bool = True, device: Any = None) -> Array:
    check_device(device)
    if not isinstance(dtype, dt.DType):
        raise TypeError(f"astype: expected a dtype, got {dtype!r}")
    if dtype is x.dtype and not copy:
        return x
    if x.dtype.is_complex and not (dtype.is_complex or dtype.is_bool):
        raise TypeError(f"astype: casting {x.dtype.name} to {dtype.name} is not permitted")
    return Array([dt.cast_scalar(v, dtype) for v in x._data], x.shape, dtype)


def can_cast(from_: dt.DType | Array, to: dt.DType, /) -> bool:
    """True when the promotion lattice leads from ``from_`` to ``to`` (a safe cast)."""
    src = from_.dtype if isinstance(from_, Array) else from_
    try:
        return dt.promote_types(src, to) is to
    except TypeError:
        return False


@dataclass(frozen=True)
class finfo_object:  # noqa: N801 (the standard's name)
    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    dtype: dt.DType


@dataclass(frozen=True)
class iinfo_object:  # noqa: N801
    bits: int
    max: int
    min: int
    dtype: dt.DType


def finfo(type: dt.DType | Array, /) -> finfo_object:  # noqa: A002 (the standard's parameter name)
    d = type.dtype if isinstance(type, Array) else type
    if not isinstance(d, dt.DType) or not d.is_float:
        raise TypeError(f"finfo: a floating-point dtype is required, got {d!r}")
    real = dt.real_dtype_of(d)
    if real is dt.float32:
        return finfo_object(32, 2.0 ** -23, dt.F32_MAX, -dt.F32_MAX, 2.0 ** -126, real)
    return finfo_object(64, sys.float_info.epsilon, sys.float_info.max, -sys.float_info.max,
                        sys.float_info.min, real)


def iinfo(type: dt.DType | Array, /) -> iinfo_object:  # noqa: A002
    d = type.dtype if isinstance(type, Array) else type
    if not isinstance(d, dt.DType) or not d.is_integer:
        raise TypeError(f"iinfo: an integer dtype is required, got {d!r}")
    lo, hi = dt.int_bounds(d)
    return iinfo_object(d.bits, hi, lo, d)


_KINDS = {
    "bool": lambda d: d.is_bool,
    "signed integer": lambda d: d.kind == "i",
    "unsigned integer": lambda d: d.kind == "u",
    "integral": lambda d: d.is_integer,
    "real floating": lambda d: d.is_real_float,
    "complex floating": lambda d: d.is_complex,
    "numeric": lambda d: d.is_numeric,
}


def isdtype(dtype: dt.DType, kind: dt.DType | str | tuple[dt.DType | str, ...]) -> bool:
    """Whether ``dtype`` is ``kind``: a dtype, a kind name, or a tuple of either (any match)."""
    if not isinstance(dtype, dt.DType):
        raise TypeError(f"isdtype: expected a dtype, got {dtype!r}")
    if isinstance(kind, tuple):
        return any(isdtype(dtype, k) for k in kind)
    if isinstance(kind, dt.DType):
        return dtype is kind
    if kind in _KINDS:
        return _KINDS[kind](dtype)
    raise ValueError(f"isdtype: unknown kind {kind!r}")


def result_type(*arrays_and_dtypes: Array | dt.DType | bool | int | float | complex) -> dt.DType:
    """Promote arrays and dtypes on the lattice, then apply any Python scalars (2024.12)."""
    dtypes = [a.dtype if isinstance(a, Array) else a for a in arrays_and_dtypes
              if isinstance(a, (Array, dt.DType))]
    scalars = [a for a in arrays_and_dtypes if not isinstance(a, (Array, dt.DType))]
    if not dtypes:
        raise ValueError("result_type: at least one array or dtype is required")
    result = dtypes[0]
    for d in dtypes[1:]:
        result = dt.promote_types(result, d)
    for s in scalars:
        result = dt.promote_types(result, dt.promote_with_scalar(result, s))
    return result
