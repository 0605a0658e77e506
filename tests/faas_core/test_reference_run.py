"""The whole FaaS suite against the reference adapter: every requirement passes, nothing is left running."""

from __future__ import annotations

from pathlib import Path

from accord.conformance.check import RunSettings
from accord.conformance.runner import RunConfig, run


def test_reference_passes_every_requirement_and_leaves_no_host(tmp_path: Path, no_host_left_behind: None) -> None:
    result = run(RunConfig("faas", "reference", settings=RunSettings(seed=5, max_examples=8, timeout=20),
                           report_path=tmp_path / "report.json"))
    entries = result.report.results()
    assert len(entries) >= 40
    bad = {r["id"]: (r["status"], r["message"]) for r in entries if r["status"] != "pass"}
    assert not bad
    assert result.exit_code == 0
