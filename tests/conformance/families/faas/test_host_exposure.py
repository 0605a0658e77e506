"""FaaS hosts that misbehave before any request: one that never becomes ready costs the run's
``--timeout``, not a fixed minute, and the error names the adapter; one that listens on every
interface (0.0.0.0) is a recorded ``error``, read from the host's own sockets after deploy."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from accord.conformance.check import RunSettings
from accord.conformance.runner import RunConfig, run

HERE = Path(__file__).parent
REQUIREMENT = "faas.handler.round-trip"


def _run(breakage: str, timeout: float, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setenv("ACCORD_FAAS_BREAK", breakage)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.syspath_prepend(str(HERE))
    result = run(RunConfig("faas", "broken_adapter:adapter", select=[REQUIREMENT],
                           settings=RunSettings(seed=3, max_examples=5, timeout=timeout),
                           report_path=tmp_path / "report.json"))
    return next(r for r in result.report.results() if r["id"] == REQUIREMENT)


def test_a_host_never_ready_honours_the_timeout_and_names_the_adapter(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_host_left_behind: None) -> None:
    began = time.monotonic()
    entry = _run("never-ready", 3.0, tmp_path, monkeypatch)
    elapsed = time.monotonic() - began
    assert entry["status"] == "error", entry
    assert "'broken-reference'" in entry["message"] and "not ready after 3s" in entry["message"], entry["message"]
    assert elapsed < 40, f"{elapsed:.0f} s for a 3 s --timeout"


def test_a_host_listening_on_every_interface_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_host_left_behind: None) -> None:
    entry = _run("binds-all", 20.0, tmp_path, monkeypatch)
    assert entry["status"] == "error", entry
    assert "beyond loopback" in entry["message"] and "0.0.0.0:" in entry["message"], entry["message"]
    assert "'broken-reference'" in entry["message"]
