"""Counterexamples the 10-seed sweep of tensor 2.0 (reference, numpy, array-api-strict) found, replayed on the draft.

Each failed a requirement because the kit claimed more than the standard's text (see the comment per
case); replaying the stored counterexample under the draft must pass, while a wrong answer the text
does rule out still fails.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import pytest
from accord_testing import InProcess
from broken_tensor import _Overriding

from accord.adapters.base import AdapterMeta
from accord.adapters.registry import resolve
from accord.conformance.check import Context, RunSettings
from accord.conformance.families.tensor import SUITE
from accord.conformance.families.tensor import complex_special as cs
from accord.conformance.runner import evaluate
from accord.spec import load_spec

DRAFT = load_spec("tensor", "draft")


def _array(dtype: str, shape: list[int], data: str) -> dict:
    return {"$array": {"dtype": dtype, "shape": shape, "data": data}}


# pow(0j, -1+0j): numpy and array-api-strict give NaN+NaNj, the reference exp(x2 * log(x1)) = inf+NaNj
POW_ZERO_BASE = {"fn": "pow", "args": [_array("complex128", [], "AAAAAAAAAAAAAAAAAAAAAA=="),
                                       _array("complex128", [], "AAAAAAAA8L8AAAAAAAAAAA==")], "kwargs": {}}

# log1p of a tiny complex number: numpy and array-api-strict compute log(1 + x) and give 0j
LOG1P_TINY_F64 = {"fn": "log1p", "args": [_array("complex128", [], "AAAAAAAAEAAAAAAAAAAAAA==")], "kwargs": {}}
LOG1P_TINY_F32 = {"fn": "log1p", "args": [_array("complex64", [], "lhqvAgAAAAA=")], "kwargs": {}}

CASES = [
    # numpy / array-api-strict seeds 1 and 4 (tensor 2.0, MAY complex-values): an 8 ULP bound on a function whose
    # accuracy the standard leaves to the implementation; the draft measures it, as for real inputs
    ("numpy", "tensor.log1p.complex-values", LOG1P_TINY_F64),
    ("array-api-strict", "tensor.log1p.complex-values", LOG1P_TINY_F32),
    # numpy / array-api-strict seed 2 (tensor 2.0, MAY complex-values): the standard's complex special cases
    # of pow are a 'should' implementations may treat more carefully, so a complex zero base is not compared
    ("numpy", "tensor.pow.complex-values", POW_ZERO_BASE),
    ("array-api-strict", "tensor.pow.complex-values", POW_ZERO_BASE),
]


def _replay(adapter: str, requirement: str, counterexample: dict):
    backend = resolve(adapter, "tensor")
    ctx = Context(backend=InProcess(backend, start=True), spec=DRAFT, settings=RunSettings(seed=1, max_examples=1),
                  adapter=backend.meta.to_json())
    return evaluate(ctx, SUITE, DRAFT.requirement(requirement), replay=counterexample)


@pytest.mark.parametrize(("adapter", "requirement", "counterexample"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_sweep_counterexample_passes_on_the_draft(adapter: str, requirement: str, counterexample: dict) -> None:
    result = _replay(adapter, requirement, counterexample)
    assert result.status == "pass", result.message


def test_pow_leaves_only_special_complex_operands_open() -> None:
    pow_doc = next(d for d in DRAFT.documents_of("tensor.function") if d.name == "pow").data
    c = np.complex128
    assert cs.unspecified(pow_doc, {"x1": c(-0.0 + 0j), "x2": c(-1 + 0j)})
    assert cs.unspecified(pow_doc, {"x1": c(2 + 1j), "x2": c(complex(1, float("inf")))})
    # an ordinary base and exponent are still compared with the reference
    assert not cs.unspecified(pow_doc, {"x1": c(1e-300 + 0j), "x2": c(-1 + 0j)})
    assert not cs.unspecified(pow_doc, {"x1": c(2 + 1j), "x2": c(0.5 - 3j)})


def test_complex_accuracy_is_measured_where_the_standard_leaves_it_open() -> None:
    result = _replay("numpy", "tensor.log1p.complex-values", LOG1P_TINY_F64)
    assert result.status == "pass", result.message
    assert result.extra["accuracy"]["complex128"]["max_ulp"] > 1000, result.extra  # measured, and shown
    for doc in DRAFT.documents_of("tensor.function"):
        values = next((r for r in doc.requirements if r.id == f"tensor.{doc.name}.values"), None)
        complex_values = next((r for r in doc.requirements if r.id == f"tensor.{doc.name}.complex-values"), None)
        if values is not None and complex_values is not None:
            assert (values.compare.get("accuracy") == "measured") == (complex_values.compare.get("accuracy") == "measured"), doc.name


class _ConjugateLog1p(_Overriding):
    """log1p answering the conjugate: a wrong sign in the imaginary part, a gross error measuring cannot excuse."""

    meta: ClassVar[AdapterMeta] = AdapterMeta(name="broken-conjugate-log1p", family="tensor", backend_package="numpy",
                                              requires=("numpy",), claims=("complex",), spec_versions=("2.0",))

    def replace(self, np: Any) -> dict[str, Callable[..., Any]]:
        return {"log1p": lambda x, /: np.conj(np.log1p(x))}


def test_a_gross_complex_error_still_fails() -> None:
    spec, adapter = DRAFT, _ConjugateLog1p()
    ctx = Context(backend=InProcess(adapter, start=True), spec=spec, settings=RunSettings(seed=3, max_examples=60),
                  adapter=adapter.meta.to_json())
    result = evaluate(ctx, SUITE, spec.requirement("tensor.log1p.complex-values"))
    assert result.status == "fail", result.message


def test_measured_complex_takes_0d_results_and_judges_signs_of_significant_parts_only() -> None:
    from accord.conformance.families.tensor import compare

    accuracy = compare.Accuracy()
    # a 0-d complex result (the replayed log1p): measured, not a broadcasting error
    assert compare.measured(np.array(2.2250738585072014e-308 + 0j), np.array(0j), accuracy) is None
    assert accuracy.to_json()["complex128"]["elements"] == 1
    # a part lost to cancellation may come out with either sign; a significant part may not
    assert compare.measured(np.array(1 + 1e-20j), np.array(1 - 1e-20j), accuracy) is None
    assert "wrong sign" in compare.measured(np.array(1 + 0.5j), np.array(1 - 0.5j), accuracy)
