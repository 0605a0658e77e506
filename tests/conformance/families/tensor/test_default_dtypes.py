"""The inspection API's "must"s as MUST aspects of ``namespace-defaults``: capabilities(), default_dtypes(),
dtypes() keys and its ``kind`` filter, devices() a list of usable devices (tensor 3.0; a tuple in 4.0, as
2025.12 says). A numpy adapter breaking each sentence on purpose fails it; numpy, array-api-strict and the
reference pass.
"""

from __future__ import annotations

from typing import Any

import pytest
from accord_testing import tensor_outcome
from accord_testing.wrong_results import SloppyInfo, odd_devices, sloppy_info

from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.adapters.tensor.reference_adapter import adapter as reference_adapter
from accord.adapters.tensor.strict_adapter import adapter as strict_adapter
from accord.conformance.check import Outcome
from accord.spec import load_spec

INSPECTION = ("tensor.dtypes.info-capabilities", "tensor.dtypes.info-default-dtypes-keys",
              "tensor.dtypes.info-dtypes-keys", "tensor.dtypes.info-dtypes-kind", "tensor.dtypes.info-devices-list",
              "tensor.dtypes.info-devices-usable")


def outcome(adapter: Any, requirement_id: str, version: str = "3.0") -> Outcome:
    return tensor_outcome(adapter, requirement_id, version=version, seed=1, max_examples=10)


def test_each_is_a_must_with_its_section() -> None:
    spec = load_spec("tensor", "3.0")
    raw = {r["id"]: r for r in spec.document("tensor.dtypes", "dtypes").data["requirements"]}
    for rid in INSPECTION:
        req = spec.requirement(rid)
        assert req.level == "MUST" and req.capability == "inspection"
        provenance = raw[rid]["provenance"]
        assert "Inspection" in provenance["section"]
        # the text's "must", or (devices-list) the return annotation, which the Conformance section makes one
        assert "must" in provenance["quote"] or "-> List[device]" in provenance["quote"]


@pytest.mark.parametrize(("requirement", "text"), [
    ("tensor.dtypes.info-capabilities", "lacks the 'max dimensions' key"),
    ("tensor.dtypes.info-default-dtypes-keys", "not a data type object"),
    ("tensor.dtypes.info-dtypes-keys", "keys must be the canonical names"),
    ("tensor.dtypes.info-dtypes-kind", "dtypes(kind='bool') lists"),
])
def test_a_sloppy_info_object_fails(requirement: str, text: str) -> None:
    result = outcome(sloppy_info, requirement)
    assert result.status == "fail", result.message
    assert text in (result.message or ""), result.message
    assert result.counterexample["fn"].startswith("__array_namespace_info__.")


@pytest.mark.parametrize(("requirement", "text"), [
    ("tensor.dtypes.info-devices-list", "devices() returned a tuple; the standard's return annotation says List[device]"),
    ("tensor.dtypes.info-devices-usable", "zeros((1,), device='gpu')"),
])
def test_odd_devices_fail(requirement: str, text: str) -> None:
    result = outcome(odd_devices, requirement)
    assert result.status == "fail", result.message
    assert text in (result.message or ""), result.message


def test_a_tuple_of_kinds_is_their_union() -> None:
    class UnionIgnored(SloppyInfo):
        """dtypes(kind=...) right for a string, empty for a tuple."""

        def replace(self, np: Any) -> dict[str, Any]:
            info = np.__array_namespace_info__()
            return {"__array_namespace_info__.dtypes": lambda *, device=None, kind=None: (
                {} if isinstance(kind, tuple) else info.dtypes(kind=kind))}

    result = outcome(UnionIgnored(), "tensor.dtypes.info-dtypes-kind")
    assert result.status == "fail" and "('bool', 'real floating')" in (result.message or ""), result.message


@pytest.mark.parametrize("requirement", INSPECTION)
@pytest.mark.parametrize("adapter", [numpy_adapter, strict_adapter, reference_adapter],
                         ids=["numpy", "array-api-strict", "reference"])
def test_engines_following_the_text_pass(adapter: Any, requirement: str) -> None:
    result = outcome(adapter, requirement)
    assert result.status == "pass", result.message


def test_devices_is_a_tuple_in_4_0() -> None:
    """2025.12 (gh-981): numpy 2.4 still answers a list, array-api-strict and the reference a tuple once told the
    revision; odd_devices' tuple passes 4.0 and fails 3.0."""
    requirement = "tensor.dtypes.info-devices-tuple"
    assert load_spec("tensor", "draft").requirement(requirement).level == "MUST"
    assert "tensor.dtypes.info-devices-list" not in {r.id for r in load_spec("tensor", "draft").requirements}
    result = outcome(numpy_adapter, requirement, version="draft")
    assert result.status == "fail" and "Tuple[device, ...]" in (result.message or ""), result.message
    for adapter in (strict_adapter, reference_adapter, odd_devices):
        assert outcome(adapter, requirement, version="draft").status == "pass", adapter.meta.name
    assert outcome(odd_devices, "tensor.dtypes.info-devices-list").status == "fail"
