"""Each category of FaaS checks fails when the reference host is broken on purpose in that category.

The broken host (broken_host.py) is the reference host with exactly one
behaviour changed; the requirement listed must then fail — and the same
requirement passes on the intact reference (test_reference_run.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accord.conformance.check import RunSettings
from accord.conformance.runner import RunConfig, run

HERE = Path(__file__).parent

CASES = {
    # breakage: requirement that must fail
    "query-regrouped": "faas.http-request.query-order",
    "body-as-text": "faas.handler.round-trip",
    "status-flattened": "faas.http-response.status",
    "none-as-200": "faas.returns.none",
    "traceback-leaked": "faas.errors.no-leak",
    "no-size-limit": "faas.limits.status",
    "no-deadline": "faas.deadlines.answered",
    "time-invented": "faas.cloudevents.no-invented-time",
    "ce-not-decoded": "faas.cloudevents.percent-encoding",
    "missing-attributes-filled": "faas.cloudevents.required-attributes",
    "batch-crashes": "faas.cloudevents.batch-refused",
    "serialised": "faas.concurrency.parallel",
    "probe-missing": "faas.deploy.all-probes",
    # FaaS 1.1 (draft): coroutine handlers
    "coroutine-unawaited": "faas.async-handlers.http",
    "async-serialised": "faas.async-handlers.overlap",
    # FaaS 1.2 (draft): CloudEvents' "Consumers SHOULD accept events of a size of at least 64 KByte"
    "small-size-limit": "faas.cloudevents.size-64k",
    # FaaS 1.3 (draft): RFC 9112's persistent connections
    "closes-silently": "faas.connections.keep-alive",
    "closes-announced": "faas.connections.keep-alive",
}
SPEC_VERSION = {"coroutine-unawaited": "draft", "async-serialised": "draft", "small-size-limit": "draft",
                "closes-silently": "draft", "closes-announced": "draft"}
"""Breakages whose requirement is not in the latest released version (default: that one)."""
SAYS = {"closes-silently": "after answer 1, which did not say 'Connection: close'",
        "closes-announced": "answer 1 of 3 closed the connection ('Connection: close')"}
"""Breakages of one requirement told apart by its message."""


@pytest.mark.parametrize("breakage", sorted(CASES))
def test_breaking_the_reference_fails_its_check(breakage: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                no_host_left_behind: None) -> None:
    monkeypatch.setenv("ACCORD_FAAS_BREAK", breakage)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))  # the worker
    monkeypatch.syspath_prepend(str(HERE))  # the kit resolves the adapter too
    requirement = CASES[breakage]
    result = run(RunConfig("faas", "broken_adapter:adapter", spec_version=SPEC_VERSION.get(breakage),
                           select=[requirement],
                           settings=RunSettings(seed=3, max_examples=25, timeout=20),
                           report_path=tmp_path / "report.json"))
    entry = next(r for r in result.report.results() if r["id"] == requirement)
    assert entry["status"] == "fail", entry
    assert entry["message"] and SAYS.get(breakage, "") in entry["message"], entry["message"]
    snippet = entry.get("snippet")
    if entry.get("counterexample") is not None and isinstance(snippet, str) and "(truncated from" not in snippet:
        assert "curl" in snippet  # a 64 KB event's snippet is over the report's value limit: only its head is kept
