"""Statistical functions: sum, prod, mean, var, std, max, min, cumulative_sum, cumulative_prod.

Reductions are computed as exactly as practical and rounded once into the result dtype:
integer sums/products are exact then wrapped; float sums and means of finite values are
exact (``_exact``), products exact rationals, otherwise the IEEE result (NaN if any NaN or
+inf together with -inf, else the infinity).  mean/var/std compute the exact mean and
the exact sum of squared deviations.  Cumulative functions accumulate sequentially in the
result dtype, rounding after every step (the order the operation defines).

Result dtypes (standard): sum/prod/cumulative_* of a signed integer (or bool) array use
the default integer dtype (int64), of an unsigned integer array uint64, of floating arrays
the input dtype, unless ``dtype`` is given.  mean/var/std require floating input.
Unspecified choices: max/min of an empty reduction raise ValueError; NaN propagates.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from . import _helpers as h
from . import dtypes as dt
from ._exact import mean_finite, sum_finite, to_float, variance_finite
from .array import Array
from .elementwise.core import finish

__all__ = ["cumulative_prod", "cumulative_sum", "max", "mean", "min", "prod", "std", "sum", "var"]

_builtin_max, _builtin_min, _builtin_sum = max, min, sum


def _accumulator_dtype(x: Array, dtype: dt.DType | None, name: str) -> dt.DType:
    if dtype is not None:
        return dtype
    if x.dtype.is_bool or x.dtype.kind == "i":
        return dt.default_int
    if x.dtype.kind == "u":
        return dt.uint64
    return x.dtype


def _reduce(x: Array, axis: Any, keepdims: bool, out_dtype: dt.DType, fn: Callable[[list], Any]) -> Array:
    axes = h.normalize_axes(axis, x.ndim)
    out_shape, groups = h.reduction_groups(x._data, x.shape, axes)
    if keepdims:
        out_shape = h.keepdims_shape(x.shape, axes)
    return Array(finish([fn(g) for g in groups], out_dtype), out_shape, out_dtype)


def _nonfinite(values: list) -> float | None:
    """IEEE result of a sum containing a NaN or an infinity, else None."""
    nan = any(v != v for v in values)
    pos = any(v == math.inf for v in values)
    neg = any(v == -math.inf for v in values)
    if nan or (pos and neg):
        return math.nan
    if pos:
        return math.inf
    if neg:
        return -math.inf
    return None


def exact_sum(values: list, dtype: dt.DType) -> Any:
    """Sum rounded once: exact for ints and finite floats, per part for complex."""
    if dtype.is_integer or dtype.is_bool:
        return _builtin_sum(int(v) for v in values)
    if dtype.is_complex:
        values = [complex(v) for v in values]
        return complex(exact_sum([v.real for v in values], dt.float64),
                       exact_sum([v.imag for v in values], dt.float64))
    special = _nonfinite(values)
    if special is not None:
        return special
    return sum_finite([float(v) for v in values])


def _exact_prod(values: list, dtype: dt.DType) -> Any:
    if dtype.is_integer or dtype.is_bool:
        return math.prod(int(v) for v in values)
    if dtype.is_complex:
        return math.prod((complex(v) for v in values), start=1 + 0j)
    values = [float(v) for v in values]
    negative = _builtin_sum(1 for v in values if math.copysign(1.0, v) < 0) % 2 == 1
    if any(v != v for v in values):
        return math.nan
    has_inf = any(math.isinf(v) for v in values)
    has_zero = any(v == 0 for v in values)
    if has_inf and has_zero:
        return math.nan
    if has_inf:
        return -math.inf if negative else math.inf
    if has_zero:
        return -0.0 if negative else 0.0
    exact = math.prod((Fraction(v) for v in values), start=Fraction(1))
    return to_float(exact.numerator, exact.denominator)


def _cast_values(x: Array, dtype: dt.DType) -> list:
    return x._data if dtype is x.dtype else [dt.cast_scalar(v, dtype) for v in x._data]


def sum(x: Array, /, *, axis: int | tuple[int, ...] | None = None, dtype: dt.DType | None = None,
        keepdims: bool = False) -> Array:
    out = _accumulator_dtype(x, dtype, "sum")
    src = Array(_cast_values(x, out), x.shape, out)
    return _reduce(src, axis, keepdims, out, lambda g: exact_sum(g, out))


def prod(x: Array, /, *, axis: int | tuple[int, ...] | None = None, dtype: dt.DType | None = None,
         keepdims: bool = False) -> Array:
    out = _accumulator_dtype(x, dtype, "prod")
    src = Array(_cast_values(x, out), x.shape, out)
    return _reduce(src, axis, keepdims, out, lambda g: _exact_prod(g, out))


def _require_float(x: Array, name: str) -> None:
    if not x.dtype.is_float:
        raise TypeError(f"{name}: floating-point input required, got {x.dtype.name}")


def _mean_of(values: list) -> Any:
    if not values:
        return math.nan
    if values and isinstance(values[0], complex):
        return complex(_mean_of([v.real for v in values]), _mean_of([v.imag for v in values]))
    special = _nonfinite(values)
    if special is not None:
        return special
    return mean_finite([float(v) for v in values])


def mean(x: Array, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Array:
    """Arithmetic mean; NaN when the reduction is empty."""
    _require_float(x, "mean")
    return _reduce(x, axis, keepdims, x.dtype, _mean_of)


def _var_of(values: list, correction: float) -> float:
    if len(values) - correction <= 0 or any(not math.isfinite(v) for v in values):
        return math.nan
    return variance_finite([float(v) for v in values], correction)


def var(x: Array, /, *, axis: int | tuple[int, ...] | None = None, correction: int | float = 0.0,
        keepdims: bool = False) -> Array:
    """Variance with ``correction`` degrees of freedom removed; NaN when N - correction <= 0."""
    _require_float(x, "var")
    if x.dtype.is_complex:
        raise TypeError("var: complex input is not supported")
    return _reduce(x, axis, keepdims, x.dtype, lambda g: _var_of(g, correction))


def std(x: Array, /, *, axis: int | tuple[int, ...] | None = None, correction: int | float = 0.0,
        keepdims: bool = False) -> Array:
    """Square root of :func:`var` (exact variance, one correctly rounded double sqrt)."""
    _require_float(x, "std")
    if x.dtype.is_complex:
        raise TypeError("std: complex input is not supported")

    def kernel(g: list) -> float:
        v = _var_of(g, correction)
        return v if v != v else math.sqrt(v)
    return _reduce(x, axis, keepdims, x.dtype, kernel)


def _extreme(x: Array, axis: Any, keepdims: bool, pick: Callable, name: str) -> Array:
    if x.dtype.is_complex or x.dtype.is_bool:
        raise TypeError(f"{name}: real numeric input required, got {x.dtype.name}")

    def kernel(g: list) -> Any:
        if not g:
            raise ValueError(f"{name}: the reduction is empty (implementation-defined; this raises)")
        if any(v != v for v in g):
            return math.nan
        return pick(g)
    return _reduce(x, axis, keepdims, x.dtype, kernel)


def max(x: Array, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Array:
    return _extreme(x, axis, keepdims, _builtin_max, "max")


def min(x: Array, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Array:
    return _extreme(x, axis, keepdims, _builtin_min, "min")


def _cumulative(x: Array, axis: int | None, dtype: dt.DType | None, include_initial: bool,
                step: Callable[[Any, Any], Any], initial: int, name: str) -> Array:
    if axis is None:
        if x.ndim != 1:
            raise ValueError(f"{name}: axis is required for arrays with {x.ndim} dimensions")
        axis = 0
    out = _accumulator_dtype(x, dtype, name)
    ax = h.normalize_axis(axis, x.ndim)
    values = _cast_values(x, out)
    n = x.shape[ax]
    m = n + 1 if include_initial else n
    shape = x.shape[:ax] + (m,) + x.shape[ax + 1:]
    result = [dt.cast_scalar(initial, out)] * h.size_of(shape)
    _, in_lanes = h.moved_axis_lanes(x.shape, ax)
    _, out_lanes = h.moved_axis_lanes(shape, ax)
    for src, dst in zip(in_lanes, out_lanes, strict=True):
        acc = dt.cast_scalar(initial, out)
        offset = 1 if include_initial else 0
        for k, p in enumerate(src):
            acc = finish([step(acc, values[p])], out)[0]
            result[dst[k + offset]] = acc
    return Array(result, shape, out)


def cumulative_sum(x: Array, /, *, axis: int | None = None, dtype: dt.DType | None = None,
                   include_initial: bool = False) -> Array:
    return _cumulative(x, axis, dtype, include_initial, lambda a, b: a + b, 0, "cumulative_sum")


def cumulative_prod(x: Array, /, *, axis: int | None = None, dtype: dt.DType | None = None,
                    include_initial: bool = False) -> Array:
    return _cumulative(x, axis, dtype, include_initial, lambda a, b: a * b, 1, "cumulative_prod")
