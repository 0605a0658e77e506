"""A verdict claims no more than the standard's text (issue 12, point 6), on the draft tensor spec.

Measured accuracy for the functions whose accuracy the standard leaves to the implementation (gross
errors still fail; float64 precision is a SHOULD); signed zeros in unique_* are a SHOULD; what a
backend declares in capabilities() makes data-dependent requirements not applicable; results must
be the backend's own array type.
"""

from __future__ import annotations

from typing import Any

import broken_levels
import numpy as np
import pytest
import yaml
from accord_testing import tensor_outcome

from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.adapters.tensor.strict_adapter import adapter as strict_adapter
from accord.conformance.check import Outcome
from accord.spec import SPEC_ROOT, load_spec

#: the standard's list (design topics / Accuracy / Mathematical Functions) of functions it does not define precisely
NOT_PRECISELY_DEFINED = {"acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cos", "cosh", "exp", "expm1",
                         "hypot", "log", "log1p", "log2", "log10", "logaddexp", "pow", "sin", "sinh", "tan", "tanh"}




def outcome(adapter: Any, requirement_id: str, examples: int = 60, seed: int = 7) -> Outcome:
    return tensor_outcome(adapter, requirement_id, version="draft", seed=seed, max_examples=examples)


# ------------------------------------------------------------------ accuracy


def test_the_spec_measures_exactly_the_functions_the_standard_leaves_open() -> None:
    measured, exact = set(), set()
    for path in sorted((SPEC_ROOT / "tensor" / "draft" / "functions").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        for r in doc["requirements"]:
            if r["id"] == f"tensor.{doc['name']}.values":
                (measured if r["compare"].get("accuracy") == "measured" else exact).add(doc["name"])
                if r["compare"].get("accuracy") == "measured":
                    assert doc["name"] in r["provenance"]["quote"], doc["name"]
                    assert "ulp" not in r["compare"], r["compare"]
    assert measured == NOT_PRECISELY_DEFINED
    assert {"add", "subtract", "multiply", "divide", "sqrt", "reciprocal"} <= exact  # correctly rounded: exact


def test_numpy_accuracy_is_measured_and_small() -> None:
    result = outcome(numpy_adapter, "tensor.exp.values")
    assert result.status == "pass", result.message
    accuracy = result.extra["accuracy"]
    assert set(accuracy) == {"float32", "float64"}
    assert all(0 <= m["max_ulp"] <= 4 and m["elements"] > 0 for m in accuracy.values()), accuracy


def test_a_sloppy_kernel_is_measured_not_failed() -> None:
    result = outcome(broken_levels.sloppy_exp, "tensor.exp.values")
    assert result.status == "pass", result.message
    assert result.extra["accuracy"]["float64"]["max_ulp"] >= 16, result.extra
    assert {"expected", "actual", "inputs"} <= set(result.extra["accuracy"]["float64"]["example"])


@pytest.mark.parametrize(("adapter", "text"), [(broken_levels.negative_exp, "wrong sign"), (broken_levels.nan_exp, "nan")],
                         ids=["wrong-sign", "nan"])
def test_gross_errors_still_fail_the_must(adapter: Any, text: str) -> None:
    result = outcome(adapter, "tensor.exp.values", examples=200)
    assert result.status == "fail", result.message
    assert text in result.message.lower(), result.message


def test_float64_at_float32_precision_fails_the_should_only() -> None:
    assert outcome(broken_levels.float32_exp, "tensor.exp.values").status == "pass"
    result = outcome(broken_levels.float32_exp, "tensor.exp.float64-precision", examples=100)
    assert result.status == "fail", result.message
    assert "float64 results at a lower precision" in result.message
    assert load_spec("tensor", "draft").requirement("tensor.exp.float64-precision").level == "SHOULD"
    assert outcome(numpy_adapter, "tensor.exp.float64-precision", examples=100).status == "pass"


# ------------------------------------------------------------------ signed zeros in unique_*


@pytest.mark.parametrize("name", ["unique_values", "unique_counts"])
def test_signed_zeros_apart_fail_the_should_not_the_must(name: str) -> None:
    for aspect in ("values", "shape"):
        result = outcome(broken_levels.apart_zeros, f"tensor.{name}.{aspect}", examples=100)
        assert result.status == "pass", (aspect, result.message)
    result = outcome(broken_levels.apart_zeros, f"tensor.{name}.signed-zeros")
    assert result.status == "fail", result.message
    assert load_spec("tensor", "draft").requirement(f"tensor.{name}.signed-zeros").level == "SHOULD"
    assert outcome(numpy_adapter, f"tensor.{name}.signed-zeros").status == "pass"


# ------------------------------------------------------------------ declared capabilities


@pytest.mark.parametrize(("requirement", "capability"), [
    ("tensor.unique_values.values", "data-dependent shapes"),
    ("tensor.unique_all.signature", "data-dependent shapes"),
    ("tensor.nonzero.values", "data-dependent shapes"),
    ("tensor.indexing.boolean-mask", "boolean indexing"),
])
def test_declared_omissions_are_not_applicable(requirement: str, capability: str) -> None:
    result = outcome(broken_levels.graph, requirement, examples=10)
    assert result.status == "not-applicable", result.message
    assert f"capabilities()[{capability!r}] = False" in result.message
    assert outcome(numpy_adapter, requirement, examples=10).status == "pass"


def test_capabilities_travel_in_namespace_info() -> None:
    assert numpy_adapter.invoke("namespace_info", {"names": []})["capabilities"]["data-dependent shapes"] is True
    broken_levels.graph.start()
    assert broken_levels.graph.invoke("namespace_info", {"names": []})["capabilities"]["boolean indexing"] is False


# ------------------------------------------------------------------ result types


def test_foreign_result_types_fail_per_function() -> None:
    result = outcome(broken_levels.foreign_results, "tensor.operators.result-type", examples=10)
    assert result.status == "fail", result.message
    classes = {c.input_class for c in result.cases}
    assert {"unique_values", "x[()]"} <= classes, [(c.input_class, c.message) for c in result.cases]
    assert all("numpy.ndarray" in c.message for c in result.cases), [c.message for c in result.cases]


@pytest.mark.parametrize("adapter", [numpy_adapter, strict_adapter], ids=["numpy", "array-api-strict"])
def test_own_result_types_pass(adapter: Any) -> None:
    result = outcome(adapter, "tensor.operators.result-type", examples=10)
    assert result.status == "pass", [(c.input_class, c.message) for c in result.cases]



def test_flushing_subnormals_is_neither_gross_nor_imprecise() -> None:
    # "conforming implementations may vary in their support for subnormal numbers" (design topic Accuracy):
    # log of a subnormal input flushed to zero (DAZ, as XLA on CPU does) gives -inf where the reference is finite
    from accord.conformance.families.tensor import compare

    x = np.array([1e-309, np.e, 7.4])
    expected, flushed = np.log(x), np.log(np.where(x < 2.2250738585072014e-308, 0.0, x))
    inputs_at = lambda index: {"x": x[index]}  # noqa: E731
    accuracy = compare.Accuracy()
    assert compare.measured(expected, flushed, accuracy, inputs_at) is None
    assert accuracy.to_json()["float64"]["elements"] == 2  # the subnormal input is not measured either
    assert compare.precision(np.array([1.1e-308]), np.array([0.0]), {"ulp": {"float64": 1048576}}) is None
    # a normal input giving -inf is still a gross error
    assert "infinite" in compare.measured(np.log(np.array([1e-300])), np.array([-np.inf]), compare.Accuracy(),
                                          lambda index: {"x": 1e-300})
