"""The generation added to kill a FaaS mutant, seen failing on it: a real mutant host (launched by the mutant
adapter in a worker), the killing requirement named."""

from __future__ import annotations

from typing import Any

from accord.conformance.check import RunSettings
from accord.conformance.mutate.runner import MutateConfig, run_mutants
from accord.conformance.mutate.sets import mutant_set


def _killed(mutant: str, max_examples: int) -> tuple[Any, Any]:
    """(the mutant's result, the whole outcome), the mutant run against the draft; it must have been killed."""
    outcome = run_mutants(mutant_set("faas"), MutateConfig("faas", "draft", select=[mutant], settings=RunSettings(
        seed=1, max_examples=max_examples, timeout=30.0)))
    (result,) = outcome.results
    assert result.status == "killed", f"{mutant} survived"
    return result, outcome


def test_structured_events_with_a_charset_parameter_kill_an_exact_content_type_match() -> None:
    """Structured events are sent with 'application/cloudevents+json' and with '; charset=UTF-8' (events.py)."""
    result, outcome = _killed("faas.cloudevents.structured-with-parameters-as-binary", 100)
    assert "faas.cloudevents.structured" in result.killed_by, result.killed_by
    assert outcome.unstable == {}


def test_a_host_closing_each_connection_after_one_answer_is_killed_by_keep_alive() -> None:
    """The one check that keeps a connection open (keep_alive.py) kills what every other check cannot see."""
    result, _ = _killed("faas.connections.one-answer-per-connection", 10)
    assert result.killed_by == ["faas.connections.keep-alive"], result.killed_by
