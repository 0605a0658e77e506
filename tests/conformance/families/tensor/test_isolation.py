"""Aspect isolation and no masking in the tensor suite (issue 12, points 1 and 2).

``broken_tensor.no_uint16`` is numpy without uint16 and with a wrong float32 ``add``: the uint16 gap
must fail ``tensor.dtypes.support-uint16`` and nothing else, every other requirement must say it left
uint16 out, and the float32 error must still be found (as its own case) beside it. numpy itself must
pass the support requirements.
"""

from __future__ import annotations

from typing import Any

import broken_tensor
import numpy as np
import pytest
from accord_testing import InProcess

from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.conformance.check import Context, RunSettings
from accord.conformance.families.tensor import SUITE, isolation, oracle, strategies, support
from accord.conformance.families.tensor.specdata import tensor_data
from accord.conformance.runner import evaluate, run_requirement
from accord.spec import load_spec

SPEC = load_spec("tensor", "draft")
#: requirements of every check kind that draw dtypes; none may fail on a backend whose only gap is uint16
CLEAN = ["tensor.subtract.values", "tensor.subtract.dtype", "tensor.subtract.shape", "tensor.less.signature",
         "tensor.floor_divide.values", "tensor.bitwise_and.commutative", "tensor.max.values", "tensor.sort.values",
         "tensor.abs.special-cases", "tensor.promotion.arrays", "tensor.promotion.result-type",
         "tensor.operators.binary", "tensor.add.dtype", "tensor.add.shape", "tensor.add.signature"]


@pytest.fixture(scope="module")
def broken() -> Context:
    """One context for the module, as one worker serves a run: the probes are made once and shared."""
    adapter = broken_tensor.no_uint16
    return Context(backend=InProcess(adapter, start=True), spec=SPEC, settings=RunSettings(seed=3, max_examples=25),
                   adapter=adapter.meta.to_json())


def run(ctx: Context, requirement: str) -> Any:
    return evaluate(ctx, SUITE, SPEC.requirement(requirement))


def test_the_missing_dtype_fails_its_support_requirement_only(broken: Context) -> None:
    result = run(broken, "tensor.dtypes.support-uint16")
    assert result.status == "fail", result.message
    assert "add" in result.message and "abs" in result.message and "uint16 is not supported" in result.message
    assert {c.input_class for c in result.cases} == {"uint16"}
    assert result.cases[0].raised["type"] == "TypeError"
    for dtype in ("uint8", "int16", "float32"):
        assert run(broken, f"tensor.dtypes.support-{dtype}").status == "pass", dtype


@pytest.mark.parametrize("requirement", CLEAN)
def test_other_requirements_leave_the_dtype_out_and_say_so(broken: Context, requirement: str) -> None:
    entry = run_requirement(broken, SUITE, SPEC.requirement(requirement))  # the report entry, as a run writes it
    assert entry["status"] == "pass", (entry["message"], entry.get("findings"))
    if SPEC.requirement(requirement).check not in ("signature", "special-cases", "operators"):
        assert "uint16 excluded: see tensor.dtypes.support-uint16" in (entry["message"] or ""), entry["message"]


def test_a_wrong_float32_result_is_still_found(broken: Context) -> None:
    result = run(broken, "tensor.add.values")
    assert result.status == "fail", result.message
    classes = [c.input_class for c in result.cases]
    assert "float32" in classes, classes
    assert not any("uint16" in (c or "") for c in classes), classes
    assert all("not supported" not in c.message for c in result.cases)


def test_numpy_supports_every_dtype() -> None:
    ctx = Context(backend=InProcess(numpy_adapter, start=True), spec=SPEC, settings=RunSettings(seed=3, max_examples=10),
                  adapter=numpy_adapter.meta.to_json())
    for dtype in ("bool", "uint16", "uint64", "float32", "complex128"):
        result = run(ctx, f"tensor.dtypes.support-{dtype}")
        assert result.status == "pass", result.message


def test_a_signature_judged_by_calling_draws_default_dtypes_only() -> None:
    doc = SPEC.document("tensor.function", "add")
    inputs = strategies.Inputs(doc.data, tensor_data(SPEC), None, with_complex=False, defaults_only=True)
    assert {d for p in inputs.pairs() for d in p[:2]} <= tensor_data(SPEC).default_dtypes()
    assert "uint16" not in inputs.dtypes() and "int32" in inputs.dtypes()


def test_probing_pairs_the_dtype_with_itself_and_safe_partners_only() -> None:
    doc = SPEC.document("tensor.function", "add")
    rows = strategies.Inputs(doc.data, tensor_data(SPEC), None, with_complex=False, only="uint32").pairs()
    assert rows and all("uint32" in r[:2] for r in rows)
    assert {d for r in rows for d in r[:2]} <= {"uint32", "uint8", "int32", "int64"}, rows
    assert len(set(rows[0][:2])) == 2  # a mixed row first: the first probe meets the promotion too


def test_input_classes() -> None:
    call = oracle.call("add", np.zeros(2, "uint8"), oracle.View(np.zeros(4, "int8"), (slice(None, None, 2),)))
    assert support.input_class(call) == "int8,uint8"
    assert support.input_class(oracle.call("zeros", (2,), dtype=oracle.DType("float32"))) == "float32"
    assert support.input_class(oracle.call("stack", [np.zeros(1, "int16"), np.zeros(1, "int16")])) == "int16"
    assert support.input_class(oracle.call("arange", 3)) is None
    req = SPEC.requirement("tensor.add.special-cases")
    row = isolation.CLASSIFIERS["special-cases"](req, SPEC.document_of(req))({"row": 0, "dtype": "float32"})
    assert row.startswith("row 0: x1=NaN"), row
    op = isolation.CLASSIFIERS["operators"](SPEC.requirement("tensor.operators.binary"), None)
    assert op({"op": {"method": "__add__", "self": {}, "args": []}}) == "__add__"


def test_retyped_controls_keep_values_and_other_dtypes() -> None:
    call = oracle.call("add", np.asarray([1, 2], "uint16"), np.asarray([3], "int32"))
    control = support.retyped(call, "uint16", "int64")
    assert support.input_class(control) == "int32,int64"
    assert oracle.decode(control["args"][0]).tolist() == [1, 2]


def test_the_probe_meets_a_gap_only_array_operands_reach() -> None:
    """A clip with no uint16 kernel for array bounds (torch's clamp): the probe prefers calls with more
    array operands, so the gap is in the uint16 row and clip's own requirements leave uint16 out."""
    adapter = broken_tensor.clip_uint16_bounds
    ctx = Context(backend=InProcess(adapter, start=True), spec=SPEC, settings=RunSettings(seed=1, max_examples=50),
                  adapter=adapter.meta.to_json())
    result = run(ctx, "tensor.dtypes.support-uint16")
    assert result.status == "fail" and "clip" in result.message, result.message
    for requirement in ("tensor.clip.values", "tensor.clip.dtype", "tensor.clip.shape"):
        entry = run_requirement(ctx, SUITE, SPEC.requirement(requirement))
        assert entry["status"] == "pass", (requirement, entry["message"])
