"""Linear-algebra extension, basic part: det, slogdet, inv, solve, matrix_power, trace, diagonal, outer,
cross, vector_norm, matrix_norm.

Matrix computations run in Python double (``float`` / ``complex``) and are rounded once to the
result dtype. ``det``, ``slogdet``, ``inv`` and ``solve`` use Gaussian elimination with partial
pivoting (relative error about ``n * eps * cond(A)``); a zero pivot means a singular matrix, which
``inv`` / ``solve`` refuse (the text requires invertible / full-rank input) and ``det`` / ``slogdet``
report as 0 / (sign 0, -inf). ``trace``, ``diagonal``, ``outer`` reuse the exact core functions.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from . import _helpers as h
from . import dtypes as dt
from .array import Array
from .elementwise.arithmetic import multiply
from .elementwise.core import finish
from .linalg_decompositions import floating_input, from_rows, matrices, singular_values, square_input
from .manipulation import reshape
from .statistics import sum as _sum

__all__: list[str] = []  # the extension's names live in ``linalg`` only (see linalg.py)


def _eliminate(a: list[list]) -> tuple[list[list], list[int], int]:
    """Row-echelon form by partial pivoting: (U with the pivots on its diagonal, row order, swap count)."""
    n = len(a)
    u = [list(row) for row in a]
    order = list(range(n))
    swaps = 0
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(u[r][col]))
        if u[pivot][col] == 0:
            continue  # singular: this column has no pivot
        if pivot != col:
            u[col], u[pivot] = u[pivot], u[col]
            order[col], order[pivot] = order[pivot], order[col]
            swaps += 1
        for r in range(col + 1, n):
            factor = u[r][col] / u[col][col]
            u[r] = [u[r][k] - factor * u[col][k] for k in range(n)]
    return u, order, swaps


def _det(a: list[list]) -> float | complex:
    u, _, swaps = _eliminate(a)
    result = -1.0 if swaps % 2 else 1.0
    for i in range(len(a)):
        result *= u[i][i]
    return result


def det(x: Array, /) -> Array:
    """Determinant of each square matrix (1 for a 0x0 matrix), in x's dtype."""
    square_input(x, "det")
    batch, mats = matrices(x)
    return Array(finish([_det(a) for a in mats], x.dtype), batch, x.dtype)


def _slogdet(a: list[list]) -> tuple[float | complex, float]:
    u, _, swaps = _eliminate(a)
    sign: float | complex = -1.0 if swaps % 2 else 1.0
    logabs = 0.0
    for i in range(len(a)):
        pivot = u[i][i]
        if pivot == 0:
            return 0.0 * sign, -math.inf
        sign *= pivot / abs(pivot)
        logabs += math.log(abs(pivot))
    return sign, logabs


def slogdet(x: Array, /) -> tuple[Array, Array]:
    """(sign, logabsdet) of each square matrix: sign in x's dtype, logabsdet in x's real dtype."""
    square_input(x, "slogdet")
    batch, mats = matrices(x)
    pairs = [_slogdet(a) for a in mats]
    sign = Array(finish([p[0] for p in pairs], x.dtype), batch, x.dtype)
    real = dt.real_dtype_of(x.dtype)
    return SlogdetResult(sign, Array(finish([p[1] for p in pairs], real), batch, real))


class SlogdetResult(NamedTuple):
    """The namedtuple the text asks for: fields ``sign`` and ``logabsdet``."""

    sign: Array
    logabsdet: Array


def _solve_matrix(a: list[list], b: list[list]) -> list[list]:
    """X with A X = B (B has one column per right-hand side), by elimination with partial pivoting."""
    n = len(a)
    k = len(b[0]) if b else 0
    aug = [list(a[i]) + list(b[i]) for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(aug[r][col]))
        if aug[pivot][col] == 0:
            raise ValueError("the matrix is singular")
        aug[col], aug[pivot] = aug[pivot], aug[col]
        for r in range(col + 1, n):
            factor = aug[r][col] / aug[col][col]
            aug[r] = [aug[r][c] - factor * aug[col][c] for c in range(n + k)]
    x = [[0.0] * k for _ in range(n)]
    for i in reversed(range(n)):  # back substitution
        for c in range(k):
            s = aug[i][n + c] - sum(aug[i][j] * x[j][c] for j in range(i + 1, n))
            x[i][c] = s / aug[i][i]
    return x


def _identity(n: int) -> list[list[float]]:
    return [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]


def inv(x: Array, /) -> Array:
    """Inverse of each square matrix (a singular one is refused)."""
    square_input(x, "inv")
    _, mats = matrices(x)
    return from_rows([_solve_matrix(a, _identity(len(a))) for a in mats], x.shape, x.dtype)


def solve(x1: Array, x2: Array, /) -> Array:
    """X with x1 X = x2 per matrix; a 1-D x2 is one right-hand side (shape(x1)[:-2] + shape(x2)[-1:])."""
    square_input(x1, "solve")
    floating_input(x2, "solve", min_ndim=1)
    dtype = dt.promote_types(x1.dtype, x2.dtype)
    m = x1.shape[-1]
    vector = x2.ndim == 1
    b_shape = x2.shape + (1,) if vector else x2.shape
    if b_shape[-2] != m:
        raise ValueError(f"solve: x2 has {b_shape[-2]} rows, x1 is {m} x {m}")
    batch = h.broadcast_shapes(x1.shape[:-2], b_shape[:-2])
    a_all = Array([x1._data[i] for i in h.broadcast_index_list(x1.shape, batch + (m, m))], batch + (m, m), x1.dtype)
    b_all = Array([x2._data[i] for i in h.broadcast_index_list(b_shape, batch + b_shape[-2:])],
                  batch + b_shape[-2:], x2.dtype)
    _, a_mats = matrices(a_all)
    _, b_mats = matrices(b_all)
    solved = [_solve_matrix(a, b) for a, b in zip(a_mats, b_mats, strict=True)]
    shape = x1.shape[:-2] + x2.shape[-1:] if vector else batch + b_shape[-2:]
    return from_rows(solved, shape, dtype)


def _matmul_rows(a: list[list], b: list[list]) -> list[list]:
    n, k = len(a), len(b)
    return [[sum(a[i][t] * b[t][j] for t in range(k)) for j in range(len(b[0]))] for i in range(n)]


def matrix_power(x: Array, n: int, /) -> Array:
    """x raised to the integer power n per matrix (n = 0: identity; n < 0: powers of the inverse)."""
    square_input(x, "matrix_power")
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("matrix_power: n must be an int")
    _, mats = matrices(x)
    out = []
    for a in mats:
        base = _solve_matrix(a, _identity(len(a))) if n < 0 else a
        result = _identity(len(a))
        for _ in range(abs(n)):
            result = _matmul_rows(result, base)
        out.append(result)
    return from_rows(out, x.shape, x.dtype)


def diagonal(x: Array, /, *, offset: int = 0) -> Array:
    """The ``offset`` diagonal of each matrix (above the main one for offset > 0), in x's dtype."""
    if x.ndim < 2:
        raise ValueError(f"diagonal: x must have at least 2 dimensions, got {x.ndim}")
    m, n = x.shape[-2:]
    rows = range(max(0, -offset), min(m, n - offset)) if -m < offset < n else range(0)
    length = len(rows)
    values = []
    for b in range(h.size_of(x.shape[:-2])):
        values += [x._data[b * m * n + i * n + i + offset] for i in rows]
    return Array(values, x.shape[:-2] + (length,), x.dtype)


def trace(x: Array, /, *, offset: int = 0, dtype: dt.DType | None = None) -> Array:
    """Sum of the ``offset`` diagonal of each matrix, with ``sum``'s dtype rules (the text states the same)."""
    if not x.dtype.is_numeric:
        raise TypeError(f"trace: numeric dtype required, got {x.dtype.name}")
    return _sum(diagonal(x, offset=offset), axis=-1, dtype=dtype)


def outer(x1: Array, x2: Array, /) -> Array:
    """Outer product of two 1-D arrays: out[i, j] = x1[i] * x2[j] (promoted dtype, exact products)."""
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError("outer: one-dimensional arrays expected")
    if not x1.dtype.is_numeric or not x2.dtype.is_numeric:
        raise TypeError("outer: numeric dtypes required")
    return multiply(reshape(x1, (x1.shape[0], 1)), reshape(x2, (1, x2.shape[0])))


def cross(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    """Cross product of 3-vectors along ``axis`` (counted from the last axis), other axes broadcast."""
    dtype = dt.promote_types(x1.dtype, x2.dtype)
    if not dtype.is_numeric:
        raise TypeError("cross: numeric dtypes required")
    if not -min(x1.ndim, x2.ndim) <= axis <= -1:
        raise ValueError(f"cross: axis must lie in [-N, -1], got {axis}")
    if x1.shape[axis] != 3 or x2.shape[axis] != 3:
        raise ValueError("cross: the vectors must have 3 elements")
    shape = h.broadcast_shapes(x1.shape, x2.shape)
    ax = len(shape) + axis
    a = [x1._data[i] for i in h.broadcast_index_list(x1.shape, shape)]
    b = [x2._data[i] for i in h.broadcast_index_list(x2.shape, shape)]
    _, lanes = h.moved_axis_lanes(shape, ax)
    values = [0] * len(a)
    for lane in lanes:
        (a1, a2, a3), (b1, b2, b3) = (a[i] for i in lane), (b[i] for i in lane)
        for pos, v in zip(lane, (a2 * b3 - a3 * b2, a3 * b1 - a1 * b3, a1 * b2 - a2 * b1), strict=True):
            values[pos] = v
    return Array(finish(values, dtype), shape, dtype)


def _p_norm(values: list[float], ord: float) -> float:
    """The vector norm of the absolute values ``values`` for one ``ord`` (the text's tables)."""
    if ord == 2:
        return math.hypot(*values)
    if ord == math.inf:
        return max(values, default=0.0)
    if ord == -math.inf:
        return min(values, default=math.inf)
    if ord == 0:
        return float(sum(1 for v in values if v != 0))
    if ord < 0:
        if any(v == 0 for v in values):
            return 0.0
        return sum(v ** ord for v in values) ** (1.0 / ord)
    return sum(v ** ord for v in values) ** (1.0 / ord)


def vector_norm(x: Array, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False,
                ord: float = 2) -> Array:
    """Vector norm over ``axis`` (all axes for None), in x's real floating dtype."""
    floating_input(x, "vector_norm", min_ndim=0)
    axes = h.normalize_axes(axis, x.ndim)
    kept, groups = h.reduction_groups([abs(v) for v in x._data], x.shape, axes)
    out_dtype = dt.real_dtype_of(x.dtype)
    shape = h.keepdims_shape(x.shape, axes) if keepdims else kept
    return Array(finish([_p_norm([float(v) for v in g], ord) for g in groups], out_dtype), shape, out_dtype)


def _matrix_norm(a: list[list], ord: float | str) -> float:
    m, n = len(a), len(a[0])
    if ord == "fro":
        return math.hypot(*(abs(v) for row in a for v in row))
    if ord in ("nuc", 2, -2):
        s = singular_values(a)
        return sum(s) if ord == "nuc" else s[0] if ord == 2 else s[-1]
    if ord in (1, -1):
        sums = [sum(abs(a[i][j]) for i in range(m)) for j in range(n)]  # column sums
    elif ord in (math.inf, -math.inf):
        sums = [sum(abs(v) for v in row) for row in a]  # row sums
    else:
        raise ValueError(f"matrix_norm: unsupported ord {ord!r}")
    return max(sums) if ord in (1, math.inf) else min(sums)


def matrix_norm(x: Array, /, *, keepdims: bool = False, ord: float | str = "fro") -> Array:
    """Matrix norm of each ``M x N`` matrix (non-empty), in x's real floating dtype."""
    floating_input(x, "matrix_norm")
    if 0 in x.shape[-2:]:
        raise ValueError("matrix_norm: empty matrices have no norm here")
    batch, mats = matrices(x)
    out_dtype = dt.real_dtype_of(x.dtype)
    shape = batch + (1, 1) if keepdims else batch
    return Array(finish([_matrix_norm(a, ord) for a in mats], out_dtype), shape, out_dtype)
