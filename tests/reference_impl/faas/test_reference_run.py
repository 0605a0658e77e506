"""The whole FaaS suite against the reference adapter: every requirement passes, nothing is left running."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.conformance.check import RunSettings
from accord.conformance.runner import RunConfig, run


@pytest.mark.parametrize("version", [None, "draft"], ids=["released", "draft"])
def test_reference_passes_every_requirement_and_leaves_no_host(version: str | None, tmp_path: Path,
                                                               no_host_left_behind: None) -> None:
    result = run(RunConfig("faas", "reference", spec_version=version,
                           settings=RunSettings(seed=5, max_examples=8, timeout=20),
                           report_path=tmp_path / "report.json"))
    entries = result.report.results()
    assert len(entries) >= 40
    bad = {r["id"]: (r["status"], r["message"]) for r in entries if r["status"] != "pass"}
    assert not bad
    assert result.exit_code == 0
    if version == "draft":  # FaaS 1.1: coroutine handlers are part of the contract
        assert {r["id"] for r in entries} >= {"faas.async-handlers.http", "faas.async-handlers.event",
                                              "faas.async-handlers.overlap", "faas.connections.keep-alive"}
