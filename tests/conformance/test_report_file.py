"""The report file: readable like any output file, and never a temp file left beside it."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from accord.conformance import report as report_module
from accord.conformance.report import Report
from accord.spec import load_spec


def _report(path: Path) -> Report:
    spec = load_spec("tensor", "2.0")
    return Report(path, spec, list(spec.requirements)[:3], {"seed": 1}, "numpy")


def test_report_mode_follows_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    _report(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~report_module._UMASK
    assert stat.S_IMODE(path.stat().st_mode) & stat.S_IROTH  # 0644 under the usual umask 022, not mkstemp's 0600


def test_an_interrupt_mid_write_leaves_the_last_report_and_no_temp_file(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.json"
    written = _report(path)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(report_module.json, "dumps", interrupted)
    with pytest.raises(KeyboardInterrupt):
        written.finish("complete")
    assert os.listdir(tmp_path) == ["r.json"]
    assert json.loads(path.read_text())["state"] == "running"  # the last complete write, intact


def test_the_report_is_compact_while_running_and_indented_when_finished(tmp_path: Path) -> None:
    """Rewritten after every result, so cheap (one line) while the run goes on; for a reader at the end."""
    path = tmp_path / "r.json"
    written = _report(path)
    first = written.results()[0]["id"]
    written.record(first, {"status": "pass", "examples": 3, "duration": 0.1, "message": ""})
    running = path.read_text()
    assert running.count("\n") == 1 and json.loads(running)["requirements"][0]["status"] == "pass"
    written.finish("complete")
    done = path.read_text()
    assert done.count("\n") > 20 and json.loads(done)["state"] == "complete"


def test_a_running_write_is_the_whole_report_encoded_again(tmp_path: Path) -> None:
    """Only recorded entries are encoded anew while running: the file must still be exactly the report."""
    path = tmp_path / "r.json"
    written = _report(path)
    ids = [r["id"] for r in written.results()]
    written.set_adapter({"name": "numpy", "family": "tensor", "backend": {"package": "numpy", "version": "2"}})
    written.record(ids[1], {"status": "fail", "examples": 2, "duration": 0.5, "message": "x ≠ y"})
    written.record(ids[0], {"status": "pass", "examples": 3, "duration": 0.1, "message": ""})
    written.record(ids[1], {"status": "pass", "examples": 9, "duration": 0.7, "message": ""})  # a second answer
    expected = json.dumps(written.data, separators=(",", ":"), allow_nan=False) + "\n"
    assert path.read_text() == expected
    assert [r["status"] for r in json.loads(path.read_text())["requirements"]][:2] == ["pass", "pass"]


def test_only_the_finished_report_is_synced_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A running snapshot is replaced a moment later: atomic, but not worth an fsync per result."""
    synced: list[int] = []
    monkeypatch.setattr(report_module.os, "fsync", synced.append)
    written = _report(tmp_path / "r.json")
    for entry in written.results():
        written.record(entry["id"], {"status": "pass", "examples": 1, "duration": 0.0, "message": ""})
    assert synced == []
    written.finish("complete")
    assert len(synced) == 1 and json.loads((tmp_path / "r.json").read_text())["state"] == "complete"
