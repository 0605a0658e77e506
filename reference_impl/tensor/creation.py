"""Creation functions of the standard: arange, asarray, empty/zeros/ones/full (+ _like), eye,
linspace, meshgrid, tril, triu.

Default dtypes (library choices the standard allows): int64, float64, complex128.
``empty`` returns zeros (the standard leaves the contents uninitialised).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from . import _helpers as h
from . import dtypes as dt
from . import revision
from .array import Array, check_device

__all__ = ["arange", "asarray", "empty", "empty_like", "eye", "full", "full_like", "linspace",
           "meshgrid", "ones", "ones_like", "tril", "triu", "zeros", "zeros_like"]


def _filled(shape: int | Sequence[int], value: Any, dtype: dt.DType) -> Array:
    shape = h.normalize_shape(shape)
    return Array([dt.cast_scalar(value, dtype)] * h.size_of(shape), shape, dtype)


def _dtype_of_scalar(value: Any) -> dt.DType:
    if isinstance(value, bool):
        return dt.bool_
    if isinstance(value, int):
        return dt.default_int
    if isinstance(value, float):
        return dt.default_float
    if isinstance(value, complex):
        return dt.default_complex
    raise TypeError(f"expected a Python scalar, got {type(value).__name__}")


def zeros(shape: int | tuple[int, ...], *, dtype: dt.DType | None = None, device: Any = None) -> Array:
    check_device(device)
    return _filled(shape, 0, dtype or dt.default_float)


def ones(shape: int | tuple[int, ...], *, dtype: dt.DType | None = None, device: Any = None) -> Array:
    check_device(device)
    return _filled(shape, 1, dtype or dt.default_float)


def empty(shape: int | tuple[int, ...], *, dtype: dt.DType | None = None, device: Any = None) -> Array:
    check_device(device)
    return _filled(shape, 0, dtype or dt.default_float)


def full(shape: int | tuple[int, ...], fill_value: bool | int | float | complex, *,
         dtype: dt.DType | None = None, device: Any = None) -> Array:
    check_device(device)
    return _filled(shape, fill_value, dtype or _dtype_of_scalar(fill_value))


def zeros_like(x: Array, /, *, dtype: dt.DType | None = None, device: Any = None) -> Array:
    check_device(device)
    return _filled(x.shape, 0, dtype or x.dtype)


def ones_like(x: Array, /, *, dtype: dt.DType | None = None, device: Any = None) -> Array:
    check_device(device)
    return _filled(x.shape, 1, dtype or x.dtype)


def empty_like(x: Array, /, *, dtype: dt.DType | None = None, device: Any = None) -> Array:
    check_device(device)
    return _filled(x.shape, 0, dtype or x.dtype)


def full_like(x: Array, /, fill_value: bool | int | float | complex, *, dtype: dt.DType | None = None,
              device: Any = None) -> Array:
    check_device(device)
    return _filled(x.shape, fill_value, dtype or x.dtype)


def eye(n_rows: int, n_cols: int | None = None, /, *, k: int = 0, dtype: dt.DType | None = None,
        device: Any = None) -> Array:
    """Ones on the k-th diagonal (k > 0 above, k < 0 below the main diagonal)."""
    check_device(device)
    dtype = dtype or dt.default_float
    n_cols = n_rows if n_cols is None else n_cols
    one, zero = dt.cast_scalar(1, dtype), dt.cast_scalar(0, dtype)
    data = [one if j - i == k else zero for i in range(n_rows) for j in range(n_cols)]
    return Array(data, (n_rows, n_cols), dtype)


def arange(start: int | float, /, stop: int | float | None = None, step: int | float = 1, *,
           dtype: dt.DType | None = None, device: Any = None) -> Array:
    """Values start + i*step for 0 <= i < ceil((stop - start) / step) (length 0 if negative).

    Length and values are computed exactly (rationals) and each value is rounded once; the
    standard does not fix how floating-point libraries round here (numpy uses
    start + i*((start + step) - start) in the output precision), so float results may
    differ from a library's in the last bit.
    """
    check_device(device)
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ValueError("arange: step must be nonzero")
    if dtype is None:
        all_int = all(isinstance(v, int) for v in (start, stop, step))
        dtype = dt.default_int if all_int else dt.default_float
    length = max(math.ceil((Fraction(stop) - Fraction(start)) / Fraction(step)), 0)
    # each value is start + i*step computed exactly and rounded once into the dtype
    values = [Fraction(start) + i * Fraction(step) for i in range(length)]
    if dtype.is_integer:
        values = [int(v) for v in values]
    else:
        values = [float(v) for v in values]
    return Array([dt.cast_scalar(v, dtype) for v in values], (length,), dtype)


def asarray(obj: Any, /, *, dtype: dt.DType | None = None, device: Any = None, copy: bool | None = None) -> Array:
    """Array from an array, a Python scalar or a nested sequence of scalars.

    Without ``dtype``: all bools -> bool, ints (and bools) -> int64, any float -> float64,
    any complex -> complex128.  ``copy=False`` raises ValueError when a copy is needed.
    """
    check_device(device)
    if isinstance(obj, Array):
        if dtype is None or dtype is obj.dtype:
            return Array(list(obj._data), obj.shape, obj.dtype) if copy else obj
        if copy is False:
            raise ValueError("asarray: a dtype conversion needs a copy but copy=False")
        return Array([dt.cast_scalar(v, dtype) for v in obj._data], obj.shape, dtype)
    if copy is False:
        raise ValueError("asarray: converting a Python object always copies; copy=False is impossible")
    flat: list = []
    shape = _nested_shape(obj, flat)
    if dtype is None:
        if flat and all(isinstance(v, bool) for v in flat):
            dtype = dt.bool_
        elif any(isinstance(v, complex) for v in flat):
            dtype = dt.default_complex
        elif any(isinstance(v, float) for v in flat) or not flat:
            dtype = dt.default_float
        else:
            dtype = dt.default_int
            lo, hi = dt.int_bounds(dtype)
            if any(not lo <= v <= hi for v in flat):
                raise OverflowError("asarray: Python int out of int64 range")
    return Array([dt.cast_scalar(v, dtype) for v in flat], shape, dtype)


def _nested_shape(obj: Any, flat: list) -> tuple[int, ...]:
    """Shape of a rectangular nested sequence; appends its scalars to ``flat``."""
    if isinstance(obj, (bool, int, float, complex)):
        flat.append(obj)
        return ()
    if isinstance(obj, Array):
        flat.extend(obj._data)
        return obj.shape
    if not isinstance(obj, Sequence) or isinstance(obj, (str, bytes)):
        raise TypeError(f"asarray: unsupported object of type {type(obj).__name__}")
    shapes = [_nested_shape(item, flat) for item in obj]
    if any(s != shapes[0] for s in shapes):
        raise ValueError("asarray: nested sequences are not rectangular")
    return (len(obj),) + (shapes[0] if shapes else ())


def linspace(start: int | float | complex, stop: int | float | complex, /, num: int, *,
             dtype: dt.DType | None = None, device: Any = None, endpoint: bool = True) -> Array:
    """``num`` evenly spaced values; each computed exactly as start + i*(stop-start)/div, rounded once."""
    check_device(device)
    if num < 0:
        raise ValueError("linspace: num must be non-negative")
    is_complex = isinstance(start, complex) or isinstance(stop, complex)
    dtype = dtype or (dt.default_complex if is_complex else dt.default_float)
    div = (num - 1) if endpoint else num

    def points(a: float, b: float) -> list[float]:
        if not (math.isfinite(a) and math.isfinite(b)):
            step = (b - a) / div if div else math.nan
            return [a + i * step for i in range(num)]
        fa, fb = Fraction(a), Fraction(b)
        out = [float(fa + (fb - fa) * i / div) if div else float(fa) for i in range(num)]
        if endpoint and num > 1:
            out[-1] = float(b)
        return out

    if is_complex:
        s, t = complex(start), complex(stop)
        values: list = [complex(r, i) for r, i in zip(points(s.real, t.real), points(s.imag, t.imag), strict=True)]
    else:
        values = points(float(start), float(stop))
    return Array([dt.cast_scalar(v, dtype) for v in values], (num,), dtype)


def meshgrid(*arrays: Array, indexing: str = "xy") -> list[Array] | tuple[Array, ...]:
    """Coordinate grids from 1-D arrays; 'xy' swaps the first two output axes (Cartesian)."""
    if indexing not in ("xy", "ij"):
        raise ValueError("meshgrid: indexing must be 'xy' or 'ij'")
    for a in arrays:
        if a.ndim != 1:
            raise ValueError("meshgrid: inputs must be one-dimensional")
    if len({a.dtype for a in arrays}) > 1:
        raise TypeError("meshgrid: inputs must share one dtype")
    sizes = [a.size for a in arrays]
    if indexing == "xy" and len(arrays) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    shape = tuple(sizes)
    out = []
    for n, a in enumerate(arrays):
        axis = n
        if indexing == "xy" and len(arrays) >= 2 and n < 2:
            axis = 1 - n
        st = [0] * len(shape)
        st[axis] = 1
        out.append(Array([a._data[i] for i in h.gather_indices(0, shape, st)], shape, a.dtype))
    return revision.several(out)


def _triangle(x: Array, keep: Any) -> Array:
    if x.ndim < 2:
        raise ValueError("tril/triu require at least two dimensions")
    rows, cols = x.shape[-2:]
    zero = dt.cast_scalar(0, x.dtype)
    data = [v if keep((p // cols) % rows, p % cols) else zero for p, v in enumerate(x._data)]
    return Array(data, x.shape, x.dtype)


def tril(x: Array, /, *, k: int = 0) -> Array:
    return _triangle(x, lambda i, j: j - i <= k)


def triu(x: Array, /, *, k: int = 0) -> Array:
    return _triangle(x, lambda i, j: j - i >= k)
