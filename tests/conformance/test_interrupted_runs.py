"""A run killed mid-way leaves a valid report whose unreached requirements are not-run."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accord.adapters.procs import descendants
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


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_worker_outlives_no_killed_kit(tmp_path: Path) -> None:
    """SIGKILL the kit while a backend call hangs: the worker notices its parent is gone and exits."""
    here = Path(__file__).parent
    proc = subprocess.Popen(
        [sys.executable, "-c", "from accord.conformance.cli import main; main()", "run", "--family", "tensor",
         "--adapter", "misbehaving:hangs", "--select", "tensor.add.values", "--timeout", "600",
         "--report", str(tmp_path / "report.json")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**__import__("os").environ, "PYTHONPATH": str(here)},
    )
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while not workers and time.monotonic() < deadline:
            workers = descendants(proc.pid)
            time.sleep(0.2)
        assert workers, "the kit started no worker"
        time.sleep(3)  # the worker is inside the hanging call by now
        proc.kill()
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
