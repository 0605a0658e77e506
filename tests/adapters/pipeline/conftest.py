"""One started adapter per engine for the whole session, a check that stopping leaves nothing, and the comparison.

Spark's JVM and Dask's cluster take seconds to start, so every test shares
them; the final teardown stops them and fails if a java or dask process
started by this test process is still alive.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.adapters import procs
from accord.conformance.families.pipeline.compare import compare_runs
from accord.spec import load_spec
from accord.spec.pipeline import api

# The spec's allowed range for an aggregate's timestamp, read from the spec as the suite reads it.
_AGGREGATE = load_spec("pipeline", "1.0").document("pipeline.contract", "model").data["aggregate_timestamp"]
AGGREGATE_RANGE = (_AGGREGATE["earliest"], _AGGREGATE["latest"])


def _compare(graph: dict, expected: dict, actual: dict, engine: str, panes: bool = False) -> None:
    """Raise ``Mismatch`` unless ``actual`` matches the reference's ``expected`` outputs (multisets per window)."""
    compare_runs(graph, expected, actual, panes=panes, aggregate=AGGREGATE_RANGE, who=engine)


def _command(pid: int) -> tuple[str, str]:
    """``(name, command line)`` of a process from /proc; empty strings once it is gone."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "", ""
    return name, cmdline


def engine_processes() -> list[int]:
    """Our live descendants that belong to an engine (Spark's JVM, Dask's nannies and workers)."""
    live = {proc.pid for proc in procs.processes() if proc.live}
    found = []
    for pid in procs.descendants(os.getpid()):
        name, cmdline = _command(pid)
        if pid in live and ("java" in name or any(word in cmdline for word in ("spark", "distributed", "dask"))):
            found.append(pid)
    return found


def wait_until_gone(deadline_s: float = 30) -> list[str]:
    """The command lines of engine processes still alive after ``deadline_s`` (none: all gone)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        left = engine_processes()
        if not left:
            return []
        time.sleep(0.5)
    return [_command(pid)[1] for pid in engine_processes()]


class Engines:
    """Starts each adapter on first use and keeps it for the session."""

    compare = staticmethod(_compare)  # the suite's comparison, for the tests

    def __init__(self) -> None:
        self.started: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        if name not in self.started:
            adapter = api.load_adapter(name)
            adapter.start()
            self.started[name] = adapter
        return self.started[name]

    @staticmethod
    def jvms() -> list[int]:
        """The live JVMs this test process started (Spark's)."""
        return [pid for pid in engine_processes() if _command(pid)[0] == "java"]

    def stop_all(self) -> None:
        for adapter in self.started.values():
            adapter.stop()
        self.started.clear()


@pytest.fixture(scope="session")
def engines() -> Iterator[Engines]:
    pool = Engines()
    yield pool
    pool.stop_all()
    left = wait_until_gone()
    assert not left, f"engine processes outlived stop(): {[cmdline[:120] for cmdline in left]}"
