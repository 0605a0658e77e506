"""However ``accord run`` ends — it returns, is interrupted, is SIGKILLed — nothing its backend started
outlives it: not the worker, not a child that detached (double fork and setsid), not a FaaS host.

The kit runs as the user runs it, the CLI in a process of its own. A detached child is out of the
worker's process group and tree, so only the cookie every process of a run carries finds it
(``accord.adapters.procs``): the kit kills its holders when it closes a worker, and a worker whose
kit was SIGKILLed kills them before it goes. (``test_a_worker_outlives_no_killed_kit`` came from
tests/conformance/test_interrupted_runs.py: the detaching case is that one, and more.)
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from harness import Traces

from accord.conformance.report import validate_report

KIT_MB = 150  # the kit's own size with numpy, hypothesis and the spec loaded is about 70 MB

# the CLI, writing its peak resident memory (VmHWM: ru_maxrss would be the forking pytest's) when it exits
KIT = """
import atexit, re, sys
from pathlib import Path
out = Path(sys.argv.pop(1))
atexit.register(lambda: out.write_text(re.search(r"VmHWM:\\s*(\\d+)", Path("/proc/self/status").read_text())[1]))
from accord.conformance.cli import main
main()
"""


def start_kit(tmp_path: Path, family: str, adapter: str, select: str, timeout: str = "5") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", KIT, str(tmp_path / "hwm"), "run", "--family", family, "--adapter", adapter,
         "--select", select, "--seed", "1", "--max-examples", "5", "--timeout", timeout,
         "--report", str(tmp_path / "report.json")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finished(kit: subprocess.Popen, tmp_path: Path) -> tuple[dict, float]:
    """The kit's valid report and its peak memory in MB, once it has exited."""
    _, stderr = kit.communicate(timeout=120)
    assert "Traceback" not in stderr, stderr[-2000:]
    data = json.loads((tmp_path / "report.json").read_text())
    assert validate_report(data) == []
    return data, int((tmp_path / "hwm").read_text()) / 1024


def wait_for_leak(kit: subprocess.Popen, traces: Traces, limit: float = 120) -> None:
    """Until the backend has recorded a child it started (the act that follows hangs)."""
    deadline = time.monotonic() + limit
    while not traces.recorded():
        assert kit.poll() is None, kit.communicate()
        assert time.monotonic() < deadline, "the backend started no child"
        time.sleep(0.1)
    time.sleep(0.5)  # the worker is inside the hanging call by now


def test_a_detached_child_does_not_outlive_the_run(traces: Traces, tmp_path: Path) -> None:
    """A backend that double-forks a daemon on each add, then answers: when ``accord run`` returns,
    every daemon is gone (before the cookie, they lived on under init for their 300 s)."""
    kit = start_kit(tmp_path, "tensor", "misbehaving:leaks_detached", "tensor.add.values,tensor.subtract.values")
    data, kit_mb = finished(kit, tmp_path)
    assert kit.returncode == 0, data
    assert {r["status"] for r in data["requirements"]} == {"pass"}
    assert kit_mb < KIT_MB
    assert traces.recorded() >= 5  # one per add: the run really leaked
    assert traces.left() == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_run_leaves_no_detached_child(sig: int, traces: Traces, tmp_path: Path) -> None:
    kit = start_kit(tmp_path, "tensor", "misbehaving:detaches_and_hangs", "tensor.add.values", timeout="600")
    try:
        wait_for_leak(kit, traces)
        kit.send_signal(sig)
        data, kit_mb = finished(kit, tmp_path)
    finally:
        kit.kill()
    assert kit.returncode == 130
    assert data["state"] == "interrupted"
    assert kit_mb < KIT_MB
    assert traces.left() == []


@pytest.mark.parametrize(("family", "adapter", "select"), [
    ("tensor", "misbehaving:detaches_and_hangs", "tensor.add.values"),
    ("faas", "hostile_faas:never_ready", "faas.handler.round-trip"),
], ids=["tensor-hang", "faas-host-never-ready"])
def test_a_worker_outlives_no_killed_kit(family: str, adapter: str, select: str, traces: Traces,
                                         tmp_path: Path) -> None:
    """SIGKILL the kit while the backend hangs: the worker notices its parent is gone and takes with it
    all it started — the detached child of a hanging tensor call, a FaaS host, the host's daemon."""
    kit = start_kit(tmp_path, family, adapter, select, timeout="600")
    try:
        wait_for_leak(kit, traces)
        kit.kill()
        kit.wait(timeout=30)
    finally:
        kit.kill()
        kit.communicate()
    report = json.loads((tmp_path / "report.json").read_text())
    assert validate_report(report) == [] and report["state"] == "running"
    assert traces.left(within=15) == []  # the worker looks for its kit once a second


def test_nothing_without_proc_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no /proc (not Linux), the hunt finds nothing and raises nothing."""
    from accord.adapters import procs

    real = procs.Path

    def no_proc(*parts: object) -> Path:
        path = real(*parts)  # type: ignore[arg-type]
        return real("/nonexistent-proc") if str(path) == "/proc" else path

    monkeypatch.setattr(procs, "Path", no_proc)
    assert procs.processes() == [] and procs.descendants(os.getpid()) == []
    assert procs.kill_cookie_holders(procs.with_cookie()[0]) == []
