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
* ``eigenvalues-any-order``: the eigenvalues equal the reference's as a multiset (matched nearest first);
* ``reference-values``: the result equals the reference's under the requirement's ``compare`` (the ``values``
  check, on the inputs the law's ``draws`` builder draws: singular, known-rank matrices);
* ``solve-residual``: the normwise backward error of each solved system is small,
  ``||x1 X - x2|| <= rtol * n * (||x1|| ||X|| + ||x2||)`` (infinity norms): what a backward-stable solver
  guarantees whatever the conditioning; or else the forward error is what a stable but not backward-stable
  method (X = inv(x1) x2) attains, ``max|X - reference| <= rtol * n * cond(x1) * max|reference|``;
* ``inv-residual``: ``min(||x X - I||, ||X x - I||) <= rtol * n * ||x|| ||X||`` for the returned inverse X, or
  else ``max|X - reference| <= rtol * n * cond(x) * max|reference|``;
* ``det-condition``: ``|det - reference| <= rtol * n * cond(x) * |reference|``, cond the 2-norm condition
  number of x, computed here in double precision (a determinant has no residual; its relative error under
  a backward-stable factorization grows with the condition number).

Tolerances come from the requirement's ``compare.rtol`` (per dtype): an entry may be off by
``rtol * n * max(1, max|x|)`` (n the matrix size), an orthonormality product by ``rtol * n``.
A law's ``draws`` names the call builder it draws from instead of the document's ``inputs.strategy``
(the same dtypes), so that one document judges, say, invertible and singular inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from accord.conformance.check import Context, Mismatch
from accord.spec.model import Document

from . import compare, oracle, strategies
from .strategies import Inputs

KINDS = ("cholesky-factor", "qr-factors", "eigh-factors", "svd-factors", "eig-pairs", "eigenvalues-any-order",
         "reference-values", "solve-residual", "inv-residual", "det-condition")


def _compare(doc: Document, law: Mapping[str, Any]) -> Mapping[str, Any]:
    """The ``compare`` of the requirement judging this law."""
    for req in doc.requirements:
        if req.params.get("property") == law["id"]:
            return req.compare
    raise KeyError(f"no requirement judges law {law['id']!r}")


def _drawn(inputs: Inputs, law: Mapping[str, Any]) -> Inputs:
    """``inputs`` drawing from the law's ``draws`` builder, if it names one (same dtypes, same exclusions)."""
    if "draws" not in law:
        return inputs
    doc = {**inputs.doc, "inputs": {**inputs.spec, "strategy": law["draws"]}}
    return Inputs(doc, inputs.data, inputs.category_override, inputs.with_complex, only=inputs.only,
                  exclude=inputs.exclude, defaults_only=inputs.defaults_only)


def _inf_norm(a: np.ndarray) -> np.ndarray:
    """Infinity norm (largest absolute row sum) of each innermost matrix; of each vector for 1-D tails."""
    return np.max(np.sum(np.abs(a), axis=-1), axis=-1, initial=0.0)


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
    base = strategies.build(_drawn(inputs, law)).map(lambda call: {"calls": [call]})

    def test(example: dict) -> None:
        call = example["calls"][0]
        try:
            want = oracle.expected("call", call)
        except oracle.Rejected:
            assume(False)
        x = np.asarray(oracle.decode(call["args"][0]))
        got = oracle.actual(ctx, "call", call)
        cmp = _compare(doc, law)
        arrays = [np.asarray(oracle.decode(a)) for a in call["args"]]
        dtype = np.result_type(*(a for a in arrays if a.dtype.kind in "fc"))  # solve: the promoted dtype's tolerance
        rtol = float(cmp["rtol"][dtype.name]) if "rtol" in cmp else 0.0  # an exact rule states none
        size = max(x.shape[-2:], default=1)
        scale = max(1.0, float(np.max(np.abs(x), initial=0.0)))
        atol = rtol * size * scale
        xd = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
        if kind == "reference-values":
            reason = compare.same_value(want, got, cmp, arrays)
            if reason:
                raise Mismatch(f"{doc.name}: {reason}", expected=oracle.readable(want), actual=oracle.readable(got))
            return
        if kind in ("solve-residual", "inv-residual", "det-condition"):
            if np.shape(got) != np.shape(want):
                raise Mismatch(f"shape {np.shape(got)} differs from the reference's {np.shape(want)}",
                               expected=list(np.shape(want)), actual=list(np.shape(got)))
            _judge_conditioned(kind, call, xd, _double(got), _double(want), rtol)
            return
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


def _judge_conditioned(kind: str, call: dict, x: np.ndarray, got: np.ndarray, want: np.ndarray, rtol: float) -> None:
    """solve / inv: a small residual (backward error), or else a forward error within rtol * n * cond(x) of the
    reference's answer; det: the forward error only (a determinant has no residual). Per matrix."""
    n = x.shape[-1]
    condition = np.linalg.cond(x)
    if kind == "det-condition":
        _within("|det - reference| exceeds rtol * n * cond(x) * |reference|", np.abs(got - want),
                rtol * n * condition * np.abs(want))
        return
    if kind == "solve-residual":
        b = _double(oracle.decode(call["args"][1]))
        b2, x2, w2 = (b[:, None], got[..., None], want[..., None]) if b.ndim == 1 else (b, got, want)
        residual = _inf_norm(x @ x2 - b2)
        allowed = rtol * n * (_inf_norm(x) * _inf_norm(x2) + _inf_norm(np.broadcast_to(b2, residual.shape + b2.shape[-2:])))
        what = "||x1 X - x2|| exceeds rtol * n * (||x1|| ||X|| + ||x2||), and |X - reference| rtol * n * cond(x1) * |reference|"
    else:  # inv-residual
        eye = np.eye(n)
        x2, w2 = got, want
        residual = np.minimum(_inf_norm(x @ got - eye), _inf_norm(got @ x - eye))
        allowed = rtol * n * _inf_norm(x) * _inf_norm(got)
        what = "min(||x X - I||, ||X x - I||) exceeds rtol * n * ||x|| ||X||, and |X - reference| rtol * n * cond(x) * |reference|"
    forward = np.max(np.abs(x2 - w2), axis=(-2, -1))
    forward_allowed = rtol * n * np.broadcast_to(condition[..., None, None], w2.shape) * np.max(np.abs(w2), axis=(-2, -1),
                                                                                                  keepdims=True)
    _within(what, residual, allowed, forward, forward_allowed[..., 0, 0])


def _within(what: str, error: np.ndarray, allowed: np.ndarray, *alternative: np.ndarray) -> None:
    """Each matrix's error within its allowance, or the alternative (error, allowance) pair's (NaN fails)."""
    ok = error <= allowed
    if alternative:
        ok = ok | (alternative[0] <= alternative[1])
    if not np.all(ok):
        where = tuple(int(i) for i in np.argwhere(~ok)[0]) if np.ndim(ok) else ()
        found = f"{float(error[where]):.3g} > {float(allowed[where]):.3g}"
        if alternative:
            found += f"; {float(alternative[0][where]):.3g} > {float(alternative[1][where]):.3g}"
        raise Mismatch(f"{what}: {found}{f' at stack index {list(where)}' if where else ''}",
                       expected=f"<= {float(allowed[where]):.3g}", actual=f"{float(error[where]):.3g}")
