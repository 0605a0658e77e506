"""``tensor.indexing.integer-arrays`` and ``-incompatible`` (2025.12, tensor 4.0): ``x[(i, J, ...)]`` with one
integer or integer array per axis gathers at the broadcast coordinates; arrays that do not broadcast raise.
numpy and the reference pass; a backend that wraps negative indices wrongly, or one that silently gives an
empty result for unbroadcastable index arrays, fails."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from accord_testing import tensor_outcome

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import NumpyAdapter
from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.adapters.tensor.reference_adapter import adapter as reference_adapter
from accord.conformance.check import Outcome
from accord.spec import load_spec

GATHER = "tensor.indexing.integer-arrays"
INCOMPATIBLE = "tensor.indexing.integer-arrays-incompatible"


def _meta(name: str) -> AdapterMeta:
    return AdapterMeta(name=name, family="tensor", backend_package="numpy", requires=("numpy",),
                       spec_versions=("3.0",))


class OffByOneNegatives(NumpyAdapter):
    """numpy where a negative entry of an index array counts from -0 instead of -1 (x[(J,)] with J = [-1]
    reads the second-to-last element)."""

    meta: ClassVar[AdapterMeta] = _meta("off-by-one-negatives")

    def run(self, op: str, args: dict[str, Any]) -> Any:
        key = args.get("key")
        if op == "getitem" and isinstance(key, tuple) and any(isinstance(k, np.ndarray) and k.ndim for k in key):
            key = tuple(np.where(k < 0, k - 1, k) if isinstance(k, np.ndarray) else k for k in key)
            key = tuple(np.mod(k, n) if isinstance(k, np.ndarray) else k
                        for k, n in zip(key, args["self"].shape, strict=False))
            return args["self"][key]
        return super().run(op, args)


class EmptyOnMismatch(NumpyAdapter):
    """numpy that returns an empty array where the index arrays do not broadcast, instead of raising."""

    meta: ClassVar[AdapterMeta] = _meta("empty-on-mismatch")

    def run(self, op: str, args: dict[str, Any]) -> Any:
        try:
            return super().run(op, args)
        except IndexError:
            if op == "getitem":
                return args["self"].reshape(-1)[:0]
            raise


def outcome(adapter: Any, requirement: str) -> Outcome:
    return tensor_outcome(adapter, requirement, version="draft", seed=2, max_examples=40)


def test_numpy_and_the_reference_pass() -> None:
    for adapter in (numpy_adapter, reference_adapter):
        for requirement in (GATHER, INCOMPATIBLE):
            result = outcome(adapter, requirement)
            assert result.status == "pass", (adapter.meta.name, requirement, result.message)


def test_wrong_negative_indices_fail() -> None:
    result = outcome(OffByOneNegatives(), GATHER)
    assert result.status == "fail", result.message


def test_not_raising_for_unbroadcastable_arrays_fails() -> None:
    result = outcome(EmptyOnMismatch(), INCOMPATIBLE)
    assert result.status == "fail", result.message
    assert "gave a result" in (result.message or "")


def test_the_requirements_are_new_in_4_0() -> None:
    older = {r.id for r in load_spec("tensor", "3.0").requirements}
    for requirement in (GATHER, INCOMPATIBLE):
        assert load_spec("tensor", "draft").requirement(requirement).since == "4.0"
        assert requirement not in older
