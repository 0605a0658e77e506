"""Linear-algebra extension, general eigenproblem: eig, eigvals (2025.12).

For the small matrices the suite draws, plain steps a student can follow (complex double throughout):

1. the characteristic polynomial by Faddeev–LeVerrier: M_1 = I, c_{n-1} = -tr(A);
   M_k = A M_{k-1} + c_{n-k+1} I, c_{n-k} = -tr(A M_k) / k;
2. its roots by Durand–Kerner (Weierstrass) iteration (up to 500 sweeps, until no root moves by more
   than 1e-15 relative), then three Newton steps each. Error about eps * ||A|| for well-separated
   eigenvalues (about sqrt(eps) for nearly repeated ones);
3. each eigenvector as the right singular vector of A - lambda I of the smallest singular value
   (the eigenvector of (A - lambda I)^H (A - lambda I) with the smallest eigenvalue), of unit norm.

The text leaves the eigenvalue order to the implementation; these come sorted by (real, imaginary).
"""

from __future__ import annotations

from typing import NamedTuple

from . import dtypes as dt
from .array import Array
from .linalg_decompositions import _hermitian_pairs, from_rows, matrices, square_input

__all__: list[str] = []  # the extension's names live in ``linalg`` only (see linalg.py)


class EigResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


def _characteristic(a: list[list[complex]]) -> list[complex]:
    """Coefficients c_0 .. c_n (c_n = 1) of det(lambda I - A) by Faddeev–LeVerrier."""
    n = len(a)
    c = [0j] * n + [1 + 0j]
    m = [[0j] * n for _ in range(n)]  # M_0 = 0
    for k in range(1, n + 1):
        am = [[sum(a[i][t] * m[t][j] for t in range(n)) for j in range(n)] for i in range(n)]
        m = [[am[i][j] + (c[n - k + 1] if i == j else 0) for j in range(n)] for i in range(n)]
        am = [[sum(a[i][t] * m[t][j] for t in range(n)) for j in range(n)] for i in range(n)]
        c[n - k] = -sum(am[i][i] for i in range(n)) / k
    return c


def _polynomial(c: list[complex], z: complex) -> complex:
    value = 0j
    for coefficient in reversed(c):  # Horner
        value = value * z + coefficient
    return value


def _derivative(c: list[complex], z: complex) -> complex:
    return _polynomial([k * c[k] for k in range(1, len(c))], z)


def _roots(c: list[complex]) -> list[complex]:
    """All roots of the monic polynomial with coefficients ``c`` (Durand–Kerner, then Newton polishing)."""
    n = len(c) - 1
    scale = 1 + max((abs(v) for v in c[:-1]), default=0.0)  # every root lies within this radius
    z = [scale * (0.4 + 0.9j) ** i for i in range(n)]
    for _ in range(500):
        moved = 0.0
        for i in range(n):
            denominator = 1 + 0j
            for j in range(n):
                if j != i:
                    denominator *= z[i] - z[j]
            step = _polynomial(c, z[i]) / denominator if denominator != 0 else 0j
            z[i] -= step
            moved = max(moved, abs(step))
        if moved <= 1e-15 * scale:
            break
    for i in range(n):
        for _ in range(3):
            d = _derivative(c, z[i])
            if d != 0:
                z[i] -= _polynomial(c, z[i]) / d
    return sorted(z, key=lambda v: (v.real, v.imag))


def _eigenvector(a: list[list[complex]], value: complex) -> list[complex]:
    n = len(a)
    b = [[a[i][j] - (value if i == j else 0) for j in range(n)] for i in range(n)]
    gram = [[sum(b[t][i].conjugate() * b[t][j] for t in range(n)) for j in range(n)] for i in range(n)]
    _, vectors = _hermitian_pairs([[complex(v) + 0j for v in row] for row in gram])
    return vectors[0]  # the smallest eigenvalue's: the (near) null vector of A - lambda I


def _square_complex(x: Array, name: str) -> tuple[tuple[int, ...], list[list[list[complex]]], dt.DType]:
    square_input(x, name)
    batch, mats = matrices(x)
    out_dtype = dt.complex_dtype_of(x.dtype) if not x.dtype.is_complex else x.dtype
    return batch, [[[complex(v) for v in row] for row in a] for a in mats], out_dtype


def eigvals(x: Array, /) -> Array:
    """Eigenvalues of each square matrix, in the complex dtype of x's precision."""
    batch, mats, out_dtype = _square_complex(x, "eigvals")
    n = x.shape[-1]
    return from_rows([[_roots(_characteristic(a))] for a in mats], batch + (n,), out_dtype)


def eig(x: Array, /) -> EigResult:
    """Eigenvalues and unit eigenvectors (columns) of each square matrix, complex dtype of x's precision."""
    batch, mats, out_dtype = _square_complex(x, "eig")
    n = x.shape[-1]
    values, vectors = [], []
    for a in mats:
        roots = _roots(_characteristic(a))
        columns = [_eigenvector(a, r) for r in roots]
        values.append([roots])
        vectors.append([[columns[j][i] for j in range(n)] for i in range(n)])
    return EigResult(from_rows(values, batch + (n,), out_dtype), from_rows(vectors, x.shape, out_dtype))
