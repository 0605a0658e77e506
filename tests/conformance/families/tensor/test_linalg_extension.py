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
