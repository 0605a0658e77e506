"""Tensor mutants of searching, sorting, set, statistical, utility and linear-algebra functions.

Every description names the bug and quotes the 2024.12 standard's sentence it violates.
"""

from __future__ import annotations

from typing import Any

from ..model import Mutant
from .tools import INF, NAN, A, call, is_neg_zero, isnan, params, with_dtype, wrap


def _patch(name: str, body: Any) -> Any:
    """A patch replacing ``name`` by ``body(xp, orig, *args, **kwargs)``."""
    return lambda xp: wrap(xp, name, lambda orig, *a, **k: body(xp, orig, *a, **k))


def _argmax_last(xp: Any, orig: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    if axis is None:
        flipped = xp.reshape(xp.flip(xp.reshape(x, (-1,))), x.shape)
        index = orig(flipped, axis=None, keepdims=keepdims)
        return xp.subtract(xp.asarray(x.size - 1, dtype=index.dtype), index)
    index = orig(xp.flip(x, axis=axis), axis=axis, keepdims=keepdims)
    return xp.subtract(xp.asarray(x.shape[axis] - 1, dtype=index.dtype), index)


def _nonzero_column_major(xp: Any, orig: Any, x: Any) -> Any:
    found = orig(x)
    if len(found) < 2:
        return found
    rows = sorted(zip(*(a.to_flat() for a in found), strict=True), key=lambda idx: tuple(reversed(idx)))
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in found]
    return tuple(xp.Array.from_flat(list(c), (len(rows),), a.dtype) for c, a in zip(columns, found, strict=True))


def _where_strong(xp: Any, orig: Any, condition: Any, x1: Any, x2: Any) -> Any:
    out = orig(condition, x1, x2)
    if any(type(v) is int for v in (x1, x2)) and xp.isdtype(out.dtype, "integral") and out.dtype.bits < 64:
        return with_dtype(xp, out, xp.int64)
    return out


def _argsort_reversed(xp: Any, orig: Any, x: Any, axis: int = -1, descending: bool = False, stable: bool = True) -> Any:
    if not descending:
        return orig(x, axis=axis, descending=False, stable=stable)
    return xp.flip(orig(x, axis=axis, descending=False, stable=stable), axis=axis)


def _unique_values_nan(xp: Any, orig: Any, x: Any) -> Any:
    out = orig(x)
    values, seen = [], False
    for v in out.to_flat():
        if isnan(v):
            if seen:
                continue
            seen = True
        values.append(v)
    return xp.Array.from_flat(values, (len(values),), out.dtype)


def _unique_inverse_flat(xp: Any, orig: Any, x: Any) -> Any:
    out = orig(x)
    return type(out)(out.values, xp.reshape(out.inverse_indices, (-1,)))


def _unique_all_last(xp: Any, orig: Any, x: Any) -> Any:
    out = orig(x)
    flat, inverse = x.to_flat(), out.inverse_indices.to_flat()
    last = {}
    for i, group in enumerate(inverse):
        last[group] = i
    indices = [last.get(g, first) for g, first in enumerate(out.indices.to_flat())]
    del flat
    return type(out)(out.values, xp.Array.from_flat(indices, out.indices.shape, out.indices.dtype),
                     out.inverse_indices, out.counts)


def _unique_counts_zeros(xp: Any, orig: Any, x: Any) -> Any:
    out = orig(x)
    values, counts = out.values.to_flat(), out.counts.to_flat()
    source = x.to_flat()
    new_values, new_counts = [], []
    for v, c in zip(values, counts, strict=True):
        if isinstance(v, float) and v == 0:
            neg = sum(1 for s in source if is_neg_zero(s))
            pos = c - neg
            for zero, n in ((-0.0, neg), (0.0, pos)):
                if n:
                    new_values.append(zero)
                    new_counts.append(n)
        else:
            new_values.append(v)
            new_counts.append(c)
    n = len(new_values)
    return type(out)(xp.Array.from_flat(new_values, (n,), out.values.dtype),
                     xp.Array.from_flat(new_counts, (n,), out.counts.dtype))


def _sum_narrow(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    out = orig(*args, **kwargs)
    p = params(orig, args, kwargs)
    x = p["x"]
    if p["dtype"] is None and xp.isdtype(x.dtype, "integral"):
        return with_dtype(xp, out, x.dtype) if all(_fits(xp, v, x.dtype) for v in out.to_flat()) else out
    return out


def _fits(xp: Any, value: Any, dtype: Any) -> bool:
    info = xp.iinfo(dtype)
    return info.min <= value <= info.max


def _mean_empty(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    out = orig(*args, **kwargs)
    return xp.Array.from_flat([0.0 if isnan(v) else v for v in out.to_flat()], out.shape, out.dtype) \
        if params(orig, args, kwargs)["x"].size == 0 else out


def _max_nan(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    p = params(orig, args, kwargs)
    x = p["x"]
    if not xp.isdtype(x.dtype, "real floating"):
        return orig(*args, **kwargs)
    cleaned = xp.where(xp.isnan(x), xp.asarray(-INF, dtype=x.dtype), x)
    out = orig(cleaned, axis=p["axis"], keepdims=p["keepdims"])
    # an all-NaN slice stays NaN (nothing else to pick), as numpy's nanmax gives
    every = xp.all(xp.isnan(x), axis=p["axis"], keepdims=p["keepdims"])
    return xp.where(every, xp.asarray(NAN, dtype=x.dtype), out)


def _prod_empty(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    out = orig(*args, **kwargs)
    if params(orig, args, kwargs)["x"].size == 0:
        return xp.Array.from_flat([0] * out.size, out.shape, out.dtype)
    return out


def _cumprod_signed(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    out = orig(*args, **kwargs)
    p = params(orig, args, kwargs)
    if p["dtype"] is None and xp.isdtype(p["x"].dtype, "unsigned integer"):
        values = out.to_flat()
        if all(v <= xp.iinfo(xp.int64).max for v in values):
            return with_dtype(xp, out, xp.int64)
    return out


def _any_nan(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    p = params(orig, args, kwargs)
    x = p["x"]
    if xp.isdtype(x.dtype, "real floating"):
        x = xp.where(xp.isnan(x), xp.asarray(0.0, dtype=x.dtype), x)
    return orig(x, axis=p["axis"], keepdims=p["keepdims"])


def _diff_once(xp: Any, orig: Any, *args: Any, **kwargs: Any) -> Any:
    p = params(orig, args, kwargs)
    return orig(p["x"], axis=p["axis"], n=min(p["n"], 1), prepend=p["prepend"], append=p["append"])


def _matmul_keeps(xp: Any, orig: Any, x1: Any, x2: Any) -> Any:
    out = orig(x1, x2)
    if x1.ndim == 1 and x2.ndim >= 2:
        return xp.expand_dims(out, axis=-2)
    return out


def _vecdot_plain(xp: Any, orig: Any, x1: Any, x2: Any, axis: int = -1) -> Any:
    if xp.isdtype(x1.dtype, "complex floating"):
        x1 = xp.conj(x1)  # undoes the conjugation vecdot applies: x1 enters as it is
    return orig(x1, x2, axis=axis)


def _transpose_first(xp: Any, orig: Any, x: Any) -> Any:
    if x.ndim <= 2:
        return orig(x)
    return xp.permute_dims(x, (1, 0, *range(2, x.ndim)))


G_SEARCH, G_SORT, G_SETS, G_STAT = "searching", "sorting", "sets", "statistics"
G_UTIL, G_LINALG = "utility", "linear-algebra"

MUTANTS: tuple[Mutant, ...] = (
    Mutant("tensor.argmax.last-tie", G_SEARCH,
           "argmax returns the last index of a repeated maximum. Standard (argmax): 'When the maximum value occurs "
           "multiple times, only the indices corresponding to the first occurrence must be returned.'",
           _patch("argmax", _argmax_last), call("argmax", A([1, 3, 3]))),
    Mutant("tensor.argmin.keepdims-ignored", G_SEARCH,
           "argmin drops the reduced axis even with keepdims=True. Standard (argmin): 'keepdims: if True, the reduced "
           "axes (dimensions) must be included in the result as singleton dimensions.'",
           _patch("argmin", lambda xp, orig, x, axis=None, keepdims=False: orig(x, axis=axis)),
           call("argmin", A([[2, 1]]), axis=1, keepdims=True)),
    Mutant("tensor.searchsorted.side-ignored", G_SEARCH,
           "searchsorted ignores side='right' and always returns the leftmost insertion point. Standard (searchsorted): "
           "\"side: ... if 'right', then each returned index i must satisfy x1[i-1] <= v < x1[i].\"",
           _patch("searchsorted", lambda xp, orig, x1, x2, side="left", sorter=None: orig(x1, x2, sorter=sorter)),
           call("searchsorted", A([1.0, 2.0, 2.0, 3.0]), A([2.0]), side="right")),
    Mutant("tensor.nonzero.column-major", G_SEARCH,
           "nonzero lists the indices of a multi-dimensional array in column-major order. Standard (nonzero): 'the "
           "returned indices must be returned in row-major, C-style order.'",
           _patch("nonzero", _nonzero_column_major), call("nonzero", A([[1, 1], [1, 0]]))),
    Mutant("tensor.where.strong-python-int", G_SEARCH,
           "where with an int8 array and a Python int returns the default integer dtype. Standard (where): 'x1 ... x2 "
           "... Must be compatible with condition, x1 and x2' and, for a Python scalar, the Type Promotion Rules: the "
           "scalar takes the array's dtype.",
           _patch("where", _where_strong), call("where", A([True, False]), A([1, 2], "int8"), 0)),
    Mutant("tensor.argsort.descending-reverses-ties", G_SORT,
           "argsort(descending=True) reverses the ascending order, so equal elements come out in reverse order. "
           "Standard (argsort): 'stable: ... If True, the returned indices must maintain the relative order of x values "
           "which compare as equal.'",
           _patch("argsort", _argsort_reversed), call("argsort", A([1, 1, 0]), descending=True)),
    Mutant("tensor.sort.first-axis-default", G_SORT,
           "sort sorts along the first axis by default. Standard (sort): 'axis: axis along which to sort. If set to -1, "
           "the function must sort along the last axis. Default: -1.'",
           _patch("sort", lambda xp, orig, x, axis=None, descending=False, stable=True:
                  orig(x, axis=0 if axis is None else axis, descending=descending, stable=stable)),
           call("sort", A([[3, 1], [2, 4]]))),
    Mutant("tensor.sort.nan-first", G_SORT,
           "sort puts NaNs first when ascending (NaN ordered below every number).",
           _patch("sort", lambda xp, orig, x, axis=-1, descending=False, stable=True:
                  orig(x, axis=axis, descending=descending, stable=stable) if descending or x.ndim != 1
                  or not xp.isdtype(x.dtype, "real floating")
                  else xp.concat([xp.sort(x)[xp.isnan(xp.sort(x))], xp.sort(x)[~xp.isnan(xp.sort(x))]])),
           call("sort", A([NAN, 1.0])),
           allowed="the standard leaves the order of NaNs in a sort unspecified (the reference's sorting module records "
                   "its own choice, NaNs last when ascending, as numpy)"),
    Mutant("tensor.unique_values.nan-merged", G_SETS,
           "unique_values merges every NaN into one. Standard (unique_values): 'As nan values compare as False, nan "
           "values should be considered distinct.'",
           _patch("unique_values", _unique_values_nan), call("unique_values", A([NAN, NAN]))),
    Mutant("tensor.unique_inverse.flat-indices", G_SETS,
           "unique_inverse returns flat inverse indices for a multi-dimensional x. Standard (unique_inverse): "
           "'inverse_indices: an array containing the indices for reconstructing x. Must have the same shape as x.'",
           _patch("unique_inverse", _unique_inverse_flat), call("unique_inverse", A([[1, 2], [2, 1]]))),
    Mutant("tensor.unique_all.last-occurrence", G_SETS,
           "unique_all's indices point at the last occurrence of each value. Standard (unique_all): 'indices: an array "
           "containing the indices (first occurrences) of a flattened x that result in values.'",
           _patch("unique_all", _unique_all_last), call("unique_all", A([1, 2, 1]))),
    Mutant("tensor.unique_counts.signed-zeros-apart", G_SETS,
           "unique_counts counts -0 and +0 as two values. Standard (unique_counts): 'As signed zeros are not distinct, "
           "using inverse_indices to reconstruct the input array is not guaranteed to return an array having the exact "
           "same values' and 'Uniqueness should be determined based on value equality (see equal())'.",
           _patch("unique_counts", _unique_counts_zeros), call("unique_counts", A([-0.0, 0.0]))),
    Mutant("tensor.sum.keepdims-ignored", G_STAT,
           "sum drops the reduced axes even with keepdims=True. Standard (sum): 'keepdims: if True, the reduced axes "
           "(dimensions) must be included in the result as singleton dimensions.'",
           _patch("sum", lambda xp, orig, x, axis=None, dtype=None, keepdims=False: orig(x, axis=axis, dtype=dtype)),
           call("sum", A([[1, 2]]), axis=1, keepdims=True)),
    Mutant("tensor.sum.narrow-integer-result", G_STAT,
           "sum of an int8 array keeps int8. Standard (sum): 'if x has a signed integer data type (e.g., int16), the "
           "returned array must have the default integer data type.'",
           _patch("sum", _sum_narrow), call("sum", A([1, 2], "int8"))),
    Mutant("tensor.mean.empty-zero", G_STAT,
           "mean of an empty array is 0 (dividing by max(N, 1)). Standard (mean): 'If N is 0, the arithmetic mean is "
           "NaN.'",
           _patch("mean", _mean_empty), call("mean", A([], "float64"))),
    Mutant("tensor.var.correction-ignored", G_STAT,
           "var ignores correction and always divides by N. Standard (var): 'correction: degrees of freedom adjustment. "
           "... the variance is computed as sum / (N - correction).'",
           _patch("var", lambda xp, orig, x, axis=None, correction=0.0, keepdims=False: orig(x, axis=axis,
                                                                                             keepdims=keepdims)),
           call("var", A([1.0, 2.0]), correction=1)),
    Mutant("tensor.std.sample-default", G_STAT,
           "std divides by N - 1 by default (a sample standard deviation). Standard (std): 'correction: degrees of "
           "freedom adjustment. Default: 0.'",
           _patch("std", lambda xp, orig, x, axis=None, correction=None, keepdims=False: orig(
               x, axis=axis, correction=1 if correction is None else correction, keepdims=keepdims)),
           call("std", A([1.0, 2.0]))),
    Mutant("tensor.max.nan-ignored", G_STAT,
           "max skips NaNs (numpy's nanmax). Standard (max): 'If x_i is NaN, the maximum value is NaN (i.e., NaN values "
           "propagate).'",
           _patch("max", _max_nan), call("max", A([NAN, 1.0]))),
    Mutant("tensor.prod.empty-zero", G_STAT,
           "prod of an empty array is 0. Standard (prod): 'If N is 0, the product is 1 (i.e., the empty product).'",
           _patch("prod", _prod_empty), call("prod", A([], "float64"))),
    Mutant("tensor.cumulative_sum.initial-ignored", G_STAT,
           "cumulative_sum ignores include_initial=True. Standard (cumulative_sum): 'include_initial: boolean indicating "
           "whether to include the initial value as the first value in the output. ... the initial value must be the "
           "additive identity (i.e., zero).'",
           _patch("cumulative_sum", lambda xp, orig, x, axis=None, dtype=None, include_initial=False:
                  orig(x, axis=axis, dtype=dtype)),
           call("cumulative_sum", A([1, 2]), include_initial=True)),
    Mutant("tensor.cumulative_prod.unsigned-to-signed", G_STAT,
           "cumulative_prod of an unsigned integer array returns the default (signed) integer dtype. Standard "
           "(cumulative_prod): 'if x has an unsigned integer data type (e.g., uint16), the returned array must have an "
           "unsigned integer data type having the same number of bits as the default integer data type.'",
           _patch("cumulative_prod", _cumprod_signed), call("cumulative_prod", A([1, 2], "uint8"))),
    Mutant("tensor.all.empty-false", G_UTIL,
           "all of an empty array is False. Standard (all): 'If x is an empty array or the size of the axis (dimension) "
           "along which to evaluate elements is zero, the test result must be True.'",
           _patch("all", lambda xp, orig, x, axis=None, keepdims=False: xp.logical_and(
               orig(x, axis=axis, keepdims=keepdims), xp.asarray(x.size > 0))),
           call("all", A([], "bool"))),
    Mutant("tensor.any.nan-falsy", G_UTIL,
           "any treats NaN as false (tested as x > 0 or x < 0). Standard (any): 'Positive infinity, negative infinity, "
           "and NaN must evaluate to True.'",
           _patch("any", _any_nan), call("any", A([NAN]))),
    Mutant("tensor.diff.order-ignored", G_UTIL,
           "diff computes the first difference whatever n is. Standard (diff): 'n: number of times to recursively "
           "compute differences.'",
           _patch("diff", _diff_once), call("diff", A([1, 4, 9, 16]), n=2)),
    Mutant("tensor.matmul.vector-axis-kept", G_LINALG,
           "matmul of a 1-d x1 with a matrix keeps the prepended axis. Standard (matmul): 'If x1 is a one-dimensional "
           "array having shape (N,) ... the array must be promoted to a two-dimensional array by prepending 1 to its "
           "dimensions and, after matrix multiplication, the prepended dimensions in the returned array must be removed.'",
           _patch("matmul", _matmul_keeps), call("matmul", A([1.0, 2.0]), A([[1.0], [2.0]]))),
    Mutant("tensor.vecdot.no-conjugate", G_LINALG,
           "vecdot does not conjugate x1 for complex inputs. Standard (vecdot): 'the dot product is defined as sum over "
           "i of conj(a_i) * b_i.'",
           _patch("vecdot", _vecdot_plain), call("vecdot", A([1j], "complex128"), A([1j], "complex128"))),
    Mutant("tensor.matrix_transpose.leading-axes", G_LINALG,
           "matrix_transpose swaps the first two axes of a stack instead of the last two. Standard (matrix_transpose): "
           "'Transposes a matrix (or a stack of matrices) x', the matrices being the innermost two dimensions.",
           _patch("matrix_transpose", _transpose_first), call("matrix_transpose", A([[[1, 2, 3]], [[4, 5, 6]]]))),
)
