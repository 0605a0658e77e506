"""Counterexamples the 20-seed sweeps found against numpy / array-api-strict / the reference, replayed.

Each one failed a MUST requirement because of the suite, not the backend (see the comment per case);
replaying the stored counterexample through the fixed check must pass. The deliberately broken
adapters in ``test_broken_backends`` show the same checks still catch real wrong answers.
"""

from __future__ import annotations

import numpy as np
import pytest
from accord_testing import InProcess

from accord.adapters.registry import resolve
from accord.conformance.check import Context, RunSettings
from accord.conformance.families.tensor import SUITE
from accord.conformance.runner import evaluate
from accord.spec import load_spec


def _array(dtype: str, shape: list[int], data: str) -> dict:
    return {"$array": {"dtype": dtype, "shape": shape, "data": data}}


REVERSED = {"$tuple": [{"$ellipsis": True}, {"$slice": [None, None, -1]}]}

FLOOR_DIVIDE_INF = {"fn": "floor_divide", "args": [_array("float32", [1], "AACAfw=="), _array("float32", [1], "AACAPw==")],
                    "kwargs": {}}

_X = _array("float32", [1, 3], "5oaIP+aGiD/mhog/")
_Y = _array("float32", [3, 1], "AACgPgAAoD4AAKA+")
MATMUL_F32 = {"op": {"method": "__matmul__", "self": _X, "args": [_Y]},
              "reference": {"fn": "matmul", "args": [_X, _Y], "kwargs": {}}}

CASES = [
    # numpy seed 1: cosh of a reversed view rounds 1 ULP away from cosh of a contiguous array (another
    # kernel); the even law compared cosh(x[::-1]) with cosh(contiguous -x), i.e. the layout, not the sign
    ("numpy", "tensor.cosh.even",
     {"calls": [{"fn": "cosh", "args": [{"$view": {"base": _array("float64", [1], "AAAAAAAAHEA="), "key": REVERSED}}],
                 "kwargs": {}}]}),
    # numpy / array-api-strict seed 16: floor_divide(+inf, 1.0) is NaN in numpy, +inf in the reference; the
    # special-case row allows either ({one_of: [+infinity, NaN]}), so the values check must too
    ("numpy", "tensor.floor_divide.values", FLOOR_DIVIDE_INF),
    ("array-api-strict", "tensor.floor_divide.values", FLOOR_DIVIDE_INF),
    # numpy / array-api-strict seed 18: float32 x @ y is 1 ULP from the correctly rounded reference, within
    # matmul's own bound; the operator must equal the backend's matmul, not the reference bit for bit
    ("numpy", "tensor.operators.binary", MATMUL_F32),
]


@pytest.mark.parametrize(("adapter", "requirement", "counterexample"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_sweep_counterexample_now_passes(adapter: str, requirement: str, counterexample: dict) -> None:
    spec = load_spec("tensor", "1.0")
    backend = resolve(adapter, "tensor")
    ctx = Context(backend=InProcess(backend, start=True), spec=spec, settings=RunSettings(seed=1, max_examples=1),
                  adapter=backend.meta.to_json())
    result = evaluate(ctx, SUITE, spec.requirement(requirement), replay=counterexample)
    assert result.status == "pass", result.message


def test_free_outcome_still_rejects_a_disallowed_answer() -> None:
    """The values check lets an element take any outcome its row allows, and no other."""
    from broken_tensor import floor_divide_inf_zero

    spec = load_spec("tensor", "1.0")
    ctx = Context(backend=InProcess(floor_divide_inf_zero, start=True), spec=spec, settings=RunSettings(seed=1, max_examples=1),
                  adapter=floor_divide_inf_zero.meta.to_json())
    result = evaluate(ctx, SUITE, spec.requirement("tensor.floor_divide.values"), replay=FLOOR_DIVIDE_INF)
    assert result.status == "fail" and "expected inf, got 0.0" in result.message, result.message


def test_clip_never_asks_for_an_unspecified_sign_of_zero() -> None:
    """array-api-strict seed 6: clip(-0.0, max=+0.0) gave -0.0, the reference +0.0; the standard leaves it open.

    clip is maximum(minimum(x, max), min), whose choice between -0 and +0 is unspecified, so the
    strategy gives a zero bound facing a zero of x the sign of x.
    """
    from hypothesis import HealthCheck, given, settings

    from accord.conformance.families.tensor import oracle, specdata, strategies

    spec = load_spec("tensor", "1.0")
    doc = next(d for d in spec.documents_of("tensor.function") if d.name == "clip")
    inputs = strategies.Inputs(doc.data, specdata.tensor_data(spec), None, with_complex=False)
    zeros_met = []

    @settings(max_examples=300, database=None, suppress_health_check=list(HealthCheck), deadline=None)
    @given(strategies.build(inputs))
    def check(call: dict) -> None:
        x = oracle.decode(call["args"][0])
        for bound in call["kwargs"].values():
            b = oracle.decode(bound)
            both_zero = (x == 0) & (b == 0)
            zeros_met.append(bool(both_zero.any()))
            assert not (both_zero & (np.signbit(x) != np.signbit(b))).any(), (x, b)

    check()
    assert any(zeros_met)  # the case still occurs, with matching signs
