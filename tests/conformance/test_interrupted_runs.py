"""A run killed mid-way leaves a valid report whose unreached requirements are not-run.

(That it leaves no process either, however the backend detached one: tests/hostile/test_kit_ends.py.)
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accord.conformance.report import validate_report


def start_run(report: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from accord.conformance.cli import main; main()", "run", "--family", "tensor",
         "--adapter", "numpy", "--seed", "3", "--max-examples", "50", "--report", str(report)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for_results(report: Path, proc: subprocess.Popen, count: int = 3, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if report.exists():
            data = json.loads(report.read_text())
            if sum(r["status"] != "not-run" for r in data["requirements"]) >= count:
                return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    raise AssertionError("the run recorded no results in time")


@pytest.mark.parametrize(("sig", "state", "code"), [(signal.SIGKILL, "running", -9), (signal.SIGINT, "interrupted", 130),
                                                     (signal.SIGTERM, "interrupted", 130)])
def test_killed_run_leaves_a_valid_partial_report(tmp_path: Path, sig: int, state: str, code: int) -> None:
    report = tmp_path / "report.json"
    proc = start_run(report)
    try:
        wait_for_results(report, proc)
        proc.send_signal(sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    stdout, stderr = proc.communicate()
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    data = json.loads(report.read_text())
    assert validate_report(data) == []
    assert data["state"] == state
    statuses = [r["status"] for r in data["requirements"]]
    assert statuses.count("not-run") > 0
    assert len(statuses) - statuses.count("not-run") >= 3


def test_a_stop_whose_keyboardinterrupt_was_dropped_still_stops_the_search() -> None:
    """A signal handler's KeyboardInterrupt raised inside a garbage-collector callback is printed and
    dropped by Python; the flag the handler also sets stops the search at its next example."""
    from hypothesis import strategies as st

    from accord.conformance import interrupts
    from accord.conformance.check import Property, RunSettings, run_property

    seen: list[int] = []

    def test(value: int) -> None:
        seen.append(value)
        if len(seen) == 5:
            interrupts.requested.set()  # what the handler did before its exception was lost

    try:
        with pytest.raises(KeyboardInterrupt):
            run_property(Property(st.integers(), test), RunSettings(seed=1, max_examples=100))
    finally:
        interrupts.requested.clear()
    assert len(seen) == 5


def test_the_stop_handler_sets_the_flag_and_raises() -> None:
    from accord.conformance import interrupts

    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        interrupts.install()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGTERM)
        assert interrupts.requested.is_set()
        with pytest.raises(KeyboardInterrupt):
            interrupts.check()
    finally:
        interrupts.requested.clear()
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
