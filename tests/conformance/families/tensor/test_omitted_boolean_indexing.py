"""A library that declares ``capabilities()["boolean indexing"] = False`` may omit boolean indexing, and
with it assignment through a boolean mask: ``tensor.indexing.setitem`` holds it to basic keys only."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from accord_testing import tensor_outcome

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import NumpyAdapter
from accord.conformance.check import Outcome


class NoMasks(NumpyAdapter):
    """numpy without boolean indexing, saying so in capabilities() (``declares``) or not."""

    meta: ClassVar[AdapterMeta] = AdapterMeta(name="no-masks", family="tensor", backend_package="numpy",
                                              requires=("numpy",), spec_versions=("1.0", "1.1"))

    def __init__(self, declares: bool) -> None:
        super().__init__()
        self.declares = declares

    def make_overrides(self) -> dict[str, Any]:
        overrides = super().make_overrides()
        if self.declares:
            overrides["__array_namespace_info__.capabilities"] = lambda: {
                "boolean indexing": False, "data-dependent shapes": True, "max dimensions": 64}
        return overrides

    def run(self, op: str, args: dict[str, Any]) -> Any:
        if op in ("getitem", "setitem"):
            key = args["key"]
            if getattr(key, "dtype", None) == np.bool_:
                raise TypeError("boolean index arrays are not supported")
        return super().run(op, args)


def outcome(adapter: Any, requirement_id: str) -> Outcome:
    return tensor_outcome(adapter, requirement_id, version="draft", seed=5, max_examples=60)


def test_declared_omission_is_not_held_to_mask_assignment() -> None:
    declared = NoMasks(declares=True)
    assert outcome(declared, "tensor.indexing.boolean-mask").status == "not-applicable"
    result = outcome(declared, "tensor.indexing.setitem")
    assert result.status == "pass", result.message


def test_undeclared_omission_still_fails_mask_assignment() -> None:
    result = outcome(NoMasks(declares=False), "tensor.indexing.setitem")
    assert result.status == "fail", result.message
    assert "boolean index arrays are not supported" in result.message
