"""``tensor.indexing.setitem-promotion`` (2025.12, tensor 4.0): an array value of a dtype that promotes to x's is
written in x's dtype. A library refusing any other dtype fails; numpy and the reference pass; the requirement
is new in 4.0 (2024.12 left the cast implementation-defined)."""

from __future__ import annotations

from typing import Any, ClassVar

from accord_testing import tensor_outcome

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import NumpyAdapter
from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.adapters.tensor.reference_adapter import adapter as reference_adapter
from accord.conformance.check import Outcome
from accord.spec import load_spec

REQUIREMENT = "tensor.indexing.setitem-promotion"


class SameDtypeOnly(NumpyAdapter):
    """numpy refusing to assign an array of another dtype (as 2024.12 let a library do)."""

    meta: ClassVar[AdapterMeta] = AdapterMeta(name="same-dtype-only", family="tensor", backend_package="numpy",
                                              requires=("numpy",), spec_versions=("3.0",))

    def run(self, op: str, args: dict[str, Any]) -> Any:
        value = args.get("value")
        if op == "setitem" and hasattr(value, "dtype") and value.dtype != args["self"].dtype:
            raise TypeError(f"cannot assign {value.dtype} into {args['self'].dtype}")
        return super().run(op, args)


def outcome(adapter: Any) -> Outcome:
    return tensor_outcome(adapter, REQUIREMENT, version="draft", seed=2, max_examples=40)


def test_refusing_another_dtype_fails() -> None:
    result = outcome(SameDtypeOnly())
    assert result.status == "fail", result.message
    assert "cannot assign" in (result.message or "")


def test_promoting_the_value_passes() -> None:
    for adapter in (numpy_adapter, reference_adapter):
        result = outcome(adapter)
        assert result.status == "pass", (adapter.meta.name, result.message)


def test_the_requirement_is_new_in_4_0() -> None:
    assert load_spec("tensor", "draft").requirement(REQUIREMENT).since == "4.0"
    assert REQUIREMENT not in {r.id for r in load_spec("tensor", "3.0").requirements}
