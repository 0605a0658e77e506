"""The linalg extension of the tensor draft (``xp.linalg.<fn>``, MAY with feature ``linalg``).

The reference and numpy pass every requirement when they claim the feature; a backend that does not
claim it gets ``not-claimed``; and each kind of judgement the extension adds catches a backend broken on
purpose (values against the reference, and each decomposition law: factors judged by their properties).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from accord_testing import InProcess
from accord_testing.overriding import Overriding, numpy_meta

from accord.adapters.registry import resolve
from accord.conformance.check import Context, RunSettings
from accord.conformance.families.tensor import SUITE
from accord.conformance.runner import classify, evaluate
from accord.reference import tensor as ref
from accord.spec import load_spec

DRAFT = load_spec("tensor", "draft")
LINALG = sorted(r.id for d in DRAFT.documents_of("tensor.function") for r in d.requirements
                if r.id.startswith("tensor.linalg."))


def _run(backend: Any, requirement: str, max_examples: int = 10, claim: bool = True) -> Any:
    meta = backend.meta.to_json()
    claims = {*meta.get("claims", ()), "linalg", "complex"}
    meta["claims"] = sorted(claims if claim else claims - {"linalg"})
    ctx = Context(backend=InProcess(backend, start=True), spec=DRAFT,
                  settings=RunSettings(seed=1, max_examples=max_examples), adapter=meta)
    req = DRAFT.requirement(requirement)
    return classify(req, meta) or evaluate(ctx, SUITE, req)


def test_the_extension_has_its_documents() -> None:
    names = {d.name for d in DRAFT.documents_of("tensor.function") if d.name.startswith("linalg.")}
    assert {"linalg.det", "linalg.solve", "linalg.qr", "linalg.svd", "linalg.matmul", "linalg.vecdot"} <= names
    for doc in DRAFT.documents_of("tensor.function"):
        if doc.name.startswith("linalg."):
            assert all(r.level == "MAY" and r.feature == "linalg" for r in doc.requirements), doc.name


def test_extension_names_stay_out_of_the_main_namespace() -> None:
    assert ref.linalg.solve is not None and ref.linalg.matmul is ref.matmul
    assert not hasattr(ref, "solve") and not hasattr(ref, "det") and "det" not in ref.__all__


@pytest.mark.parametrize("requirement", LINALG)
def test_reference_passes(requirement: str) -> None:
    result = _run(resolve("reference", "tensor"), requirement)
    assert result.status == "pass", result.message


@pytest.mark.parametrize("requirement", [r for r in LINALG if r.rsplit(".", 1)[1] in
                                         ("values", "complex-values", "factors", "factors-complex", "factor",
                                          "eigenvalues", "eigenvalues-complex", "pairs", "pairs-complex")])
def test_numpy_passes(requirement: str) -> None:
    result = _run(resolve("numpy", "tensor"), requirement)
    assert result.status == "pass", result.message


def test_not_claimed_without_the_feature() -> None:
    result = _run(resolve("numpy", "tensor"), "tensor.linalg.det.values", claim=False)
    assert result.status == "not-claimed"


# ------------------------------------------------------------------ broken on purpose


class _Broken(Overriding):
    """numpy with one linalg function replaced (``BROKEN``: name -> function of numpy)."""

    BROKEN: ClassVar[dict[str, Callable[[Any], Callable[..., Any]]]] = {}

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {name: make(np) for name, make in self.BROKEN.items()}


def _broken(name: str, **broken: Callable[[Any], Callable[..., Any]]) -> _Broken:
    cls = type(f"Broken_{name}", (_Broken,), {"meta": numpy_meta(f"broken-linalg-{name}"),
                                              "BROKEN": {k.replace("__", "."): v for k, v in broken.items()}})
    return cls()


def _det_off(np: Any) -> Callable[..., Any]:
    return lambda x: np.linalg.det(x) * 1.001  # 0.1% off: outside float32's 1e-4 and float64's 1e-10


def _eigvalsh_shifted(np: Any) -> Callable[..., Any]:
    return lambda x: np.linalg.eigvalsh(x) + 0.01


def _eigvalsh_descending(np: Any) -> Callable[..., Any]:
    return lambda x: np.flip(np.linalg.eigvalsh(x), axis=-1)  # order is the implementation's: still right


def _qr_r_transposed(np: Any) -> Callable[..., Any]:
    def qr(x: Any, /, *, mode: str = "reduced") -> Any:
        q, r = np.linalg.qr(x, mode=mode)
        return type(np.linalg.qr(x, mode=mode))(q * 1.0, r + np.tril(np.ones_like(r), -1) * 0.5)
    return qr


def _cholesky_upper_ignored(np: Any) -> Callable[..., Any]:
    return lambda x, /, *, upper=False: np.linalg.cholesky(x)  # always lower, even for upper=True


def _eigh_vectors_unnormalised(np: Any) -> Callable[..., Any]:
    def eigh(x: Any, /) -> Any:
        w, v = np.linalg.eigh(x)
        return type(np.linalg.eigh(x))(w, v * 2)
    return eigh


def _svd_ascending(np: Any) -> Callable[..., Any]:
    def svd(x: Any, /, *, full_matrices: bool = True) -> Any:
        u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
        return type(np.linalg.svd(x))(u, np.flip(s, axis=-1), vh)  # no longer U diag(S) Vh, nor descending
    return svd


def _eig_vectors_conjugated(np: Any) -> Callable[..., Any]:
    def eig(x: Any, /) -> Any:
        w, v = np.linalg.eig(x)
        return type(np.linalg.eig(x))(w.astype(np.complex128), np.conj(v).astype(np.complex128))
    return eig


BROKEN = [
    ("det", "tensor.linalg.det.values", {"linalg__det": _det_off}, "fail"),
    ("eigvalsh", "tensor.linalg.eigvalsh.eigenvalues", {"linalg__eigvalsh": _eigvalsh_shifted}, "fail"),
    ("eigvalsh-order", "tensor.linalg.eigvalsh.eigenvalues", {"linalg__eigvalsh": _eigvalsh_descending}, "pass"),
    ("qr", "tensor.linalg.qr.factors", {"linalg__qr": _qr_r_transposed}, "fail"),
    ("cholesky", "tensor.linalg.cholesky.factor", {"linalg__cholesky": _cholesky_upper_ignored}, "fail"),
    ("eigh", "tensor.linalg.eigh.factors", {"linalg__eigh": _eigh_vectors_unnormalised}, "fail"),
    ("svd", "tensor.linalg.svd.factors", {"linalg__svd": _svd_ascending}, "fail"),
    ("eig", "tensor.linalg.eig.pairs", {"linalg__eig": _eig_vectors_conjugated}, "fail"),
]


@pytest.mark.parametrize(("name", "requirement", "broken", "status"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_linalg_function_is_caught(name: str, requirement: str, broken: dict, status: str) -> None:
    result = _run(_broken(name, **broken), requirement, max_examples=30)
    assert result.status == status, result.message


def test_decomposition_laws_accept_other_signs() -> None:
    """QR / SVD factors with flipped signs are as valid as numpy's own (the text: not unique)."""
    def qr(np: Any) -> Callable[..., Any]:
        def flipped(x: Any, /, *, mode: str = "reduced") -> Any:
            q, r = np.linalg.qr(x, mode=mode)
            return type(np.linalg.qr(x, mode=mode))(-q, -r)
        return flipped
    result = _run(_broken("qr-signs", linalg__qr=qr), "tensor.linalg.qr.factors", max_examples=20)
    assert result.status == "pass", result.message


def test_numpy_eig_keeps_real_eigenvalues_real() -> None:
    """numpy's eig / eigvals return float arrays when every eigenvalue is real; the text asks for complex ones."""
    for requirement in ("tensor.linalg.eig.dtype", "tensor.linalg.eigvals.dtype"):
        result = _run(resolve("numpy", "tensor"), requirement, max_examples=20)
        assert result.status == "fail" and "complex" in result.message, result.message


# ------------------------------------------------------------------ singular, rank-deficient, ill-conditioned inputs

EDGES = ["tensor.linalg.det.singular", "tensor.linalg.det.ill-conditioned", "tensor.linalg.slogdet.zero-determinant",
         "tensor.linalg.slogdet.zero-determinant-complex", "tensor.linalg.inv.ill-conditioned",
         "tensor.linalg.solve.ill-conditioned", "tensor.linalg.matrix_rank.default-rtol",
         "tensor.linalg.matrix_rank.default-rtol-complex", "tensor.linalg.svdvals.rank-deficient",
         "tensor.linalg.svd.factors-rank-deficient", "tensor.linalg.trace.empty-sum",
         "tensor.linalg.trace.add-special-cases", "tensor.linalg.trace.add-special-cases-complex"]


@pytest.mark.parametrize("requirement", EDGES)
def test_numpy_passes_the_edge_requirements(requirement: str) -> None:
    result = _run(resolve("numpy", "tensor"), requirement, max_examples=20)
    assert result.status == "pass", result.message


def test_numpy_pinv_default_is_not_the_standards() -> None:
    """numpy's pinv without ``rtol`` cuts at 1e-15 * s_max, not max(M, N) * eps: float32 inputs keep a singular
    value the standard's default drops (numpy's own docs: only ``rtol=None`` selects the standard's default)."""
    result = _run(resolve("numpy", "tensor"), "tensor.linalg.pinv.rank-deficient", max_examples=100)
    assert result.status == "fail" and "float32" in repr(result.counterexample), result.message

    def standard_default(np: Any) -> Callable[..., Any]:
        return lambda x, /, *, rtol=None: np.linalg.pinv(x, rtol=rtol)
    result = _run(_broken("pinv-rtol-none", linalg__pinv=standard_default), "tensor.linalg.pinv.rank-deficient",
                  max_examples=100)
    assert result.status == "pass", result.message


def _in_float32(np: Any, fn: str) -> Callable[..., Any]:
    """numpy's ``linalg.<fn>`` computed in single precision and cast back: float64 answers at float32 accuracy."""
    def low(*args: Any) -> Any:
        out = getattr(np.linalg, fn)(*(a.astype(np.complex64 if a.dtype.kind == "c" else np.float32) for a in args))
        return out.astype(np.result_type(*args))
    return low


def _slogdet_never_zero(np: Any) -> Callable[..., Any]:
    def slogdet(x: Any, /) -> Any:  # a tiny shift: a singular matrix gets sign +-1 and a finite logabsdet
        return np.linalg.slogdet(x + 1e-30 * np.eye(x.shape[-1], dtype=x.dtype))
    return slogdet


def _det_via_slogdet(np: Any) -> Callable[..., Any]:
    def det(x: Any, /) -> Any:  # another correct method: its error also grows with the condition number
        sign, logabs = np.linalg.slogdet(x)
        return (sign * np.exp(logabs)).astype(x.dtype)
    return det


def _inv_via_solve(np: Any) -> Callable[..., Any]:
    return lambda x, /: np.linalg.solve(x, np.broadcast_to(np.eye(x.shape[-1], dtype=x.dtype), x.shape))


def _inv_via_svd(np: Any) -> Callable[..., Any]:
    def inv(x: Any, /) -> Any:  # V S^-1 U^H: forward-stable, not backward-stable (its residual grows with cond)
        u, s, vh = np.linalg.svd(x)
        return (np.conj(np.swapaxes(vh, -1, -2)) / s[..., None, :]) @ np.conj(np.swapaxes(u, -1, -2))
    return inv


def _solve_via_inv(np: Any) -> Callable[..., Any]:
    def solve(x1: Any, x2: Any, /) -> Any:  # inv(x1) x2: not backward stable, forward error still ~cond * eps
        inverse = np.linalg.inv(x1.astype(np.result_type(x1, x2)))  # in the promoted dtype's precision
        return inverse @ x2 if x2.ndim > 1 else (inverse @ x2[:, None])[..., 0]
    return solve


def _rank_with_float64_eps(np: Any) -> Callable[..., Any]:
    return lambda x, /, *, rtol=None: np.linalg.matrix_rank(x, rtol=max(x.shape[-2:]) * 2.0 ** -52 if rtol is None else rtol)


def _svdvals_ascending(np: Any) -> Callable[..., Any]:
    return lambda x, /: np.flip(np.linalg.svd(x, compute_uv=False), axis=-1)


def _svd_dropping_null_vectors(np: Any) -> Callable[..., Any]:
    def svd(x: Any, /, *, full_matrices: bool = True) -> Any:  # U's columns for zero singular values left zero
        u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
        k = s.shape[-1]
        keep = np.concatenate([s > 0, np.zeros(u.shape[-1] - k, dtype=bool)], axis=-1)
        return type(np.linalg.svd(x))(u * keep[..., None, :], s, vh)
    return svd


def _trace_skipping_nan(np: Any) -> Callable[..., Any]:
    return lambda x, /, *, offset=0, dtype=None: np.nansum(np.diagonal(x, offset, -2, -1), axis=-1, dtype=dtype)


def _trace_empty_one(np: Any) -> Callable[..., Any]:
    def trace(x: Any, /, *, offset: int = 0, dtype: Any = None) -> Any:
        out = np.linalg.trace(x, offset=offset, dtype=dtype)
        return out + 1 if np.diagonal(x, offset, -2, -1).shape[-1] == 0 else out
    return trace


EDGE_BROKEN = [
    ("slogdet-never-zero", "tensor.linalg.slogdet.zero-determinant", {"linalg__slogdet": _slogdet_never_zero}, "fail"),
    ("det-singular-off", "tensor.linalg.det.singular", {"linalg__det": lambda np: lambda x: np.linalg.det(x) + 0.01},
     "fail"),
    ("det-float32", "tensor.linalg.det.ill-conditioned", {"linalg__det": lambda np: _in_float32(np, "det")}, "fail"),
    ("det-via-slogdet", "tensor.linalg.det.ill-conditioned", {"linalg__det": _det_via_slogdet}, "pass"),
    ("inv-float32", "tensor.linalg.inv.ill-conditioned", {"linalg__inv": lambda np: _in_float32(np, "inv")}, "fail"),
    ("inv-via-solve", "tensor.linalg.inv.ill-conditioned", {"linalg__inv": _inv_via_solve}, "pass"),
    ("inv-via-svd", "tensor.linalg.inv.ill-conditioned", {"linalg__inv": _inv_via_svd}, "pass"),
    ("solve-float32", "tensor.linalg.solve.ill-conditioned", {"linalg__solve": lambda np: _in_float32(np, "solve")},
     "fail"),
    ("solve-via-inv", "tensor.linalg.solve.ill-conditioned", {"linalg__solve": _solve_via_inv}, "pass"),
    ("rank-float64-eps", "tensor.linalg.matrix_rank.default-rtol", {"linalg__matrix_rank": _rank_with_float64_eps},
     "fail"),
    ("svdvals-ascending", "tensor.linalg.svdvals.rank-deficient", {"linalg__svdvals": _svdvals_ascending}, "fail"),
    ("svd-null-vectors", "tensor.linalg.svd.factors-rank-deficient", {"linalg__svd": _svd_dropping_null_vectors},
     "fail"),
    ("trace-nansum", "tensor.linalg.trace.add-special-cases", {"linalg__trace": _trace_skipping_nan}, "fail"),
    ("trace-empty-one", "tensor.linalg.trace.empty-sum", {"linalg__trace": _trace_empty_one}, "fail"),
]


@pytest.mark.parametrize(("name", "requirement", "broken", "status"), EDGE_BROKEN, ids=[b[0] for b in EDGE_BROKEN])
def test_a_broken_edge_is_caught_and_a_correct_method_is_not(name: str, requirement: str, broken: dict,
                                                             status: str) -> None:
    # trace: the NaN / infinity strata write one value anywhere in the matrix; 100 examples put some on the diagonal
    result = _run(_broken(name, **broken), requirement, max_examples=100 if name.startswith("trace") else 30)
    assert result.status == status, result.message
