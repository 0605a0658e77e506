"""broadcast_shapes in the draft: the strategies draw what they say, and each requirement fails a backend that
deviates from it (a non-empty tuple for no arguments, no raise for incompatible shapes, a list of the wrong
length), while numpy and the reference pass."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pytest
from accord_testing import tensor_outcome
from accord_testing.overriding import Overriding, numpy_meta
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.adapters.base import AdapterMeta
from accord.adapters.tensor.numpy_adapter import adapter as numpy_adapter
from accord.adapters.tensor.reference_adapter import adapter as reference_adapter
from accord.conformance.check import Outcome
from accord.conformance.families.tensor import oracle, strategies
from accord.conformance.families.tensor.specdata import tensor_data
from accord.spec import load_spec

REQUIREMENTS = ("signature", "values", "result-container", "no-arguments", "incompatible")


class Deviating(Overriding):
    """numpy's broadcast_shapes answering [1] for no arguments, () for incompatible shapes, and otherwise a list
    with a trailing 1 added (the wrong container and the wrong shape)."""

    meta: ClassVar[AdapterMeta] = numpy_meta("deviating-broadcast-shapes")

    def replace(self, np: Any) -> dict[str, Any]:
        def broadcast_shapes(*shapes: tuple[int, ...]) -> Any:
            if not shapes:
                return [1]
            try:
                found = np.broadcast_shapes(*shapes)
            except ValueError:
                return ()
            return [*found, 1]
        return {"broadcast_shapes": broadcast_shapes}


def outcome(adapter: Any, requirement_id: str) -> Outcome:
    return tensor_outcome(adapter, requirement_id, version="draft", seed=1, max_examples=30)


def _draws(name: str) -> st.SearchStrategy:
    spec = load_spec("tensor", "draft")
    doc = spec.document("tensor.function", "broadcast_shapes").data
    inputs = strategies.Inputs({**doc, "inputs": {"strategy": name}}, tensor_data(spec), None, with_complex=False)
    return strategies.build(inputs)


def _shapes(call: dict) -> list[tuple[int, ...]]:
    return [oracle.decode(a) for a in call["args"]]


@settings(max_examples=60, deadline=None)
@given(call=_draws("broadcast_shapes"))
def test_the_drawn_shapes_broadcast(call: dict) -> None:
    shapes = _shapes(call)
    assert len(shapes) <= 4 and all(isinstance(s, tuple) for s in shapes)
    np.broadcast_shapes(*shapes)  # raises where they do not


@settings(max_examples=60, deadline=None)
@given(call=_draws("broadcast_shapes-incompatible"))
def test_the_incompatible_draws_do_not_broadcast(call: dict) -> None:
    shapes = _shapes(call)
    assert 2 <= len(shapes) <= 4
    with pytest.raises(ValueError):
        np.broadcast_shapes(*shapes)


@pytest.mark.parametrize("name", REQUIREMENTS)
@pytest.mark.parametrize("adapter", [numpy_adapter, reference_adapter], ids=["numpy", "reference"])
def test_numpy_and_the_reference_pass(adapter: Any, name: str) -> None:
    result = outcome(adapter, f"tensor.broadcast_shapes.{name}")
    assert result.status == "pass", result.message


@pytest.mark.parametrize(("name", "says"), [
    ("values", "expected"),
    ("result-container", "returned a list"),
    ("no-arguments", "returned a list; the standard states a tuple"),
    ("incompatible", "returned a result where an error should be raised"),
])
def test_each_deviation_fails_its_requirement(name: str, says: str) -> None:
    result = outcome(Deviating(), f"tensor.broadcast_shapes.{name}")
    assert result.status == "fail", result.message
    assert says in (result.message or "")


class OneForNothing(Overriding):
    """numpy's broadcast_shapes, but (1,) for no arguments: the right container, the wrong shape."""

    meta: ClassVar[AdapterMeta] = numpy_meta("one-for-nothing")

    def replace(self, np: Any) -> dict[str, Any]:
        return {"broadcast_shapes": lambda *shapes: np.broadcast_shapes(*shapes) if shapes else (1,)}


def test_a_non_empty_tuple_for_no_arguments_fails() -> None:
    result = outcome(OneForNothing(), "tensor.broadcast_shapes.no-arguments")
    assert result.status == "fail", result.message
    assert "expected a sequence of 0 results" in (result.message or "")
