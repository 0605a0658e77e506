"""Declarations by requirement id are checked against the spec versions the adapter declares."""

from __future__ import annotations

from accord.conformance.declarations import unmatched_declarations
from accord.spec import load_spec


def _adapter(**declared) -> dict:
    return {"name": "lib", "spec_versions": ["1.1", "2.0"], **declared}


def test_an_id_or_glob_matching_nothing_is_named() -> None:
    adapter = _adapter(expected_failures=[{"id": "tensor.sort.stable", "reason": "typo"},
                                          {"id": "tensor.add.*", "reason": "fine"},
                                          {"finding": "F-0123456789", "reason": "checked after the run"}],
                       not_applicable=[{"id": "tensor.nope.*", "reason": "typo"}])
    assert unmatched_declarations(adapter, load_spec("tensor", "2.0")) == [
        "expected failure 'tensor.sort.stable' of adapter 'lib' matches no requirement of tensor 1.1, 2.0",
        "not-applicable declaration 'tensor.nope.*' of adapter 'lib' matches no requirement of tensor 1.1, 2.0"]


def test_an_id_of_another_declared_version_is_fine() -> None:
    only_in_2 = next(r.id for r in load_spec("tensor", "2.0").requirements
                     if r.id not in {q.id for q in load_spec("tensor", "1.1").requirements})
    adapter = _adapter(expected_failures=[{"id": only_in_2, "reason": "a 2.0 requirement"}])
    assert unmatched_declarations(adapter, load_spec("tensor", "1.1")) == []
    assert unmatched_declarations({**adapter, "spec_versions": ["1.1"]}, load_spec("tensor", "1.1")) != []


def test_a_declaration_scoped_to_spec_versions_holds_for_those_alone() -> None:
    from accord.adapters.base import ExpectedFailure
    from accord.conformance.declarations import for_version

    scoped = ExpectedFailure("tensor.meshgrid.result-container", "a tuple, as 2025.12 says", spec_versions=("3.0",))
    everywhere = ExpectedFailure("tensor.add.values", "always")
    adapter = _adapter(expected_failures=[scoped.to_json(), everywhere.to_json()])
    assert adapter["expected_failures"][0]["spec_versions"] == ["3.0"]
    assert for_version(adapter, "3.0") is adapter
    assert [e["id"] for e in for_version(adapter, "4.0")["expected_failures"]] == ["tensor.add.values"]
