"""Laws of matrix decompositions: the factors a backend returns are judged by their defining properties.

Decompositions are not unique (signs and phases of vectors, order of equal eigenvalues, the text leaves
the eigenvalue order open), so they are not compared factor by factor with the reference. Each law
checks what the text defines, per matrix, in double precision on the backend's own results:

* ``cholesky-factor``: L lower triangular with x = L L^H (``upper=True``: U upper triangular, x = U^H U);
* ``qr-factors``: Q with orthonormal columns, R upper triangular, Q R = x;
* ``eigh-factors``: Q unitary (orthogonal), real eigenvalues w, Q diag(w) Q^H = x;
* ``svd-factors``: U, Vh with orthonormal columns / rows, S non-negative and descending, U diag(S) Vh = x;
* ``eig-pairs``: each returned (lambda, v) has x v = lambda v with v not zero, and the eigenvalues equal the
  reference's in some order;
* ``eigenvalues-any-order``: the eigenvalues equal the reference's as a multiset (matched nearest first).

Tolerances come from the requirement's ``compare.rtol`` (per dtype): an entry may be off by
``rtol * n * max(1, max|x|)`` (n the matrix size), an orthonormality product by ``rtol * n``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from accord.conformance.check import Context, Mismatch
from accord.spec.model import Document

from . import oracle, strategies
from .strategies import Inputs

KINDS = ("cholesky-factor", "qr-factors", "eigh-factors", "svd-factors", "eig-pairs", "eigenvalues-any-order")


def _rtol(doc: Document, law: Mapping[str, Any], dtype: np.dtype) -> float:
    """The rtol the requirement judging this law states for ``dtype``."""
    for req in doc.requirements:
        if req.params.get("property") == law["id"]:
            return float(req.compare["rtol"][dtype.name])
    raise KeyError(f"no requirement states a tolerance for law {law['id']!r}")


def _h(a: np.ndarray) -> np.ndarray:
    """Conjugate transpose of the innermost matrices."""
    return np.conj(np.swapaxes(a, -1, -2))


def _close(what: str, got: np.ndarray, want: np.ndarray, atol: float) -> None:
    err = float(np.max(np.abs(got - want), initial=0.0))
    if not err <= atol:  # NaN fails as well
        raise Mismatch(f"{what}: off by {err:.3g}, allowed {atol:.3g}", expected=oracle.readable(want),
                       actual=oracle.readable(got))


def _orthonormal(what: str, q: np.ndarray, rtol: float, columns: bool = True) -> None:
    gram = _h(q) @ q if columns else q @ _h(q)
    _close(f"{what} is not orthonormal ({what}^H {what} != I)" if columns else f"the rows of {what} are not orthonormal",
            gram, np.broadcast_to(np.eye(gram.shape[-1]), gram.shape), rtol * max(gram.shape[-1], 1))


def _triangular(what: str, r: np.ndarray, atol: float, lower: bool) -> None:
    off = np.tril(r, -1) if not lower else np.triu(r, 1)
    _close(f"{what} is not {'lower' if lower else 'upper'} triangular", off, np.zeros_like(off), atol)


def _double(value: Any) -> np.ndarray:
    """A result in double precision, complex kept complex."""
    value = np.asarray(value)
    return value.astype(np.complex128 if value.dtype.kind == "c" else np.float64)


def _matched(got: Any, want: Any) -> np.ndarray:
    """``got``'s values reordered, per stack item, to stand next to the nearest of ``want``'s (greedy)."""
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape:
        raise Mismatch(f"shape {got.shape} differs from the reference's {want.shape}", expected=list(want.shape),
                       actual=list(got.shape))
    out = np.empty_like(got)
    for index in np.ndindex(*want.shape[:-1]):
        free = list(got[index])
        for j, value in enumerate(want[index]):
            k = int(np.argmin([abs(value - f) for f in free]))
            out[(*index, j)] = free.pop(k)
    return out


def make(ctx: Context, doc: Document, law: Mapping[str, Any], inputs: Inputs) -> tuple[st.SearchStrategy, Callable]:
    kind = law["law"]
    base = strategies.build(inputs).map(lambda call: {"calls": [call]})

    def test(example: dict) -> None:
        call = example["calls"][0]
        try:
            want = oracle.expected("call", call)
        except oracle.Rejected:
            assume(False)
        x = np.asarray(oracle.decode(call["args"][0]))
        got = oracle.actual(ctx, "call", call)
        rtol = _rtol(doc, law, x.dtype)
        size = max(x.shape[-2:], default=1)
        scale = max(1.0, float(np.max(np.abs(x), initial=0.0)))
        atol = rtol * size * scale
        xd = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
        if kind == "eigenvalues-any-order":
            _close("the eigenvalues differ from the reference's (matched in any order)", _matched(got, want),
                   np.asarray(want), atol)
            return
        parts = [_double(p) for p in (got if isinstance(got, tuple | list) else (got,))]
        if kind == "cholesky-factor":
            f = parts[0]
            upper = bool(oracle.decode(call["kwargs"].get("upper", False)))
            _triangular("the factor", f, atol, lower=not upper)
            _close("U^H U != x" if upper else "L L^H != x", _h(f) @ f if upper else f @ _h(f), xd, atol)
        elif kind == "qr-factors":
            q, r = parts
            _orthonormal("Q", q, rtol)
            _triangular("R", r, atol, lower=False)
            _close("Q R != x", q @ r, xd, atol)
        elif kind == "eigh-factors":
            w, q = parts
            if np.iscomplexobj(w) and np.any(np.imag(w) != 0):
                raise Mismatch("the eigenvalues are not real", actual=oracle.readable(w))
            _orthonormal("Q", q, rtol)
            _close("Q diag(w) Q^H != x", (q * np.real(w)[..., None, :]) @ _h(q), xd, atol)
        elif kind == "eig-pairs":
            w, v = parts
            if np.any(np.linalg.norm(v, axis=-2) < 0.1):
                raise Mismatch("an eigenvector is (nearly) zero", actual=oracle.readable(v))
            _close("x v != lambda v for a returned pair", xd @ v, v * w[..., None, :], atol)
            _close("the eigenvalues differ from the reference's (matched in any order)", _matched(w, want[0]),
                   np.asarray(want[0]), atol)
        elif kind == "svd-factors":
            u, s, vh = parts
            s = np.real(s)
            k = s.shape[-1]
            _orthonormal("U", u, rtol)
            _orthonormal("Vh", vh, rtol, columns=False)
            if np.any(s < -atol) or np.any(np.diff(s, axis=-1) > atol):
                raise Mismatch("the singular values are not non-negative and descending", actual=oracle.readable(s))
            _close("U diag(S) Vh != x", (u[..., :, :k] * s[..., None, :]) @ vh[..., :k, :], xd, atol)
        else:
            raise AssertionError(kind)

    return base, test
