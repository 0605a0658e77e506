"""What a strategy draws, collected under a fixed seed (generation only: no shrinking, no database)."""

from __future__ import annotations

from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase, settings


def examples(strategy: Any, n: int, seed: int = 1) -> list[Any]:
    """The first ``n`` examples ``strategy`` generates under ``seed``."""
    found: list[Any] = []

    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), verbosity=hypothesis.Verbosity.quiet)
    @hypothesis.seed(seed)
    @hypothesis.given(strategy)
    def collect(example: Any) -> None:
        found.append(example)

    collect()
    return found


def function_calls(spec: Any, name: str, n: int, with_complex: bool = False) -> list[dict]:
    """The first ``n`` calls the tensor suite draws for function document ``name`` of ``spec`` (seed 1)."""
    from accord.conformance.families.tensor import strategies
    from accord.conformance.families.tensor.specdata import tensor_data

    doc = spec.document("tensor.function", name)
    return examples(strategies.build(strategies.Inputs(doc.data, tensor_data(spec), None, with_complex=with_complex)), n)
