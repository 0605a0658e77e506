"""Element and array strategies are built once and shared (probes and checks, and every function with the same
element restrictions), and sharing them changes no draw.

Sharing is a run-time saving only: a verdict must not depend on it, so the examples drawn through the shared
strategies are compared with those of a fresh build, seed for seed.
"""

from __future__ import annotations

import json

import pytest
from accord_testing.drawn import examples

from accord.conformance.check import Context, RunSettings
from accord.conformance.families.tensor import checks, strategies, support
from accord.conformance.families.tensor.specdata import tensor_data
from accord.spec import load_spec


def _draws(strategy: object, seed: int, n: int) -> list[str]:
    return [json.dumps(example, sort_keys=True, default=repr) for example in examples(strategy, n, seed)]


@pytest.mark.parametrize(("first", "name"), [("add", "add"), ("clip", "clip"), ("add", "subtract"),
                                             ("add", "bitwise_left_shift"), ("bitwise_left_shift", "add")])
def test_shared_strategies_draw_what_a_fresh_build_draws(first: str, name: str) -> None:
    spec = load_spec("tensor", "2.0")
    data = tensor_data(spec)
    earlier = spec.document("tensor.function", first)
    doc = spec.document("tensor.function", name)
    ctx = Context(backend=None, spec=spec, settings=RunSettings(seed=1))  # type: ignore[arg-type]
    for dtype in support.admitted(earlier.data, spec):  # the probe's Inputs fill the shared cache first
        _draws(strategies.build(support.shared(ctx, strategies.Inputs(earlier.data, data, None, True, only=dtype))),
               support.SEED, 2)
    shared = support.shared(ctx, strategies.Inputs(doc.data, data, None, with_complex=False))
    assert shared.cache is ctx.state[support.SHARED_KEY][shared.element_profile()]
    reused = first == name or "bitwise_left_shift" not in (first, name)  # its x2 is restricted: no sharing
    assert bool(shared.cache) == reused
    built = strategies.build(shared)
    fresh = strategies.build(strategies.Inputs(doc.data, data, None, with_complex=False))
    for seed in (1, 2):
        expected = _draws(fresh, seed, 20)
        assert _draws(built, seed, 20) == expected
        assert _draws(built, seed, 20) == expected  # drawn again from the same object (next requirement)


def test_checks_of_one_function_build_its_calls_once() -> None:
    spec = load_spec("tensor", "1.1")  # no dtype-support requirements: nothing to probe, no backend needed
    doc = spec.document("tensor.function", "add")
    ctx = Context(backend=None, spec=spec, settings=RunSettings(seed=1))  # type: ignore[arg-type]
    by_check = {r.check: r for r in doc.requirements}
    dtype_calls = checks._calls(ctx, by_check["dtype"], doc)
    assert checks._calls(ctx, by_check["shape"], doc) is dtype_calls
    assert checks._calls(ctx, by_check["dtype"], doc, defaults_only=True) is not dtype_calls
