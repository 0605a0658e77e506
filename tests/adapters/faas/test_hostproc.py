"""Host processes are started by polling readiness and never outlive their adapter."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from accord.adapters.faas.hostproc import HostProcess, HostStartError, http_ready
from accord.adapters.ports import free_port
from accord.adapters.procs import group_members


def _server(port: int) -> list[str]:
    # a host that also spawns a grandchild, like gunicorn workers or node → python
    code = textwrap.dedent(f"""
        import subprocess, sys, http.server
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        http.server.ThreadingHTTPServer(("127.0.0.1", {port}), http.server.SimpleHTTPRequestHandler).serve_forever()
    """)
    return [sys.executable, "-c", code]


def _gone(pgid: int, within: float = 10.0) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if not group_members(pgid):
            return True
        time.sleep(0.05)
    return False


def test_stop_kills_the_whole_process_group(tmp_path: Path) -> None:
    port = free_port()
    scratch = tmp_path / "service"
    scratch.mkdir()
    host = HostProcess(_server(port), ready=http_ready(port), name="t", scratch=[scratch]).start()
    pgid = host.process.pid
    assert host.alive and len(group_members(pgid)) >= 3  # supervisor, server, grandchild
    assert host.log is not None
    host.stop()
    host.stop()  # twice is fine
    assert _gone(pgid)
    assert host.log is None and not scratch.exists()  # nothing of the host stays behind


def test_host_dies_with_its_owner_even_on_sigkill(tmp_path: Path) -> None:
    port = free_port()
    temp = tmp_path / "tmp"  # the owner's temp dir
    scratch = temp / "accord-service"
    scratch.mkdir(parents=True)
    owner_code = textwrap.dedent(f"""
        import sys
        from accord.adapters.faas.hostproc import HostProcess, http_ready
        h = HostProcess({_server(port)!r}, ready=http_ready({port}), name="t", scratch=[{str(scratch)!r}]).start()
        print(h.process.pid, flush=True)
        sys.stdin.read()
    """)
    owner = subprocess.Popen([sys.executable, "-c", owner_code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "TMPDIR": str(temp)})
    try:
        pgid = int(owner.stdout.readline())
        assert group_members(pgid)
        owner.kill()  # no atexit, no stop(): only the supervisor's pipe notices
        owner.wait(10)
        assert _gone(pgid)
        assert list(temp.iterdir()) == []  # neither the host's log nor its scratch folder stayed
    finally:
        owner.kill()
        owner.wait(10)


def test_a_host_that_exits_early_is_a_one_line_error_with_its_log() -> None:
    host = HostProcess([sys.executable, "-c", "import sys; print('boom: bad flag'); sys.exit(3)"],
                       ready=lambda: False, name="failing")
    with pytest.raises(HostStartError, match="failing exited .*boom: bad flag"):
        host.start()
    assert not host.alive and host.log is None  # quoted in the error, then closed (it has no name)


def test_a_host_that_never_gets_ready_times_out_and_is_stopped() -> None:
    host = HostProcess([sys.executable, "-c", "import time; time.sleep(600)"], ready=lambda: False,
                       name="silent", startup_timeout=1.0)
    with pytest.raises(HostStartError, match="not ready after"):
        host.start()
    assert _gone(host.process.pid)
