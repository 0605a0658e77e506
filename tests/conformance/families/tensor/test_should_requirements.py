"""The standard's "should" statements as SHOULD requirements of tensor 3.0 (4.0 raised info-spec-dtypes-only to MUST).

Each new check kind (``raises``, ``namespace-defaults``, ``values-at-magnitude``) fails on a backend
breaking its sentence on purpose (``broken_shoulds``) or on a real engine that deviates (numpy's ``x.T``
of a 1-d array), and passes on array-api-strict; a SHOULD failure leaves the badge's MUST count whole.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import broken_shoulds
import pytest
from accord_testing import tensor_outcome
from accord_testing.runners import run_accord

from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.adapters.tensor.strict_adapter import adapter as strict_adapter
from accord.conformance.check import Outcome
from accord.conformance.families.tensor import should_raise
from accord.conformance.publish.combine import badge_text, combine
from accord.conformance.publish.load import load_reports
from accord.spec import load_spec

#: the SHOULD requirements this change added (since 2.2) and the MUSTs it lowered to SHOULD (the text says "should")
ADDED = {
    "tensor.operators.transpose-not-2d", "tensor.operators.matrix-transpose-under-2d", "tensor.indexing.too-few-indices",
    "tensor.expand_dims.axis-out-of-range", "tensor.squeeze.non-singleton-axis", "tensor.astype.complex-to-real",
    "tensor.dtypes.default-complex-matches-real", "tensor.dtypes.default-index-int64",
    "tensor.dtypes.info-spec-dtypes-only", "tensor.expm1.near-zero", "tensor.log1p.near-zero",
    "tensor.hypot.no-intermediate-overflow", "tensor.abs.complex-no-intermediate-overflow",
}
LOWERED = {"tensor.clip.dtype", "tensor.meshgrid.dtype", "tensor.diff.dtype", "tensor.isnan.dtype"}
#: SHOULD requirements of earlier versions (float64 precision of 22 functions, signed zeros of 4 unique_* functions)
EARLIER = 26


def outcome(adapter: Any, requirement_id: str, examples: int = 40, seed: int = 3) -> Outcome:
    return tensor_outcome(adapter, requirement_id, version="3.0", seed=seed, max_examples=examples)


def test_3_0_has_exactly_these_should_requirements() -> None:
    spec = load_spec("tensor", "3.0")
    should = {r.id: r for d in spec.documents for r in d.requirements if r.level == "SHOULD"}
    assert ADDED <= set(should) and all(should[rid].since == "3.0" for rid in ADDED)
    assert LOWERED <= set(should) and all(should[rid].since != "3.0" for rid in LOWERED)
    earlier = {rid for rid in should if rid.endswith((".float64-precision", ".signed-zeros"))}
    assert len(earlier) == EARLIER
    # other changes to the same draft may add SHOULDs of their own; these are this change's
    assert len(set(should) & (ADDED | LOWERED)) == 17
    raw = {r["id"]: r for d in spec.documents for r in d.data["requirements"]}
    for rid in ADDED | LOWERED:  # each cites the standard's own sentence, with its "should"
        assert "should" in raw[rid]["provenance"]["quote"].lower(), rid
    assert all(not raw[rid]["conditions"] for rid in ADDED)  # the sentences state no condition


@pytest.mark.parametrize(("adapter", "requirement", "text"), [
    (numpy_adapter, "tensor.operators.transpose-not-2d", "error should be raised"),  # a real deviation: x.T of 1-d
    (numpy_adapter, "tensor.indexing.too-few-indices", "error should be raised"),  # numpy's x[0] of a 2-d array
    (broken_shoulds.lax_squeeze, "tensor.squeeze.non-singleton-axis", "error should be raised"),
    (broken_shoulds.type_error_expand_dims, "tensor.expand_dims.axis-out-of-range", "raised TypeError, not IndexError"),
    (broken_shoulds.naive_expm1, "tensor.expm1.near-zero", "ULP apart"),
    (broken_shoulds.naive_log1p, "tensor.log1p.near-zero", "ULP apart"),
    (broken_shoulds.naive_hypot, "tensor.hypot.no-intermediate-overflow", "where the result is"),
    (broken_shoulds.naive_complex_abs, "tensor.abs.complex-no-intermediate-overflow", "where the result is"),
    (broken_shoulds.odd_defaults, "tensor.dtypes.default-complex-matches-real", "complex64"),
    (broken_shoulds.odd_defaults, "tensor.dtypes.default-index-int64", "int32"),
    (broken_shoulds.odd_defaults, "tensor.dtypes.info-spec-dtypes-only", "float16"),
], ids=lambda v: v if isinstance(v, str) and v.startswith("tensor.") else None)
def test_a_backend_breaking_the_sentence_fails_its_should(adapter: Any, requirement: str, text: str) -> None:
    result = outcome(adapter, requirement)
    assert result.status == "fail", result.message
    assert text in (result.message or ""), result.message


@pytest.mark.parametrize("requirement", sorted(ADDED))
def test_array_api_strict_passes_every_added_should(requirement: str) -> None:
    result = outcome(strict_adapter, requirement)
    assert result.status == "pass", result.message


@pytest.mark.parametrize("requirement", ["tensor.expm1.near-zero", "tensor.hypot.no-intermediate-overflow",
                                         "tensor.squeeze.non-singleton-axis", "tensor.dtypes.default-index-int64"])
def test_numpy_passes_where_it_follows_the_text(requirement: str) -> None:
    assert outcome(numpy_adapter, requirement).status == "pass"


def test_exception_classes_are_judged_by_the_builtin_hierarchy() -> None:
    assert should_raise.wrong_type("IndexError", "IndexError") is None
    assert should_raise.wrong_type("AxisError", "IndexError") is None  # a library's class: its bases did not travel
    assert should_raise.wrong_type("LookupError", "IndexError") == "raised LookupError, not IndexError"
    assert should_raise.wrong_type("TypeError", "any") is None


def test_a_should_failure_leaves_the_must_badge_whole(tmp_path: Path) -> None:
    report = tmp_path / "numpy.json"
    done = run_accord("run", "-f", "tensor", "-a", "numpy", "--spec-version", "draft", "--seed", "1",
                      "--max-examples", "10", "--select", "tensor.operators.transpose-not-2d,tensor.add.dtype",
                      "--report", str(report))
    assert done.returncode == 0, done.stderr[-2000:]  # only a SHOULD failed: the run still exits 0
    statuses = {r["id"]: (r["level"], r["status"]) for r in json.loads(report.read_text())["requirements"]}
    assert statuses == {"tensor.operators.transpose-not-2d": ("SHOULD", "fail"), "tensor.add.dtype": ("MUST", "pass")}
    family = combine(load_reports([report]).reports)["families"][0]
    column = family["columns"][0]
    assert column["scores"]["SHOULD"]["passed"] == 0 and column["scores"]["MUST"]["passed"] == 1
    _, message, colour = badge_text(column, "tensor")
    assert message.startswith("1/1 MUST") and colour == "green", (message, colour)
