"""Linear-algebra core of the standard: matmul, matrix_transpose, tensordot, vecdot.

Dot products are exact and rounded once: integer sums are exact (then wrapped); real
float dot products of finite values are computed exactly (``_exact.dot_finite``) and
rounded to double, then to float32 for float32 results (a double rounding that can only
matter in rare ties, well inside the spec's tolerance).  Non-finite terms fall back to
IEEE double accumulation, which yields the NaN / inf the IEEE rules produce.  Complex
dot products accumulate in complex double.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from . import _helpers as h
from . import dtypes as dt
from ._exact import dot_finite
from .array import Array
from .elementwise.core import finish

__all__ = ["matmul", "matrix_transpose", "tensordot", "vecdot"]


def dot(xs: list, ys: list, dtype: dt.DType) -> object:
    """Sum of x*y over two equal-length lists, computed for ``dtype`` as described above."""
    if dtype.is_integer:
        return sum(a * b for a, b in zip(xs, ys, strict=True))
    if dtype.is_complex:
        return sum((a * b for a, b in zip(xs, ys, strict=True)), 0j)
    if not all(math.isfinite(v) for v in xs) or not all(math.isfinite(v) for v in ys):
        total = 0.0
        for a, b in zip(xs, ys, strict=True):
            total += a * b  # IEEE accumulation gives the NaN / inf the rules produce
        return total
    return dot_finite(xs, ys)


def _numeric_pair(x1: Array, x2: Array, name: str) -> dt.DType:
    if not isinstance(x1, Array) or not isinstance(x2, Array):
        raise TypeError(f"{name}: x1 and x2 must be arrays")
    dtype = dt.promote_types(x1.dtype, x2.dtype)
    if not dtype.is_numeric:
        raise TypeError(f"{name}: numeric dtypes required, got {x1.dtype.name} and {x2.dtype.name}")
    return dtype


def matrix_transpose(x: Array, /) -> Array:
    """Swap the last two axes of an array with at least two dimensions."""
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose requires at least 2 dimensions, got {x.ndim}")
    axes = list(range(x.ndim - 2)) + [x.ndim - 1, x.ndim - 2]
    shape = tuple(x.shape[a] for a in axes)
    return Array([x._data[i] for i in h.permuted_index_list(x.shape, axes)], shape, x.dtype)


def matmul(x1: Array, x2: Array, /) -> Array:
    """Matrix product with the standard's rules for 1-D operands and batch broadcasting."""
    dtype = _numeric_pair(x1, x2, "matmul")
    if x1.ndim == 0 or x2.ndim == 0:
        raise ValueError("matmul: zero-dimensional operands are not allowed")
    a_shape = (1,) + x1.shape if x1.ndim == 1 else x1.shape
    b_shape = x2.shape + (1,) if x2.ndim == 1 else x2.shape
    n, k = a_shape[-2:]
    k2, m = b_shape[-2:]
    if k != k2:
        raise ValueError(f"matmul: contracted dimensions differ ({x1.shape} @ {x2.shape})")
    batch = h.broadcast_shapes(a_shape[:-2], b_shape[:-2])
    a_idx = h.broadcast_index_list(a_shape, batch + (n, k))
    b_idx = h.broadcast_index_list(b_shape, batch + (k, m))
    a = [x1._data[i] for i in a_idx]
    b = [x2._data[i] for i in b_idx]
    values = []
    for bi in range(h.size_of(batch)):
        a0, b0 = bi * n * k, bi * k * m
        for i in range(n):
            row = a[a0 + i * k:a0 + (i + 1) * k]
            for j in range(m):
                col = b[b0 + j:b0 + k * m:m]
                values.append(dot(row, col, dtype))
    shape = batch + (n, m)
    if x1.ndim == 1:
        shape = shape[:-2] + shape[-1:]
    if x2.ndim == 1:
        shape = shape[:-1]
    return Array(finish(values, dtype), shape, dtype)


def tensordot(x1: Array, x2: Array, /, *, axes: int | tuple[Sequence[int], Sequence[int]] = 2) -> Array:
    """Sum products over the last ``axes`` axes of x1 and first of x2, or over explicit axis lists."""
    dtype = _numeric_pair(x1, x2, "tensordot")
    if isinstance(axes, int):
        if axes < 0 or axes > min(x1.ndim, x2.ndim):
            raise ValueError(f"tensordot: invalid axes={axes}")
        a_axes = list(range(x1.ndim - axes, x1.ndim))
        b_axes = list(range(axes))
    else:
        a_axes = [h.normalize_axis(a, x1.ndim) for a in axes[0]]
        b_axes = [h.normalize_axis(b, x2.ndim) for b in axes[1]]
        if len(a_axes) != len(b_axes):
            raise ValueError("tensordot: axes sequences must have equal length")
    for a, b in zip(a_axes, b_axes, strict=True):
        if x1.shape[a] != x2.shape[b]:
            raise ValueError(f"tensordot: contracted sizes differ ({x1.shape[a]} vs {x2.shape[b]})")
    a_free = [a for a in range(x1.ndim) if a not in a_axes]
    b_free = [b for b in range(x2.ndim) if b not in b_axes]
    ksize = h.size_of([x1.shape[a] for a in a_axes])
    a_order = h.permuted_index_list(x1.shape, a_free + a_axes)
    b_order = h.permuted_index_list(x2.shape, b_axes + b_free)
    a = [x1._data[i] for i in a_order]
    b = [x2._data[i] for i in b_order]
    rows = h.size_of([x1.shape[i] for i in a_free])
    cols = h.size_of([x2.shape[i] for i in b_free])
    values = [dot(a[r * ksize:(r + 1) * ksize], b[c:ksize * cols:cols] if ksize else [], dtype)
              for r in range(rows) for c in range(cols)]
    shape = tuple(x1.shape[i] for i in a_free) + tuple(x2.shape[i] for i in b_free)
    return Array(finish(values, dtype), shape, dtype)


def vecdot(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    """Dot product over ``axis`` after broadcasting; the first operand is conjugated."""
    dtype = _numeric_pair(x1, x2, "vecdot")
    shape = h.broadcast_shapes(x1.shape, x2.shape)
    if not shape:
        raise ValueError("vecdot: operands must have at least one dimension")
    ax = h.normalize_axis(axis, len(shape))
    pad1 = (1,) * (len(shape) - x1.ndim) + x1.shape
    pad2 = (1,) * (len(shape) - x2.ndim) + x2.shape
    if pad1[ax] != pad2[ax]:
        raise ValueError(f"vecdot: sizes along the contracted axis differ ({pad1[ax]} vs {pad2[ax]})")
    a = [x1._data[i] for i in h.broadcast_index_list(x1.shape, shape)]
    b = [x2._data[i] for i in h.broadcast_index_list(x2.shape, shape)]
    if dtype.is_complex:
        a = [complex(v).conjugate() for v in a]
    _, lanes = h.moved_axis_lanes(shape, ax)
    values = [dot([a[i] for i in lane], [b[i] for i in lane], dtype) for lane in lanes]
    out_shape = shape[:ax] + shape[ax + 1:]
    return Array(finish(values, dtype), out_shape, dtype)


# The linalg extension (xp.linalg.<fn>): its functions are attributes of this module but not in
# ``__all__`` (that would put them in the main namespace); matmul, matrix_transpose, tensordot and
# vecdot above are the extension's as well (the same functions).
from .linalg_basic import (  # noqa: E402, F401  (extension names)
    cross,
    det,
    diagonal,
    inv,
    matrix_norm,
    matrix_power,
    outer,
    slogdet,
    solve,
    trace,
    vector_norm,
)
from .linalg_decompositions import cholesky, eigh, eigvalsh, matrix_rank, pinv, qr, svd, svdvals  # noqa: E402, F401
from .linalg_eig import eig, eigvals  # noqa: E402, F401

EXTENSION = ("cholesky", "cross", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh", "inv", "matmul",
             "matrix_norm", "matrix_power", "matrix_rank", "matrix_transpose", "outer", "pinv", "qr", "slogdet",
             "solve", "svd", "svdvals", "tensordot", "trace", "vecdot", "vector_norm")
"""The extension's functions this reference provides as ``linalg.<name>``."""
