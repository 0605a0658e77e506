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
