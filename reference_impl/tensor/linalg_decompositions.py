"""Linear-algebra extension, decompositions: eigvalsh, svdvals, cholesky, qr, eigh, svd, pinv, matrix_rank.

Plain algorithms a student can follow, computed in Python double (``float`` / ``complex``) and
rounded once to the result dtype:

* ``eigvalsh``: cyclic Jacobi rotations on a real symmetric matrix until every off-diagonal element
  is below ``1e-300`` or ``|a_pq| <= 1e-17 * sqrt(|a_pp a_qq|)`` (at most 100 sweeps). A complex
  Hermitian ``H = A + iB`` is handled through its real embedding ``[[A, -B], [B, A]]``, whose
  eigenvalues are those of ``H``, each twice. Absolute error about ``n * eps * ||H||``.
* ``svdvals``: one-sided (Hestenes) Jacobi: rotate column pairs until every pair is orthogonal to
  ``1e-15`` relative to its norms (at most 100 sweeps); the singular values are the column norms. A
  complex matrix goes through the same real embedding (each singular value twice). Relative error
  of every singular value about ``n * eps`` times the condition of its column scaling.
* ``pinv``: the same Jacobi rotations accumulated into V (x V = W, orthogonal columns w_j = s_j u_j), so
  that a tiny singular value above the cut-off keeps accurate singular vectors; a complex matrix goes
  through its real embedding, whose pseudo-inverse embeds the complex one.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from . import _helpers as h
from . import dtypes as dt
from .array import Array
from .elementwise.core import finish

__all__: list[str] = []  # the extension's names live in ``linalg`` only (see linalg.py)

SWEEPS = 100


def floating_input(x: Array, name: str, min_ndim: int = 2) -> None:
    """The extension's matrix functions take floating arrays of at least ``min_ndim`` dimensions."""
    if not isinstance(x, Array):
        raise TypeError(f"{name}: x must be an array")
    if not x.dtype.is_float:
        raise TypeError(f"{name}: a floating-point dtype is expected, got {x.dtype.name}")
    if x.ndim < min_ndim:
        raise ValueError(f"{name}: x must have at least {min_ndim} dimensions, got {x.ndim}")


def square_input(x: Array, name: str) -> None:
    """A floating-point stack of square matrices, else the error ``name`` raises."""
    floating_input(x, name)
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(f"{name}: square matrices expected, got {x.shape[-2:]}")


def matrices(x: Array) -> tuple[tuple[int, ...], list[list[list]]]:
    """The batch shape and each innermost ``M x N`` matrix of ``x`` as a list of rows (Python numbers)."""
    m, n = x.shape[-2:]
    batch = x.shape[:-2]
    values = [complex(v) if x.dtype.is_complex else float(v) for v in x._data]
    out = []
    for b in range(h.size_of(batch)):
        start = b * m * n
        out.append([values[start + i * n:start + (i + 1) * n] for i in range(m)])
    return batch, out


def from_rows(rows_per_item: list[list[list]], shape: tuple[int, ...], dtype: dt.DType) -> Array:
    """An array of ``shape`` from per-batch lists of rows, each value rounded once into ``dtype``."""
    flat = [v for rows in rows_per_item for row in rows for v in row]
    return Array(finish(flat, dtype), shape, dtype)


def real_embedding(a: list[list]) -> list[list[float]]:
    """``[[Re, -Im], [Im, Re]]`` of a complex matrix: a real matrix with the same eigen/singular values, doubled."""
    m, n = len(a), len(a[0]) if a else 0
    top = [[complex(a[i][j]).real for j in range(n)] + [-complex(a[i][j]).imag for j in range(n)] for i in range(m)]
    low = [[complex(a[i][j]).imag for j in range(n)] + [complex(a[i][j]).real for j in range(n)] for i in range(m)]
    return top + low


def jacobi_symmetric(a: list[list[float]]) -> tuple[list[float], list[list[float]]]:
    """Eigenvalues and eigenvectors (as columns of V) of a real symmetric matrix by cyclic Jacobi rotations."""
    n = len(a)
    a = [list(map(float, row)) for row in a]
    v = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    for _ in range(SWEEPS):
        rotated = False
        for p in range(n - 1):
            for q in range(p + 1, n):
                apq = a[p][q]
                if abs(apq) <= 1e-300 or abs(apq) <= 1e-17 * math.sqrt(abs(a[p][p] * a[q][q])):
                    continue
                rotated = True
                # the rotation angle that zeroes a[p][q]: tan(2 theta) = 2 a_pq / (a_qq - a_pp)
                theta = (a[q][q] - a[p][p]) / (2.0 * apq)
                t = math.copysign(1.0, theta) / (abs(theta) + math.sqrt(theta * theta + 1.0))
                c = 1.0 / math.sqrt(t * t + 1.0)
                s = t * c
                for k in range(n):  # A <- A J (columns p, q)
                    akp, akq = a[k][p], a[k][q]
                    a[k][p], a[k][q] = c * akp - s * akq, s * akp + c * akq
                for k in range(n):  # A <- J^T A (rows p, q)
                    apk, aqk = a[p][k], a[q][k]
                    a[p][k], a[q][k] = c * apk - s * aqk, s * apk + c * aqk
                for k in range(n):  # V <- V J
                    vkp, vkq = v[k][p], v[k][q]
                    v[k][p], v[k][q] = c * vkp - s * vkq, s * vkp + c * vkq
        if not rotated:
            break
    return [a[i][i] for i in range(n)], v


def hermitian_eigenvalues(a: list[list]) -> list[float]:
    """Ascending eigenvalues of a real symmetric or complex Hermitian matrix."""
    if any(isinstance(v, complex) for row in a for v in row):
        doubled = sorted(jacobi_symmetric(real_embedding(a))[0])
        return doubled[::2]  # each eigenvalue of H appears twice in its real embedding
    return sorted(jacobi_symmetric(a)[0])


def singular_values(a: list[list]) -> list[float]:
    """Descending singular values of a real or complex matrix by one-sided Jacobi."""
    if a and any(isinstance(v, complex) for row in a for v in row):
        return sorted(singular_values([[float(v) for v in row] for row in real_embedding(a)]), reverse=True)[::2]
    m, n = len(a), len(a[0]) if a else 0
    if m < n:  # same singular values as the transpose; work on the taller one
        a = [[a[i][j] for i in range(m)] for j in range(n)]
    cols, _ = one_sided_jacobi(a)
    return sorted((math.hypot(*col) for col in cols), reverse=True)


def _rotate(cols: list[list[float]], p: int, q: int, c: float, s: float) -> None:
    """Columns p and q replaced by their plane rotation: (c·p − s·q, s·p + c·q)."""
    cp, cq = cols[p], cols[q]
    cols[p] = [c * x - s * y for x, y in zip(cp, cq, strict=True)]
    cols[q] = [s * x + c * y for x, y in zip(cp, cq, strict=True)]


def one_sided_jacobi(a: list[list[float]]) -> tuple[list[list[float]], list[list[float]]]:
    """Columns of ``A V`` and of ``V`` for a real M x N matrix A (M >= N), V orthogonal: the product of the plane
    rotations that make every pair of columns of ``A V`` orthogonal. Column j of ``A V`` is ``s_j u_j``: its norm
    is a singular value and V's column j the matching right singular vector, accurate even for tiny s_j."""
    m, n = len(a), len(a[0]) if a else 0
    cols = [[float(a[i][j]) for i in range(m)] for j in range(n)]
    vcols = [[1.0 if i == j else 0.0 for i in range(n)] for j in range(n)]
    for _ in range(SWEEPS):
        rotated = False
        for p in range(n - 1):
            for q in range(p + 1, n):
                alpha = sum(x * x for x in cols[p])
                beta = sum(x * x for x in cols[q])
                gamma = sum(x * y for x, y in zip(cols[p], cols[q], strict=True))
                if gamma == 0.0 or abs(gamma) <= 1e-15 * math.sqrt(alpha * beta):
                    continue
                rotated = True
                zeta = (beta - alpha) / (2.0 * gamma)
                t = math.copysign(1.0, zeta) / (abs(zeta) + math.sqrt(1.0 + zeta * zeta))
                c = 1.0 / math.sqrt(1.0 + t * t)
                s = c * t
                _rotate(cols, p, q, c, s)
                _rotate(vcols, p, q, c, s)
        if not rotated:
            break
    return cols, vcols


def eigvalsh(x: Array, /) -> Array:
    """Eigenvalues of each Hermitian / symmetric matrix, ascending, in x's real dtype (lower triangle read as given)."""
    square_input(x, "eigvalsh")
    batch, mats = matrices(x)
    out_dtype = dt.real_dtype_of(x.dtype)
    return from_rows([[hermitian_eigenvalues(a)] for a in mats], batch + (x.shape[-1],), out_dtype)


def svdvals(x: Array, /) -> Array:
    """Singular values of each matrix, descending, in x's real dtype."""
    floating_input(x, "svdvals")
    batch, mats = matrices(x)
    k = min(x.shape[-2:])
    out_dtype = dt.real_dtype_of(x.dtype)
    return from_rows([[singular_values(a) if k else []] for a in mats], batch + (k,), out_dtype)


# ------------------------------------------------------------------ factorizations


class EighResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


class QRResult(NamedTuple):
    Q: Array
    R: Array


class SVDResult(NamedTuple):
    U: Array
    S: Array
    Vh: Array


def _conj(v: float | complex) -> float | complex:
    return v.conjugate() if isinstance(v, complex) else v


def _inner(u: list, v: list) -> float | complex:
    """<u, v> = sum(conj(u_i) v_i)."""
    return sum((_conj(a) * b for a, b in zip(u, v, strict=True)), 0.0)


def _norm(u: list) -> float:
    return math.hypot(*(abs(a) for a in u))


def _orthogonalized(v: list, basis: list[list]) -> list:
    """v minus its projections on the orthonormal ``basis`` (twice: modified Gram-Schmidt, re-orthogonalized)."""
    for _ in range(2):
        for q in basis:
            c = _inner(q, v)
            v = [a - c * b for a, b in zip(v, q, strict=True)]
    return v


def _completed(basis: list[list], count: int, size: int, complex_: bool) -> list[list]:
    """``basis`` (orthonormal vectors of length ``size``) extended by unit vectors to ``count`` vectors."""
    out = list(basis)
    for i in range(size):
        if len(out) >= count:
            break
        e = [(1.0 + 0j if complex_ else 1.0) if j == i else (0j if complex_ else 0.0) for j in range(size)]
        w = _orthogonalized(e, out)
        if _norm(w) > 0.5:  # e_i is not (nearly) in the span: a new direction
            out.append([a / _norm(w) for a in w])
    return out


def _columns_to_rows(cols: list[list]) -> list[list]:
    return [list(r) for r in zip(*cols, strict=True)] if cols else []


def cholesky(x: Array, /, *, upper: bool = False) -> Array:
    """Cholesky–Banachiewicz, row by row: L[i][j] = (x[i][j] - sum_k L[i][k] conj(L[j][k])) / L[j][j]; upper: L^H."""
    square_input(x, "cholesky")
    _, mats = matrices(x)
    out = []
    for a in mats:
        n = len(a)
        low: list[list] = [[0.0 * a[0][0]] * n for _ in range(n)] if n else []
        for i in range(n):
            for j in range(i + 1):
                s = a[i][j] - sum((low[i][k] * _conj(low[j][k]) for k in range(j)), 0.0)
                if i == j:
                    d = s.real if isinstance(s, complex) else s
                    if d <= 0:
                        raise ValueError("cholesky: the matrix is not positive definite")
                    low[i][j] = math.sqrt(d) + (0j if isinstance(s, complex) else 0.0)
                else:
                    low[i][j] = s / low[j][j]
        out.append([[_conj(low[j][i]) for j in range(n)] for i in range(n)] if upper else low)
    return from_rows(out, x.shape, x.dtype)


def qr(x: Array, /, *, mode: str = "reduced") -> QRResult:
    """Q with orthonormal columns by Gram-Schmidt on x's first K = min(M, N) columns (completed to M for
    ``complete``), R = Q^H x (upper triangular; zero below the diagonal by construction)."""
    floating_input(x, "qr")
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete', got {mode!r}")
    batch, mats = matrices(x)
    m, n = x.shape[-2:]
    k = min(m, n)
    complex_ = x.dtype.is_complex
    qs, rs = [], []
    for a in mats:
        cols = [[a[i][j] for i in range(m)] for j in range(n)]
        basis: list[list] = []
        for j in range(k):
            w = _orthogonalized(cols[j], basis)
            if _norm(w) == 0:
                raise ValueError("qr: the first min(M, N) columns must be linearly independent")
            basis.append([v / _norm(w) for v in w])
        if mode == "complete":
            basis = _completed(basis, m, m, complex_)
        rows = len(basis)
        r = [[_inner(basis[i], cols[j]) if i <= j and i < k else 0.0 * a[0][0] for j in range(n)] for i in range(rows)]
        qs.append(_columns_to_rows(basis) if basis else [[] for _ in range(m)])
        rs.append(r)
    rows = m if mode == "complete" else k
    return QRResult(from_rows(qs, batch + (m, rows), x.dtype), from_rows(rs, batch + (rows, n), x.dtype))


def _hermitian_pairs(a: list[list]) -> tuple[list[float], list[list]]:
    """Ascending eigenvalues and orthonormal eigenvectors (as lists) of a symmetric / Hermitian matrix.

    Complex: each eigenpair (w, z) of H appears twice in the real embedding, as [Re z; Im z] and
    [-Im z; Re z] (that is, i z); Gram-Schmidt keeps one vector per direction."""
    n = len(a)
    if not any(isinstance(v, complex) for row in a for v in row):
        w, v = jacobi_symmetric(a)
        order = sorted(range(n), key=lambda i: w[i])
        return [w[i] for i in order], [[v[r][i] for r in range(n)] for i in order]
    w, v = jacobi_symmetric(real_embedding(a))
    values: list[float] = []
    vectors: list[list] = []
    for i in sorted(range(2 * n), key=lambda i: w[i]):
        z = _orthogonalized([complex(v[r][i], v[r + n][i]) for r in range(n)], vectors)
        if len(vectors) < n and _norm(z) > 0.5:
            vectors.append([c / _norm(z) for c in z])
            values.append(w[i])
    return values, vectors


def eigh(x: Array, /) -> EighResult:
    """Eigenvalues (ascending, x's real dtype) and eigenvectors (columns, x's dtype) of each Hermitian matrix."""
    square_input(x, "eigh")
    batch, mats = matrices(x)
    pairs = [_hermitian_pairs(a) for a in mats]
    n = x.shape[-1]
    values = from_rows([[w] for w, _ in pairs], batch + (n,), dt.real_dtype_of(x.dtype))
    vectors = from_rows([_columns_to_rows(v) if v else [] for _, v in pairs], x.shape, x.dtype)
    return EighResult(values, vectors)


def svd(x: Array, /, *, full_matrices: bool = True) -> SVDResult:
    """Through the eigen-decomposition of x^H x: V its eigenvectors (by descending eigenvalue), S = sqrt(eigenvalue),
    u_i = x v_i / s_i where s_i > 1e-7 * s_0 (the other columns of U completed by Gram-Schmidt); S itself comes from ``singular_values``
    (one-sided Jacobi), accurate where sqrt of the eigenvalues of x^H x is not."""
    floating_input(x, "svd")
    batch, mats = matrices(x)
    m, n = x.shape[-2:]
    k = min(m, n)
    complex_ = x.dtype.is_complex
    us, ss, vhs = [], [], []
    for a in mats:
        gram = [[sum((_conj(a[t][i]) * a[t][j] for t in range(m)), 0.0) for j in range(n)] for i in range(n)]
        w, vecs = _hermitian_pairs(gram) if n else ([], [])
        order = sorted(range(n), key=lambda i: -w[i])
        s = [math.sqrt(max(w[i], 0.0)) for i in order]
        v = [vecs[i] for i in order]
        u: list[list] = []
        for i in range(k):
            if s[i] > 1e-7 * s[0]:  # sqrt(eps) relative: what the eigenvalues of x^H x resolve
                col = _orthogonalized([sum((a[r][t] * v[i][t] for t in range(n)), 0.0) / s[i] for r in range(m)], u)
                if _norm(col) > 0.5:
                    u.append([c / _norm(col) for c in col])
        u = _completed(u, m if full_matrices else k, m, complex_)
        v = v if full_matrices else v[:k]
        us.append(_columns_to_rows(u) if u else [[] for _ in range(m)])
        ss.append([singular_values(a) if k else []])  # S itself by one-sided Jacobi: accurate to eps * s_0
        vhs.append([[_conj(c) for c in row] for row in v])
    cols = m if full_matrices else k
    rows = n if full_matrices else k
    return SVDResult(from_rows(us, batch + (m, cols), x.dtype), from_rows(ss, batch + (k,), dt.real_dtype_of(x.dtype)),
                     from_rows(vhs, batch + (rows, n), x.dtype))


def _cutoffs(x: Array, rtol: float | Array | None, name: str) -> list[float]:
    """Per matrix, the relative tolerance the text states: None -> max(M, N) * eps of x's real dtype; a float
    applies to every matrix; an array broadcasts against ``shape(x)[:-2]``."""
    batch = x.shape[:-2]
    if rtol is None:
        eps = 2.0 ** -23 if dt.real_dtype_of(x.dtype) is dt.float32 else 2.0 ** -52
        return [max(x.shape[-2:]) * eps] * h.size_of(batch)
    if isinstance(rtol, Array):
        if not rtol.dtype.is_real_float:
            raise TypeError(f"{name}: rtol must have a real floating dtype")
        return [float(rtol._data[i]) for i in h.broadcast_index_list(rtol.shape, batch)]
    return [float(rtol)] * h.size_of(batch)


def matrix_rank(x: Array, /, *, rtol: float | Array | None = None) -> Array:
    """Number of singular values above rtol * largest singular value, per matrix (default integer dtype)."""
    floating_input(x, "matrix_rank")
    batch, mats = matrices(x)
    ranks = []
    for a, tol in zip(mats, _cutoffs(x, rtol, "matrix_rank"), strict=True):
        s = singular_values(a) if min(x.shape[-2:]) else []
        ranks.append(sum(1 for v in s if v > tol * s[0]))
    return Array(ranks, batch, dt.default_int)


def _real_pinv(a: list[list[float]], tol: float) -> list[list[float]]:
    """Pseudo-inverse (N x M) of a real M x N matrix by one-sided Jacobi: with A V = W (orthogonal columns
    w_j = s_j u_j), A+ = sum over s_j > tol * s_max of v_j u_j^T / s_j = v_j w_j^T / s_j^2."""
    m, n = len(a), len(a[0]) if a else 0
    if m < n:  # pinv(A) = pinv(A^T)^T: work on the taller one
        t = _real_pinv([[a[i][j] for i in range(m)] for j in range(n)], tol)
        return [[t[j][i] for j in range(m)] for i in range(n)]
    w, v = one_sided_jacobi(a)
    s = [math.hypot(*col) for col in w]
    top = max(s, default=0.0)
    kept = [j for j in range(n) if s[j] > tol * top]
    return [[sum((v[j][r] * w[j][c] / (s[j] * s[j]) for j in kept), 0.0) for c in range(m)] for r in range(n)]


def pinv(x: Array, /, *, rtol: float | Array | None = None) -> Array:
    """Moore-Penrose pseudo-inverse through the SVD: sum over s_i > rtol * s_0 of v_i (1 / s_i) u_i^H.

    The singular triplets come from one-sided Jacobi (accurate for tiny kept s_i, which the eigenvectors of
    x^H x in ``svd`` do not resolve); a complex matrix goes through its real embedding, whose pseudo-inverse is
    the embedding of the pseudo-inverse: Re is its top-left block, Im its bottom-left block."""
    floating_input(x, "pinv")
    m, n = x.shape[-2:]
    batch, mats = matrices(x)
    out = []
    for a, tol in zip(mats, _cutoffs(x, rtol, "pinv"), strict=True):
        if not (m and n):
            out.append([[0.0] * m for _ in range(n)])
        elif x.dtype.is_complex:
            p = _real_pinv(real_embedding(a), tol)
            out.append([[complex(p[r][c], p[n + r][c]) for c in range(m)] for r in range(n)])
        else:
            out.append(_real_pinv(a, tol))
    return from_rows(out, batch + (n, m), x.dtype)
