"""Fixture for FaaS tests: fail a test that leaves a FaaS host process behind."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

MARK = "ACCORD_FAAS_TEST_MARK"


def host_supervisors(mark: str) -> set[int]:
    """Pids of live FaaS host supervisors (``python -m accord.adapters.faas.hostproc``) whose
    environment carries ``mark`` — started by this test, not by anyone else on the machine."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text()
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if (b"accord.adapters.faas.hostproc" in cmdline and stat[stat.rindex(")") + 2] != "Z"
                and f"{MARK}={mark}".encode() in environ):
            found.add(int(entry.name))
    return found


@pytest.fixture
def no_host_left_behind(monkeypatch: pytest.MonkeyPatch):
    """Fails the test if a FaaS host supervisor started during it is still alive 10 s after it ended.

    The mark travels in the environment: the worker inherits it, and so does every host it starts.
    """
    mark = uuid.uuid4().hex
    monkeypatch.setenv(MARK, mark)
    yield
    deadline = time.monotonic() + 10
    while host_supervisors(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not host_supervisors(mark), "host processes were left running"
