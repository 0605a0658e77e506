"""The generation added to kill a FaaS mutant, seen failing on it: a real mutant host (launched by the mutant
adapter in a worker), the killing requirement named."""

from __future__ import annotations

from accord.conformance.check import RunSettings
from accord.conformance.mutate.runner import MutateConfig, run_mutants
from accord.conformance.mutate.sets import mutant_set


def test_structured_events_with_a_charset_parameter_kill_an_exact_content_type_match() -> None:
    """Structured events are sent with 'application/cloudevents+json' and with '; charset=UTF-8' (events.py)."""
    mutant = "faas.cloudevents.structured-with-parameters-as-binary"
    outcome = run_mutants(mutant_set("faas"), MutateConfig("faas", "draft", select=[mutant], settings=RunSettings(
        seed=1, max_examples=100, timeout=30.0)))
    (result,) = outcome.results
    assert result.status == "killed", f"{mutant} survived"
    assert "faas.cloudevents.structured" in result.killed_by, result.killed_by
    assert outcome.unstable == {}


def test_a_host_closing_each_connection_after_one_answer_is_killed_by_keep_alive() -> None:
    """The one check that keeps a connection open (keep_alive.py) kills what every other check cannot see."""
    mutant = "faas.connections.one-answer-per-connection"
    outcome = run_mutants(mutant_set("faas"), MutateConfig("faas", "draft", select=[mutant], settings=RunSettings(
        seed=1, max_examples=10, timeout=30.0)))
    (result,) = outcome.results
    assert result.status == "killed", f"{mutant} survived"
    assert result.killed_by == ["faas.connections.keep-alive"], result.killed_by
