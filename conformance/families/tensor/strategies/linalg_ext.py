"""The linalg extension (``xp.linalg.<fn>``): small, well-conditioned matrices (n <= 4, batch dims <= 2).

Matrices are drawn with moderate elements scaled into [-1, 1] (real) or a disc of radius < 1 (complex;
scaling by a power of two is exact) and shifted so that the checks judge the function, not the
conditioning: ``R + (n + 1) I`` is strictly diagonally dominant (invertible, condition below ~2n + 2),
``B B^H + n I`` is Hermitian positive definite. ``linalg-shared`` draws the calls of the four functions
the extension shares with the main namespace (matmul, matrix_transpose, tensordot, vecdot) with the main
namespace's own builder, addressed as ``linalg.<name>``.

Edge inputs, drawn by builders a law names (``draws``): ``linalg-singular`` (exactly singular: a zero row or
column, or twin rows), ``linalg-known-rank`` (x = U diag(s) V with exactly orthogonal U, V: known singular
values, some zero, some 8x either side of the default ``rtol`` cut-off) and ``linalg-ill-conditioned``
(condition numbers up to ~1e6 for float64, ~1e3 for float32).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from .. import oracle
from ..oracle import DType
from .base import BUILDERS, Inputs, array, axis_for, builder, draws, name_of, shapes, value_of

VECTOR_ORDS = (2, 1, math.inf, -math.inf, 0, -1, -2, 3, 0.5)
MATRIX_ORDS = ("fro", "nuc", 1, 2, math.inf, -1, -2, -math.inf)


@builder("linalg-shared")
def _shared(inputs: Inputs) -> st.SearchStrategy:
    """The main namespace's builder of the same function, its calls addressed to ``linalg.<name>``."""
    name = name_of(inputs)
    plain = name.split(".", 1)[1]
    return BUILDERS[plain](inputs).map(lambda call: {**call, "fn": name})


def _batch(draw: Callable) -> tuple[int, ...]:
    return tuple(draw(st.lists(st.integers(1, 2), max_size=2)))


def _unit(draw: Callable, dtype: str, shape: tuple[int, ...], inputs: Inputs) -> np.ndarray:
    """Moderate elements (|x| <= 4) rounded to multiples of 1/64 (no subnormals, which some backends flush)
    and scaled by 1/4 (real) or 1/8 (complex): |element| < 1, exactly."""
    x = np.asarray(value_of(draw(array(dtype, shape, inputs, views=False))))
    return (np.round(x * 64) / 64 / (8 if x.dtype.kind == "c" else 4)).astype(x.dtype)


def _eye(n: int, dtype: np.dtype) -> np.ndarray:
    return np.eye(n, dtype=dtype)


def _invertible(draw: Callable, inputs: Inputs, dtype: str, batch: tuple[int, ...], n: int) -> np.ndarray:
    """``R + (n + 1) I``: strictly diagonally dominant, hence invertible and well conditioned."""
    r = _unit(draw, dtype, (*batch, n, n), inputs)
    return (r + (n + 1) * _eye(n, r.dtype)).astype(r.dtype)


def _hermitian(draw: Callable, inputs: Inputs, dtype: str, batch: tuple[int, ...], n: int) -> np.ndarray:
    """``B B^H + n I``: Hermitian (real symmetric) positive definite, made exactly symmetric."""
    b = _unit(draw, dtype, (*batch, n, n), inputs)
    a = (b @ np.conj(np.swapaxes(b, -1, -2)) + n * _eye(n, b.dtype)).astype(b.dtype)
    return ((a + np.conj(np.swapaxes(a, -1, -2))) / 2).astype(b.dtype)


@draws("linalg-invertible")
def _square(draw: Callable, inputs: Inputs) -> dict:
    """det, slogdet, inv, matrix_power: a stack of invertible matrices (matrix_power also an exponent -3..3)."""
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    x = _invertible(draw, inputs, dtype, _batch(draw), draw(st.integers(1, 4)))
    name = name_of(inputs)
    if name == "linalg.matrix_power":
        return oracle.call(name, x, draw(st.integers(-3, 3)))
    return oracle.call(name, x)


@draws("linalg-hermitian")
def _hermitian_call(draw: Callable, inputs: Inputs) -> dict:
    """eigvalsh, eigh, cholesky (``upper`` sometimes given): a stack of Hermitian positive-definite matrices."""
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    x = _hermitian(draw, inputs, dtype, _batch(draw), draw(st.integers(1, 4)))
    name = name_of(inputs)
    if name == "linalg.cholesky" and draw(st.booleans()):
        return oracle.call(name, x, upper=draw(st.booleans()))
    return oracle.call(name, x)


@draws("linalg-full-rank")
def _full_rank(draw: Callable, inputs: Inputs) -> dict:
    """qr, pinv: M x N matrices whose first min(M, N) columns are independent (a block of a diagonally dominant
    matrix), with qr's ``mode`` or pinv's ``rtol`` sometimes given."""
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    x = np.ascontiguousarray(_invertible(draw, inputs, dtype, _batch(draw), max(m, n))[..., :m, :n])
    name = name_of(inputs)
    if name == "linalg.qr" and draw(st.booleans()):
        return oracle.call(name, x, mode=draw(st.sampled_from(["reduced", "complete"])))
    if name == "linalg.pinv" and draw(st.booleans()):
        return oracle.call(name, x, rtol=draw(st.sampled_from([1e-3, 1e-6])))
    return oracle.call(name, x)


@draws("linalg-low-rank")
def _low_rank(draw: Callable, inputs: Inputs) -> dict:
    """matrix_rank: x = B C with small integer B (M x r) and C (r x N), so its rank is r or lower and every
    singular value is either 0 (up to rounding) or well above the default tolerance; float32 inputs get an
    explicit ``rtol=1e-3`` (float32 rounding of a zero singular value comes near max(M, N) * eps)."""
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    batch = _batch(draw)
    m, n, r = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(0, 4))
    b = np.asarray(draw(hnp.arrays(np.int64, (*batch, m, r), elements=st.integers(-2, 2))))
    c = np.asarray(draw(hnp.arrays(np.int64, (*batch, r, n), elements=st.integers(-2, 2))))
    x = (b @ c).astype(dtype)
    name = name_of(inputs)
    if np.dtype(dtype) in (np.float32, np.complex64) or draw(st.booleans()):
        return oracle.call(name, x, rtol=1e-3)
    return oracle.call(name, x)


@draws("linalg-solve")
def _solve(draw: Callable, inputs: Inputs) -> dict:
    """x1 invertible (..., M, M); x2 either (M,) or (..., M, K) with batch dims broadcast against x1's."""
    return _solve_call(draw, inputs, _invertible)


def _solve_call(draw: Callable, inputs: Inputs, matrix: Callable[..., np.ndarray]) -> dict:
    """``solve(x1, x2)`` with x1 = ``matrix(draw, inputs, dtype, batch, M)`` and x2 of shape (M,) or
    (..., M, K), its batch dims broadcast against x1's."""
    a, b, _ = draw(st.sampled_from(inputs.pairs(inputs.category("x1"))))
    m = draw(st.integers(1, 4))
    b1, b2 = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, min_side=1, max_side=2)).input_shapes
    x1 = matrix(draw, inputs, a, b1, m)
    shape2 = (m,) if draw(st.booleans()) else (*b2, m, draw(st.integers(1, 3)))
    x2 = np.asarray(value_of(draw(array(b, shape2, inputs, views=False))))
    return oracle.call(name_of(inputs), x1, x2)


@draws("linalg-matrix")
def _matrix(draw: Callable, inputs: Inputs) -> dict:
    """A stack of M x N matrices (1 <= M, N <= 4; trace also 0) with the function's keywords: diagonal / trace
    (offset, trace's dtype), matrix_norm (ord, keepdims), svd (full_matrices), svdvals (none)."""
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    name = name_of(inputs)
    least = 0 if name == "linalg.trace" else 1  # trace: empty matrices too (N = 0, the empty sum)
    shape = (*_batch(draw), draw(st.integers(least, 4)), draw(st.integers(least, 4)))
    x = draw(array(dtype, shape, inputs))
    kwargs: dict[str, Any] = {}
    if name in ("linalg.diagonal", "linalg.trace") and draw(st.booleans()):
        kwargs["offset"] = draw(st.integers(-shape[-2], shape[-1]))
    if name == "linalg.trace" and np.dtype(dtype).kind in "fc" and draw(st.booleans()):
        kwargs["dtype"] = DType(dtype)
    if name == "linalg.svd" and draw(st.booleans()):
        kwargs["full_matrices"] = draw(st.booleans())
    if name == "linalg.matrix_norm":
        if draw(st.booleans()):
            kwargs["ord"] = draw(st.sampled_from(MATRIX_ORDS))
        if draw(st.booleans()):
            kwargs["keepdims"] = draw(st.booleans())
    return oracle.call(name, x, **kwargs)


@draws("linalg-vector-norm")
def _vector_norm(draw: Callable, inputs: Inputs) -> dict:
    """A non-empty array with axis (int, tuple or None), keepdims and ord (the text's tables)."""
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    x = draw(array(dtype, draw(shapes(min_dims=1, max_dims=3, min_side=1)), inputs))
    ndim = value_of(x).ndim
    kwargs: dict[str, Any] = {}
    axis = axis_for(draw, ndim, many=True)
    if axis is not None or draw(st.booleans()):
        kwargs["axis"] = axis
    if axis == ():
        kwargs["axis"] = None
    if draw(st.booleans()):
        kwargs["keepdims"] = draw(st.booleans())
    if draw(st.booleans()):
        kwargs["ord"] = draw(st.sampled_from(VECTOR_ORDS))
    return oracle.call(name_of(inputs), x, **kwargs)


@draws("linalg-outer")
def _outer(draw: Callable, inputs: Inputs) -> dict:
    """Two 1-D arrays of any lengths (0 to 4) and numeric dtypes."""
    a, b, _ = draw(st.sampled_from(inputs.pairs(inputs.category("x1"))))
    x1 = draw(array(a, (draw(st.integers(0, 4)),), inputs, "x1"))
    x2 = draw(array(b, (draw(st.integers(0, 4)),), inputs, "x2"))
    return oracle.call(name_of(inputs), x1, x2)


@draws("linalg-cross")
def _cross(draw: Callable, inputs: Inputs) -> dict:
    """Two arrays of 3-vectors along a shared axis counted from the end; the other axes broadcast."""
    a, b, _ = draw(st.sampled_from(inputs.pairs(inputs.category("x1"))))
    s1, s2 = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=2)).input_shapes
    n = min(len(s1), len(s2)) + 1
    axis = -draw(st.integers(1, n))
    at = len(s1) + 1 + axis, len(s2) + 1 + axis  # where the 3-axis goes so that it is ``axis`` from the end
    shape1 = (*s1[:at[0]], 3, *s1[at[0]:])
    shape2 = (*s2[:at[1]], 3, *s2[at[1]:])
    x1 = draw(array(a, shape1, inputs, "x1"))
    x2 = draw(array(b, shape2, inputs, "x2"))
    return oracle.call(name_of(inputs), x1, x2, **({"axis": axis} if axis != -1 or draw(st.booleans()) else {}))


@draws("linalg-diagonalizable")
def _diagonalizable(draw: Callable, inputs: Inputs) -> dict:
    """eig, eigvals: x = P T P^-1 with P diagonally dominant and T block upper triangular with well separated
    eigenvalues (at least 0.5 apart): real 1x1 blocks and, for real dtypes, 2x2 blocks [[a, b], [-b, a]]
    whose eigenvalues a +- bi are a complex-conjugate pair."""
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    n = draw(st.integers(1, 4))
    batch = _batch(draw)
    complex_ = np.dtype(dtype).kind == "c"
    out = np.zeros((*batch, n, n), dtype=np.complex128 if complex_ else np.float64)
    for index in np.ndindex(*batch):
        spots = draw(st.lists(st.integers(-6, 6), min_size=n, max_size=n, unique=True))
        t = np.triu(np.asarray(draw(hnp.arrays(np.float64, (n, n), elements=st.integers(-4, 4).map(lambda k: k / 4)))),
                    1).astype(out.dtype)
        i = 0
        while i < n:
            if not complex_ and i + 1 < n and draw(st.booleans()):  # a conjugate pair a +- bi
                a, b = spots[i] / 2, 0.5 + abs(spots[i + 1]) / 4
                t[i:i + 2, i:i + 2] = [[a, b], [-b, a]]
                i += 2
            else:
                t[i, i] = spots[i] / 2 + (1j * draw(st.integers(-2, 2)) / 2 if complex_ else 0)
                i += 1
        p = _invertible(draw, inputs, dtype, (), n).astype(out.dtype)
        out[index] = p @ t @ np.linalg.inv(p)
    return oracle.call(name_of(inputs), out.astype(dtype))


# ------------------------------------------------------------------ singular, known-rank, ill-conditioned


def _singular(draw: Callable, inputs: Inputs, dtype: str, batch: tuple[int, ...], n: int, twins: bool) -> np.ndarray:
    """Square matrices made exactly singular: a zero row or a zero column, which every elimination keeps
    exactly zero (0 times a multiplier is 0), so the determinant it computes is exactly 0; with ``twins`` also
    a row equal to +-2^k times another (k in -1..1), singular too, though a routine that scales by the
    reciprocal of the pivot may leave a rounding error (~eps) where the twin rows should cancel."""
    x = _unit(draw, dtype, (*batch, n, n), inputs)
    for index in np.ndindex(*batch):
        a = x[index]
        kind = draw(st.sampled_from(["zero-row", "zero-column", "twin-rows"][:3 if twins and n > 1 else 2]))
        i = draw(st.integers(0, n - 1))
        if kind == "zero-row":
            a[i, :] = 0
        elif kind == "zero-column":
            a[:, i] = 0
        else:
            j = (i + draw(st.integers(1, n - 1))) % n
            a[j, :] = a[i, :] * draw(st.sampled_from([1.0, -1.0, 2.0, -2.0, 0.5, -0.5]))
    return x


@draws("linalg-singular")
def _singular_call(draw: Callable, inputs: Inputs) -> dict:
    """det, slogdet: a stack of exactly singular square matrices (determinant 0); slogdet, whose special case
    asks for exactly sign 0 and -inf, only those with a zero row or column (the text's note allows a rounded
    result where "the underlying algorithm" does not meet an exact zero)."""
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    twins = name_of(inputs) != "linalg.slogdet"
    return oracle.call(name_of(inputs), _singular(draw, inputs, dtype, _batch(draw), draw(st.integers(1, 4)), twins))


def _signed_permutation(draw: Callable, n: int, complex_: bool) -> np.ndarray:
    """An exactly orthogonal (unitary) n x n matrix: a permutation with signs (and, complex, phases +-1j)."""
    units = [1, -1, 1j, -1j] if complex_ else [1, -1]
    order = draw(st.permutations(range(n)))
    phases = draw(st.lists(st.sampled_from(units), min_size=n, max_size=n))
    out = np.zeros((n, n), dtype=np.complex128 if complex_ else np.float64)
    for row, (col, phase) in enumerate(zip(order, phases, strict=True)):
        out[row, col] = phase
    return out


HADAMARD_HALF = np.array([[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]]) / 2.0  # orthogonal, exact


def _orthogonal(draw: Callable, n: int, complex_: bool, mixing: bool) -> np.ndarray:
    """A signed permutation; for n = 4 and ``mixing``, times the exactly orthogonal Hadamard matrix / 2."""
    q = _signed_permutation(draw, n, complex_)
    return q @ HADAMARD_HALF if mixing and n == 4 else q


#: how far from the default pinv / matrix_rank cut-off a "sharp" singular value is drawn (either side)
CUT_MARGIN = 100.0


@draws("linalg-known-rank")
def _known_rank(draw: Callable, inputs: Inputs) -> dict:
    """matrix_rank, pinv, svdvals, svd: x = U diag(s) V with U, V exactly orthogonal, so the singular values
    are s exactly (in exact arithmetic) and the rank is the number of non-zero s.

    "sharp" draws (U, V signed permutations: every SVD routine tried returns s exactly; M, N >= 2) put singular
    values at 0, at half the largest, and (two times in three) ``CUT_MARGIN`` times above or below the default
    cut-off ``max(M, N) * eps * s_max`` of x's dtype, and leave ``rtol`` at its default: the default tolerance is
    what is judged. The text says "approximately less than or equal to": a cut-off within a factor of ten of
    the default (jax uses 10x) is such, so only values two orders of magnitude away are drawn. "mixed" draws (matrices with a side of 4 get a Hadamard factor, so the singular vectors are not
    axis vectors) use singular values 0 or at least s_max / 8, with ``rtol=1e-3`` for matrix_rank and pinv:
    a computed zero singular value is then a rounding error (~eps * s_max), far below any cut-off the text
    allows. The largest singular value is a power of two between 2^-4 and 2^4 (a relative, not absolute, cut-off)."""
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    name = name_of(inputs)
    complex_ = np.dtype(dtype).kind == "c"
    eps = float(np.finfo(dtype).eps)
    batch = _batch(draw)
    sharp = name == "linalg.matrix_rank" or draw(st.booleans())
    m, n = draw(st.integers(1 + sharp, 4)), draw(st.integers(1 + sharp, 4))  # sharp: room for a value near the cut
    k = min(m, n)
    cut = max(m, n) * eps
    far, near = CUT_MARGIN * cut, cut / CUT_MARGIN
    levels = [0.0, 0.5, far, near, far, near] if sharp else [0.0, 1.0, 0.5, 0.25, 0.125]
    x = np.zeros((*batch, m, n), dtype=np.complex128 if complex_ else np.float64)
    for index in np.ndindex(*batch):
        top = 2.0 ** draw(st.integers(-4, 4))
        s = [top] + [top * draw(st.sampled_from(levels)) for _ in range(k - 1)]
        middle = np.zeros((m, n))
        middle[range(k), range(k)] = s
        x[index] = _orthogonal(draw, m, complex_, not sharp) @ middle @ _orthogonal(draw, n, complex_, not sharp)
    x = x.astype(dtype)
    if name in ("linalg.matrix_rank", "linalg.pinv") and not sharp:
        return oracle.call(name, x, rtol=1e-3)
    if name == "linalg.svd" and draw(st.booleans()):
        return oracle.call(name, x, full_matrices=draw(st.booleans()))
    return oracle.call(name, x)


def _ill_conditioned(draw: Callable, inputs: Inputs, dtype: str, batch: tuple[int, ...], n: int) -> np.ndarray:
    """Invertible but moderately ill-conditioned: x = P L D R^T with P a signed permutation, L and R unit lower
    triangular with entries in [-1/2, 1/2] (arbitrary floats, so that factorizing x is not exact arithmetic),
    and D = diag(2^-e) with e up to 20 (float64) or 10 (float32): condition numbers up to ~1e6 (float64) /
    ~1e3 (float32), times the modest condition of L and R (below ~10 for n <= 4). x is then rounded to its
    dtype, a relative change far below 1 / cond(x): still invertible, of about the same condition."""
    complex_ = np.dtype(dtype).kind == "c"
    deepest = 20 if np.dtype(dtype) in (np.float64, np.complex128) else 10
    halves = st.floats(-0.5, 0.5, allow_subnormal=False)
    out = np.zeros((*batch, n, n), dtype=np.complex128 if complex_ else np.float64)
    for index in np.ndindex(*batch):
        def triangle() -> np.ndarray:
            t = np.asarray(draw(hnp.arrays(np.float64, (n, n), elements=halves)), dtype=out.dtype)
            if complex_:
                t = t + 1j * np.asarray(draw(hnp.arrays(np.float64, (n, n), elements=halves)))
            return np.tril(t, -1) + np.eye(n)
        d = np.diag([2.0 ** -draw(st.integers(0, deepest)) for _ in range(n)])
        out[index] = _signed_permutation(draw, n, complex_) @ triangle() @ d @ triangle().T
    return out.astype(dtype)


@draws("linalg-ill-conditioned")
def _ill_conditioned_call(draw: Callable, inputs: Inputs) -> dict:
    """det, inv (x) and solve (x1, with x2 as ``linalg-solve`` draws it): ill-conditioned invertible matrices."""
    name = name_of(inputs)
    if name == "linalg.solve":
        return _solve_call(draw, inputs, _ill_conditioned)
    dtype = draw(st.sampled_from(inputs.dtypes("x")))
    return oracle.call(name, _ill_conditioned(draw, inputs, dtype, _batch(draw), draw(st.integers(1, 4))))
