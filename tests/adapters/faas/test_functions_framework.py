"""functions-framework, for real: what it gets right and the differences the suite must report.

Each expectation here was observed on functions-framework 3.10.2 (Flask + gunicorn); if a
release changes one, this test says which.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.conformance.check import RunSettings
from accord.conformance.runner import RunConfig, run

pytest.importorskip("functions_framework")

EXPECTED = {
    "faas.handler.round-trip": "pass",
    "faas.returns.none": "pass",
    "faas.errors.status": "pass",
    "faas.errors.no-leak": "pass",
    "faas.cloudevents.required-attributes": "pass",
    # the real differences
    "faas.http-request.query-order": "fail",  # werkzeug MultiDict regroups repeated names
    "faas.errors.body": "fail",  # text/html "500 Internal Server Error", not the JSON error body
    "faas.returns.none-content-type": "fail",  # Flask adds text/html to a 204
    "faas.limits.status": "fail",  # no body limit: 2 MiB accepted
    "faas.cloudevents.no-invented-time": "fail",  # the CloudEvents SDK writes in the current time
    "faas.cloudevents.batch-refused": "fail",  # batch mode crashes with 500
}


@pytest.mark.slow
def test_functions_framework_findings(tmp_path: Path, no_host_left_behind: None) -> None:
    result = run(RunConfig("faas", "functions-framework", select=sorted(EXPECTED),
                           settings=RunSettings(seed=7, max_examples=15, timeout=20),
                           report_path=tmp_path / "report.json"))
    got = {r["id"]: r["status"] for r in result.report.results()}
    assert got == EXPECTED, {k: (got.get(k), v) for k, v in EXPECTED.items() if got.get(k) != v}
    failing = [r for r in result.report.results() if r["status"] == "fail"]
    assert all(r["message"] for r in failing)
    assert any("curl" in (r["snippet"] or "") for r in failing)


EXPECTED_COROUTINES = {
    # FaaS 1.1: Flask has no event loop, so the shim runs each coroutine on the serving thread's own loop.
    # Each coroutine requirement sits beside its sync twin: the handler form must change nothing.
    "faas.handler.round-trip": "pass",
    "faas.async-handlers.http": "pass",
    "faas.async-handlers.overlap": "pass",  # gunicorn's threads keep awaiting calls side by side
}
# the structured-mode event twins: the CloudEvents SDK 1.x delivers data_base64 "" as no data, a finding
# reached only when the generator draws that event; whatever it draws, both twins must come out alike
EVENT_TWINS = ("faas.cloudevents.structured", "faas.async-handlers.event")


def test_functions_framework_runs_coroutine_handlers_like_sync_ones(tmp_path: Path, no_host_left_behind: None) -> None:
    result = run(RunConfig("faas", "functions-framework", spec_version="1.1",
                           select=sorted([*EXPECTED_COROUTINES, *EVENT_TWINS]),
                           settings=RunSettings(seed=7, max_examples=15, timeout=20),
                           report_path=tmp_path / "report.json"))
    entries = {r["id"]: r for r in result.report.results()}
    got = {rid: r["status"] for rid, r in entries.items() if rid in EXPECTED_COROUTINES}
    assert got == EXPECTED_COROUTINES, got
    twin, coroutine = (entries[rid] for rid in EVENT_TWINS)
    assert coroutine["status"] == twin["status"] in ("pass", "fail"), (twin, coroutine)
    if twin["status"] == "fail":
        assert coroutine["message"] == twin["message"] == "data arrived as ('none', None), sent ('bytes', b'')"
        assert coroutine["counterexample"]["function"] == "event-echo-async"


def test_functions_framework_closes_each_connection_after_one_answer(tmp_path: Path, no_host_left_behind: None) -> None:
    # FaaS 1.3 (draft), RFC 9112 §9.5: with the threaded timeout the adapter turns on for deadlines, the
    # framework's gunicorn worker (GThreadWorkerWithTimeoutSupport) drops handle_request's "keep alive" answer:
    # each answer says "Connection: keep-alive" and the connection is then closed
    result = run(RunConfig("faas", "functions-framework", spec_version="draft", select=["faas.connections.keep-alive"],
                           settings=RunSettings(seed=7, timeout=20), report_path=tmp_path / "report.json"))
    entry = next(r for r in result.report.results() if r["id"] == "faas.connections.keep-alive")
    assert entry["status"] == "fail", entry
    assert entry["message"].startswith("request 2 of 3 on one connection got no answer"), entry["message"]
    assert "did not say 'Connection: close'" in entry["message"] and "--next" in entry["snippet"]
