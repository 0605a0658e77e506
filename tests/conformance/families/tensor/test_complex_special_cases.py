"""Complex special cases (spec ``complex_special_cases``, tensor 1.1): the rows agree with each other,
the reference meets every one, and backends broken in each form of row fail with a counterexample."""

from __future__ import annotations

import math
from typing import Any

import broken_tensor
import numpy as np
import pytest
from accord_testing import tensor_outcome

from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.adapters.tensor.reference_adapter import adapter as reference_adapter
from accord.conformance.families.tensor import complex_special as cs
from accord.spec import load_spec

SPEC = load_spec("tensor", "1.1")
FUNCTIONS = {d.name: d.data for d in SPEC.documents_of("tensor.function")}
CHECKED = sorted(r.id for r in SPEC.requirements if r.check == "complex-special-cases")


def outcome(adapter: Any, requirement_id: str, examples: int = 60):
    return tensor_outcome(adapter, requirement_id, spec=SPEC, seed=7, max_examples=examples)


def _key(value: Any) -> tuple:
    return tuple("NaN" if math.isnan(p) else (p, math.copysign(1.0, p))
                 for p in (float(np.real(value)), float(np.imag(value))))


def _compatible(p: cs.Part, q: cs.Part) -> bool:
    """Whether some value satisfies both parts (two rows may overlap, never contradict)."""
    if "nan" in (p.kind, q.kind):
        return p.kind == q.kind
    for loose, test in (("zero", lambda v: v == 0), ("infinity", math.isinf)):
        if loose in (p.kind, q.kind):
            other = q if p.kind == loose else p
            return other.kind == loose or (other.kind == "value" and test(other.value))
    if "approx_either_sign" in (p.kind, q.kind):
        return math.isclose(abs(p.value), abs(q.value))
    return p.kind == q.kind and p.value == q.value and math.copysign(1, p.value) == math.copysign(1, q.value)


def conflicts(doc: dict, dtype: str) -> list[str]:
    seen: dict[tuple, cs.Case] = {}
    found = []
    for group in cs.groups(doc, FUNCTIONS.__getitem__, np.dtype(dtype)):
        for case in group:
            if case.part is not None:
                continue
            key = tuple(_key(v) for v in case.inputs.values())
            first = seen.setdefault(key, case)
            a, b = first.expected, case.expected
            if isinstance(a, tuple):
                agree = all(_compatible(x, y) for x, y in zip(a, b, strict=True))
            else:
                agree = a == b if isinstance(a, bool) else _compatible(a, b)
            if not agree:
                found.append(f"{key}: {first.rule} vs {case.rule}")
    return found


def test_the_draft_checks_complex_rows_of_the_standards_functions() -> None:
    assert len(CHECKED) >= 30
    forms = {k for d in FUNCTIONS.values() for k in (d.get("complex_special_cases") or {})}
    assert {"rows", "as_if", "componentwise", "symmetry"} <= forms


@pytest.mark.parametrize("name", sorted(n for n, d in FUNCTIONS.items() if d.get("complex_special_cases")))
def test_no_two_rows_contradict(name: str) -> None:
    assert conflicts(FUNCTIONS[name], "complex128") == []


def test_contradicting_rows_are_found() -> None:
    # the standard's sqrt text taken literally: 'a is NaN and b is any value' meets the row for b = +infinity
    doc = dict(FUNCTIONS["sqrt"])
    rows = [*doc["complex_special_cases"]["rows"],
            {"when": {"x": {"real": "NaN", "imag": "any"}}, "then": {"real": "NaN", "imag": "NaN"}}]
    doc["complex_special_cases"] = {**doc["complex_special_cases"], "rows": rows}
    assert any("+infinity" in c or "inf" in c for c in conflicts(doc, "complex128"))


@pytest.mark.parametrize("requirement", CHECKED)
def test_the_reference_meets_every_complex_special_case(requirement: str) -> None:
    result = outcome(reference_adapter, requirement)
    assert result.status == "pass", result.message


BROKEN = [
    # adapter attribute, requirement that must fail, text the failure message must contain
    ("complex_exp", "tensor.exp.complex-special-cases", "conjugate image) requires 1.0 -0 j"),
    ("complex_tan", "tensor.tan.complex-special-cases", "as if -1j * tanh(x * 1j)"),
    ("complex_add", "tensor.add.complex-special-cases", "real part"),
]


@pytest.mark.parametrize(("attribute", "requirement", "text"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_backend_fails_with_a_counterexample(attribute: str, requirement: str, text: str) -> None:
    assert outcome(numpy_adapter, requirement).status == "pass"  # the control: numpy itself meets it
    result = outcome(getattr(broken_tensor, attribute), requirement)
    assert result.status == "fail", result.message
    assert text in result.message, result.message
    assert result.counterexample is not None and "np." in (result.snippet or ""), result.snippet


def test_division_by_a_complex_zero_is_left_to_the_implementation() -> None:
    # any answer for a zero divisor conforms (then: unspecified) ...
    result = outcome(broken_tensor.complex_divide_by_zero, "tensor.divide.complex-values", 200)
    assert result.status == "pass", result.message
    # ... while the same answer for a nonzero divisor is caught
    ctx_doc = next(d for d in SPEC.documents_of("tensor.function") if d.name == "divide").data
    assert cs.unspecified(ctx_doc, {"x1": np.complex128(1 + 1j), "x2": np.complex128(-0.0 + 0j)})
    assert not cs.unspecified(ctx_doc, {"x1": np.complex128(1 + 1j), "x2": np.complex128(1e-300 + 0j)})
