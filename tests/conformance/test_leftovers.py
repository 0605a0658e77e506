"""A run leaves nothing behind in the temp dir: worker logs go when the worker goes, even when it is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from accord_testing import HOSTILE, accord
from accord_testing.hostcheck import kill_worker, request, wait_gone

from accord.conformance.client import BackendClient


def test_runs_leave_the_temp_dir_empty(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {"TMPDIR": str(scratch), "PYTHONPATH": os.pathsep.join([str(HOSTILE), os.environ.get("PYTHONPATH", "")])}
    # one clean run, and one whose worker crashes and is restarted (the crash note reads the log first)
    for adapter in ("numpy", "misbehaving:segfaults"):
        result = accord("run", "-f", "tensor", "-a", adapter, "--select", "tensor.add.values,tensor.subtract.values",
                        "--max-examples", "5", "--timeout", "5", "--report", str(tmp_path / f"{adapter}.json"), env=env)
        assert result.returncode in (0, 1), result.stderr
    assert sorted(p.name for p in scratch.iterdir()) == []
    assert "crashed" in (tmp_path / "misbehaving:segfaults.json").read_text()


# Nor when whoever owns a temp file dies without cleaning up: SIGKILL gives no chance to run a close().
# Worker logs have no name in the temp dir; a FaaS host's log neither, and its supervisor removes the
# host's scratch folders (a generated service, a sandbox's mount point) when it ends the host.

KILLED_KIT = """
import os, signal, sys
from accord.conformance.client import BackendClient
client = BackendClient("numpy", "tensor")
client.start()
print(client._proc.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # no close(), no atexit
"""


def accord_entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("accord-"))


def test_a_killed_kit_leaves_the_temp_dir_empty(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    kit = subprocess.run([sys.executable, "-c", KILLED_KIT], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "TMPDIR": str(scratch)})
    assert kit.returncode == -signal.SIGKILL, kit.stderr
    worker = int(kit.stdout)
    assert wait_gone([worker], 30) == []  # the worker notices its kit is gone and exits
    assert accord_entries(scratch) == []


def test_a_killed_faas_worker_leaves_the_temp_dir_empty(tmp_path: Path, no_host_left_behind: None) -> None:
    pytest.importorskip("functions_framework")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    client = BackendClient("functions-framework", family="faas", timeout=120,
                           env={**os.environ, "TMPDIR": str(scratch)})
    client.start()
    try:
        deployment = client.invoke("deploy", {"probes": ["echo", "event-echo"]})
        assert request(deployment["functions"]["echo"], "POST", b"x")[2] == b"x"
        assert accord_entries(scratch)  # the generated function source lives there while it runs
        kill_worker(client)  # no undeploy: only the host supervisors notice
        assert wait_gone(deployment["process_groups"], 15) == []
    finally:
        client.close()
    assert accord_entries(scratch) == []
